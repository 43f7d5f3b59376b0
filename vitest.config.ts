import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['game-sdk/**/*.test.ts', 'simulator/**/*.test.ts', 'sample-game/**/*.test.ts', 'test/integration/**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**', 'test/e2e/**'],
    environment: 'node',
    testTimeout: 15_000,
    allowOnly: !process.env.CI,
  },
})
