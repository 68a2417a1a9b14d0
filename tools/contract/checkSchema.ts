/**
 * `npm run check:schema`: validates the committed component schema (deploy/components/schema.json)
 * against Pulumi's package metaschema, pulumi/pulumi `pkg/codegen/schema/pulumi.json` (JSON Schema
 * 2020-12), which `pulumi package` validates a schema against.
 *
 * The metaschema is Pulumi's file, not this project's: it is not committed here. The tests
 * workflow asks `--pin` where to download it (a pinned commit) and its SHA-256, checks the download,
 * and runs this command with it (.github/workflows/tests.yml); by hand, give any copy with
 * --metaschema.
 */
import Ajv2020 from "ajv/dist/2020";
import { CommandSpec, EXIT, UsageError, runCommand, runMain } from "../../deploy/commandLine";
import { PLAN_LIMIT, readInputFile } from "../plan/inputFiles";
import { SCHEMA_FILE } from "./schemaFile";

/** The commit of pulumi/pulumi whose `pkg/codegen/schema/pulumi.json` the tests workflow downloads. */
export const METASCHEMA_COMMIT = "1b5949891b3cefcb9974752b24a5ecef0acc86c8";
/** The SHA-256 of that file at that commit (its last change: bd47908e0d1dc907596f419a001dcbd0f76a4425). */
export const METASCHEMA_SHA256 = "45c9aa5144ef1c1ef1ce3515a6d379d288558d36d189435dfa32a246b9d3ad4b";
/** Where the file is, at that commit. */
export const METASCHEMA_URL = `https://raw.githubusercontent.com/pulumi/pulumi/${METASCHEMA_COMMIT}/pkg/codegen/schema/pulumi.json`;

export const CHECK_SCHEMA_COMMAND: CommandSpec = {
    name: "npm run check:schema --",
    summary: "Validates the component package's schema against Pulumi's package metaschema.",
    usage: ["--metaschema <pulumi.json> [--schema <schema.json>]", "--pin"],
    options: {
        pin: { type: "boolean", description: "Print the pinned metaschema's SHA-256 and its URL, on one line, and nothing else." },
        metaschema: { type: "string", value: "<pulumi.json>", description: `Pulumi's package metaschema, pkg/codegen/schema/pulumi.json (pulumi/pulumi ${METASCHEMA_COMMIT.slice(0, 12)}).` },
        schema: { type: "string", value: "<schema.json>", description: "The schema to check. Default: deploy/components/schema.json." },
    },
    footer: "Exit status: 0 valid; 1 invalid or unreadable; 2 usage error.",
};

/** Where a schema breaks the metaschema, one line each (`/resources/…/type: must be equal to one of the allowed values`); empty when it is valid. */
export function metaschemaErrors(metaschema: unknown, schema: unknown): string[] {
    const validate = new Ajv2020({ allErrors: true, strict: false, validateFormats: false }).compile(metaschema as object);
    if (validate(schema)) return [];
    return (validate.errors ?? []).map((error) => `${error.instancePath || "/"}: ${error.message ?? error.keyword}`);
}

function readJson(file: string): unknown {
    const text = readInputFile(file, PLAN_LIMIT);
    try {
        return JSON.parse(text);
    } catch (error) {
        throw new Error(`${file} is not JSON: ${(error as Error).message}`);
    }
}

export async function main(argv: readonly string[]): Promise<number> {
    return runCommand(CHECK_SCHEMA_COMMAND, argv, async ({ values }) => {
        if (values.pin === true && values.metaschema !== undefined) throw new UsageError("--pin prints where the metaschema is; give it alone, without --metaschema");
        if (values.pin === true) {
            process.stdout.write(`${METASCHEMA_SHA256} ${METASCHEMA_URL}\n`);
            return EXIT.ok;
        }
        if (typeof values.metaschema !== "string") throw new UsageError("give --metaschema <pulumi.json>: Pulumi's package metaschema (or --pin: where to get it)");
        const schemaFile = typeof values.schema === "string" ? values.schema : SCHEMA_FILE;
        const errors = metaschemaErrors(readJson(values.metaschema), readJson(schemaFile));
        if (errors.length === 0) {
            process.stdout.write(`${schemaFile}: valid against Pulumi's package metaschema\n`);
            return EXIT.ok;
        }
        process.stdout.write([`${schemaFile}: INVALID against Pulumi's package metaschema:`, ...errors.map((line) => `  - ${line}`)].join("\n") + "\n");
        return EXIT.failed;
    });
}

if (require.main === module) runMain(main);
