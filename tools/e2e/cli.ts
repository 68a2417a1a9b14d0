/**
 * `npm run e2e -- --stack-template <stack>`: the real-account integration test. It deploys an
 * ephemeral copy of a stack, proves sign-in with TOTP, that a second preview changes nothing and
 * that the admin users are fine, then destroys it. See {@link runE2E}.
 */
import * as path from "path";
import { CommandSpec, UsageError, checkStackName, runCommand, runMain } from "../../deploy/commandLine";
import { projectName, readStackFile, stackFilePaths } from "../mock/stackFile";
import { automationDeps } from "./automation";
import { E2EDeps, E2E_EXIT, LEFTOVER_AFTER_MINUTES, runE2E, sweepE2E } from "./e2e";

/** The repository's root: the Pulumi project, with its stack files. */
const ROOT = path.resolve(__dirname, "..", "..");

/** The command's manual and options. */
export const E2E_COMMAND: CommandSpec = {
    name: "npm run e2e --",
    summary:
        "Deploys an ephemeral copy of a stack to a real AWS account, checks it (sign-in with TOTP, no changes on a second preview, " +
        "the admin users), then destroys it.",
    usage: ["--stack-template <stack>", "--sweep [--older-than <minutes>]"],
    options: {
        "stack-template": {
            type: "string",
            value: "<stack>",
            description: "The stack whose Pulumi.<stack>.yaml the ephemeral stack copies (its secure: values are left out).",
        },
        sweep: {
            type: "boolean",
            description: "Only destroy and remove the project's ephemeral stacks left by runs cancelled before their cleanup.",
        },
        "older-than": {
            type: "string",
            value: "<minutes>",
            description: `With --sweep: how old, in whole minutes, an ephemeral stack must be to be swept (default ${LEFTOVER_AFTER_MINUTES}).`,
        },
    },
    footer: [
        "The ephemeral stack, e2e-<stack>-<yyyymmddhhmm>-<6 hex>, gets its own user pool name, production, protect and retainOnDelete",
        "false, deletionProtection INACTIVE and verifySignIn true. It is destroyed and removed whatever happens. A run cancelled or killed",
        `stops before that: every run first sweeps the ephemeral stacks created ${LEFTOVER_AFTER_MINUTES} minutes ago or earlier (and so does --sweep).`,
        "Needs: the Pulumi CLI (.pulumi.version) logged in to a backend (PULUMI_ACCESS_TOKEN or PULUMI_BACKEND_URL, with",
        "PULUMI_CONFIG_PASSPHRASE for a passphrase secrets provider), and AWS credentials that may create and delete Cognito user pools.",
        `Exit status: ${E2E_EXIT.ok} passed; ${E2E_EXIT.failed} a step failed (resources cleaned up); ${E2E_EXIT.usage} usage error;`,
        `${E2E_EXIT.prerequisitesMissing} prerequisites missing (the Pulumi CLI or AWS credentials), nothing was run;`,
        `${E2E_EXIT.cleanupFailed} cleanup failed: something may be left, and the output says what and how to remove it.`,
    ].join("\n"),
};

/**
 * Runs the command.
 * @param argv The command-line arguments.
 * @param deps The workspace, AWS and the clock; tests pass fakes. Default: the real ones.
 */
export async function main(argv: readonly string[], deps: E2EDeps = automationDeps(ROOT)): Promise<number> {
    return runCommand(E2E_COMMAND, argv, async ({ values }) => {
        if (values.sweep === true) {
            if (values["stack-template"] !== undefined) throw new UsageError("give --stack-template <stack> or --sweep, not both");
            return sweepE2E(olderThan(values["older-than"]), deps);
        }
        if (values["older-than"] !== undefined) throw new UsageError("--older-than goes with --sweep");
        if (typeof values["stack-template"] !== "string") throw new UsageError("give --stack-template <stack>, or --sweep");
        const template = checkStackName(values["stack-template"], "--stack-template");
        const files = stackFilePaths(ROOT);
        if (!files[template]) {
            throw new UsageError(`--stack-template ${template}: there is no Pulumi.${template}.yaml (stack files: ${Object.keys(files).join(", ")})`);
        }
        // Ctrl-C also reaches the Pulumi CLI, which stops the operation under way; this process
        // stays up so that the stack is still destroyed and removed.
        const interrupted = () => process.stderr.write("interrupted: the step under way stops, then the stack is destroyed and removed\n");
        process.on("SIGINT", interrupted);
        process.on("SIGTERM", interrupted);
        try {
            return await runE2E(readStackFile(files[template]), projectName(ROOT), deps);
        } finally {
            process.off("SIGINT", interrupted);
            process.off("SIGTERM", interrupted);
        }
    });
}

/**
 * The minutes of `--older-than`: a whole number, 0 or more; {@link LEFTOVER_AFTER_MINUTES} when not given.
 * @param value The option's value.
 */
function olderThan(value: string | boolean | string[] | undefined): number {
    if (value === undefined) return LEFTOVER_AFTER_MINUTES;
    if (typeof value !== "string" || !/^\d{1,6}$/.test(value)) throw new UsageError(`--older-than ${JSON.stringify(value)} is not a whole number of minutes`);
    return Number(value);
}

if (require.main === module) runMain((argv) => main(argv));
