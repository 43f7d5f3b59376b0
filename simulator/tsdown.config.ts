import { defineConfig } from 'tsdown'

/**
 * The simulator's Node entries: the `superapp-sim` command (cli), startSimulator (index),
 * the Vite plugin and the demo fixture's data, each with one bundled declaration file.
 * Dependencies stay imports of node_modules; the browser pages are built by Vite
 * (vite.config.ts modes host, console, sdk) into dist/web.
 */
export default defineConfig({
  entry: {
    cli: 'src/cli.ts',
    index: 'src/index.ts',
    vite: 'src/vite/index.ts',
    fixtures: 'src/fixtures/public.ts',
  },
  format: 'esm',
  platform: 'node',
  target: 'node20',
  dts: { entry: ['src/index.ts', 'src/vite/index.ts', 'src/fixtures/public.ts'] },
  sourcemap: true,
  clean: ['dist/*.mjs', 'dist/*.d.mts', 'dist/*.map'],
  external: [/^node:/, 'vite'],
})
