import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['game-sdk/**/*.test.ts', 'simulator/**/*.test.ts', 'sample-game/**/*.test.ts', 'test/integration/**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**', 'test/e2e/**'],
    environment: 'node',
    // Safety nets against a hang, not limits on speed: `npm run test:slow` (one core shared
    // with a CPU burner) took the slowest test without a limit of its own ~6 s.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    allowOnly: !process.env.CI,
  },
})
