/**
 * Where the component package and its committed schema are: paths alone, so that a command that
 * only names the schema file (`npm run check:schema`) loads neither Pulumi nor the component.
 */
import * as path from "path";

/** The component package's folder: PulumiPlugin.yaml, package.json, tsconfig.json and provider.ts. */
export const PACKAGE_DIR = path.resolve(__dirname, "..", "..", "deploy", "components");

/** The committed schema. */
export const SCHEMA_FILE = path.join(PACKAGE_DIR, "schema.json");

/** The committed record of what the analysis read to make the schema (see schemaInputs.ts). */
export const SCHEMA_RECORD_FILE = path.join(__dirname, "schemaRecord.json");
