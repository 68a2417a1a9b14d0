/**
 * `npm run check:preview`: the change-impact rule on a real `pulumi preview --json`. It fails
 * (exit 3) when the preview would replace or delete a user pool or user that
 * `plans/accepted-changes.yaml` does not accept: the same rule as `npm run plan -- --diff`.
 */
import * as fs from "fs";
import { CommandSpec, EXIT, UsageError, checkStackName, runCommand, runMain } from "../../deploy/commandLine";
import { ACCEPTANCE_FILE, readAcceptedChanges } from "./acceptance";
import { EXIT_USERS_LOST, PreviewDocument, changeSummary, impactJson, previewSteps, userLossText, userLosses } from "./impact";
import { renderSummary } from "./plan";

export const CHECK_PREVIEW_COMMAND: CommandSpec = {
    name: "npm run check:preview --",
    summary: "Checks a `pulumi preview --json` document for changes that would lose users (a replaced or deleted user pool or user).",
    usage: ["--stack <name> <preview.json> [--json]"],
    options: {
        stack: { type: "string", short: "s", value: "<name>", description: "The stack the preview is of, as named in the acceptance file." },
        json: { type: "boolean", description: "Print JSON only." },
    },
    positionals: { max: 1, name: "preview file" },
    footer: `Exit status: 0 no unaccepted loss; 1 unreadable preview; 2 usage error; 3 users would be lost (see ${ACCEPTANCE_FILE}).`,
};

/** Reads a `pulumi preview --json` document; a clear error when it is not one. */
export function readPreview(file: string): PreviewDocument {
    let document: unknown;
    try {
        document = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
        throw new Error(`cannot read ${file} as pulumi preview --json output: ${(error as Error).message}`);
    }
    if (typeof document !== "object" || document === null || !Array.isArray((document as PreviewDocument).steps)) {
        throw new Error(`${file} is not pulumi preview --json output: it has no steps list`);
    }
    return document as PreviewDocument;
}

export async function main(argv: readonly string[]): Promise<number> {
    return runCommand(CHECK_PREVIEW_COMMAND, argv, async ({ values, positionals }) => {
        if (typeof values.stack !== "string") throw new UsageError("give --stack <name>");
        if (positionals.length !== 1) throw new UsageError("give the preview file: pulumi preview --json > preview.json");
        const stack = checkStackName(values.stack);
        const steps = previewSteps(readPreview(positionals[0]));
        const losses = userLosses(steps, stack, readAcceptedChanges());
        const status = losses.some((loss) => !loss.acceptedBy) ? EXIT_USERS_LOST : EXIT.ok;
        if (values.json) {
            process.stdout.write(JSON.stringify({ stack, ...impactJson(steps, losses) }, null, 2) + "\n");
        } else {
            const lines = [`Change impact of pulumi preview for stack ${stack}`, "", ...renderSummary(changeSummary(steps)), ...userLossText(losses, ACCEPTANCE_FILE)];
            if (losses.length === 0) lines.push("", "No user pool or user would be replaced or deleted.");
            process.stdout.write(lines.join("\n") + "\n");
        }
        return status;
    });
}

if (require.main === module) runMain(main);
