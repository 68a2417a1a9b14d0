import * as command from "@pulumi/command";
import { TotpUserPool } from "../components/totpUserPool";

/** Where the post-deploy sign-in check signs in. */
export interface SignInCheckArgs {
    /** The AWS region (`aws:region`). Default: the region in the user pool's id. */
    readonly region?: string;
    /** A Cognito endpoint instead of AWS's (the `cognitoidp` entry of `aws:endpoints`), such as moto's. */
    readonly endpointUrl?: string;
    /** The AWS profile the provider uses (`aws:profile`), so that the check signs in as the provider does. */
    readonly profile?: string;
}

/**
 * The shell command the check runs: the verifier's own command line (`npm run verify:signin`'s
 * script), with `exec`, so that the process the command provider starts is the verifier itself.
 * The provider runs `/bin/sh -c <command>` (pulumi/pulumi-command, provider/pkg/provider/local:
 * `exec.CommandContext(ctx, "/bin/sh", "-c", command)`), and a signal to that shell never reached
 * a verifier started through npm: measured here, `sh -c 'npm run verify:signin -- …'` sent
 * SIGTERM died at once while the verifier ran on, orphaned, and its exit status was lost. With
 * `exec`, SIGTERM or SIGINT reaches the verifier, which deletes its canary and exits 128 + the
 * signal's number; SIGKILL (a cancelled context) ends it outright, and a later run sweeps its
 * canary. The ids arrive in the environment, never spliced into the text.
 */
export function signInCheckCommand(args: SignInCheckArgs): string {
    return [
        "exec node -r ./deploy/typescript.cjs deploy/verifier/cli.ts",
        '--user-pool-id "$USER_POOL_ID"',
        '--client-id "$USER_POOL_CLIENT_ID"',
        ...(args.region ? ['--region "$AWS_REGION"'] : []),
        ...(args.endpointUrl ? ['--endpoint-url "$COGNITO_ENDPOINT_URL"'] : []),
    ].join(" ");
}

/**
 * After `pulumi up` has created or changed the pool, client and admin user, runs the sign-in
 * verifier (as `npm run verify:signin` does) against them: a canary user signs in with SRP, sets a new
 * password, enrols TOTP and signs in again with a TOTP code, and is then deleted. A failure
 * fails `pulumi up`. It runs again whenever the pool or client changes, and never during
 * `pulumi preview`. It carries no secret: the canary's passwords are made and dropped inside
 * the verifier.
 */
export function declareSignInCheck(pool: TotpUserPool, args: SignInCheckArgs): command.local.Command {
    return new command.local.Command(
        "cognito-sign-in-check",
        {
            create: signInCheckCommand(args),
            environment: {
                USER_POOL_ID: pool.userPoolId,
                USER_POOL_CLIENT_ID: pool.userPoolClientId,
                ...(args.region ? { AWS_REGION: args.region } : {}),
                ...(args.endpointUrl ? { COGNITO_ENDPOINT_URL: args.endpointUrl } : {}),
                ...(args.profile ? { AWS_PROFILE: args.profile } : {}),
            },
            triggers: [
                pool.userPoolId,
                pool.userPool.mfaConfiguration,
                pool.userPool.softwareTokenMfaConfiguration,
                pool.userPool.passwordPolicy,
                pool.userPoolClientId,
                pool.userPoolClient.explicitAuthFlows,
                pool.userPoolClient.generateSecret,
            ],
            logging: "stdoutAndStderr",
        },
        { parent: pool, dependsOn: [pool.userPool, pool.userPoolClient, pool.adminUser] },
    );
}
