import { defineConfig } from 'vitest/config'

// qa/vitest.config.ts: run with `npx vitest run --config qa/vitest.config.ts`.
export default defineConfig({
  test: {
    include: ['qa/**/*.test.ts'],
    // The simulator and your game server are Node servers: not jsdom or happy-dom, which a
    // game's own config often sets for its browser code.
    environment: 'node',
    // A simulator and a game server start in beforeAll: more than vitest's default 5 s on a
    // busy CI runner. A safety net against a hang, not a speed limit.
    hookTimeout: 60_000,
    testTimeout: 60_000,
  },
})
