import { defaultClientConditions, defaultServerConditions } from 'vite'
import { defineConfig } from 'vitest/config'

/** Inside this repository the workspace packages resolve to their TypeScript sources (docs/decisions/009-packages.md). */
const SOURCE = 'superapp-sim-source'

export default defineConfig({
  resolve: { conditions: [SOURCE, ...defaultClientConditions] },
  ssr: { resolve: { conditions: [SOURCE, ...defaultServerConditions], externalConditions: [SOURCE] } },
  test: {
    include: ['game-sdk/**/*.test.ts', 'simulator/**/*.test.ts', 'sample-game/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/packages/**/*.test.ts'],
    // test/packages/consumer/qa/ is the QA guide's example suite: run here against the sources, and by packages.test.ts with its own config against the packed packages.
    exclude: ['node_modules/**', '**/dist/**', 'test/e2e/**'],
    environment: 'node',
    // Every route's JSON answer is checked against its response schema (issue 16 item 2).
    setupFiles: ['test/support/responseCheck.ts'],
    // Safety nets against a hang, not limits on speed: `npm run test:slow` (one core shared
    // with a CPU burner) took the slowest test without a limit of its own ~6 s.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    allowOnly: !process.env.CI,
  },
})
