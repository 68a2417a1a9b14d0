/** `npm run verify:signin`: the sign-in verifier as a command (see signIn.ts). */
import { EXIT, ParsedCommandLine, UsageError, runCommand, runMain, runStoppable } from "../commandLine";
import { poolCommand, readStackOutputs, resolvePool } from "../stackOutputs";
import { CANARY_MIN_SWEEP_AGE_MINUTES, CANARY_SWEEP_AFTER_MINUTES, RUN_DEADLINE_MINUTES } from "./canary";
import { SignInVerificationError, VerifySignInOptions, verifySignIn } from "./signIn";

export const VERIFY_COMMAND = poolCommand("sign-in", { both: "[--sweep-after <minutes>]" }, {
    name: "npm run verify:signin --",
    summary: "Proves that sign-in with TOTP MFA works, with a throwaway canary user that is always deleted.",
    options: {
        "sweep-after": {
            type: "string",
            value: "<minutes>",
            description:
                `Delete canaries older than this, left by killed runs, before starting. Default: ${CANARY_SWEEP_AFTER_MINUTES}; ` +
                `never less than ${CANARY_MIN_SWEEP_AGE_MINUTES} (a run's deadline and clean-up), so that no run deletes another's live canary.`,
        },
    },
    footer: [
        "AWS credentials come from the standard chain (environment, profile, SSO, instance role).",
        `A run stops itself after ${RUN_DEADLINE_MINUTES} minutes, its deadline, deleting the canary, and fails.`,
        "Exit status: 0 sign-in with TOTP works; 1 it does not (such as \"MFA not enforced\"); 2 usage error;",
        "128 + the signal's number when interrupted (130 for Ctrl-C, 143 for SIGTERM), after deleting the canary.",
    ].join("\n"),
});

/** The verifier's options from the command line (and, with --stack, from the stack's outputs). */
export function optionsFromArgs(parsed: ParsedCommandLine, stackOutputs = readStackOutputs): VerifySignInOptions {
    const pool = resolvePool(parsed.values, "sign-in", stackOutputs);
    const sweep = parsed.values["sweep-after"];
    if (typeof sweep === "string" && !/^\d+$/.test(sweep)) throw new UsageError(`--sweep-after must be a whole number of minutes (got ${JSON.stringify(sweep)})`);
    return {
        userPoolId: pool.userPoolId,
        clientId: pool.clientId as string,
        region: pool.region,
        endpointUrl: pool.endpointUrl,
        ...(typeof sweep === "string" ? { sweepAfterMinutes: Number(sweep) } : {}),
    };
}

/** Runs the verifier as a command and returns its exit status. */
export async function main(argv: readonly string[]): Promise<number> {
    return runCommand(VERIFY_COMMAND, argv, async (parsed) => {
        const options = optionsFromArgs(parsed);
        console.log(`Verifying sign-in with TOTP on user pool ${options.userPoolId}, app client ${options.clientId}`);
        return runStoppable(
            async (stop) => {
                try {
                    const result = await verifySignIn({ ...options, cancel: stop.cancel });
                    console.log(`OK: sign-in with TOTP works (${result.steps.length} steps passed); canary ${result.canaryUsername} deleted`);
                    return EXIT.ok;
                } catch (error) {
                    if (stop.stoppedBy()) throw error;
                    const message = error instanceof SignInVerificationError ? error.message : `sign-in verification failed: ${String(error)}`;
                    console.error(`FAILED: ${message}`);
                    return EXIT.failed;
                }
            },
            (signal) => console.error(`STOPPED by ${signal}: the canary was cleaned up (see above)`),
        );
    });
}

if (require.main === module) runMain(main);
