import {
    AdminCreateUserCommand,
    AdminDeleteUserCommand,
    DescribeUserPoolClientCommand,
    DescribeUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { PasswordPolicy, SEED_PASSWORD_POLICY } from "../components/cognitoRules";
import { CANARY_MARKER_ATTRIBUTE, CANARY_SWEEP_AFTER_MINUTES, RUN_DEADLINE_MINUTES, canaryName, canaryUsername, randomPassword, sweepStaleCanaries } from "./canary";
import { signInThroughChallenges } from "./challenges";
import {
    CognitoCallError,
    CognitoEndpoint,
    CognitoSignIn,
    SignInVerificationError,
    canSetUpTotp,
    challengeOrTokens,
    cognitoClient,
    isLoopback,
    cancelReason,
    sleep as cancellableSleep,
    stepCaller,
} from "./cognitoSignIn";
import { stepOf, totpCode, waitBeforeCode } from "./totp";

export { SignInVerificationError, canSetUpTotp } from "./cognitoSignIn";

/** Where the verifier signs in. */
export interface VerifySignInOptions extends CognitoEndpoint {
    /** The app client's id. It must allow `ALLOW_USER_SRP_AUTH`. */
    readonly clientId: string;
    /** Where each step's line goes. Default: standard output. */
    readonly log?: (line: string) => void;
    /**
     * Canaries older than this many minutes, left by a run that could not clean up (killed, power
     * lost), are deleted when a run starts. Default: {@link CANARY_SWEEP_AFTER_MINUTES}.
     */
    readonly sweepAfterMinutes?: number;
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
     * next 30-second step. Default: true, but for an emulator on this machine (a loopback
     * endpoint): moto accepts a code twice.
     */
    readonly singleUseCodes?: boolean;
    /** Waits. Default: a timer that the cancel signal cuts short. */
    readonly sleep?: (ms: number) => Promise<void>;
    /** The canary's username for its name. Default: the name, or an address or number made from it (see `canaryUsername`). */
    readonly canaryUsername?: (name: string, usernameAttributes: readonly string[]) => string;
    /** The clock of the sweep of stale canaries. Default: this machine's. */
    readonly now?: () => number;
    /**
     * The last part of a 30-second step in which no code is made, as it could expire in flight.
     * Default: 3 s, for real Cognito; an emulator on this machine answers within milliseconds.
     */
    readonly stepGuardMs?: number;
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
 * be challenged with SOFTWARE_TOKEN_MFA → tokens. The canary is always deleted afterwards, also
 * when `cancel` aborts (Ctrl-C), and canaries that killed runs left behind are swept first. No
 * other user is touched. No password, TOTP secret or token is ever logged.
 */
export async function verifySignIn(options: VerifySignInOptions, seams: VerifierSeams = {}): Promise<VerificationResult> {
    const log = options.log ?? ((line: string) => console.log(line));
    const makeCode = seams.totpCode ?? totpCode;
    // The run's hard deadline: past it, the run stops as if cancelled, and deletes its canary.
    const stop = new AbortController();
    const deadline = setTimeout(() => stop.abort(`the run's deadline of ${RUN_DEADLINE_MINUTES} minutes passed`), RUN_DEADLINE_MINUTES * 60_000);
    const outerCancel = options.cancel;
    const cancelled = () => stop.abort();
    if (outerCancel?.aborted) cancelled();
    outerCancel?.addEventListener("abort", cancelled, { once: true });
    options = { ...options, cancel: stop.signal };
    const sleep = seams.sleep ?? ((ms: number) => cancellableSleep(ms, options.cancel));
    const singleUseCodes = seams.singleUseCodes ?? !isLoopback(options.endpointUrl);
    const client = cognitoClient(options);
    // AdminCreateUser is not retried: a retry after a lost answer would hit our own canary.
    const createClient = cognitoClient(options, 1);
    const call = stepCaller(options);
    // The canary is deleted even after a cancel: that call only has its own deadline.
    const cleanupCall = stepCaller({ ...options, cancel: undefined });
    const steps: string[] = [];
    const passed = (step: string, detail: string) => {
        steps.push(step);
        log(`✔ ${step}: ${detail}`);
    };
    const fail = (step: string, reason: string): never => {
        throw new SignInVerificationError(step, reason);
    };

    /** The canary's TOTP secret, and the code that enrolled it (a later sign-in needs a later step's code, where codes are single-use). */
    let totpSecret = "";
    let enrolmentCode: { code: string; step: number } | undefined;
    /** Whether the canary exists: "maybe" while AdminCreateUser's answer is not in. */
    let canary: "absent" | "maybe" | "created" = "absent";
    let username = "";
    let failure: unknown;
    try {
        const { UserPool: pool } = await call("DescribeUserPool", (abortSignal) =>
            client.send(new DescribeUserPoolCommand({ UserPoolId: options.userPoolId }), { abortSignal }),
        );
        const policy = passwordPolicyOf(pool?.Policies?.PasswordPolicy);
        passed("DescribeUserPool", `${options.userPoolId}, MFA ${pool?.MfaConfiguration ?? "OFF"}, passwords of ${policy.minimumLength}+ characters`);

        const swept = await sweepStaleCanaries(client, call, options.userPoolId, options.sweepAfterMinutes ?? CANARY_SWEEP_AFTER_MINUTES, (seams.now ?? Date.now)());
        for (const stale of swept) log(`✔ swept canary ${stale}, left by an earlier run that could not delete it`);

        const { UserPoolClient: appClient } = await call("DescribeUserPoolClient", (abortSignal) =>
            client.send(new DescribeUserPoolClientCommand({ UserPoolId: options.userPoolId, ClientId: options.clientId }), { abortSignal }),
        );
        const cognito = new CognitoSignIn(client, options, options.clientId, appClient?.ClientSecret);
        passed("DescribeUserPoolClient", `${options.clientId}${appClient?.ClientSecret ? ", with a client secret" : ""}`);

        const name = canaryName();
        username = (seams.canaryUsername ?? canaryUsername)(name, pool?.UsernameAttributes ?? []);
        const temporaryPassword = randomPassword(policy);
        canary = "maybe";
        try {
            const create = {
                UserPoolId: options.userPoolId,
                Username: username,
                TemporaryPassword: temporaryPassword,
                MessageAction: "SUPPRESS" as const,
                UserAttributes: [{ Name: CANARY_MARKER_ATTRIBUTE, Value: name }],
            };
            await call("AdminCreateUser", (abortSignal) => createClient.send(new AdminCreateUserCommand(create), { abortSignal }), create);
        } catch (error) {
            // Someone else's user by that name: never touch it.
            if ((error as SignInVerificationError).errorName === "UsernameExistsException") canary = "absent";
            throw error;
        }
        canary = "created";
        passed("AdminCreateUser", `canary ${username}, temporary password, invitation suppressed`);

        const newPassword = randomPassword(policy);
        await signInThroughChallenges(cognito, username, temporaryPassword, {
            stepPrefix: "sign-in 1: ",
            deviceName: "sign-in verifier",
            answered: (response, step) => {
                if (step === "sign-in 1: USER_SRP_AUTH") {
                    if (response.ChallengeName !== "NEW_PASSWORD_REQUIRED") {
                        fail("sign-in 1: NEW_PASSWORD_REQUIRED", `expected the NEW_PASSWORD_REQUIRED challenge, got ${challengeOrTokens(response)}`);
                    }
                    passed(step, "password verified, NEW_PASSWORD_REQUIRED challenge");
                } else if (step === "sign-in 1: NEW_PASSWORD_REQUIRED") {
                    if (response.AuthenticationResult) fail("sign-in 1: MFA_SETUP", MFA_NOT_ENFORCED);
                    if (response.ChallengeName !== "MFA_SETUP") {
                        fail("sign-in 1: MFA_SETUP", `expected the MFA_SETUP challenge, got ${challengeOrTokens(response)}`);
                    }
                    if (!canSetUpTotp(response.ChallengeParameters?.MFAS_CAN_SETUP)) {
                        fail("sign-in 1: MFA_SETUP", "the MFA_SETUP challenge does not offer SOFTWARE_TOKEN_MFA");
                    }
                    passed(step, "new password set, MFA_SETUP challenge offering SOFTWARE_TOKEN_MFA");
                } else {
                    passed(step, "tokens issued (not shown)");
                }
            },
            newPassword: async () => newPassword,
            enrol: (secret) => {
                totpSecret = secret;
                passed("AssociateSoftwareToken", "TOTP secret received (not shown)");
            },
            code: async () => (enrolmentCode = await freshCode(totpSecret, undefined)).code,
            verified: () => passed("VerifySoftwareToken", "TOTP code accepted"),
        });

        await signInThroughChallenges(cognito, username, newPassword, {
            stepPrefix: "sign-in 2: ",
            deviceName: "sign-in verifier",
            answered: (response, step) => {
                if (step === "sign-in 2: USER_SRP_AUTH") {
                    if (response.AuthenticationResult) fail("sign-in 2: SOFTWARE_TOKEN_MFA", MFA_NOT_ENFORCED);
                    if (response.ChallengeName !== "SOFTWARE_TOKEN_MFA") {
                        fail("sign-in 2: SOFTWARE_TOKEN_MFA", `expected the SOFTWARE_TOKEN_MFA challenge, got ${challengeOrTokens(response)}`);
                    }
                    passed(step, "password verified, SOFTWARE_TOKEN_MFA challenge");
                } else {
                    passed(step, "TOTP code accepted, tokens issued (not shown)");
                }
            },
            code: async () => (await freshCode(totpSecret, singleUseCodes ? enrolmentCode?.step : undefined)).code,
        });
    } catch (error) {
        failure = error;
    } finally {
        if (canary !== "absent") {
            try {
                await cleanupCall("AdminDeleteUser", (abortSignal) =>
                    client.send(new AdminDeleteUserCommand({ UserPoolId: options.userPoolId, Username: username }), { abortSignal }),
                );
                log(`✔ AdminDeleteUser: canary ${username} deleted`);
            } catch (error) {
                const notThere = (error as SignInVerificationError).errorName === "UserNotFoundException";
                if (canary === "maybe" && notThere) {
                    log(`✔ AdminDeleteUser: canary ${username} was never created`);
                } else {
                    const reason = error instanceof CognitoCallError ? error.reason : String(error);
                    log(`✘ AdminDeleteUser: canary ${username} may remain (${reason}); the next run deletes it, or delete it by hand`);
                    failure ??= error;
                }
            }
        }
        clearTimeout(deadline);
        outerCancel?.removeEventListener("abort", cancelled);
        client.destroy();
        createClient.destroy();
    }
    if (failure) {
        if (failure instanceof SignInVerificationError) throw failure;
        if (failure instanceof CognitoCallError) throw new SignInVerificationError(failure.step, failure.reason, failure.errorName);
        throw new SignInVerificationError(steps.length ? `after ${steps[steps.length - 1]}` : "start", String(failure));
    }
    return { canaryUsername: username, steps };

    async function freshCode(secret: string, usedStep: number | undefined): Promise<{ code: string; step: number }> {
        const wait = waitBeforeCode(Date.now(), usedStep, seams.stepGuardMs);
        if (wait > 0) {
            log(`… waiting ${Math.ceil(wait / 1000)} s for a fresh TOTP step`);
            try {
                await sleep(wait);
            } catch (error) {
                throw new SignInVerificationError("waiting for a fresh TOTP step", options.cancel?.aborted ? cancelReason(options.cancel) : String(error));
            }
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
