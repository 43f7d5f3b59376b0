import { resolve } from 'node:path'
import { defaultClientConditions, defaultServerConditions, defineConfig } from 'vite'

/**
 * One config for every browser page and the repository's start bundle, one per mode
 * (scripts/artefacts.mjs lists them with their sources):
 *   vite build --mode host    -> simulator/dist/web/host     (the host shell, served at :7070/host/)
 *   vite build --mode console -> simulator/dist/web/console  (the superapp console, served at :7070/console/)
 *   vite build --mode sdk     -> simulator/dist/web/sdk/wx.js (drop-in `wx` for any game, served at :7070/sdk/wx.js)
 *   vite build --mode game    -> sample-game/dist/web        (the sample game, served by its server on :7071)
 *   vite build --mode minigame -> sample-game/dist/minigame  (the sample game as a mini game package:
 *                                 game.json, game.js, project.config.json; served by its server at /minigame/)
 *   vite build --mode start   -> dist/start.mjs              (`npm start` as one Node bundle)
 * Each page is its own origin at run time, so each is its own bundle. Inside this
 * repository the workspace packages resolve to their TypeScript sources through the
 * `superapp-sim-source` export condition (docs/decisions/009-packages.md).
 */
const SOURCE = 'superapp-sim-source'
const root = import.meta.dirname

const pages = {
  game: { root: 'sample-game/client', base: '/', outDir: 'sample-game/dist/web' },
  host: { root: 'simulator/src/host/web', base: '/host/', outDir: 'simulator/dist/web/host' },
  console: { root: 'simulator/src/console/web', base: '/console/', outDir: 'simulator/dist/web/console' },
} as const

export default defineConfig(({ mode }) => {
  const resolveSources = { conditions: [SOURCE, ...defaultClientConditions] }
  if (mode === 'start') {
    return {
      resolve: resolveSources,
      ssr: { resolve: { conditions: [SOURCE, ...defaultServerConditions], externalConditions: [SOURCE] }, noExternal: [/^@superapp-sim\//] },
      build: {
        // An SSR build: Node target, third-party packages left as imports of node_modules.
        ssr: resolve(root, 'scripts/npmStart.ts'),
        outDir: resolve(root, 'dist'),
        emptyOutDir: false,
        target: 'node20',
        minify: false,
        rollupOptions: { output: { format: 'es' as const, entryFileNames: 'start.mjs', chunkFileNames: 'start-chunks/[name]-[hash].mjs' } },
      },
      logLevel: 'warn' as const,
    }
  }
  if (mode === 'minigame') {
    // The sample game as a mini game package: game.js (one CommonJS file, pixi inside) beside
    // game.json, project.config.json and gameServer.js (copied from sample-game/minigame/static).
    return {
      resolve: resolveSources,
      publicDir: resolve(root, 'sample-game/minigame/static'),
      build: {
        outDir: resolve(root, 'sample-game/dist/minigame'),
        emptyOutDir: true,
        target: 'es2022',
        lib: { entry: resolve(root, 'sample-game/minigame/game.ts'), formats: ['cjs' as const], fileName: () => 'game.js' },
        rollupOptions: { external: ['./gameServer.js'], output: { codeSplitting: false } },
        chunkSizeWarningLimit: 1500,
      },
      logLevel: 'warn' as const,
    }
  }
  if (mode === 'sdk') {
    return {
      resolve: resolveSources,
      build: {
        outDir: resolve(root, 'simulator/dist/web/sdk'),
        emptyOutDir: true,
        lib: { entry: resolve(root, 'simulator/src/host/dropIn/wx.ts'), formats: ['iife' as const], name: 'superappWx', fileName: () => 'wx.js' },
      },
      logLevel: 'warn' as const,
    }
  }
  const page = pages[mode as keyof typeof pages] ?? pages.game
  return {
    root: resolve(root, page.root),
    base: page.base,
    resolve: resolveSources,
    // The host shell's mini game runtime: its worker lives in a folder of its own, which the
    // simulator serves with the worker's policy (MINIGAME_WORKER_ASSETS in simulator/src/app.ts).
    worker: {
      format: 'es' as const,
      rolldownOptions: { output: { entryFileNames: 'assets/minigame-worker/[name]-[hash].js', chunkFileNames: 'assets/minigame-worker/[name]-[hash].js' } },
    },
    build: {
      outDir: resolve(root, page.outDir),
      emptyOutDir: true,
      chunkSizeWarningLimit: 1500,
    },
    logLevel: 'warn',
  }
})
