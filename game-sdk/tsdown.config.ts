import { defineConfig } from 'tsdown'

/**
 * The package's build: one ESM file and one bundled declaration file per entry, so the
 * types resolve the same under moduleResolution bundler, node16 and nodenext.
 */
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    browser: 'src/browser/index.ts',
    server: 'src/server/index.ts',
    express: 'src/express/index.ts',
    node: 'src/node/index.ts',
    testing: 'src/testing/index.ts',
  },
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  dts: true,
  sourcemap: true,
  clean: true,
  // Dependencies and peers stay imports; Node built-ins are only in /node and /server.
  external: [/^node:/],
})
