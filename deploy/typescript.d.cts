// The types of what typescript.cjs (the project's TypeScript loader, plain JavaScript) exports, for
// the TypeScript that imports it. tests/typecheck.spec.ts checks that these are its exports,
// no more and no fewer. Each is documented where it is written, in typescript.cjs.
import type { Options } from "sucrase";

/** The folder of the loader's cache: node_modules/.cache/sucrase-register. */
export declare const CACHE_DIR: string;
/** Sucrase's options: TypeScript's types removed, imports made CommonJS, and nothing else. */
export declare const OPTIONS: Options;
/** The file's JavaScript: from the cache in `cacheDir`, or transformed and then cached there. */
export declare function javascript(filename: string, cacheDir?: string): string;
/** A cache entry for `code`: a header line with its hash, then the code. */
export declare function cacheEntry(code: string): string;
/** Defers @pulumi/pulumi's typescript-shim.js to its first use; returns the shim's path, or `undefined`. */
export declare function deferPulumiTypeScript(resolve?: (request: string) => string): string | undefined;
