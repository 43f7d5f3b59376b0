import { defineConfig } from '@playwright/test'

/**
 * End-to-end tests in real Chromium: Debian's /usr/bin/chromium (override with
 * CHROMIUM_PATH); no step downloads a browser. The servers are started by `npm start`
 * itself, on ports of their own and an in-memory store, so the command users run is the
 * one under test.
 */
// Spec files import the workspace packages; inside the repository they resolve to their
// TypeScript sources (docs/decisions/009-packages.md). Set here, before Playwright starts its
// workers, which inherit it.
process.env.NODE_OPTIONS = [process.env.NODE_OPTIONS, '--conditions=superapp-sim-source'].filter(Boolean).join(' ')

const SIM_PORT = Number(process.env.E2E_SIM_PORT ?? 7170)
const GAME_PORT = Number(process.env.E2E_GAME_PORT ?? 7171)

export default defineConfig({
  testDir: 'test/e2e',
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  // Safety nets against a hang, not limits on speed: every wait ends on the state it waits
  // for. On one core shared with a CPU burner (`npm run test:slow`) the game in the host
  // shell took ~18 s to sign in and the longest test ~52 s; limits well above both.
  timeout: 240_000,
  expect: { timeout: 60_000 },
  reporter: [['list'], ['json', { outputFile: '.reports/playwright.json' }]],
  use: {
    baseURL: `http://localhost:${SIM_PORT}`,
    trace: 'retain-on-failure',
    // The payment sheet rises for 160 ms. A Pay click from Playwright right as it opened was
    // once lost under load (the layout test, then every later test of that player, whose
    // sheet stayed open); a player does not tap that fast. Tests see the sheet in place.
    contextOptions: { reducedMotion: 'reduce' },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `node scripts/start.mjs --memory --port ${SIM_PORT} --game-port ${GAME_PORT}`,
    url: `http://127.0.0.1:${SIM_PORT}/host/`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
  },
})
