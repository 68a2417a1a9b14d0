/**
 * `npm run admin:first-sign-in`: an admin's first sign-in, in a terminal (the flow is in
 * firstSignInFlow.ts). Passwords are typed without echo; no password, TOTP secret or token is
 * ever an argument, an environment variable, or written to a file. The secret is shown once, on
 * the terminal, to enrol the app. Ctrl-C stops at any point and says what has changed.
 */
import { ParsedCommandLine, UsageError, runCommand, runMain } from "../../deploy/commandLine";
import { checkUsername } from "../../deploy/components/cognitoRules";
import { poolCommand, resolvePool, stringOutput } from "../../deploy/stackOutputs";
import { FirstSignInOptions, firstSignIn, realClock } from "./firstSignInFlow";
import { adminOfStack } from "./reissue";
import { runOnTerminal } from "./terminalPrompter";

/** The command's manual and options, for the shared parser. */
export const FIRST_SIGN_IN_COMMAND = poolCommand("sign-in", { stack: "[--username <name>]", ids: "--username <name>", both: "[--no-check]" }, {
    name: "npm run admin:first-sign-in --",
    summary:
        "An admin's first sign-in, in a terminal: temporary password → new password → authenticator app (QR code) → one more sign-in to check it.",
    options: {
        username: { type: "string", value: "<name>", description: "The admin's username. Default with --stack: the stack's adminUsername." },
        check: { type: "boolean", description: "At the end, sign in once more with the new password and a fresh code. The default." },
        "no-check": { type: "boolean", description: "Skip that last sign-in (and its wait of up to 30 s for a fresh code)." },
        "allow-non-terminal": {
            type: "boolean",
            description: "Run even when standard input or output is not a terminal. Refused when CI is set: the TOTP secret must not reach a CI log.",
        },
    },
    footer: [
        "Asks, in order: the temporary password; a new password, twice; the 6-digit code of the authenticator app,",
        "after showing its QR code and key; with --check, one more code. Passwords are typed without echo and are never",
        "arguments or environment variables. Ctrl-C stops at any point and says what changed.",
        "Needs AWS credentials allowed cognito-idp:DescribeUserPool and DescribeUserPoolClient (the pool's name and password policy, the",
        "app client's secret if it has one); the sign-in itself needs none.",
        "Exit status: 0 done; 1 it could not be done (the reason and the fix are printed, also when the user has already",
        "finished the first sign-in); 2 usage error, or no terminal; 128 + the signal's number when stopped (130 for Ctrl-C, 143 for SIGTERM).",
    ].join("\n"),
});

/** What the command needs to know about where it runs. */
export interface RunContext {
    /** Whether standard input and standard output are both terminals. */
    readonly terminal: boolean;
    /** The environment, for `CI`. */
    readonly env: NodeJS.ProcessEnv;
    /** Reads a stack's outputs. Default: the Pulumi CLI. */
    readonly stackOutputs?: (stack: string) => Record<string, unknown>;
    /** The stack file of a stack, for an admin's index in `adminUsers`. Default: `Pulumi.<stack>.yaml` in the project's root. */
    readonly stackFile?: (stack: string) => string;
}

/**
 * The flow's options from the command line (and, with --stack, from the stack's outputs); a
 * {@link UsageError} when they do not add up, or when there is no terminal and no leave to run
 * without one. The terminal is checked before the stack's outputs are read.
 * @param parsed The parsed command line.
 * @param context Whether there is a terminal, the environment, and how to read a stack's outputs.
 */
export function optionsFromArgs(parsed: ParsedCommandLine, context: RunContext): FirstSignInOptions {
    const { values } = parsed;
    if (values.check && values["no-check"]) throw new UsageError("give --check or --no-check, not both");
    if (values.stack === undefined && values["user-pool-id"] !== undefined && values.username === undefined) {
        throw new UsageError("give --username with --user-pool-id (with --stack, it defaults to the stack's adminUsername)");
    }
    if (values["allow-non-terminal"] && context.env.CI) {
        throw new UsageError("--allow-non-terminal is refused when CI is set: the TOTP secret would end up in the CI log. Run this on your own machine.");
    }
    if (!values["allow-non-terminal"] && !context.terminal) {
        throw new UsageError(
            "this command needs a terminal on both standard input and standard output: it asks for passwords without echo and shows a QR code. " +
                "To run it without one anyway, pass --allow-non-terminal (refused when CI is set).",
        );
    }
    const pool = resolvePool(values, "sign-in", context.stackOutputs);
    const username = typeof values.username === "string" ? values.username : stringOutput(pool.outputs ?? {}, "adminUsername", pool.stack as string);
    const rule = checkUsername(username);
    if (rule) throw new UsageError(`--username ${rule} (got ${JSON.stringify(username)})`);
    const admin = pool.stack === undefined ? undefined : adminOfStack(pool.stack, username, pool.outputs ?? {}, context.stackFile?.(pool.stack));
    return {
        userPoolId: pool.userPoolId,
        clientId: pool.clientId as string,
        username,
        region: pool.region,
        endpointUrl: pool.endpointUrl,
        check: !values["no-check"],
        stack: pool.stack,
        mainAdmin: admin?.mainAdmin,
        ...(admin?.adminUsersIndex === undefined ? {} : { adminUsersIndex: admin.adminUsersIndex }),
    };
}

/**
 * Runs the command on this process's terminal and returns its exit status.
 * @param argv The arguments after the script's name.
 */
export async function main(argv: readonly string[]): Promise<number> {
    return runCommand(FIRST_SIGN_IN_COMMAND, argv, async (parsed) => {
        const options = optionsFromArgs(parsed, { terminal: process.stdin.isTTY === true && process.stdout.isTTY === true, env: process.env });
        return runOnTerminal((prompter, cancel) => firstSignIn({ ...options, cancel }, prompter, realClock(cancel)));
    });
}

if (require.main === module) runMain(main);
