/**
 * `npm run check:preview`: the change-impact rule on a real `pulumi preview --json
 * --show-replacement-steps`. It fails closed: every step of every resource is judged, in any
 * order, and a preview it cannot read whole (an unknown op, a URN of another stack, a state whose
 * type is not its URN's, a malformed field, a replacement without its companion steps) fails with
 * exit 1 (see previewDocument.ts). A replaced or deleted user pool or user that no unspent entry of
 * `plans/accepted-changes.yaml` accepts fails with exit 3: the same rule as `npm run plan -- --diff`.
 */
import { CommandSpec, EXIT, UsageError, runCommand, runMain } from "../../deploy/commandLine";
import { ACCEPTANCE_FILE, readAcceptances } from "./acceptance";
import { EXIT_USERS_LOST, changeSummary, impactJson, previewSteps, spentNote, userLossText, userLosses } from "./impact";
import { renderSummary } from "./plan";
import { readWholePreviewFile } from "./previewComplete";
import { BASE_REF_OPTION, PREVIEW_STACK_OPTION, PROJECT_DIR_OPTION, baseRefOf, openProject, stackFileOf } from "./project";

export const CHECK_PREVIEW_COMMAND: CommandSpec = {
    name: "npm run check:preview --",
    summary: "Checks a `pulumi preview --json --show-replacement-steps` document for changes that would lose users (a replaced or deleted user pool or user).",
    usage: ["--stack <name> <preview.json> [--base-ref <git-ref>] [--project-dir <dir>] [--json]"],
    options: {
        stack: PREVIEW_STACK_OPTION,
        "base-ref": BASE_REF_OPTION,
        "project-dir": PROJECT_DIR_OPTION,
        json: { type: "boolean", description: "Print JSON only." },
    },
    positionals: { max: 1, name: "preview file" },
    footer: [
        "Exit status: 0 no unaccepted loss; 1 a preview it cannot read whole (malformed, an op it does not know, another",
        "stack's, made without --show-replacement-steps), or a bad acceptance file; 2 usage error; 3 users would be lost",
        `and no unspent entry of ${ACCEPTANCE_FILE} accepts it.`,
    ].join("\n"),
};

export async function main(argv: readonly string[]): Promise<number> {
    return runCommand(CHECK_PREVIEW_COMMAND, argv, async ({ values, positionals }) => {
        if (typeof values.stack !== "string") throw new UsageError("give --stack <name>");
        if (positionals.length !== 1) throw new UsageError("give the preview file: pulumi preview --json --show-replacement-steps > preview.json");
        const baseRef = baseRefOf(values["base-ref"]);
        const project = openProject(values["project-dir"] as string | undefined);
        stackFileOf(project, values.stack);
        const stack = values.stack;
        const steps = previewSteps(readWholePreviewFile(positionals[0], { stack, project: project.name }));
        const acceptances = readAcceptances(project.dir, baseRef);
        const losses = userLosses(steps, stack, acceptances.usable, acceptances.spent);
        const spent = acceptances.spent.filter((entry) => entry.stack === stack);
        const status = losses.some((loss) => !loss.acceptedBy) ? EXIT_USERS_LOST : EXIT.ok;
        if (values.json) {
            process.stdout.write(JSON.stringify({ stack, ...impactJson(steps, losses), spentAcceptances: spent }, null, 2) + "\n");
        } else {
            const lines = [`Change impact of pulumi preview for stack ${stack}`, "", ...renderSummary(changeSummary(steps)), ...userLossText(losses, ACCEPTANCE_FILE)];
            if (losses.length === 0) lines.push("", "No user pool or user would be replaced or deleted.");
            for (const entry of spent) lines.push("", `note: ${spentNote(entry, ACCEPTANCE_FILE)}`);
            process.stdout.write(lines.join("\n") + "\n");
        }
        return status;
    });
}

if (require.main === module) runMain(main);
