// The types of what run.cjs (`npm test`, plain JavaScript that no loader rewrites) exports, for the
// TypeScript that imports it. tests/typecheck.spec.ts checks that these are its exports, no more and
// no fewer. Each is documented where it is written, in run.cjs.

/** A process a run left running: its id, and its command line. */
export interface LeftProcess {
    readonly pid: number;
    readonly command: string;
}

/** The specs that start first, in this order (the rest follow in the globs' order). */
export declare const SLOWEST_FIRST: readonly string[];
/** glibc's malloc settings for the processes the run starts, by tunable name. */
export declare const MALLOC_TUNABLES: Readonly<Record<string, string>>;
/** GLIBC_TUNABLES for the run's processes: the user's `current`, then each of `tunables` it does not set. */
export declare function withTunables(current?: string, tunables?: Readonly<Record<string, string>>): string;
/** Variables of the environment that the run's processes go without. */
export declare const UNUSED_ENV: readonly string[];
/** The environment of the processes a run starts: `env` with glibc's malloc settings, without UNUSED_ENV. */
export declare function processEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
/** The path of TypeScript 7's native tsc executable. */
export declare function nativeTsc(): Promise<string>;
/** The spec files the globs match, as mocha finds them, SLOWEST_FIRST's first; paths from the root. */
export declare function specOrder(globs: readonly string[], extensions: readonly string[], recursive?: boolean, warn?: (line: string) => void): string[];
/** node's arguments to start mocha with .mocharc.json's options (`config`), its specs in specOrder's order, then `args`. */
export declare function mochaCommand(args: readonly string[], config?: object, warn?: (line: string) => void): string[];
/** The files of the checkout in `dir` that match `pathspecs` (all, with none), as git lists them. */
export declare function gitListedFiles(dir: string, ...pathspecs: string[]): string[];
/** The checkout's TypeScript files, declarations and node_modules aside; absolute paths, sorted. */
export declare function projectTypeScript(dir?: string): string[];
/** Puts each file's JavaScript in the TypeScript loader's cache, until `stopped()`. */
export declare function warmLoaderCache(files: readonly string[], cacheDir?: string, stopped?: () => boolean): Promise<void>;
/** Whether the file system that holds `dir` is mounted noexec, by the mount table `mountinfo`. */
export declare function mountedNoexec(dir: string, mountinfo?: string): boolean;
/** The folder a run makes its temporary folder in. */
export declare function runDirBase(env?: NodeJS.ProcessEnv, shm?: string, minFree?: number, mountinfo?: string): string;
/** The entries left in `dir`, as full paths, sorted. */
export declare function leftovers(dir: string): string[];
/** The processes (but this one) whose environment has TMPDIR set to `dir`. */
export declare function processesUsing(dir: string): LeftProcess[];
/** What a finished run left behind, as the message that fails it, or `undefined` when it left nothing. */
export declare function leftBehindReport(paths: readonly string[], processes: readonly LeftProcess[]): string | undefined;
