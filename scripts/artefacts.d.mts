export declare const REPO_ROOT: string
export type ArtefactName = 'host' | 'console' | 'sdk' | 'game' | 'minigame' | 'start' | 'game-sdk' | 'simulator'
export declare const ARTEFACTS: Record<ArtefactName, { sources: string[]; output: string; vite?: string; tsdown?: string }>
export declare const NPM_START_ARTEFACTS: ArtefactName[]
export declare const SIMULATOR_PACKAGE_ARTEFACTS: ArtefactName[]
export declare function newestMtime(paths: string[], root?: string): number
export declare function mtimeOf(file: string): number
export declare function isFresh(name: ArtefactName, root?: string): boolean
export declare function buildStale(names: readonly ArtefactName[], options?: { log?: (message: string) => void; force?: boolean; root?: string }): Promise<ArtefactName[]>
