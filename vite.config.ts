import { resolve } from 'node:path'
import { defineConfig } from 'vite'

/**
 * One config for every browser page, one page per mode:
 *   vite build --mode game  -> dist/game  (the sample game, served by its server on :7071)
 *   vite build --mode host  -> dist/host  (the simulator's host shell, served at :7070/host/)
 * Each page is its own origin at run time, so each is its own bundle.
 */
const pages = {
  game: { root: 'sample-game/client', base: '/' },
  host: { root: 'simulator/src/host/web', base: '/host/' },
} as const

export default defineConfig(({ mode }) => {
  const page = pages[mode as keyof typeof pages] ?? pages.game
  return {
    root: resolve(import.meta.dirname, page.root),
    base: page.base,
    build: {
      outDir: resolve(import.meta.dirname, 'dist', mode in pages ? mode : 'game'),
      emptyOutDir: true,
      chunkSizeWarningLimit: 1500,
    },
    logLevel: 'warn',
  }
})
