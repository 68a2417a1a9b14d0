/**
 * `npm run admin:first-sign-in`: an admin's first sign-in to the pool, in a terminal. The
 * temporary password → a new password, checked against the pool's policy before it is sent →
 * an authenticator app, enrolled from a QR code → TOTP recorded as the preferred MFA → with
 * `--check`, one more sign-in with the new password and a fresh code.
 *
 * Passwords are typed without echo; no password, TOTP secret or token is ever an argument, an
 * environment variable, or written to a file. The secret is shown once, on the terminal, to
 * enrol the app. Ctrl-C stops at any point and says what has changed.
 */
import { DescribeUserPoolClientCommand, DescribeUserPoolCommand } from "@aws-sdk/client-cognito-identity-provider";
import { constants as osConstants } from "os";
import * as readline from "readline";
import { Writable } from "stream";
import { Secret, TOTP } from "otpauth";
import { CommandSpec, EXIT, ParsedCommandLine, UsageError, checkStackName, runCommand, runMain } from "../../deploy/commandLine";
import { PasswordPolicy, checkClientId, checkUserPoolId, checkUsername, passwordShortfalls } from "../../deploy/components/cognitoRules";
import { readStackOutputs, stringOutput } from "../../deploy/stackOutputs";
import { stopOnSignals } from "../../deploy/verifier/cli";
import {
    ChallengeOrTokens,
    CognitoEndpoint,
    CognitoSignIn,
    SignInVerificationError,
    Tokens,
    canSetUpTotp,
    challengeOrTokens,
    cognitoClient,
    expectTokens,
    sleep,
    stepCaller,
} from "../../deploy/verifier/cognitoSignIn";
import { passwordPolicyOf } from "../../deploy/verifier/signIn";
import { stepOf, waitBeforeCode } from "../../deploy/verifier/totp";
import { reissueCommand } from "./reissue";

// qrcode ships no type declarations: this is the one function used.
const { toString: qrCodeText } = require("qrcode") as {
    toString(text: string, options: { type: "terminal"; small: boolean }): Promise<string>;
};

/** The exit status after Ctrl-C (128 + SIGINT). */
export const INTERRUPTED = 130;

/** How many 6-digit codes are tried, at enrolment and again at the check, before giving up. */
export const MAX_CODE_TRIES = 3;

/** The name the authenticator gets in Cognito (VerifySoftwareToken's FriendlyDeviceName). */
export const DEVICE_NAME = "authenticator (admin:first-sign-in)";

/** The command's manual and options, for the shared parser. */
export const FIRST_SIGN_IN_COMMAND: CommandSpec = {
    name: "npm run admin:first-sign-in --",
    summary:
        "An admin's first sign-in, in a terminal: temporary password → new password → authenticator app (QR code) → one more sign-in to check it.",
    usage: [
        "--stack <name> [--username <name>] [--region <region>] [--endpoint-url <url>] [--no-check]",
        "--user-pool-id <id> --client-id <id> --username <name> [--region <region>] [--endpoint-url <url>] [--no-check]",
    ],
    options: {
        stack: {
            type: "string",
            short: "s",
            value: "<name>",
            description: "Read userPoolId, userPoolClientId and adminUsername from `pulumi stack output --json --stack <name>`.",
        },
        "user-pool-id": { type: "string", value: "<id>", description: "The user pool's id (stack output userPoolId)." },
        "client-id": { type: "string", value: "<id>", description: "The app client's id (stack output userPoolClientId)." },
        username: { type: "string", value: "<name>", description: "The admin's username. Default with --stack: the stack's adminUsername." },
        region: { type: "string", value: "<region>", description: "The AWS region. Default: the region in the user pool's id." },
        "endpoint-url": { type: "string", value: "<url>", description: "A Cognito endpoint instead of AWS's, such as a local moto server." },
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
        "finished the first sign-in); 2 usage error, or no terminal; 130 Ctrl-C (128 + the signal's number for other signals).",
    ].join("\n"),
};

