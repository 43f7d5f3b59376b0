import { resolve } from 'node:path'
import { defineConfig } from 'vite'

/**
 * One config for every browser page, one page per mode:
 *   vite build --mode game  -> dist/game  (the sample game, served by its server on :7071)
 *   vite build --mode host  -> dist/host  (the simulator's host shell, served at :7070/host/)
 *   vite build --mode console -> dist/console (the superapp console, served at :7070/console/)
 *   vite build --mode minigame -> dist/minigame (the sample game as a mini game package:
 *                              game.json, game.js, project.config.json; served by its server at /minigame/)
 *   vite build --mode sdk   -> dist/sdk/wx.js (drop-in `wx` for any game, served at :7070/sdk/wx.js)
 *   vite build --mode server -> dist/server/cli.mjs (the superapp-sim command as one Node bundle;
 *                              packages stay in node_modules)
 * Each page is its own origin at run time, so each is its own bundle.
 */
const pages = {
  game: { root: 'sample-game/client', base: '/' },
  host: { root: 'simulator/src/host/web', base: '/host/' },
  console: { root: 'simulator/src/console/web', base: '/console/' },
} as const

export default defineConfig(({ mode }) => {
  if (mode === 'server') {
    return {
      build: {
        // An SSR build: Node target, dependencies left as imports of node_modules.
        ssr: resolve(import.meta.dirname, 'simulator/src/cli.ts'),
        outDir: resolve(import.meta.dirname, 'dist/server'),
        emptyOutDir: true,
        target: 'node20',
        minify: false,
        rollupOptions: { output: { format: 'es' as const, entryFileNames: 'cli.mjs', chunkFileNames: '[name]-[hash].mjs' } },
      },
      logLevel: 'warn' as const,
    }
  }
  if (mode === 'minigame') {
    // The sample game as a mini game package: game.js (one CommonJS file, pixi inside) beside
    // game.json, project.config.json and gameServer.js (copied from sample-game/minigame/static).
    return {
      publicDir: resolve(import.meta.dirname, 'sample-game/minigame/static'),
      build: {
        outDir: resolve(import.meta.dirname, 'dist/minigame'),
        emptyOutDir: true,
        target: 'es2022',
        lib: { entry: resolve(import.meta.dirname, 'sample-game/minigame/game.ts'), formats: ['cjs' as const], fileName: () => 'game.js' },
        rollupOptions: { external: ['./gameServer.js'], output: { codeSplitting: false } },
        chunkSizeWarningLimit: 1500,
      },
      logLevel: 'warn' as const,
    }
  }
  if (mode === 'sdk') {
    return {
      build: {
        outDir: resolve(import.meta.dirname, 'dist/sdk'),
        emptyOutDir: true,
        lib: { entry: resolve(import.meta.dirname, 'game-sdk/src/browser/wxGlobal.ts'), formats: ['iife' as const], name: 'superappWx', fileName: () => 'wx.js' },
      },
      logLevel: 'warn' as const,
    }
  }
  const page = pages[mode as keyof typeof pages] ?? pages.game
  return {
    root: resolve(import.meta.dirname, page.root),
    base: page.base,
    // The host shell's mini game runtime: its worker lives in a folder of its own, which the
    // simulator serves with the worker's policy (MINIGAME_WORKER_ASSETS in simulator/src/app.ts).
    worker: {
      format: 'es' as const,
      rolldownOptions: { output: { entryFileNames: 'assets/minigame-worker/[name]-[hash].js', chunkFileNames: 'assets/minigame-worker/[name]-[hash].js' } },
    },
    build: {
      outDir: resolve(import.meta.dirname, 'dist', mode in pages ? mode : 'game'),
      emptyOutDir: true,
      chunkSizeWarningLimit: 1500,
    },
    logLevel: 'warn',
  }
})
