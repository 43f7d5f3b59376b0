/**
 * CommonJS between a package's files, as the mini game runtime has it: `require` with a
 * path relative to the requiring file (`./`, `../`, or from the package root without a
 * leading slash), `.js` implied, a folder's `index.js`, `module.exports` / `exports`,
 * each file run once and cached, cycles answered with the partial exports (as Node
 * does). There is no node_modules lookup: the platform has none.
 */

export interface ModuleSource {
  /** The file's text, or undefined when the package has no such file. */
  read(path: string): string | undefined
  /** Turns a file's text into its module function (the runtime evaluates it with a sourceURL). */
  compile(code: string, path: string): ModuleFunction
}

export type ModuleFunction = (require: RequireFunction, module: { exports: unknown }, exports: unknown) => void
export type RequireFunction = (specifier: string) => unknown

/**
 * Raised when `require` names a file the package does not have. Kept beside SimulatorError
 * (the package's error class): it is thrown into the mini game's own code in the browser
 * worker and looks like the platform's (`name` "Error") while carrying what was required,
 * from where and which files were tried; SimulatorError is a server class the worker does not load.
 */
export class ModuleNotFoundError extends Error {
  constructor(
    readonly specifier: string,
    readonly from: string,
    readonly tried: string[],
  ) {
    super(`module "${specifier}" is not defined (required from ${from}; looked for ${tried.join(', ')}): package files are required by relative path, e.g. require('./js/main.js')`)
    this.name = 'Error'
  }
}

/** "a/b/../c/./d.js" → "a/c/d.js"; no leading slash; undefined when it climbs out of the package. */
export function normalizePath(path: string): string | undefined {
  const parts: string[] = []
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') {
      if (parts.length === 0) return undefined
      parts.pop()
    } else parts.push(part)
  }
  return parts.join('/')
}

function dirname(path: string): string {
  const slash = path.lastIndexOf('/')
  return slash < 0 ? '' : path.slice(0, slash)
}

/** The files `specifier` may mean, from `from`, in the order they are tried. */
export function candidatesFor(specifier: string, from: string): string[] {
  const relative = specifier.startsWith('./') || specifier.startsWith('../')
  const joined = normalizePath(relative ? `${dirname(from)}/${specifier}` : specifier)
  if (joined === undefined || joined === '') return []
  return joined.endsWith('.js') ? [joined, `${joined}/index.js`] : [joined, `${joined}.js`, `${joined}/index.js`]
}

export interface ModuleLoader {
  /** Runs a package file (game.js, a subpackage's entry) as a module and returns its exports. */
  run(path: string): unknown
  /** Paths of the modules run so far. */
  readonly loaded: ReadonlyMap<string, { exports: unknown }>
}

/**
 * A loader over a package's files.
 *
 * @example
 * const loader = createModuleLoader({ read: (p) => files[p], compile: (code) => new Function('require', 'module', 'exports', code) as ModuleFunction })
 * loader.run('game.js')
 */
export function createModuleLoader(source: ModuleSource): ModuleLoader {
  const cache = new Map<string, { exports: unknown }>()

  function load(path: string, code: string): unknown {
    const module = { exports: {} as unknown }
    cache.set(path, module)
    const require = ((specifier: string) => resolveAndLoad(specifier, path)) as RequireFunction
    try {
      source.compile(code, path)(require, module, module.exports)
    } catch (error) {
      // A file that threw is not half-loaded for the next require: it runs again then.
      cache.delete(path)
      throw error
    }
    return module.exports
  }

  function resolveAndLoad(specifier: string, from: string): unknown {
    if (typeof specifier !== 'string') throw new TypeError(`require expects a path string, got ${typeof specifier} (in ${from})`)
    const tried = candidatesFor(specifier, from)
    for (const path of tried) {
      const cached = cache.get(path)
      if (cached) return cached.exports
      const code = source.read(path)
      if (code !== undefined) return load(path, code)
    }
    throw new ModuleNotFoundError(specifier, from, tried)
  }

  return {
    run(path) {
      const cached = cache.get(path)
      if (cached) return cached.exports
      const code = source.read(path)
      if (code === undefined) throw new ModuleNotFoundError(path, 'the host', [path])
      return load(path, code)
    },
    loaded: cache,
  }
}