/** The terminal, as the flow sees it: questions, answers and lines. Tests script it. */
export interface Prompter {
    /** Asks `question` and reads one line without echoing it: a password. Rejects when the flow is interrupted. */
    secret(question: string): Promise<string>;
    /** Asks `question` and reads one line, echoed: a 6-digit code. Rejects when the flow is interrupted. */
    text(question: string): Promise<string>;
    /** Prints one line. */
    say(line: string): void;
    /** Shows a line that the next status, line or question replaces, such as a countdown. */
    status(line: string): void;
}

/** Time, for the wait before the check's fresh code. Tests pass a clock that never really waits. */
export interface Clock {
    /** Milliseconds since the epoch. */
    now(): number;
    /** Waits `ms`; rejects when the flow is interrupted. */
    sleep(ms: number): Promise<void>;
}

/** Where the first sign-in happens, and for whom. */
export interface FirstSignInOptions extends CognitoEndpoint {
    /** The app client's id (stack output userPoolClientId). It must allow ALLOW_USER_SRP_AUTH. */
    readonly clientId: string;
    /** The admin's username. */
    readonly username: string;
    /** Whether to sign in once more at the end, with the new password and a fresh code. Default: true. */
    readonly check?: boolean;
    /** The stack, when known: the commands printed to re-issue a temporary password name it. */
    readonly stack?: string;
    /** Whether the admin is the stack's `adminUsername` user, when known: its re-issue key differs. */
    readonly mainAdmin?: boolean;
}

/**
 * The real clock: its waits end early, with an error, when `cancel` aborts.
 * @param cancel Aborted when the flow is stopped.
 */
export function realClock(cancel?: AbortSignal): Clock {
    return { now: () => Date.now(), sleep: (ms) => sleep(ms, cancel) };
}

/**
 * Runs the first sign-in and returns the exit status: {@link EXIT} ok or failed, or
 * {@link INTERRUPTED} when `options.cancel` aborts. Every outcome is told through `prompter`,
 * in plain words, with what changed and how to go on.
 * @param options Where the pool is, which admin, whether to check at the end, and the cancel signal.
 * @param prompter Asks the questions and prints the lines: the terminal, or a test's script.
 * @param clock Times the wait before the check's fresh code. Default: the real clock.
 */
export async function firstSignIn(options: FirstSignInOptions, prompter: Prompter, clock: Clock = realClock(options.cancel)): Promise<number> {
    const client = cognitoClient(options);
    try {
        return await new FirstSignInFlow(options, prompter, clock, client).run();
    } finally {
        client.destroy();
    }
}

/** How far the user got: what a stop at this point leaves behind. */
type Progress = "untouched" | "settingPassword" | "passwordSet" | "verifyingCode" | "signedIn" | "done";

/** An end of the flow that is told in plain words (already said) rather than as an error. */
class Stop extends Error {
    constructor(readonly lines: readonly string[]) {
        super(lines[0]);
        this.name = "Stop";
    }
}

/** The first sign-in, one step a method, top to bottom. */
class FirstSignInFlow {
    private readonly call: ReturnType<typeof stepCaller>;
    /** The sign-in calls, once DescribeUserPoolClient has told whether the app client has a secret. */
    private cognito!: CognitoSignIn;
    private progress: Progress = "untouched";
    /** The password that now works: the new one, once Cognito took it. */
    private password = "";
    /** Cognito's name for the user in challenge answers (`ChallengeParameters.USERNAME`). */
    private challengeUsername: string;
    /** The 30-second step of the code that enrolled the authenticator. */
    private enrolmentStep: number | undefined;

    constructor(
        private readonly options: FirstSignInOptions,
        private readonly prompter: Prompter,
        private readonly clock: Clock,
        private readonly client: ReturnType<typeof cognitoClient>,
    ) {
        this.call = stepCaller(options);
        this.challengeUsername = options.username;
    }

