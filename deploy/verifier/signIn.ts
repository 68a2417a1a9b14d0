import {
    AdminCreateUserCommand,
    AdminDeleteUserCommand,
    AssociateSoftwareTokenCommand,
    AuthenticationResultType,
    CognitoIdentityProviderClient,
    DescribeUserPoolClientCommand,
    DescribeUserPoolCommand,
    InitiateAuthCommand,
    RespondToAuthChallengeCommand,
    RespondToAuthChallengeCommandInput,
    RespondToAuthChallengeCommandOutput,
    VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { createSecretHash, createSrpSession, signSrpSession, wrapAuthChallenge, wrapInitiateAuth } from "cognito-srp-helper";
import { PasswordPolicy, SEED_PASSWORD_POLICY } from "../components/cognitoRules";
import { canaryUsername, randomPassword } from "./canary";
import { stepOf, totpCode, waitBeforeCode } from "./totp";

/** Where the verifier signs in. */
export interface VerifySignInOptions {
    /** The user pool's id, such as `us-east-1_AbCdEf123`. */
    readonly userPoolId: string;
    /** The app client's id. It must allow `ALLOW_USER_SRP_AUTH`. */
    readonly clientId: string;
    /** The AWS region. Default: the region in the user pool's id. */
    readonly region?: string;
    /** A Cognito endpoint to use instead of AWS's, such as a local emulator's. */
    readonly endpointUrl?: string;
    /** How long one call may take before it is abandoned, in milliseconds. Default: 10,000. */
    readonly callTimeoutMs?: number;
    /** Where each step's line goes. Default: standard output. */
    readonly log?: (line: string) => void;
}

/**
 * Test seams. Nothing on the command line reaches these: they let tests stand in for what an
 * emulator cannot do, or break one step on purpose.
 */
export interface VerifierSeams {
    /** Makes the TOTP code sent to Cognito. Default: the real code for the secret, now. */
    readonly totpCode?: (secret: string, timestampMs: number) => string;
    /**
     * Whether a TOTP code works only once, as in Cognito, so the second sign-in waits for the
     * next 30-second step. Default: true. moto accepts a code twice, so its tests skip the wait.
     */
    readonly singleUseCodes?: boolean;
    /** Waits. Default: a timer. */
    readonly sleep?: (ms: number) => Promise<void>;
    /** Names the canary. Default: a fresh random name (see `canaryUsername`). */
    readonly canaryUsername?: (usernameAttributes: readonly string[]) => string;
}

/** A failed verification: which step, and what Cognito (or the check) said. */
export class SignInVerificationError extends Error {
    constructor(
        readonly step: string,
        readonly reason: string,
        /** The AWS error's name (`UsernameExistsException`), when AWS said no. */
        readonly errorName?: string,
    ) {
        super(`sign-in verification failed at step "${step}": ${reason}`);
        this.name = "SignInVerificationError";
    }
}

/** What a passing verification saw. */
export interface VerificationResult {
    /** The canary's username (deleted again). */
    readonly canaryUsername: string;
    /** The steps that passed, in order. */
    readonly steps: readonly string[];
}

/** The message when Cognito hands out tokens without asking for TOTP. */
export const MFA_NOT_ENFORCED =
    "MFA not enforced: Cognito issued tokens without a TOTP challenge. Set the pool's MFA to ON with software tokens (TOTP)";

/**
 * Proves that a real app can sign in to the pool with TOTP MFA, as a throwaway canary user:
 * create it (temporary password, no invitation) → USER_SRP_AUTH → NEW_PASSWORD_REQUIRED →
 * MFA_SETUP (associate and verify a software token) → tokens → a second USER_SRP_AUTH that must
 * be challenged with SOFTWARE_TOKEN_MFA → tokens. The canary is always deleted afterwards, and no
 * other user is touched. No password, TOTP secret or token is ever logged.
 */
export async function verifySignIn(options: VerifySignInOptions, seams: VerifierSeams = {}): Promise<VerificationResult> {
    const log = options.log ?? ((line: string) => console.log(line));
    const timeoutMs = options.callTimeoutMs ?? 10_000;
    const makeCode = seams.totpCode ?? totpCode;
    const sleep = seams.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const singleUseCodes = seams.singleUseCodes ?? true;
    const region = options.region ?? options.userPoolId.split("_")[0];
    const clientConfig = {
        region,
        endpoint: options.endpointUrl,
        requestHandler: { connectionTimeout: Math.min(timeoutMs, 5_000), requestTimeout: timeoutMs },
    };
    const client = new CognitoIdentityProviderClient({ ...clientConfig, maxAttempts: 2 });
    // AdminCreateUser is not retried: a retry after a lost answer would hit our own canary.
    const createClient = new CognitoIdentityProviderClient({ ...clientConfig, maxAttempts: 1 });
    const steps: string[] = [];
    let current = "start";

    /** Runs one call of a step, with a deadline, and turns its failure into the step's. */
    const call = async <T>(step: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> => {
        current = step;
        try {
            return await run(AbortSignal.timeout(timeoutMs));
        } catch (error) {
            throw new SignInVerificationError(step, describeError(error, timeoutMs), (error as { name?: string })?.name);
        }
    };
    const passed = (step: string, detail: string) => {
        steps.push(step);
        log(`✔ ${step}: ${detail}`);
    };
    const fail = (step: string, reason: string): never => {
        throw new SignInVerificationError(step, reason);
    };

    /** Whether the canary exists: "maybe" while AdminCreateUser's answer is not in. */
    let canary: "absent" | "maybe" | "created" = "absent";
    let username = "";
    let clientSecret: string | undefined;
    let failure: unknown;
    try {
        const { UserPool: pool } = await call("DescribeUserPool", (abortSignal) =>
            client.send(new DescribeUserPoolCommand({ UserPoolId: options.userPoolId }), { abortSignal }),
        );
        const policy = passwordPolicyOf(pool?.Policies?.PasswordPolicy);
        passed("DescribeUserPool", `${options.userPoolId}, MFA ${pool?.MfaConfiguration ?? "OFF"}, passwords of ${policy.minimumLength}+ characters`);

        const { UserPoolClient: appClient } = await call("DescribeUserPoolClient", (abortSignal) =>
            client.send(new DescribeUserPoolClientCommand({ UserPoolId: options.userPoolId, ClientId: options.clientId }), { abortSignal }),
        );
        clientSecret = appClient?.ClientSecret;
        passed("DescribeUserPoolClient", `${options.clientId}${clientSecret ? ", with a client secret" : ""}`);

        username = (seams.canaryUsername ?? canaryUsername)(pool?.UsernameAttributes ?? []);
        const temporaryPassword = randomPassword(policy);
        canary = "maybe";
        try {
            await call("AdminCreateUser", (abortSignal) =>
                createClient.send(
                    new AdminCreateUserCommand({
                        UserPoolId: options.userPoolId,
                        Username: username,
                        TemporaryPassword: temporaryPassword,
                        MessageAction: "SUPPRESS",
                    }),
                    { abortSignal },
                ),
            );
        } catch (error) {
            // Someone else's user by that name: never touch it.
            if ((error as SignInVerificationError).errorName === "UsernameExistsException") canary = "absent";
            throw error;
        }
        canary = "created";
        passed("AdminCreateUser", `canary ${username}, temporary password, invitation suppressed`);

        const newPassword = randomPassword(policy);
        let response = await srpSignIn("sign-in 1: USER_SRP_AUTH", username, temporaryPassword);
        if (response.ChallengeName !== "NEW_PASSWORD_REQUIRED") {
            fail("sign-in 1: NEW_PASSWORD_REQUIRED", `expected the NEW_PASSWORD_REQUIRED challenge, got ${challengeOrTokens(response)}`);
        }
        passed("sign-in 1: USER_SRP_AUTH", "password verified, NEW_PASSWORD_REQUIRED challenge");

        const srpUsername = response.ChallengeParameters?.USERNAME ?? username;
        response = await respond("sign-in 1: NEW_PASSWORD_REQUIRED", {
            ChallengeName: "NEW_PASSWORD_REQUIRED",
            Session: response.Session,
            ChallengeResponses: withSecretHash(srpUsername, { USERNAME: srpUsername, NEW_PASSWORD: newPassword }),
        });
        if (response.AuthenticationResult) fail("sign-in 1: MFA_SETUP", MFA_NOT_ENFORCED);
        if (response.ChallengeName !== "MFA_SETUP") {
            fail("sign-in 1: MFA_SETUP", `expected the MFA_SETUP challenge, got ${challengeOrTokens(response)}`);
        }
        if (!canSetUpTotp(response.ChallengeParameters?.MFAS_CAN_SETUP)) {
            fail("sign-in 1: MFA_SETUP", "the MFA_SETUP challenge does not offer SOFTWARE_TOKEN_MFA");
        }
        passed("sign-in 1: NEW_PASSWORD_REQUIRED", "new password set, MFA_SETUP challenge offering SOFTWARE_TOKEN_MFA");

        const associated = await call("AssociateSoftwareToken", (abortSignal) =>
            client.send(new AssociateSoftwareTokenCommand({ Session: response.Session }), { abortSignal }),
        );
        if (!associated.SecretCode) fail("AssociateSoftwareToken", "Cognito returned no TOTP secret");
        const secret = associated.SecretCode as string;
        passed("AssociateSoftwareToken", "TOTP secret received (not shown)");

        const enrolmentCode = await freshCode(secret, undefined);
        const verified = await call("VerifySoftwareToken", (abortSignal) =>
            client.send(
                new VerifySoftwareTokenCommand({
                    Session: associated.Session ?? response.Session,
                    UserCode: enrolmentCode.code,
                    FriendlyDeviceName: "sign-in verifier",
                }),
                { abortSignal },
            ),
        );
        if (verified.Status !== "SUCCESS") fail("VerifySoftwareToken", `status ${verified.Status ?? "missing"}, not SUCCESS`);
        passed("VerifySoftwareToken", "TOTP code accepted");

        response = await respond("sign-in 1: MFA_SETUP", {
            ChallengeName: "MFA_SETUP",
            Session: verified.Session,
            ChallengeResponses: withSecretHash(srpUsername, { USERNAME: srpUsername }),
        });
        expectTokens("sign-in 1: MFA_SETUP", response);
        passed("sign-in 1: MFA_SETUP", "tokens issued (not shown)");

        response = await srpSignIn("sign-in 2: USER_SRP_AUTH", username, newPassword);
        if (response.AuthenticationResult) fail("sign-in 2: SOFTWARE_TOKEN_MFA", MFA_NOT_ENFORCED);
        if (response.ChallengeName !== "SOFTWARE_TOKEN_MFA") {
            fail("sign-in 2: SOFTWARE_TOKEN_MFA", `expected the SOFTWARE_TOKEN_MFA challenge, got ${challengeOrTokens(response)}`);
        }
        passed("sign-in 2: USER_SRP_AUTH", "password verified, SOFTWARE_TOKEN_MFA challenge");

        const signInCode = await freshCode(secret, singleUseCodes ? enrolmentCode.step : undefined);
        const secondUsername = response.ChallengeParameters?.USERNAME ?? srpUsername;
        response = await respond("sign-in 2: SOFTWARE_TOKEN_MFA", {
            ChallengeName: "SOFTWARE_TOKEN_MFA",
            Session: response.Session,
            ChallengeResponses: withSecretHash(secondUsername, {
                USERNAME: secondUsername,
                SOFTWARE_TOKEN_MFA_CODE: signInCode.code,
            }),
        });
        expectTokens("sign-in 2: SOFTWARE_TOKEN_MFA", response);
        passed("sign-in 2: SOFTWARE_TOKEN_MFA", "TOTP code accepted, tokens issued (not shown)");
    } catch (error) {
        failure = error;
    } finally {
        if (canary !== "absent") {
            try {
                await call("AdminDeleteUser", (abortSignal) =>
                    client.send(new AdminDeleteUserCommand({ UserPoolId: options.userPoolId, Username: username }), { abortSignal }),
                );
                log(`✔ AdminDeleteUser: canary ${username} deleted`);
            } catch (error) {
                const notThere = (error as SignInVerificationError).errorName === "UserNotFoundException";
                if (canary === "maybe" && notThere) {
                    log(`✔ AdminDeleteUser: canary ${username} was never created`);
                } else {
                    const reason = error instanceof SignInVerificationError ? error.reason : String(error);
                    log(`✘ AdminDeleteUser: canary ${username} may remain (${reason}); delete it by hand`);
                    failure ??= error;
                }
            }
        }
        client.destroy();
        createClient.destroy();
    }
    if (failure) {
        throw failure instanceof SignInVerificationError ? failure : new SignInVerificationError(current, String(failure));
    }
    return { canaryUsername: username, steps };

    async function srpSignIn(step: string, name: string, password: string) {
        const session = createSrpSession(name, password, options.userPoolId, false);
        const initiated = await call(step, (abortSignal) =>
            client.send(
                new InitiateAuthCommand(
                    wrapInitiateAuth(session, {
                        ClientId: options.clientId,
                        AuthFlow: "USER_SRP_AUTH",
                        AuthParameters: withSecretHash(name, { USERNAME: name, CHALLENGE_NAME: "SRP_A" }),
                    }),
                ),
                { abortSignal },
            ),
        );
        if (initiated.ChallengeName !== "PASSWORD_VERIFIER") {
            fail(step, `expected the PASSWORD_VERIFIER challenge, got ${challengeOrTokens(initiated)}`);
        }
        const signed = signSrpSession(session, initiated);
        // Answer with the USERNAME Cognito sent back; the signature is over USER_ID_FOR_SRP.
        const srpUsername = initiated.ChallengeParameters?.USERNAME ?? initiated.ChallengeParameters?.USER_ID_FOR_SRP ?? name;
        const verifier: RespondToAuthChallengeCommandInput = {
            ClientId: options.clientId,
            ChallengeName: "PASSWORD_VERIFIER",
            Session: initiated.Session,
            ChallengeResponses: withSecretHash(srpUsername, { USERNAME: srpUsername }),
        };
        return call(step, (abortSignal) =>
            client.send(new RespondToAuthChallengeCommand(wrapAuthChallenge(signed, verifier)), { abortSignal }),
        );
    }

    function respond(
        step: string,
        input: Omit<RespondToAuthChallengeCommandInput, "ClientId">,
    ): Promise<RespondToAuthChallengeCommandOutput> {
        return call(step, (abortSignal) =>
            client.send(new RespondToAuthChallengeCommand({ ...input, ClientId: options.clientId }), { abortSignal }),
        );
    }

    function withSecretHash(name: string, parameters: Record<string, string>): Record<string, string> {
        return clientSecret ? { ...parameters, SECRET_HASH: createSecretHash(name, options.clientId, clientSecret) } : parameters;
    }

    async function freshCode(secret: string, usedStep: number | undefined): Promise<{ code: string; step: number }> {
        const wait = waitBeforeCode(Date.now(), usedStep);
        if (wait > 0) {
            log(`… waiting ${Math.ceil(wait / 1000)} s for a fresh TOTP step`);
            await sleep(wait);
        }
        const now = Date.now();
        return { code: makeCode(secret, now), step: stepOf(now) };
    }
}

/** The pool's password policy in this project's terms; Cognito's defaults where a field is absent. */
export function passwordPolicyOf(policy: {
    MinimumLength?: number;
    RequireLowercase?: boolean;
    RequireUppercase?: boolean;
    RequireNumbers?: boolean;
    RequireSymbols?: boolean;
    TemporaryPasswordValidityDays?: number;
} | undefined): PasswordPolicy {
    return {
        minimumLength: policy?.MinimumLength ?? SEED_PASSWORD_POLICY.minimumLength,
        requireLowercase: policy?.RequireLowercase ?? true,
        requireUppercase: policy?.RequireUppercase ?? true,
        requireNumbers: policy?.RequireNumbers ?? true,
        requireSymbols: policy?.RequireSymbols ?? true,
        temporaryPasswordValidityDays: policy?.TemporaryPasswordValidityDays ?? 7,
    };
}

/** Whether MFA_SETUP offers TOTP. Cognito sends a JSON-encoded list; moto sends the list itself. */
export function canSetUpTotp(mfasCanSetUp: unknown): boolean {
    let offered: unknown = mfasCanSetUp;
    if (typeof offered === "string") {
        try {
            offered = JSON.parse(offered);
        } catch {
            offered = [offered];
        }
    }
    return Array.isArray(offered) && offered.includes("SOFTWARE_TOKEN_MFA");
}

/** What a sign-in response held instead of the expected challenge, without any token. */
function challengeOrTokens(response: { ChallengeName?: string; AuthenticationResult?: AuthenticationResultType }): string {
    if (response.AuthenticationResult) return "tokens";
    return response.ChallengeName ? `the ${response.ChallengeName} challenge` : "neither a challenge nor tokens";
}

function expectTokens(step: string, response: { ChallengeName?: string; AuthenticationResult?: AuthenticationResultType }): void {
    const tokens = response.AuthenticationResult;
    if (!tokens?.AccessToken || !tokens.IdToken || !tokens.RefreshToken) {
        throw new SignInVerificationError(step, `expected access, ID and refresh tokens, got ${challengeOrTokens(response)}`);
    }
}

/** An AWS SDK or network error in one line: its name and message, and never a request body. */
export function describeError(error: unknown, timeoutMs: number): string {
    if (error instanceof SignInVerificationError) return error.reason;
    const err = error as { name?: string; message?: string; code?: string; $metadata?: unknown };
    if (err?.name === "TimeoutError" || err?.name === "AbortError") {
        return `no answer within ${timeoutMs / 1000} s (${err.name})`;
    }
    const code = err?.code ?? (error as { cause?: { code?: string } })?.cause?.code;
    const detail = [err?.name && err.name !== "Error" ? err.name : code, err?.message || String(error)].filter(Boolean).join(": ");
    return err?.name === "CodeMismatchException" || err?.name === "EnableSoftwareTokenMFAException"
        ? `the TOTP code was rejected (${detail}); check that this machine's clock is right`
        : detail;
}
