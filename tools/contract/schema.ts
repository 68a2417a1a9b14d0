/**
 * The component package's schema: what the component provider of
 * @pulumi/pulumi/provider/experimental (its analyzer, which reads TotpUserPoolArgs with TypeScript's
 * compiler) makes of deploy/components, as `pulumi package add` would get it. Committed as
 * deploy/components/schema.json, with the record of what the analysis read
 * (tools/contract/schemaRecord.json, see schemaInputs.ts).
 */
import * as fs from "fs";
import * as path from "path";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { COMPONENT_PACKAGE } from "../../deploy/components/componentPackage";
import { PACKAGE_DIR, SCHEMA_FILE, SCHEMA_RECORD_FILE } from "./schemaFile";
import { SchemaInputs, recordReads, recordSchemaInputs, staleSchemaInputs } from "./schemaInputs";

export { PACKAGE_DIR, SCHEMA_FILE, SCHEMA_RECORD_FILE } from "./schemaFile";

const ROOT = path.resolve(__dirname, "..", "..");

/** The component provider that deploy/components/provider.ts hosts. */
export function componentProvider(): ComponentProvider {
    return new ComponentProvider({ ...COMPONENT_PACKAGE, dirname: PACKAGE_DIR });
}

/** The schema as committed: the provider's JSON, indented. */
export async function renderSchema(provider: ComponentProvider = componentProvider()): Promise<string> {
    return `${JSON.stringify(JSON.parse(await provider.getSchema()), null, 4)}\n`;
}

/**
 * The files an analysis depends on without reading them as it runs (recordReads sees what it reads
 * and requires then): the analyzer's code and the shim that loads TypeScript (loaded before it
 * runs), TypeScript's version, this file and schemaFile.ts (which set the analysis up), and the
 * lockfile, which pins every package's version and contents: Node.js's loader reads packages'
 * package.json files out of the fs module's sight. Paths from the root.
 */
export const DEPENDED_ON = [
    ...["analyzer.js", "schema.js", "provider.js"].map((name) => `node_modules/@pulumi/pulumi/provider/experimental/${name}`),
    "node_modules/@pulumi/pulumi/typescript-shim.js",
    "node_modules/typescript/package.json",
    "tools/contract/schema.ts",
    "tools/contract/schemaFile.ts",
    "package-lock.json",
];

/**
 * Analyzes the package, as `npm run generate` does: the schema as committed, and the record of what
 * the analysis read (see schemaInputs.ts) and of DEPENDED_ON.
 */
export async function analyzedSchema(): Promise<{ schema: string; record: SchemaInputs }> {
    const { value: schema, reads } = await recordReads(() => renderSchema(componentProvider()));
    const files = [...reads.files, ...DEPENDED_ON.map((file) => path.join(ROOT, file))];
    return { schema, record: recordSchemaInputs(ROOT, { ...reads, files }, schema, SCHEMA_FILE) };
}

/** Why the committed schema may not be an analysis's now (see staleSchemaInputs); empty when it is. */
export function committedSchemaStale(): string[] {
    if (!fs.existsSync(SCHEMA_RECORD_FILE)) return [`${path.relative(ROOT, SCHEMA_RECORD_FILE)}: missing`];
    return staleSchemaInputs(ROOT, JSON.parse(fs.readFileSync(SCHEMA_RECORD_FILE, "utf8")) as SchemaInputs, SCHEMA_FILE);
}

/**
 * The component provider of deploy/components/provider.ts, holding the committed schema as the one
 * it made: for when committedSchemaStale() is empty, so that nothing is analyzed again. construct()
 * needs the analysis's component definitions for their outputs alone, which are the schema's
 * resource properties (the generator writes them there: provider/experimental/schema.js).
 */
export function committedSchemaProvider(): ComponentProvider {
    const provider = componentProvider();
    const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8")) as { resources: Record<string, { properties: Record<string, unknown> }> };
    const definitions = Object.fromEntries(Object.entries(schema.resources).map(([type, resource]) => [type.split(":")[2], { outputs: resource.properties }]));
    // ComponentProvider's own cache of its analysis (private in its types): getSchema() and construct() read these first.
    Object.assign(provider, { cachedSchema: JSON.stringify(schema), componentDefinitions: definitions });
    return provider;
}
