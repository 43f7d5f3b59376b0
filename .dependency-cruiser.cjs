/**
 * The repository's boundaries, checked by `npm run lint:deps` (part of `npm test`): each rule
 * names a layer that must not reach another. Issue 16 item 3; docs/decisions/009-packages.md
 * describes the packages these rules keep apart.
 */

/** Code that runs in a browser page or a mini game: no Node, no server modules. */
const BROWSER = [
  '^simulator/src/host/web/',
  '^simulator/src/console/web/',
  '^sample-game/client/',
  '^sample-game/minigame/',
  '^game-sdk/src/browser/',
  '^game-sdk/src/protocol/',
  '^game-sdk/src/core/',
]

/**
 * Simulator modules the server and the browser pages both load: request schemas (zod only) and
 * small leaves of wire facts. Browser code may import these by value; they obey the browser's
 * rules themselves, so nothing server-side reaches a page through them.
 */
const SHARED = [
  '/schemas\\.ts$',
  '^simulator/src/sandbox/names\\.ts$',
  '^simulator/src/console/apiBase\\.ts$',
  '^simulator/src/host/(hostCalls|minigameConfig|requestWire|requestDomains)\\.ts$',
  '^simulator/src/store/(orderStatus|schema)\\.ts$',
  // The seed's role tables and the item's versioned fields: the console's response schemas name them.
  '^simulator/src/console/permissions\\.ts$',
  '^simulator/src/catalog/itemVersions\\.ts$',
  '^simulator/src/payments/sheetPolicy\\.ts$',
  '^simulator/src/catalog/itemRules\\.ts$',
  // The public demo fixture (@superapp-sim/simulator/fixtures): the sample game's page draws the items' art from it.
  '^simulator/src/fixtures/public\\.ts$',
  '^simulator/src/demo/(demoGame|itemArt)\\.ts$',
]

/** Tests and the code only tests run: the only importers of test/. */
const TESTS = ['\\.test\\.ts$', '\\.spec\\.ts$', '^test/', '^bench/', '^playwright\\.config\\.ts$', '^vitest\\.config\\.ts$']

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'An import cycle: move the shared value or type into a module both sides import.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'simulator-not-to-sample-game',
      severity: 'error',
      comment: 'The simulator is a package of its own; the sample game is one of its consumers.',
      from: { path: '^simulator/' },
      to: { path: '^sample-game/' },
    },
    {
      name: 'game-sdk-not-to-simulator',
      severity: 'error',
      comment: 'game-sdk is what a game links; it must not depend on the simulator.',
      from: { path: '^game-sdk/' },
      to: { path: '^simulator/' },
    },
    {
      name: 'browser-not-to-node',
      severity: 'error',
      comment: 'Browser code cannot load Node built-ins or server-only packages.',
      from: { path: [...BROWSER, ...SHARED], pathNot: TESTS },
      to: {
        dependencyTypes: ['core'],
      },
    },
    {
      name: 'browser-not-to-server-packages',
      severity: 'error',
      comment: 'Browser code cannot load server-only packages (express, ws, lowdb and their kin).',
      from: { path: [...BROWSER, ...SHARED], pathNot: TESTS },
      to: { path: 'node_modules/(express|ws|lowdb|jose|exceljs|csv-parse|csv-stringify|@peculiar|p-limit)/' },
    },
    {
      name: 'browser-not-to-server-code',
      severity: 'error',
      comment:
        'Browser code loads only browser code, game-sdk/src/protocol and the shared leaves (schemas, wire facts); a type-only import is erased and may name any module.',
      from: { path: [...BROWSER, ...SHARED], pathNot: TESTS },
      to: {
        path: ['^simulator/src/', '^game-sdk/src/(server|node|express|testing)/'],
        pathNot: [...BROWSER, ...SHARED],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'domain-not-to-routes',
      severity: 'error',
      comment: 'Routes call into the domain, never the other way: a value a route file holds belongs in a domain or schemas module.',
      // The composition roots mount the routers: app.ts (the server), sandbox/coreRoutes.ts (one
      // sandbox's API) and console/consoleApi.ts (the console's routers under one auth); docs/
      // renders the route definitions (docs/api.md, docs/openapi.json). Browser code may take a
      // route's request and response types from its definition (type-only, erased): a value
      // import is refused by browser-not-to-server-code.
      from: {
        path: '^simulator/src/',
        pathNot: ['Routes\\.ts$', '/routes/', '^simulator/src/app\\.ts$', '^simulator/src/console/consoleApi\\.ts$', '^simulator/src/docs/', ...BROWSER, ...TESTS],
      },
      to: { path: ['Routes\\.ts$', '/routes/'] },
    },
    {
      name: 'browser-takes-only-types-from-routes',
      severity: 'error',
      comment: 'Browser code takes request and response types from route definitions, never values.',
      from: { path: BROWSER, pathNot: TESTS },
      to: { path: ['Routes\\.ts$', '/routes/'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'only-tests-import-test',
      severity: 'error',
      comment: 'test/ holds test support: production code never imports it.',
      from: { pathNot: TESTS },
      to: { path: '^test/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve: a typo or a missing dependency.',
      // The mini game requires gameServer.js at run time: the sample server writes it with its own origin.
      from: { pathNot: '^sample-game/minigame/game\\.ts$' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['(^|/)dist/', '(^|/)\\.reports/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    combinedDependencies: false,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['superapp-sim-source', 'import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.mts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
}
