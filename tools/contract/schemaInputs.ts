/**
 * What the component provider's analysis reads, recorded by `npm run generate` beside the schema it
 * makes (tools/contract/schemaRecord.json): the SHA-256 of every file the analysis read or required
 * while it ran (the package's files and the type files TypeScript resolved in node_modules,
 * @pulumi/aws's 11 MB among them; @pulumi/aws's resource modules), and of the files it depends on
 * without reading them as it runs (see schema.ts); every path it looked for and did not find (where
 * TypeScript would resolve a module first, were a file put there); the names in each folder it
 * listed (the package's folder, whose .ts files make its program); and the schema's SHA-256. While
 * all of them are as recorded, the committed schema is what the analysis would make, so
 * tests/contract.spec.ts reads it instead of running the analysis again (some seconds of
 * TypeScript). Any difference means the analysis runs, as it did before this record existed.
 *
 * Paths are relative to the repository's root, with `/` between folders. What lies outside the root
 * (the machine's own folders) or in node_modules/.cache (caches, emptied by `npm ci`) is not
 * recorded.
 */
import { createHash } from "crypto";
import * as path from "path";
// The modules themselves, not copies of their exports (which `import * as` makes): recordReads
// replaces functions on them, for every caller in the process.
import fs = require("fs");
import Module = require("module");

/** The record: each input's SHA-256, the paths found missing, each listed folder's names, and the schema's SHA-256. */
export interface SchemaInputs {
    /** Why the file exists, for a reader of the JSON. */
    readonly about: string;
    /** The SHA-256 (hex) of the schema the analysis made of these inputs. */
    readonly schema: string;
    /** Each file read, by path, with its SHA-256 (hex); sorted by path. */
    readonly files: Readonly<Record<string, string>>;
    /** Each path the analysis looked for and did not find; sorted. */
    readonly absent: readonly string[];
    /** Each folder the analysis listed, by path, with the SHA-256 (hex) of its entries' names, sorted and one a line; sorted by path. */
    readonly listed: Readonly<Record<string, string>>;
}

/** What a run read: absolute paths. */
export interface Reads {
    /** The files it read, or required. */
    readonly files: readonly string[];
    /** The paths it looked for and did not find. */
    readonly absent: readonly string[];
    /** The folders it listed. */
    readonly listed: readonly string[];
}

/** What the record says of itself. */
const ABOUT =
    "Written by `npm run generate`: the SHA-256 of each file the component provider's analysis read, the paths it found missing, the names in each folder it listed, " +
    "and the SHA-256 of the schema it made of them. While they all match, tests/contract.spec.ts reads deploy/components/schema.json instead of analyzing the package again.";

/** The SHA-256 of `text`, hex. */
export function sha256(text: string | Buffer): string {
    return createHash("sha256").update(text).digest("hex");
}

/** `file` relative to `root`, with `/` between folders. */
function relative(root: string, file: string): string {
    return path.relative(root, file).split(path.sep).join("/");
}

/** Whether `file` (absolute) is one to record: inside `root`, and not in node_modules/.cache. */
function recordable(root: string, file: string): boolean {
    const at = relative(root, file);
    return at !== "" && !at.startsWith("../") && !path.isAbsolute(at) && at !== "node_modules/.cache" && !at.startsWith("node_modules/.cache/");
}

/** The SHA-256 of a folder's entries' names, sorted, one a line. */
function listingHash(dir: string): string {
    return sha256(fs.readdirSync(dir).sort().join("\n"));
}

/** Whether an error is the file system's "no such file or folder". */
function isMissing(error: unknown): boolean {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT" || code === "ENOTDIR";
}

/**
 * Runs `body` and records what it reads as it runs: the files read through Node.js's fs module
 * (readFileSync) or required (each module resolved, loaded already or not), the paths looked for and
 * not found (existsSync false; statSync undefined or failing so), and the folders listed
 * (readdirSync), as TypeScript's compiler host and the analyzer do. The hooks are process-wide, so
 * nothing else may run meanwhile; they are removed when `body` settles.
 */