    async run(): Promise<number> {
        const { username } = this.options;
        try {
            const pool = await this.describePool();
            this.prompter.say(`First sign-in of ${username} to user pool ${pool.name} (${this.options.userPoolId}).`);
            this.prompter.say("Passwords are typed without echo. Ctrl-C stops at any point and says what changed.");
            let response = await this.signInWithTemporaryPassword();
            if (response.ChallengeName === "NEW_PASSWORD_REQUIRED") {
                response = await this.chooseNewPassword(response, pool.policy);
            } else if (response.ChallengeName === "MFA_SETUP") {
                this.progress = "passwordSet";
                this.prompter.say("✔ That is already this user's own password (an earlier run set it): going on with the authenticator.");
            } else {
                throw new Stop(this.alreadyFinished(response));
            }
            if (response.ChallengeName === "SOFTWARE_TOKEN_MFA") {
                // A re-issued password for an admin whose authenticator is still enrolled (a forgotten password).
                await this.signInWithAuthenticator(response);
                this.prompter.say(`Done: ${username} has a new password, and signs in with the authenticator app it had.`);
                return EXIT.ok;
            }
            const tokens = await this.enrolAuthenticator(response, pool.name);
            await this.cognito.setTotpPreferred("SetUserMFAPreference", tokens.AccessToken as string);
            this.progress = "done";
            this.prompter.say(`✔ TOTP is ${username}'s preferred MFA.`);
            if (this.options.check ?? true) await this.checkSignIn();
            this.prompter.say(`Done: ${username} has a password of their own and an authenticator app.`);
            this.prompter.say("Keep the app safe. If it is ever lost, an administrator gets you back in with npm run admin:recover.");
            return EXIT.ok;
        } catch (error) {
            return this.stopped(error);
        }
    }

