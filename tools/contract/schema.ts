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
import { ANALYZER_FILES, SchemaInputs, recordSchemaInputs, staleSchemaInputs } from "./schemaInputs";

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
 * Every file the provider's analysis reads: the files of the TypeScript program it makes of the
 * package (as its Analyzer does: the package's tsconfig.json, with strictNullChecks), the tsconfig
 * files that one extends, every file of the package's folder (package.json gives the package's name
 * and version), the analyzer's code, and the TypeScript it runs on. Absolute paths. It builds the
 * program, so it takes as long as an analysis.
 */
export function analysisInputs(): string[] {
    const shim = require.resolve("@pulumi/pulumi/typescript-shim");
    const ts = require(shim) as typeof import("typescript");
    const configFile = ts.readJsonConfigFile(path.join(PACKAGE_DIR, "tsconfig.json"), ts.sys.readFile);
    const config = ts.parseJsonSourceFileConfigFileContent(configFile, ts.sys, PACKAGE_DIR);
    const program = ts.createProgram({ rootNames: config.fileNames, options: { ...config.options, strictNullChecks: true } });
    return [
        ...program.getSourceFiles().map((file) => path.resolve(file.fileName)),
        ...(configFile.extendedSourceFiles ?? []).map((file) => path.resolve(file)),
        ...fs.readdirSync(PACKAGE_DIR).map((name) => path.join(PACKAGE_DIR, name)),
        ...ANALYZER_FILES.map((file) => path.join(ROOT, file)),
        shim,
        require.resolve("typescript/package.json", { paths: [path.dirname(shim)] }),
        // The analyzer also reads packages' package.json files and requires their JavaScript (a
        // resource's type and version): the lockfile pins every package's version and contents.
        path.join(ROOT, "package-lock.json"),
    ];
}

/** The record of an analysis whose schema, as committed, is `schema`. */
export function schemaInputsOf(schema: string): SchemaInputs {
    return recordSchemaInputs(ROOT, analysisInputs(), schema, SCHEMA_FILE);
}

/** Why the committed schema may not be an analysis's now (see staleSchemaInputs); empty when it is. */
export function committedSchemaStale(): string[] {
    if (!fs.existsSync(SCHEMA_RECORD_FILE)) return [`${path.relative(ROOT, SCHEMA_RECORD_FILE)}: missing`];
    return staleSchemaInputs(ROOT, JSON.parse(fs.readFileSync(SCHEMA_RECORD_FILE, "utf8")) as SchemaInputs, PACKAGE_DIR, SCHEMA_FILE);
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
