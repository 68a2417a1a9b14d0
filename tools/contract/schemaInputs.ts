/**
 * What the component provider's analysis reads, recorded by `npm run generate` beside the schema it
 * makes (tools/contract/schemaRecord.json): the SHA-256 of every file of the package's TypeScript
 * program (the package's files and the type files it resolves in node_modules, @pulumi/aws's 11 MB
 * among them), of its tsconfig files, of the analyzer's own code, and of the schema. While all of
 * them are as recorded, the committed schema is what the analysis would make, so
 * tests/contract.spec.ts reads it instead of running the analysis again (some seconds of
 * TypeScript). Any difference, a new entry in the package's folder, or a node_modules folder between
 * it and the root, means the analysis runs, as it did before this record existed.
 *
 * Paths are relative to the repository's root, with `/` between folders.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

/** The record: each input's SHA-256, and the schema's. */
export interface SchemaInputs {
    /** Why the file exists, for a reader of the JSON. */
    readonly about: string;
    /** The SHA-256 (hex) of the schema the analysis made of these inputs. */
    readonly schema: string;
    /** Each input, by path, with its SHA-256 (hex); sorted by path. */
    readonly files: Readonly<Record<string, string>>;
}

/** What the record says of itself. */
const ABOUT =
    "Written by `npm run generate`: the SHA-256 of each file the component provider's analysis reads, and of the schema it made of them. " +
    "While they all match, tests/contract.spec.ts reads deploy/components/schema.json instead of analyzing the package again.";

/** The analyzer's own code, in @pulumi/pulumi, as paths from the root. */
export const ANALYZER_FILES = ["analyzer.js", "schema.js", "provider.js"].map((name) => `node_modules/@pulumi/pulumi/provider/experimental/${name}`);

/** The SHA-256 of `text`, hex. */
export function sha256(text: string | Buffer): string {
    return createHash("sha256").update(text).digest("hex");
}

/** `file` relative to `root`, with `/` between folders. */
function relative(root: string, file: string): string {
    return path.relative(root, file).split(path.sep).join("/");
}

/**
 * The record of an analysis: `inputs` (absolute paths, the package folder's files among them) hashed
 * as they are now, and `schema`, the text the analysis made. `schemaFile` itself is no input.
 */
export function recordSchemaInputs(root: string, inputs: readonly string[], schema: string, schemaFile: string): SchemaInputs {
    const files = [...new Set(inputs.map((file) => relative(root, file)))].filter((file) => file !== relative(root, schemaFile)).sort();
    return { about: ABOUT, schema: sha256(schema), files: Object.fromEntries(files.map((file) => [file, sha256(fs.readFileSync(path.join(root, file)))])) };
}

/**
 * Why the committed schema may not be what an analysis would make now, one line each; empty when
 * every input of `record` and the schema are as recorded, the package folder (`packageDir`) holds
 * no entry the record lacks, and no folder from the package's parent up to the root holds a
 * node_modules that TypeScript would resolve packages from first.
 */
export function staleSchemaInputs(root: string, record: SchemaInputs, packageDir: string, schemaFile: string): string[] {
    const problems: string[] = [];
    if (!fs.existsSync(schemaFile) || sha256(fs.readFileSync(schemaFile)) !== record.schema) problems.push(`${relative(root, schemaFile)}: changed`);
    for (const [file, hash] of Object.entries(record.files)) {
        const full = path.join(root, file);
        if (!fs.existsSync(full)) problems.push(`${file}: gone`);
        else if (sha256(fs.readFileSync(full)) !== hash) problems.push(`${file}: changed`);
    }
    for (const name of fs.readdirSync(packageDir).sort()) {
        const file = relative(root, path.join(packageDir, name));
        if (path.join(packageDir, name) !== schemaFile && record.files[file] === undefined) problems.push(`${file}: new`);
    }
    for (let dir = path.dirname(packageDir); dir.startsWith(root) && dir !== root; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "node_modules"))) problems.push(`${relative(root, path.join(dir, "node_modules"))}: new`);
    }
    return problems;
}

/** The record as committed, indented. */
export function renderSchemaInputs(record: SchemaInputs): string {
    return `${JSON.stringify(record, null, 4)}\n`;
}
