/**
 * Cognito's sign-in API as an app uses it, one call a method: SRP sign-in, the
 * NEW_PASSWORD_REQUIRED and MFA_SETUP challenges, software-token enrolment, and the
 * SOFTWARE_TOKEN_MFA challenge. Shared by the sign-in verifier and the admin's first sign-in.
 * Every call has a deadline and can be cancelled; a failure names its step and never carries a
 * password, a TOTP secret or a token, not even one an endpoint quotes back (see withoutSentSecrets).
 */
import {
    AssociateSoftwareTokenCommand,
    AuthenticationResultType,
    ChallengeNameType,
    CognitoIdentityProviderClient,
    InitiateAuthCommand,
    InitiateAuthCommandInput,
    RespondToAuthChallengeCommand,
    RespondToAuthChallengeCommandInput,
    RespondToAuthChallengeCommandOutput,
    SetUserMFAPreferenceCommand,
    VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { createSecretHash, createSrpSession, signSrpSession, wrapAuthChallenge, wrapInitiateAuth } from "cognito-srp-helper";
import { withoutSecrets } from "../commandLine";

/** A failed call to Cognito: which step, and what Cognito (or the network) said. Never a password, secret or token. */
export class CognitoCallError extends Error {
    constructor(
        readonly step: string,
        readonly reason: string,
        /** The AWS error's name (`UsernameExistsException`), when AWS said no. */
        readonly errorName?: string,
        message = `${step} failed: ${reason}`,
    ) {
        super(message);
        this.name = "CognitoCallError";
    }
}

/** A failed step of the sign-in verifier: which one, and what Cognito (or the check) said. */
export class SignInVerificationError extends CognitoCallError {
    constructor(step: string, reason: string, errorName?: string) {
        super(step, reason, errorName, `sign-in verification failed at step "${step}": ${reason}`);
        this.name = "SignInVerificationError";
    }
}

/** Where to reach Cognito, and how long one call may take. */
export interface CognitoEndpoint {
    /** The user pool's id, such as `us-east-1_AbCdEf123`. */
    readonly userPoolId: string;
    /** The AWS region. Default: the region in the user pool's id. */
    readonly region?: string;
    /** A Cognito endpoint to use instead of AWS's, such as a local emulator's. */
    readonly endpointUrl?: string;
    /** How long one call may take before it is abandoned, in milliseconds. Default: 10,000. */
    readonly callTimeoutMs?: number;
    /** Aborting it cancels the call under way (Ctrl-C, SIGTERM). */
    readonly cancel?: AbortSignal;
}

/** Whether an endpoint is on this machine (an emulator), where no AWS credentials are needed. */
export function isLoopback(endpointUrl: string | undefined): boolean {
    if (endpointUrl === undefined || !URL.canParse(endpointUrl)) return false;
    return ["127.0.0.1", "localhost", "[::1]"].includes(new URL(endpointUrl).hostname);
}

/**
 * A Cognito SDK client for `endpoint`, with short connection and request deadlines. Against an
 * emulator on this machine it signs with dummy credentials, so none need to be set up.
 */
export function cognitoClient(endpoint: CognitoEndpoint, maxAttempts = 2): CognitoIdentityProviderClient {
    const timeoutMs = endpoint.callTimeoutMs ?? 10_000;
    return new CognitoIdentityProviderClient({
        region: endpoint.region ?? endpoint.userPoolId.split("_")[0],
        endpoint: endpoint.endpointUrl,
        ...(isLoopback(endpoint.endpointUrl) ? { credentials: { accessKeyId: "emulator", secretAccessKey: "emulator" } } : {}),
        maxAttempts,
        requestHandler: { connectionTimeout: Math.min(timeoutMs, 5_000), requestTimeout: timeoutMs, throwOnRequestTimeout: true },
    });
}

/** The tokens of a finished sign-in. Never printed. */
export type Tokens = AuthenticationResultType;

/** A challenge Cognito answered with, or the tokens. */
export interface ChallengeOrTokens {
    readonly ChallengeName?: string;
    readonly ChallengeParameters?: Record<string, string>;
    readonly Session?: string;
    readonly AuthenticationResult?: Tokens;
}

/**
 * The fields of a Cognito request whose values are names, ids and fixed words, which a failure may
 * show: a user attribute's `Value` among them (the canary's marker, which its username is made
 * from). Every other value a request holds (a session, a token, a password, a code, a secret hash,
 * SRP's numbers, and any field not listed here) counts as secret.
 */
const SHOWABLE_FIELDS: ReadonlySet<string> = new Set([
    "AuthFlow",
    "CHALLENGE_NAME",
    "ChallengeName",
    "ClientId",
    "FriendlyDeviceName",
    "MessageAction",
    "Name",
    "USERNAME",
    "UserPoolId",
    "Username",
    "Value",
]);

/**
 * `text` with each value `sent` (a request, at any depth) holds under a field not in
 * SHOWABLE_FIELDS replaced by `[secret]`: an emulator (moto) quotes a request's session or token in
 * its error messages, and nothing says an endpoint never will.
 */
export function withoutSentSecrets(text: string, sent: unknown): string {
    const secrets: string[] = [];
    const collect = (value: unknown, field: string | undefined): void => {
        if (typeof value === "string") {
            if (!(field !== undefined && SHOWABLE_FIELDS.has(field))) secrets.push(value);
        } else if (Array.isArray(value)) {
            for (const item of value) collect(item, field);
        } else if (typeof value === "object" && value !== null) {
            for (const [key, item] of Object.entries(value)) collect(item, key);
        }
    };
    collect(sent, undefined);
    return withoutSecrets(text, secrets);
}

/**
 * One step's call: a deadline, the cancel signal, and the failure named after the step. `sent`,
 * the request the call sends, is kept out of the failure (see withoutSentSecrets).
 */
export function stepCaller(endpoint: CognitoEndpoint) {
    const timeoutMs = endpoint.callTimeoutMs ?? 10_000;
    return async <T>(step: string, run: (abortSignal: AbortSignal) => Promise<T>, sent?: object): Promise<T> => {
        const signals = [AbortSignal.timeout(timeoutMs), ...(endpoint.cancel ? [endpoint.cancel] : [])];
        try {
            return await run(AbortSignal.any(signals));
        } catch (error) {
            const reason = endpoint.cancel?.aborted ? cancelReason(endpoint.cancel) : withoutSentSecrets(describeError(error, endpoint), sent);
            throw new CognitoCallError(step, reason, (error as { name?: string })?.name);
        }
    };
}

/** Signs in to one app client as an app does, one challenge at a time. */
export class CognitoSignIn {
    private readonly call: ReturnType<typeof stepCaller>;

    constructor(
        private readonly client: CognitoIdentityProviderClient,
        private readonly endpoint: CognitoEndpoint,
        /** The app client's id. It must allow `ALLOW_USER_SRP_AUTH`. */
        private readonly clientId: string,
        /** The app client's secret, when it has one. */
        private readonly clientSecret?: string,
    ) {
        this.call = stepCaller(endpoint);
    }

    /** USER_SRP_AUTH: answers PASSWORD_VERIFIER, and returns the next challenge or the tokens. */
    async srp(step: string, username: string, password: string): Promise<ChallengeOrTokens> {
        const session = createSrpSession(username, password, this.endpoint.userPoolId, false);
        const initiate: InitiateAuthCommandInput = wrapInitiateAuth(session, {
            ClientId: this.clientId,
            AuthFlow: "USER_SRP_AUTH",
            AuthParameters: this.withSecretHash(username, { USERNAME: username, CHALLENGE_NAME: "SRP_A" }),
        });
        const initiated = await this.call(step, (abortSignal) => this.client.send(new InitiateAuthCommand(initiate), { abortSignal }), initiate);
        if (initiated.ChallengeName !== "PASSWORD_VERIFIER") {
            throw new CognitoCallError(step, `expected the PASSWORD_VERIFIER challenge, got ${challengeOrTokens(initiated)}`);
        }
        const signed = signSrpSession(session, initiated);
        // Answer with the USERNAME Cognito sent back; the signature is over USER_ID_FOR_SRP.
        const srpUsername = initiated.ChallengeParameters?.USERNAME ?? initiated.ChallengeParameters?.USER_ID_FOR_SRP ?? username;
        const verifier: RespondToAuthChallengeCommandInput = {
            ClientId: this.clientId,
            ChallengeName: "PASSWORD_VERIFIER",
            Session: initiated.Session,
            ChallengeResponses: this.withSecretHash(srpUsername, { USERNAME: srpUsername }),
        };
        const answer = wrapAuthChallenge(signed, verifier);
        return this.call(step, (abortSignal) => this.client.send(new RespondToAuthChallengeCommand(answer), { abortSignal }), answer);
    }

    /** Answers NEW_PASSWORD_REQUIRED with a new password. */
    newPassword(step: string, challenge: ChallengeOrTokens, username: string, newPassword: string): Promise<ChallengeOrTokens> {
        return this.answer(step, "NEW_PASSWORD_REQUIRED", challenge.Session, challenge.ChallengeParameters?.USERNAME ?? username, { NEW_PASSWORD: newPassword });
    }

    /** AssociateSoftwareToken within an MFA_SETUP challenge: the TOTP secret (never print it) and the next session. */
    async associateSoftwareToken(step: string, challenge: ChallengeOrTokens): Promise<{ secret: string; session?: string }> {
        const input = { Session: challenge.Session };
        const associated = await this.call(step, (abortSignal) => this.client.send(new AssociateSoftwareTokenCommand(input), { abortSignal }), input);
        if (!associated.SecretCode) throw new CognitoCallError(step, "Cognito returned no TOTP secret");
        return { secret: associated.SecretCode, session: associated.Session ?? challenge.Session };
    }

    /** VerifySoftwareToken with a 6-digit code: the session to finish MFA_SETUP with. */
    async verifySoftwareToken(step: string, session: string | undefined, code: string, deviceName: string): Promise<string | undefined> {
        const input = { Session: session, UserCode: code, FriendlyDeviceName: deviceName };
        const verified = await this.call(step, (abortSignal) => this.client.send(new VerifySoftwareTokenCommand(input), { abortSignal }), input);
        if (verified.Status !== "SUCCESS") throw new CognitoCallError(step, `status ${verified.Status ?? "missing"}, not SUCCESS`);
        return verified.Session;
    }

    /** Answers MFA_SETUP once the software token is verified. */
    finishMfaSetup(step: string, session: string | undefined, username: string): Promise<ChallengeOrTokens> {
        return this.answer(step, "MFA_SETUP", session, username, {});
    }

    /** Answers SOFTWARE_TOKEN_MFA with a 6-digit code. */
    softwareTokenMfa(step: string, challenge: ChallengeOrTokens, username: string, code: string): Promise<ChallengeOrTokens> {
        return this.answer(step, "SOFTWARE_TOKEN_MFA", challenge.Session, challenge.ChallengeParameters?.USERNAME ?? username, { SOFTWARE_TOKEN_MFA_CODE: code });
    }

    /**
     * SetUserMFAPreference with the user's own access token: TOTP enabled and preferred. Cognito
     * asks for TOTP anyway while MFA is required; moto lists SOFTWARE_TOKEN_MFA in the user's
     * UserMFASettingList only after this call.
     * @param step The step's name in a failure.
     * @param accessToken The access token of the user's own sign-in.
     */
    async setTotpPreferred(step: string, accessToken: string): Promise<void> {
        const input = { AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } };
        await this.call(step, (abortSignal) => this.client.send(new SetUserMFAPreferenceCommand(input), { abortSignal }), input);
    }

    /** RespondToAuthChallenge: `name` (Cognito's name for the user) and `responses`, with the secret hash where the client has a secret. */
    private answer(step: string, challengeName: ChallengeNameType, session: string | undefined, name: string, responses: Record<string, string>): Promise<RespondToAuthChallengeCommandOutput> {
        const input = { ClientId: this.clientId, ChallengeName: challengeName, Session: session, ChallengeResponses: this.withSecretHash(name, { USERNAME: name, ...responses }) };
        return this.call(step, (abortSignal) => this.client.send(new RespondToAuthChallengeCommand(input), { abortSignal }), input);
    }

    private withSecretHash(name: string, parameters: Record<string, string>): Record<string, string> {
        return this.clientSecret ? { ...parameters, SECRET_HASH: createSecretHash(name, this.clientId, this.clientSecret) } : parameters;
    }
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
export function challengeOrTokens(response: ChallengeOrTokens): string {
    if (response.AuthenticationResult) return "tokens";
    return response.ChallengeName ? `the ${response.ChallengeName} challenge` : "neither a challenge nor tokens";
}

/** Fails the step unless the response holds access, ID and refresh tokens. */
export function expectTokens(step: string, response: ChallengeOrTokens): void {
    const tokens = response.AuthenticationResult;
    if (!tokens?.AccessToken || !tokens.IdToken || !tokens.RefreshToken) {
        throw new CognitoCallError(step, `expected access, ID and refresh tokens, got ${challengeOrTokens(response)}`);
    }
}

/** Where an endpoint's calls go, for messages: the endpoint given, or AWS's for the pool's region. */
function endpointName(endpoint: CognitoEndpoint): string {
    return endpoint.endpointUrl ?? `https://cognito-idp.${endpoint.region ?? endpoint.userPoolId.split("_")[0]}.amazonaws.com`;
}

/**
 * An AWS SDK or network error in one line, saying what happened: the connection refused or
 * closed, the host unknown, no answer in time, or AWS's error name and message. Never a request
 * body.
 */
export function describeError(error: unknown, endpoint: CognitoEndpoint): string {
    if (error instanceof CognitoCallError) return error.reason;
    const err = error as { name?: string; message?: string; code?: string; $metadata?: unknown; cause?: { code?: string } };
    const code = err?.code ?? err?.cause?.code;
    const where = endpointName(endpoint);
    // Network failures first: the SDK names a closed connection (ECONNRESET) a TimeoutError too.
    if (code === "ECONNREFUSED") return `cannot reach ${where}: connection refused (${code})`;
    if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `cannot resolve the host of ${where} (${code})`;
    if (code === "ECONNRESET" || code === "EPIPE") return `${where} closed the connection without an answer (${code})`;
    if (code === "ETIMEDOUT") return `cannot reach ${where}: no connection in time (${code})`;
    if (err?.name === "TimeoutError" || err?.name === "AbortError") {
        return `no answer from ${where} within ${(endpoint.callTimeoutMs ?? 10_000) / 1000} s (${err.name})`;
    }
    const detail = [err?.name && err.name !== "Error" ? err.name : code, err?.message || String(error)].filter(Boolean).join(": ");
    return err?.name === "CodeMismatchException" || err?.name === "EnableSoftwareTokenMFAException"
        ? `the TOTP code was rejected (${detail}); check that this machine's clock is right`
        : detail;
}

/**
 * Whether the endpoint said it does not know the operation: Cognito's UnknownOperationException
 * (an operation not yet in this region or partition), or an emulator's error page that is not
 * JSON (moto answers an operation it lacks with HTML, which the SDK cannot parse).
 */
export function isUnknownOperation(error: unknown): boolean {
    const err = error as CognitoCallError;
    return /UnknownOperation|InvalidAction|SyntaxError|Deserialization/.test(`${err?.errorName} ${err?.reason}`);
}

/** Why a cancel signal aborted: the text it was aborted with (such as a run's deadline), else "interrupted" (a signal, Ctrl-C). */
export function cancelReason(cancel: AbortSignal): string {
    return typeof cancel.reason === "string" ? cancel.reason : "interrupted";
}

/** Waits `ms`, or less when `cancel` aborts first (then it rejects). */
export function sleep(ms: number, cancel?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
        if (cancel?.aborted) return reject(new Error("interrupted"));
        const timer = setTimeout(() => {
            cancel?.removeEventListener("abort", onAbort);
            resolve();
        }, ms);
        const onAbort = () => {
            clearTimeout(timer);
            reject(new Error("interrupted"));
        };
        cancel?.addEventListener("abort", onAbort, { once: true });
    });
}