export async function recordReads<T>(body: () => Promise<T>): Promise<{ value: T; reads: Reads }> {
    const files = new Set<string>();
    const absent = new Set<string>();
    const listed = new Set<string>();
    const at = (file: unknown) => (typeof file === "string" ? path.resolve(file) : undefined);
    const { readFileSync, existsSync, statSync, readdirSync } = fs;
    const loader = Module as unknown as { _resolveFilename(request: string, ...rest: unknown[]): string };
    const resolveFilename = loader._resolveFilename;
    const hooks = {
        readFileSync(file: unknown, ...rest: unknown[]) {
            const text = (readFileSync as (...args: unknown[]) => unknown)(file, ...rest);
            const full = at(file);
            if (full) files.add(full);
            return text;
        },
        existsSync(file: unknown) {
            const exists = existsSync(file as fs.PathLike);
            const full = at(file);
            if (full && !exists) absent.add(full);
            return exists;
        },
        statSync(file: unknown, ...rest: unknown[]) {
            const full = at(file);
            try {
                const stats = (statSync as (...args: unknown[]) => unknown)(file, ...rest);
                if (full && stats === undefined) absent.add(full);
                return stats;
            } catch (error) {
                if (full && isMissing(error)) absent.add(full);
                throw error;
            }
        },
        readdirSync(dir: unknown, ...rest: unknown[]) {
            const entries = (readdirSync as (...args: unknown[]) => unknown)(dir, ...rest);
            const full = at(dir);
            if (full) listed.add(full);
            return entries;
        },
    };
    Object.assign(fs, hooks);
    loader._resolveFilename = function (request: string, ...rest: unknown[]) {
        const resolved = resolveFilename.call(this, request, ...rest);
        if (path.isAbsolute(resolved)) files.add(resolved);
        return resolved;
    };
    try {
        const value = await body();
        return { value, reads: { files: [...files], absent: [...absent], listed: [...listed] } };
    } finally {
        Object.assign(fs, { readFileSync, existsSync, statSync, readdirSync });
        loader._resolveFilename = resolveFilename;
    }
}

/**
 * The record of an analysis that read `reads` (absolute paths) and made the text `schema`, each file
 * hashed and each folder listed as it is now. `schemaFile` itself is no input. A path found missing
 * that is a file or folder now (made during the run) is none.
 */
export function recordSchemaInputs(root: string, reads: Reads, schema: string, schemaFile: string): SchemaInputs {
    const paths = (list: readonly string[]) => [...new Set(list.filter((file) => recordable(root, file) && file !== schemaFile).map((file) => relative(root, file)))].sort();
    return {
        about: ABOUT,
        schema: sha256(schema),
        files: Object.fromEntries(paths(reads.files).map((file) => [file, sha256(fs.readFileSync(path.join(root, file)))])),
        absent: paths(reads.absent).filter((file) => !fs.existsSync(path.join(root, file))),
        listed: Object.fromEntries(paths(reads.listed).map((dir) => [dir, listingHash(path.join(root, dir))])),
    };
}

/**
 * Why the committed schema may not be what an analysis would make now, one line each; empty when
 * the schema and every file of `record` are as recorded, every path it found missing still is, and
 * every folder it listed holds the same names.
 */
export function staleSchemaInputs(root: string, record: SchemaInputs, schemaFile: string): string[] {
    const problems: string[] = [];
    if (!fs.existsSync(schemaFile) || sha256(fs.readFileSync(schemaFile)) !== record.schema) problems.push(`${relative(root, schemaFile)}: changed`);
    for (const [file, hash] of Object.entries(record.files)) {
        const full = path.join(root, file);
        if (!fs.existsSync(full)) problems.push(`${file}: gone`);
        else if (sha256(fs.readFileSync(full)) !== hash) problems.push(`${file}: changed`);
    }
    for (const file of record.absent) {
        if (fs.existsSync(path.join(root, file))) problems.push(`${file}: new`);
    }
    for (const [dir, hash] of Object.entries(record.listed)) {
        const full = path.join(root, dir);
        if (!fs.existsSync(full)) problems.push(`${dir}/: gone`);
        else if (listingHash(full) !== hash) problems.push(`${dir}/: entries added or removed`);
    }
    return problems;
}

/** The record as committed, indented. */
export function renderSchemaInputs(record: SchemaInputs): string {
    return `${JSON.stringify(record, null, 4)}\n`;
}
