/**
 * `npm run check:drift`: what changed in AWS outside Pulumi, read from a refresh-and-compare
 * preview (`pulumi preview --refresh --expect-no-changes --json --show-replacement-steps`), each
 * drifted input named and classed: security drift (it weakens the declared baseline, classify.ts)
 * or other drift. It fails closed: a preview it cannot read whole (see previewDocument.ts and
 * findings.ts) fails with exit 1.
 */
import { CommandSpec, EXIT, UsageError, npmBannerNote, runCommand, runMain } from "../../deploy/commandLine";
import { judgingFile, readWholePreviewFile } from "../plan/previewComplete";
import { PREVIEW_STACK_OPTION, PROJECT_DIR_OPTION, openProject, stackFileOf } from "../plan/project";
import { DriftReport, driftOf } from "./findings";
import { Drift, DriftScope, driftClass, renderJson, renderMarkdown } from "./report";

/** The exit status of each outcome: 0 no drift, 3 security drift, 4 other drift only. */
export const DRIFT_EXIT: Readonly<Record<Drift, number>> = { none: EXIT.ok, security: 3, other: 4 };

export const CHECK_DRIFT_COMMAND: CommandSpec = {
    name: "npm run check:drift --",
    summary:
        "Names what changed in AWS outside Pulumi, from a `pulumi preview --refresh --expect-no-changes --json --show-replacement-steps` document, and classes each change: security drift (it weakens what the stack declares) or other drift.",
    usage: ["--stack <name> <preview.json> [--project-dir <dir>] [--json]"],
    options: {
        stack: PREVIEW_STACK_OPTION,
        "project-dir": PROJECT_DIR_OPTION,
        json: { type: "boolean", description: "Print one JSON document: the findings per resource, with their class, and a summary. Default: Markdown that reads as plain text." },
    },
    positionals: { max: 1, name: "preview file" },
    footer: [
        "Exit status: 0 no drift; 3 security drift; 4 other drift only; 1 a preview it cannot read whole (malformed, an op or",
        "shape it does not know, another stack's, made without --refresh or --show-replacement-steps); 2 usage error.",
        "The preview's own exit status 7 (--expect-no-changes) only says that something changed. See docs/drift.md.",
    ].join("\n"),
};

export async function main(argv: readonly string[]): Promise<number> {
    return runCommand(CHECK_DRIFT_COMMAND, argv, async ({ values, positionals }) => {
        if (typeof values.stack !== "string") throw new UsageError("give --stack <name>");
        if (positionals.length !== 1) {
            throw new UsageError("give the preview file: pulumi preview --refresh --expect-no-changes --json --show-replacement-steps > preview.json");
        }
        const project = openProject(values["project-dir"] as string | undefined);
        stackFileOf(project, values.stack);
        const scope = { stack: values.stack, project: project.name };
        const file = positionals[0];
        const report = readDrift(file, scope);
        if (values.json) {
            const note = npmBannerNote(`check:drift -- --stack ${scope.stack} ${file} --json`);
            if (note) process.stderr.write(note + "\n");
            process.stdout.write(renderJson(report, scope));
        } else {
            process.stdout.write(renderMarkdown(report, scope));
        }
        return DRIFT_EXIT[driftClass(report)];
    });
}

/** The drift in the preview `file` of `scope`; problems name the file. */
function readDrift(file: string, scope: DriftScope): DriftReport {
    const document = readWholePreviewFile(file, scope);
    return judgingFile(file, () => driftOf(document));
}

if (require.main === module) runMain(main);
