// Loads TypeScript files transpile-only, with sucrase: the one TypeScript loader of this project,
// for `pulumi preview` and `pulumi up` (Pulumi.yaml's nodeargs), the policy pack (its index.js),
// the commands (package.json's scripts) and the tests (.mocharc.json). Type-checking happens once,
// in `npm test` (tsc). Sucrase keeps every line where it was, so stack traces point at the
// TypeScript lines without a source map; none is made, which is faster.
//
// It replaces, rather than wraps, any loader already registered for .ts files: the Pulumi CLI's
// policy runner registers ts-node with type-checking on for every pack (@pulumi/pulumi
// cmd/run-policy-pack/run.js), and this takes its place.
//
// Each file's JavaScript is kept in node_modules/.cache/sucrase-register (where build tools keep
// their caches, and which `npm ci` empties), under a hash of sucrase's version, the options and
// the source, not the path (with these options sucrase's output depends on the source alone; the
// path only names the file in its errors): a process that loads a file another one loaded
// already, unchanged, reads it instead of transforming it again, from any copy of the checkout,
// and loads sucrase itself (some 60 ms of CPU) only when a file misses. Each entry starts with the
// sha256 of its JavaScript: one cut short or changed is discarded and made again, never run. A
// cache that cannot be written is no cache, not an error.
//
// @pulumi/pulumi loads TypeScript's compiler as it starts (its typescript-shim.js), for closure
// serialization (pulumi.runtime.serializeFunction), which this project never calls: some 9 MB of
// JavaScript, a quarter of a second in every process that loads Pulumi. Here the shim is loaded
// on first use instead (see deferPulumiTypeScript).
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const Module = require("module");
const path = require("path");

/**
 * Sucrase's options: TypeScript's types removed, imports made CommonJS, and nothing else. Node.js
 * 20 runs optional chaining, `??` and class fields itself, so sucrase's rewrites of them, slower
 * to run, are off.
 */
const OPTIONS = { transforms: ["typescript", "imports"], disableESTransforms: true };
const CACHE_DIR = path.join(path.dirname(path.dirname(require.resolve("sucrase/package.json"))), ".cache", "sucrase-register");
const VERSION = `${require("sucrase/package.json").version} ${JSON.stringify(OPTIONS)}`;

/** The first line of a cache entry: the sha256 of the JavaScript that follows it. */
const ENTRY_HEADER = /^\/\/ sha256 ([0-9a-f]{64})\n/;

/** A cache entry for `code`: a header line with its hash, then the code. */
function cacheEntry(code) {
    return `// sha256 ${crypto.createHash("sha256").update(code).digest("hex")}\n${code}`;
}

/**
 * The JavaScript a cache entry holds, or `undefined` when the entry is missing, unreadable, or not
 * whole: a header that does not match what follows it (an entry cut short by a full disk or a
 * killed process, or changed since) is no entry. Such an entry is removed, so the next write
 * replaces it.
 */
function readEntry(cached) {
    let text;
    try {
        text = fs.readFileSync(cached, "utf8");
    } catch {
        return undefined;
    }
    const header = ENTRY_HEADER.exec(text);
    const code = header ? text.slice(header[0].length) : undefined;
    if (code !== undefined && crypto.createHash("sha256").update(code).digest("hex") === header[1]) return code;
    try {
        fs.unlinkSync(cached);
    } catch {
        // Gone already, or not ours to remove: the rename below replaces it, or this stays uncached.
    }
    return undefined;
}

/**
 * The file's JavaScript: from the cache in `cacheDir`, or transformed and then cached there. A
 * cache entry that is not whole is discarded and made again; sucrase's errors name the file.
 */
function javascript(filename, cacheDir = CACHE_DIR) {
    const source = fs.readFileSync(filename, "utf8");
    const key = crypto.createHash("sha256").update(`${VERSION}\0${source}`).digest("hex");
    const cached = path.join(cacheDir, `${key}.js`);
    const hit = readEntry(cached);
    if (hit !== undefined) return hit;
    const code = require("sucrase").transform(source, { ...OPTIONS, filePath: filename }).code;
    // Written whole under a name of this process's own, then renamed: a process that reads
    // the entry sees all of it or none.
    const partial = `${cached}.${process.pid}.tmp`;
    try {
        fs.mkdirSync(cacheDir, { recursive: true });
        fs.writeFileSync(partial, cacheEntry(code));
        fs.renameSync(partial, cached);
    } catch {
        try {
            fs.unlinkSync(partial);
        } catch {
            // Never written.
        }
    }
    return code;
}

/**
 * Puts a stand-in for @pulumi/pulumi's typescript-shim.js in require's cache: the first read of
 * any of its properties removes the stand-in and requires the real shim, which loads the compiler.
 * Returns the shim's path, or `undefined` where @pulumi/pulumi is not installed or the shim is
 * loaded already.
 */
function deferPulumiTypeScript(resolve = require.resolve) {
    let shim;
    try {
        shim = resolve("@pulumi/pulumi/typescript-shim");
    } catch {
        return undefined;
    }
    if (require.cache[shim]) return undefined;
    let real;
    const load = () => {
        if (real === undefined) {
            delete require.cache[shim];
            real = require(shim);
        }
        return real;
    };
    const standIn = new Module(shim);
    standIn.filename = shim;
    standIn.loaded = true;
    standIn.exports = new Proxy(
        {},
        {
            get: (_, key) => load()[key],
            has: (_, key) => key in load(),
            ownKeys: () => Reflect.ownKeys(load()),
            getOwnPropertyDescriptor: (_, key) => {
                const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
                return descriptor && { ...descriptor, configurable: true };
            },
        },
    );
    require.cache[shim] = standIn;
    return shim;
}

require.extensions[".ts"] = (module, filename) => {
    module._compile(javascript(filename), filename);
};
deferPulumiTypeScript();

module.exports = { CACHE_DIR, OPTIONS, javascript, cacheEntry, deferPulumiTypeScript };
