import { CommandSpec, EXIT, ParsedCommandLine, UsageError, checkStackName, runCommand, runMain } from "../commandLine";
import { readStackOutputs, stringOutput } from "../stackOutputs";
import { CANARY_SWEEP_AFTER_MINUTES } from "./canary";
import { SignInVerificationError, VerifySignInOptions, verifySignIn } from "./signIn";

export const VERIFY_COMMAND: CommandSpec = {
    name: "npm run verify:signin --",
    summary: "Proves that sign-in with TOTP MFA works, with a throwaway canary user that is always deleted.",
    usage: ["--stack <name> [--region <region>] [--endpoint-url <url>]", "--user-pool-id <id> --client-id <id> [--region <region>] [--endpoint-url <url>]"],
    options: {
        stack: { type: "string", short: "s", value: "<name>", description: "Read both ids from `pulumi stack output --json --stack <name>`." },
        "user-pool-id": { type: "string", value: "<id>", description: "The user pool's id (stack output userPoolId)." },
        "client-id": { type: "string", value: "<id>", description: "The app client's id (stack output userPoolClientId)." },
        region: { type: "string", value: "<region>", description: "The AWS region. Default: the region in the user pool's id." },
        "endpoint-url": { type: "string", value: "<url>", description: "A Cognito endpoint instead of AWS's, such as a local moto server." },
        "sweep-after": {
            type: "string",
            value: "<minutes>",
            description: `Delete canaries older than this, left by killed runs, before starting. Default: ${CANARY_SWEEP_AFTER_MINUTES}.`,
        },
    },
    footer: [
        "AWS credentials come from the standard chain (environment, profile, SSO, instance role).",
        "Exit status: 0 sign-in with TOTP works; 1 it does not; 2 usage error;",
        "128 + the signal's number when interrupted (130 for Ctrl-C, 143 for SIGTERM), after deleting the canary.",
    ].join("\n"),
};

/** The signals that stop a run; the canary is deleted first. */
const STOP_SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;

/** The verifier's options from the command line (and, with --stack, from the stack's outputs). */
export function optionsFromArgs(parsed: ParsedCommandLine, stackOutputs = readStackOutputs): VerifySignInOptions {
    const values = parsed.values as Record<string, string | undefined>;
    let userPoolId = values["user-pool-id"];
    let clientId = values["client-id"];
    if (values.stack !== undefined) {
        if (userPoolId !== undefined || clientId !== undefined) {
            throw new UsageError("--stack reads the ids from the stack: give either --stack or both ids, not both");
        }
        const stack = checkStackName(values.stack);
        const outputs = stackOutputs(stack);
        userPoolId = stringOutput(outputs, "userPoolId", stack);
        clientId = stringOutput(outputs, "userPoolClientId", stack);
    }
    if (!userPoolId || !clientId) throw new UsageError("give --user-pool-id and --client-id, or --stack");
    if (!/^[\w-]+_[0-9a-zA-Z]+$/.test(userPoolId)) {
        throw new UsageError(`--user-pool-id must look like us-east-1_AbCdEf123 (got ${JSON.stringify(userPoolId)})`);
    }
    const sweep = values["sweep-after"];
    if (sweep !== undefined && !/^\d+$/.test(sweep)) throw new UsageError(`--sweep-after must be a whole number of minutes (got ${JSON.stringify(sweep)})`);
    return {
        userPoolId,
        clientId,
        region: values.region,
        endpointUrl: values["endpoint-url"],
        ...(sweep !== undefined ? { sweepAfterMinutes: Number(sweep) } : {}),
    };
}

/**
 * Aborts the returned signal on SIGHUP, SIGINT or SIGTERM, and records which, until `release`
 * is called. A second signal while the canary is being deleted is ignored: the delete has its
 * own deadline.
 */
export function stopOnSignals(): { cancel: AbortSignal; stoppedBy: () => keyof typeof STOP_SIGNALS | undefined; release: () => void } {
    const controller = new AbortController();
    let stoppedBy: keyof typeof STOP_SIGNALS | undefined;
    const handlers = Object.keys(STOP_SIGNALS).map((name) => {
        const signal = name as keyof typeof STOP_SIGNALS;
        const handler = () => {
            stoppedBy ??= signal;
            controller.abort();
        };
        process.on(signal, handler);
        return () => process.off(signal, handler);
    });
    return { cancel: controller.signal, stoppedBy: () => stoppedBy, release: () => handlers.forEach((off) => off()) };
}

/** Runs the verifier as a command and returns its exit status. */
export async function main(argv: readonly string[]): Promise<number> {
    return runCommand(VERIFY_COMMAND, argv, async (parsed) => {
        const stop = stopOnSignals();
        const options = { ...optionsFromArgs(parsed), cancel: stop.cancel };
        console.log(`Verifying sign-in with TOTP on user pool ${options.userPoolId}, app client ${options.clientId}`);
        try {
            const result = await verifySignIn(options);
            console.log(`OK: sign-in with TOTP works (${result.steps.length} steps passed); canary ${result.canaryUsername} deleted`);
            return EXIT.ok;
        } catch (error) {
            const signal = stop.stoppedBy();
            if (signal) {
                console.error(`STOPPED by ${signal}: the canary was cleaned up (see above)`);
                return 128 + STOP_SIGNALS[signal];
            }
            const message = error instanceof SignInVerificationError ? error.message : `sign-in verification failed: ${String(error)}`;
            console.error(`FAILED: ${message}`);
            return EXIT.failed;
        } finally {
            stop.release();
        }
    });
}

if (require.main === module) runMain(main);
