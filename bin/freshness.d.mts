export declare const SERVER_SOURCES: string[]
export declare function newestMtime(root: string, folders: string[]): number
export declare function mtimeOf(file: string): number
export declare function serverBundleIsFresh(root: string): boolean
