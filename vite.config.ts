import { resolve } from 'node:path'
import { defaultClientConditions, defaultServerConditions, defineConfig } from 'vite'

/**
 * One config for every browser page and the repository's start bundle, one per mode
 * (scripts/artefacts.mjs lists them with their sources):
 *   vite build --mode host    -> simulator/dist/web/host     (the host shell, served at :7070/host/)
 *   vite build --mode console -> simulator/dist/web/console  (the superapp console, served at :7070/console/)
 *   vite build --mode sdk     -> simulator/dist/web/sdk/wx.js (drop-in `wx` for any game, served at :7070/sdk/wx.js)
 *   vite build --mode game    -> sample-game/dist/web        (the sample game, served by its server on :7071)
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
    build: {
      outDir: resolve(root, page.outDir),
      emptyOutDir: true,
      chunkSizeWarningLimit: 1500,
    },
    logLevel: 'warn',
  }
})
