/**
 * `npm run generate`: writes what is derived from the definition of the settings
 * (deploy/components/settings.ts): the TypeScript args (deploy/components/totpUserPoolArgs.ts),
 * the configuration reference (docs/configuration.md), then the component package's schema
 * (deploy/components/schema.json), which the package's analyzer makes of those args, and the record
 * of what that analysis read (tools/contract/schemaRecord.json). tests/generated.spec.ts (the args
 * and the reference) and tests/contract.spec.ts (the schema) fail while any of them is stale; a
 * stale record only makes tests/contract.spec.ts analyze the package again.
 */
import * as fs from "fs";
import * as path from "path";
import { CommandSpec, runCommand, runMain } from "../../deploy/commandLine";
import { TOTP_USER_POOL } from "../../deploy/components/settings";
import { projectName } from "../mock/stackFile";
import { renderArgsSource } from "./argsSource";
import { renderConfigurationReference } from "./reference";
import { SCHEMA_FILE, SCHEMA_RECORD_FILE, analyzedSchema } from "./schema";
import { SchemaInputs, renderSchemaInputs } from "./schemaInputs";

const ROOT = path.resolve(__dirname, "..", "..");

/** The TypeScript args, generated. */
export const ARGS_FILE = path.join(ROOT, "deploy", "components", "totpUserPoolArgs.ts");
/** The configuration reference, generated. */
export const REFERENCE_FILE = path.join(ROOT, "docs", "configuration.md");

export const GENERATE_COMMAND: CommandSpec = {
    name: "npm run generate --",
    summary:
        "Writes what is derived from deploy/components/settings.ts: the TypeScript args, docs/configuration.md and the component package's schema, " +
        "with the record of what its analysis read.",
    usage: [""],
    options: {},
    footer: "Exit status: 0 written; 1 failed; 2 usage error.",
};

export async function main(argv: readonly string[]): Promise<number> {
    return runCommand(GENERATE_COMMAND, argv, async () => {
        // The schema is made from the args file on disk, so it comes after it; one analysis makes the
        // schema and the record of what it read.
        let record: SchemaInputs | undefined;
        const files: [string, () => string | Promise<string>][] = [
            [ARGS_FILE, () => renderArgsSource(TOTP_USER_POOL)],
            [REFERENCE_FILE, () => renderConfigurationReference(projectName(ROOT))],
            [
                SCHEMA_FILE,
                async () => {
                    const analysis = await analyzedSchema();
                    record = analysis.record;
                    return analysis.schema;
                },
            ],
            [SCHEMA_RECORD_FILE, () => renderSchemaInputs(record!)],
        ];
        for (const [file, render] of files) {
            fs.writeFileSync(file, await render());
            process.stdout.write(`wrote ${path.relative(ROOT, file)}\n`);
        }
        return 0;
    });
}

if (require.main === module) runMain(main);