    /**
     * DescribeUserPool: the pool's name (the authenticator's issuer) and its password policy.
     * DescribeUserPoolClient: the app client's secret, when it has one, which every sign-in call needs.
     */
    private async describePool(): Promise<{ name: string; policy: PasswordPolicy }> {
        const { userPoolId, clientId } = this.options;
        const { UserPool: pool } = await this.call("DescribeUserPool", (abortSignal) =>
            this.client.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }), { abortSignal }),
        );
        const { UserPoolClient: appClient } = await this.call("DescribeUserPoolClient", (abortSignal) =>
            this.client.send(new DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: clientId }), { abortSignal }),
        );
        this.cognito = new CognitoSignIn(this.client, this.options, clientId, appClient?.ClientSecret);
        return { name: pool?.Name ?? userPoolId, policy: passwordPolicyOf(pool?.Policies?.PasswordPolicy) };
    }

    /** Step 1: USER_SRP_AUTH with the temporary password; a refusal ends the flow with its fix. */
    private async signInWithTemporaryPassword(): Promise<ChallengeOrTokens> {
        this.password = await this.prompter.secret("Temporary password: ");
        let response: ChallengeOrTokens;
        try {
            response = await this.cognito.srp("USER_SRP_AUTH", this.options.username, this.password);
        } catch (error) {
            const refusal = error instanceof SignInVerificationError ? this.signInRefusal(error) : undefined;
            throw refusal ? new Stop(refusal) : error;
        }
        this.challengeUsername = response.ChallengeParameters?.USERNAME ?? this.options.username;
        if (response.ChallengeName === "NEW_PASSWORD_REQUIRED") this.prompter.say("✔ Temporary password accepted: Cognito asks for a new password.");
        return response;
    }

    /** Step 2: a new password, typed twice and checked against the pool's policy before it is sent. */
    private async chooseNewPassword(challenge: ChallengeOrTokens, policy: PasswordPolicy): Promise<ChallengeOrTokens> {
        this.prompter.say(`Choose a new password. It needs ${passwordShortfalls("", policy).join(", ")}.`);
        for (;;) {
            const chosen = await this.prompter.secret("New password: ");
            const lacks = passwordShortfalls(chosen, policy);
            if (lacks.length > 0) {
                this.prompter.say(`✘ That password needs ${lacks.join(", ")}. Try another.`);
                continue;
            }
            if ((await this.prompter.secret("New password again: ")) !== chosen) {
                this.prompter.say("✘ The two passwords differ. Try again.");
                continue;
            }
            this.progress = "settingPassword";
            try {
                const response = await this.cognito.newPassword("NEW_PASSWORD_REQUIRED", challenge, this.options.username, chosen);
                this.progress = "passwordSet";
                this.password = chosen;
                this.prompter.say("✔ New password set.");
                return response;
            } catch (error) {
                if ((error as SignInVerificationError).errorName !== "InvalidPasswordException") throw error;
                this.progress = "untouched";
                this.prompter.say(`✘ Cognito refused that password (${awsMessage(error as SignInVerificationError)}). Try another.`);
            }
        }
    }

    /** Step 3: MFA_SETUP: show the QR code and key, verify a code, finish the challenge. */
    private async enrolAuthenticator(challenge: ChallengeOrTokens, issuer: string): Promise<Tokens> {
        if (challenge.AuthenticationResult) {
            throw new Stop([`✘ The new password is set, but Cognito signed ${this.options.username} in without asking for an authenticator: the pool's MFA is not ON.`]);
        }
        if (challenge.ChallengeName !== "MFA_SETUP") {
            throw new Stop([`✘ Cognito did not ask to set up an authenticator: it answered with ${challengeOrTokens(challenge)}.`, ...this.whereThingsStand()]);
        }
        if (!canSetUpTotp(challenge.ChallengeParameters?.MFAS_CAN_SETUP)) {
            throw new Stop(["✘ Cognito asks to set up MFA but does not offer an authenticator app (SOFTWARE_TOKEN_MFA).", ...this.whereThingsStand()]);
        }
        const associated = await this.cognito.associateSoftwareToken("AssociateSoftwareToken", challenge);
        const secret = associated.secret.toUpperCase();
        const uri = new TOTP({ issuer, label: this.options.username, secret: Secret.fromBase32(secret) }).toString();
        this.prompter.say("Set up your authenticator app (Google Authenticator, Microsoft Authenticator, 1Password, …). Scan this QR code:");
        for (const line of qrCodeLines(await qrCodeText(uri, { type: "terminal", small: true }))) this.prompter.say(line);
        this.prompter.say("or add this key by hand (time-based, 6 digits, every 30 s):");
        this.prompter.say(`  ${groupsOfFour(secret)}`);
        let session: string | undefined;
        for (let tries = 1; ; tries++) {
            const code = await this.askCode("6-digit code from the app: ");
            const typedAt = this.clock.now();
            this.progress = "verifyingCode";
            try {
                session = (await this.cognito.verifySoftwareToken("VerifySoftwareToken", associated.session, code, DEVICE_NAME)) ?? associated.session;
                this.enrolmentStep = stepOf(typedAt);
                break;
            } catch (error) {
                if (!isWrongCode(error)) throw error;
                this.progress = "passwordSet";
                this.codeMismatch(tries);
            }
        }
        const response = await this.cognito.finishMfaSetup("MFA_SETUP", session, this.challengeUsername);
        expectTokens("MFA_SETUP", response);
        this.progress = "signedIn";
        this.prompter.say(`✔ Authenticator enrolled as "${DEVICE_NAME}"; signed in.`);
        return response.AuthenticationResult as Tokens;
    }

    /** After a new password, an authenticator that is still enrolled: its code finishes the sign-in. */
    private async signInWithAuthenticator(challenge: ChallengeOrTokens): Promise<void> {
        this.prompter.say(`${this.options.username}'s authenticator app is still enrolled: Cognito asks for its code.`);
        for (let tries = 1; ; tries++) {
            const code = await this.askCode("6-digit code from the app: ");
            try {
                expectTokens("SOFTWARE_TOKEN_MFA", await this.cognito.softwareTokenMfa("SOFTWARE_TOKEN_MFA", challenge, this.challengeUsername, code));
                this.progress = "done";
                this.prompter.say("✔ Signed in with the new password and the app's code.");
                return;
            } catch (error) {
                if (!isWrongCode(error)) throw error;
                this.codeMismatch(tries);
            }
        }
    }

    /** Step 4: one more sign-in, with the new password and a code of a later 30-second step. */
    private async checkSignIn(): Promise<void> {
        this.prompter.say("Checking: one more sign-in with the new password and a fresh code.");
        const wait = waitBeforeCode(this.clock.now(), this.enrolmentStep);
        if (wait > 0) await this.countdown(wait);
        for (let tries = 1; ; tries++) {
            const challenge = await this.cognito.srp("check: USER_SRP_AUTH", this.options.username, this.password);
            if (challenge.ChallengeName !== "SOFTWARE_TOKEN_MFA") {
                throw new Stop([`✘ The check's sign-in was not asked for a code: Cognito answered with ${challengeOrTokens(challenge)}.`, ...this.whereThingsStand()]);
            }
            const code = await this.askCode("6-digit code from the app, now: ");
            try {
                expectTokens("check: SOFTWARE_TOKEN_MFA", await this.cognito.softwareTokenMfa("check: SOFTWARE_TOKEN_MFA", challenge, this.challengeUsername, code));
                this.prompter.say("✔ Signed in with the new password and a fresh code: the authenticator works.");
                return;
            } catch (error) {
                if (!isWrongCode(error)) throw error;
                this.codeMismatch(tries);
            }
        }
    }

    /** Waits `ms` for the app's next code, counting the seconds down. */
    private async countdown(ms: number): Promise<void> {
        this.prompter.say(`Cognito takes each code once: waiting ${Math.ceil(ms / 1000)} s for the app's next code.`);
        for (let left = ms; left > 0; ) {
            this.prompter.status(`  ${Math.ceil(left / 1000)} s…`);
            const tick = left % 1000 || 1000;
            await this.clock.sleep(tick);
            left -= tick;
        }
    }

    /** Asks for a code until the answer is 6 digits (spaces allowed). */
    private async askCode(question: string): Promise<string> {
        for (;;) {
            const code = (await this.prompter.text(question)).replace(/\s+/g, "");
            if (/^\d{6}$/.test(code)) return code;
            this.prompter.say("✘ A code is 6 digits, such as 123456.");
        }
    }

    /** Says a code did not match; after the last try, ends the flow. */
    private codeMismatch(tries: number): void {
        if (tries >= MAX_CODE_TRIES) {
            throw new Stop([
                `✘ The code did not match, ${MAX_CODE_TRIES} times. Check that the phone sets its clock automatically, and that the app shows ${this.options.username}'s entry.`,
                ...this.whereThingsStand(),
            ]);
        }
        const left = MAX_CODE_TRIES - tries;
        this.prompter.say(
            `✘ That code does not match. Type the code the app shows now (${left} ${left === 1 ? "try" : "tries"} left); ` +
                "if codes keep failing, check that the phone sets its clock automatically.",
        );
    }

    /** The words for a user who has already finished the first sign-in: nothing was changed. */
    private alreadyFinished(response: ChallengeOrTokens): string[] {
        const { username } = this.options;
        const answer =
            response.ChallengeName === "SOFTWARE_TOKEN_MFA"
                ? "Cognito asks for an authenticator code, not a new password"
                : response.AuthenticationResult
                  ? "Cognito signed it in without asking for a new password (nor for a code: is the pool's MFA ON?)"
                  : `Cognito answered with ${challengeOrTokens(response)}, not a request for a new password`;
        return [`✘ ${username} has already finished the first sign-in: ${answer}. Nothing changed.`, `  ${this.statusCommand()} shows the user's state.`];
    }

    /** The words for a refused first sign-in, or `undefined` when it is not one this flow explains. */
    private signInRefusal(error: SignInVerificationError): string[] | undefined {
        const { username, userPoolId } = this.options;
        const message = awsMessage(error);
        const s = `--stack ${this.options.stack ?? "<stack>"}`;
        if (error.errorName === "UserNotFoundException") {
            return [`✘ There is no user ${username} in user pool ${userPoolId} (Cognito: "${message}"). Nothing changed.`];
        }
        if (error.errorName !== "NotAuthorizedException") return undefined;
        if (/temporary password has expired/i.test(message)) {
            return [
                `✘ ${username}'s temporary password has expired (Cognito: "${message}"). Nothing changed.`,
                "  Re-issue it, then run this command again:",
                `  - a generated password: ${reissueCommand({ username, stack: this.options.stack, mainAdmin: this.options.mainAdmin }, "<any new text>")} && pulumi up ${s}`,
                `    then read it with: pulumi stack output ${this.options.mainAdmin ? "adminTemporaryPassword" : "adminTemporaryPasswords"} --show-secrets ${s}`,
                `  - a password you set: pulumi config set --secret adminTemporaryPassword ${s} && pulumi up ${s}`,
                `  ${this.statusCommand()} shows when the new one expires.`,
            ];
        }
        if (/disabled/i.test(message)) return [`✘ ${username} is disabled in the pool (Cognito: "${message}"). Nothing changed.`];
        if (/attempts exceeded/i.test(message)) {
            return [`✘ Too many wrong passwords: Cognito has locked ${username} out for a while (Cognito: "${message}"). Nothing changed. Try again later.`];
        }
        return [
            `✘ Cognito did not accept the username and temporary password (Cognito: "${message}"). Nothing changed.`,
            `  Check the username (${username}) and the temporary password; a generated one is shown by pulumi stack output adminTemporaryPassword --show-secrets ${s}.`,
            "  Cognito locks a user out for a while after several wrong passwords.",
        ];
    }

    /** What a stop now leaves behind, and how to go on. */
    private whereThingsStand(): string[] {
        const { username } = this.options;
        const rerun = "run this command again and type the NEW password at the first prompt";
        switch (this.progress) {
            case "untouched":
                return [`  Nothing changed: the temporary password still works until it expires (${this.statusCommand()} shows when).`];
            case "settingPassword":
                return [
                    "  The new password was on its way to Cognito: it may or may not be set.",
                    "  Run this command again with the temporary password; if Cognito says it is wrong, type the new password instead.",
                ];
            case "passwordSet":
                return [
                    `  The new password is set: ${username} is CONFIRMED and the temporary password no longer works, but no authenticator is enrolled yet.`,
                    `  To finish, ${rerun}: it goes straight to the authenticator.`,
                ];
            case "verifyingCode":
                return [
                    "  The authenticator code was on its way to Cognito: the authenticator may be enrolled.",
                    `  To find out, ${rerun}: it either goes on with the authenticator or says the first sign-in is already finished.`,
                ];
            case "signedIn":
                return [
                    `  The first sign-in is finished (new password set, authenticator enrolled), but TOTP may not be recorded as ${username}'s preferred MFA.`,
                    "  Cognito still asks for a code at every sign-in while the pool's MFA is ON.",
                ];
            case "done":
                return ["  The first sign-in is finished: new password set, authenticator enrolled. Only the final check did not run."];
        }
    }

    /** Says why the flow ended early and where things stand; returns the exit status. */
    private stopped(error: unknown): number {
        if (this.options.cancel?.aborted) {
            this.prompter.say("Stopped.");
            this.whereThingsStand().forEach((line) => this.prompter.say(line));
            return INTERRUPTED;
        }
        if (error instanceof Stop) {
            error.lines.forEach((line) => this.prompter.say(line));
            return EXIT.failed;
        }
        if (error instanceof SignInVerificationError && error.errorName === "NotAuthorizedException" && /session/i.test(error.reason)) {
            this.prompter.say(`✘ ${error.step}: the sign-in session expired; Cognito gives each step a few minutes (the app client's AuthSessionValidity).`);
        } else {
            this.prompter.say(`✘ ${error instanceof SignInVerificationError ? `${error.step}: ${error.reason}` : String((error as Error)?.message ?? error)}`);
        }
        this.whereThingsStand().forEach((line) => this.prompter.say(line));
        return EXIT.failed;
    }

    private statusCommand(): string {
        return this.options.stack ? `npm run admin:status -- --stack ${this.options.stack}` : "npm run admin:status";
    }
}

