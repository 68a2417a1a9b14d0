import { execFileSync } from "child_process";
import { parseArgs } from "util";
import { SignInVerificationError, VerifySignInOptions, verifySignIn } from "./signIn";

const USAGE = `Proves that sign-in with TOTP MFA works, with a throwaway canary user that is always deleted.

Usage:
  npm run verify:signin -- --user-pool-id <id> --client-id <id> [--region <region>] [--endpoint-url <url>]
  npm run verify:signin -- --stack <stack> [--region <region>] [--endpoint-url <url>]

  --user-pool-id   the user pool's id (stack output userPoolId)
  --client-id      the app client's id (stack output userPoolClientId)
  --stack          read both ids from \`pulumi stack output --json --stack <stack>\`
  --region         AWS region; default: the region in the user pool's id
  --endpoint-url   a Cognito endpoint instead of AWS's, such as a local moto server

AWS credentials come from the standard chain (environment, profile, SSO, instance role).
Exit status: 0 when sign-in with TOTP works, 1 when it does not, 2 on a usage error.`;

/** A usage error: the message, then the usage text, and exit status 2. */
class UsageError extends Error {}

/** The verifier's options from the command line (and, with --stack, from the stack's outputs). */
export function optionsFromArgs(argv: readonly string[], stackOutputs = readStackOutputs): VerifySignInOptions {
    let parsed;
    try {
        parsed = parseArgs({
            args: [...argv],
            options: {
                "user-pool-id": { type: "string" },
                "client-id": { type: "string" },
                stack: { type: "string" },
                region: { type: "string" },
                "endpoint-url": { type: "string" },
                help: { type: "boolean", short: "h" },
            },
            strict: true,
            allowPositionals: false,
        }).values;
    } catch (error) {
        throw new UsageError((error as Error).message);
    }
    if (parsed.help) throw new UsageError("");
    let userPoolId = parsed["user-pool-id"];
    let clientId = parsed["client-id"];
    if (parsed.stack !== undefined) {
        if (userPoolId !== undefined || clientId !== undefined) {
            throw new UsageError("--stack reads the ids from the stack: give either --stack or both ids, not both");
        }
        const outputs = stackOutputs(parsed.stack);
        userPoolId = stringOutput(outputs, "userPoolId", parsed.stack);
        clientId = stringOutput(outputs, "userPoolClientId", parsed.stack);
    }
    if (!userPoolId || !clientId) {
        throw new UsageError("give --user-pool-id and --client-id, or --stack");
    }
    if (!/^[\w-]+_[0-9a-zA-Z]+$/.test(userPoolId)) {
        throw new UsageError(`--user-pool-id must look like us-east-1_AbCdEf123 (got ${JSON.stringify(userPoolId)})`);
    }
    return { userPoolId, clientId, region: parsed.region, endpointUrl: parsed["endpoint-url"] };
}

/** The stack's outputs, from the Pulumi CLI. Secrets stay hidden: `--show-secrets` is not passed. */
function readStackOutputs(stack: string): Record<string, unknown> {
    let text: string;
    try {
        text = execFileSync("pulumi", ["stack", "output", "--json", "--stack", stack], {
            encoding: "utf8",
            timeout: 60_000,
            stdio: ["ignore", "pipe", "pipe"],
        });
    } catch (error) {
        const err = error as { code?: string; stderr?: string };
        if (err.code === "ENOENT") {
            throw new UsageError("--stack needs the Pulumi CLI, which is not on PATH: pass --user-pool-id and --client-id");
        }
        throw new UsageError(`pulumi stack output --stack ${stack} failed: ${(err.stderr ?? String(error)).trim()}`);
    }
    try {
        return JSON.parse(text) as Record<string, unknown>;
    } catch {
        throw new UsageError(`pulumi stack output --json --stack ${stack} did not print JSON`);
    }
}

function stringOutput(outputs: Record<string, unknown>, name: string, stack: string): string {
    const value = outputs[name];
    if (typeof value !== "string" || value === "") {
        throw new UsageError(`stack ${stack} has no output ${name}: has it been deployed with \`pulumi up\`?`);
    }
    return value;
}

/** Runs the verifier as a command and returns its exit status. */
export async function main(argv: readonly string[]): Promise<number> {
    let options: VerifySignInOptions;
    try {
        options = optionsFromArgs(argv);
    } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        console.error(error.message ? `${error.message}\n\n${USAGE}` : USAGE);
        return error.message ? 2 : 0;
    }
    console.log(`Verifying sign-in with TOTP on user pool ${options.userPoolId}, app client ${options.clientId}`);
    try {
        const result = await verifySignIn(options);
        console.log(`OK: sign-in with TOTP works (${result.steps.length} steps); canary ${result.canaryUsername} deleted`);
        return 0;
    } catch (error) {
        const message = error instanceof SignInVerificationError ? error.message : `sign-in verification failed: ${String(error)}`;
        console.error(`FAILED: ${message}`);
        return 1;
    }
}

if (require.main === module) {
    // The SDK is pinned in package-lock.json, so its notice about future releases and Node 22 is noise here.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
    main(process.argv.slice(2)).then(
        (status) => (process.exitCode = status),
        (error: Error) => {
            console.error(`FAILED: ${error.message}`);
            process.exitCode = 1;
        },
    );
}