/** Whether Cognito (or moto) said the TOTP code was wrong, or already used. */
function isWrongCode(error: unknown): boolean {
    return ["CodeMismatchException", "EnableSoftwareTokenMFAException", "ExpiredCodeException"].includes(
        (error as SignInVerificationError)?.errorName ?? "",
    );
}

/** The AWS error's own message, without its name. */
function awsMessage(error: SignInVerificationError): string {
    const prefix = `${error.errorName}: `;
    return error.reason.startsWith(prefix) ? error.reason.slice(prefix.length) : error.reason;
}

/**
 * The lines of a QR code drawn for a terminal, less those that only set colours (its last one).
 * @param drawn What qrcode's `toString` drew, with `type: "terminal"`.
 */
export function qrCodeLines(drawn: string): string[] {
    return drawn.split("\n").filter((line) => line.replace(/\x1b\[[0-9;]*m/g, "") !== "");
}

/**
 * A base32 secret in groups of four, for typing by hand.
 * @param secret The secret, as AssociateSoftwareToken gave it (upper-cased).
 */
export function groupsOfFour(secret: string): string {
    return (secret.match(/.{1,4}/g) ?? []).join(" ");
}

/**
 * The {@link Prompter} on this process's terminal: readline, echoing keys only while a code is
 * typed (never a password, nor keys typed ahead), and keeping no line history. Ctrl-C at any
 * time calls `onInterrupt`; a question waiting for its answer rejects as soon as `cancel`
 * aborts. {@link close} gives the terminal back in its normal mode.
 */
export class TerminalPrompter implements Prompter {
    private readonly lines: readline.Interface;
    private readonly answers: AsyncIterator<string>;
    private readonly isTerminal: boolean;
    private muted = true;
    private statusShown = false;

    constructor(
        /** Where answers are typed (standard input). */
        input: NodeJS.ReadableStream & { isTTY?: boolean },
        /** Where questions and lines go (standard output). */
        private readonly output: NodeJS.WritableStream & { isTTY?: boolean },
        /** Aborted when the flow is stopped: a waiting question rejects. */
        private readonly cancel: AbortSignal,
        /** Called on Ctrl-C, which the terminal, in raw mode, hands over as a key. */
        onInterrupt: () => void,
    ) {
        this.isTerminal = input.isTTY === true && output.isTTY === true;
        const echo = new Writable({
            write: (chunk: Buffer, _encoding, done) => {
                if (!this.muted) output.write(chunk);
                done();
            },
        });
        this.lines = readline.createInterface({ input, output: echo, terminal: this.isTerminal, historySize: 0 });
        this.lines.on("SIGINT", onInterrupt);
        this.answers = this.lines[Symbol.asyncIterator]();
    }

    /** Asks `question`; what is typed is not shown. */
    secret(question: string): Promise<string> {
        return this.ask(question, true);
    }

    /** Asks `question`; what is typed is shown. */
    text(question: string): Promise<string> {
        return this.ask(question, false);
    }

    /** Prints one line, in place of a status line. */
    say(line: string): void {
        this.clearStatus();
        this.output.write(`${line}\n`);
    }

    /** Shows `line` in place of the last status line; only on a terminal. */
    status(line: string): void {
        if (!this.isTerminal) return;
        this.output.write(`\r\x1b[2K${line}`);
        this.statusShown = true;
    }

    /** Stops reading, and puts the terminal back in its normal (cooked, echoing) mode. */
    close(): void {
        this.lines.close();
    }

    /**
     * Echo is on only while a visible question waits for its answer: keys typed ahead, during a
     * call to Cognito, may be a password. A password question is written past readline, which
     * would otherwise show a line typed ahead after it.
     */
    private async ask(question: string, secret: boolean): Promise<string> {
        this.clearStatus();
        this.lines.setPrompt(question);
        if (secret) {
            this.output.write(question);
        } else {
            this.muted = false;
            this.lines.prompt();
        }
        let answered = false;
        try {
            const answer = await untilAborted(this.answers.next(), this.cancel);
            if (answer.done) throw new Error("standard input closed before an answer");
            answered = true;
            return answer.value;
        } finally {
            this.muted = true;
            // readline ends a visible answer's line itself; a muted or abandoned one needs it ended.
            if (secret || !answered) this.output.write("\n");
        }
    }

    private clearStatus(): void {
        if (!this.statusShown) return;
        this.output.write("\r\x1b[2K");
        this.statusShown = false;
    }
}

/** `promise`, or a rejection as soon as `cancel` aborts. */
function untilAborted<T>(promise: Promise<T>, cancel: AbortSignal): Promise<T> {
    return new Promise((resolve, reject) => {
        const onAbort = () => reject(new Error("interrupted"));
        if (cancel.aborted) return onAbort();
        cancel.addEventListener("abort", onAbort, { once: true });
        promise.then(
            (value) => {
                cancel.removeEventListener("abort", onAbort);
                resolve(value);
            },
            (error) => {
                cancel.removeEventListener("abort", onAbort);
                reject(error);
            },
        );
    });
}

/** What the command needs to know about where it runs. */
export interface RunContext {
    /** Whether standard input and standard output are both terminals. */
    readonly terminal: boolean;
    /** The environment, for `CI`. */
    readonly env: NodeJS.ProcessEnv;
    /** Reads a stack's outputs. Default: the Pulumi CLI. */
    readonly stackOutputs?: (stack: string) => Record<string, unknown>;
}

/**
 * The flow's options from the command line (and, with --stack, from the stack's outputs); a
 * {@link UsageError} when they do not add up, or when there is no terminal and no leave to run
 * without one. The terminal is checked before the stack's outputs are read.
 * @param parsed The parsed command line.
 * @param context Whether there is a terminal, the environment, and how to read a stack's outputs.
 */
export function optionsFromArgs(parsed: ParsedCommandLine, context: RunContext): FirstSignInOptions {
    const values = parsed.values as Record<string, string | boolean | undefined>;
    const given = (name: string) => values[name] as string | undefined;
    let userPoolId = given("user-pool-id");
    let clientId = given("client-id");
    let username = given("username");
    if (values.check && values["no-check"]) throw new UsageError("give --check or --no-check, not both");
    const stack = given("stack") === undefined ? undefined : checkStackName(given("stack") as string);
    if (stack !== undefined && (userPoolId !== undefined || clientId !== undefined)) {
        throw new UsageError("--stack reads the ids from the stack: give either --stack or both ids, not both");
    }
    if (stack === undefined && (userPoolId === undefined || clientId === undefined)) throw new UsageError("give --stack, or --user-pool-id and --client-id");
    if (stack === undefined && username === undefined) {
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
    let mainAdmin: boolean | undefined;
    if (stack !== undefined) {
        const outputs = (context.stackOutputs ?? readStackOutputs)(stack);
        userPoolId = stringOutput(outputs, "userPoolId", stack);
        clientId = stringOutput(outputs, "userPoolClientId", stack);
        const adminUsername = stringOutput(outputs, "adminUsername", stack);
        username ??= adminUsername;
        mainAdmin = username === adminUsername;
    }
    for (const [option, value, rule] of [
        ["--user-pool-id", userPoolId, checkUserPoolId(userPoolId)],
        ["--client-id", clientId, checkClientId(clientId)],
        ["--username", username, checkUsername(username)],
    ] as const) {
        if (rule) throw new UsageError(`${option} ${rule} (got ${JSON.stringify(value)})`);
    }
    return {
        userPoolId: userPoolId as string,
        clientId: clientId as string,
        username: username as string,
        region: given("region"),
        endpointUrl: given("endpoint-url"),
        check: !values["no-check"],
        stack,
        mainAdmin,
    };
}

/**
 * Runs the command on this process's terminal and returns its exit status.
 * @param argv The arguments after the script's name.
 */
export async function main(argv: readonly string[]): Promise<number> {
    return runCommand(FIRST_SIGN_IN_COMMAND, argv, async (parsed) => {
        const options = optionsFromArgs(parsed, { terminal: process.stdin.isTTY === true && process.stdout.isTTY === true, env: process.env });
        const signals = stopOnSignals();
        const ctrlC = new AbortController();
        const cancel = AbortSignal.any([signals.cancel, ctrlC.signal]);
        const prompter = new TerminalPrompter(process.stdin, process.stdout, cancel, () => ctrlC.abort());
        try {
            const status = await firstSignIn({ ...options, cancel }, prompter, realClock(cancel));
            const signal = signals.stoppedBy();
            return signal ? 128 + osConstants.signals[signal] : status;
        } finally {
            prompter.close();
            signals.release();
        }
    });
}

if (require.main === module) runMain(main);
