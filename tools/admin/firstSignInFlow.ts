/**
 * An admin's first sign-in, step by step: the temporary password → a new password, checked
 * against the pool's policy before it is sent → an authenticator app, enrolled from a QR code →
 * TOTP recorded as the preferred MFA → optionally, one more sign-in with the new password and a
 * fresh code. Cognito's challenges are answered through the shared driver
 * (deploy/verifier/challenges.ts); what is said is in firstSignInMessages.ts; the questions go
 * through a {@link Prompter}.
 */
import { DescribeUserPoolClientCommand, DescribeUserPoolCommand } from "@aws-sdk/client-cognito-identity-provider";
import { Secret, TOTP } from "otpauth";
import { EXIT, signalExitStatus } from "../../deploy/commandLine";
import { PasswordPolicy, passwordShortfalls } from "../../deploy/components/cognitoRules";
import { ChallengeAnswers, signInThroughChallenges } from "../../deploy/verifier/challenges";
import { ChallengeOrTokens, CognitoEndpoint, CognitoSignIn, CognitoCallError, canSetUpTotp, cognitoClient, sleep, stepCaller } from "../../deploy/verifier/cognitoSignIn";
import { passwordPolicyOf } from "../../deploy/verifier/signIn";
import { stepOf, waitBeforeCode } from "../../deploy/verifier/totp";
import { DEVICE_NAME, FirstSignInMessages, Progress } from "./firstSignInMessages";
import { ReissueTarget } from "./reissue";
import { Prompter } from "./terminalPrompter";

// qrcode ships no type declarations: this is the one function used.
const { toString: qrCodeText } = require("qrcode") as {
    toString(text: string, options: { type: "terminal"; small: boolean }): Promise<string>;
};

/** The flow's exit status when it is stopped (its cancel signal aborted): 128 + SIGINT. The command line reports the signal's own. */
export const INTERRUPTED = signalExitStatus("SIGINT");

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
    /** The admin's index in the stack file's `adminUsers`, when known. */
    readonly adminUsersIndex?: number;
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

/** An end of the flow that is told in plain words rather than as an error. */
class Stop extends Error {
    constructor(readonly lines: readonly string[]) {
        super(lines[0]);
        this.name = "Stop";
    }
}

/** The first sign-in, one step a method, top to bottom. */
class FirstSignInFlow {
    private readonly call: ReturnType<typeof stepCaller>;
    private readonly text: FirstSignInMessages;
    private progress: Progress = "untouched";
    /** The password that now works: the new one, once Cognito took it. */
    private password = "";
    /** The 30-second step of the code that enrolled the authenticator. */
    private enrolmentStep: number | undefined;
    /** When the last enrolment code was typed. */
    private codeTypedAt = 0;

    constructor(
        private readonly options: FirstSignInOptions,
        private readonly prompter: Prompter,
        private readonly clock: Clock,
        private readonly client: ReturnType<typeof cognitoClient>,
    ) {
        this.call = stepCaller(options);
        const admin: ReissueTarget = { username: options.username, stack: options.stack, mainAdmin: options.mainAdmin, adminUsersIndex: options.adminUsersIndex };
        this.text = new FirstSignInMessages(admin, options.userPoolId);
    }

    async run(): Promise<number> {
        try {
            const pool = await this.describePool();
            this.text.header(pool.name).forEach((line) => this.say(line));
            this.password = await this.prompter.secret("Temporary password: ");
            let tokens;
            try {
                tokens = await signInThroughChallenges(pool.cognito, this.options.username, this.password, this.firstAnswers(pool.name, pool.policy));
            } catch (error) {
                const refusal = error instanceof CognitoCallError && error.step === "USER_SRP_AUTH" ? this.text.signInRefusal(error) : undefined;
                throw refusal ? new Stop(refusal) : error;
            }
            if (this.enrolmentStep === undefined) {
                // A re-issued password for an admin whose authenticator is still enrolled (a forgotten password).
                this.text.doneWithOldApp().forEach((line) => this.say(line));
                return EXIT.ok;
            }
            await pool.cognito.setTotpPreferred("SetUserMFAPreference", tokens.AccessToken as string);
            this.progress = "done";
            this.say(this.text.totpPreferred());
            if (this.options.check ?? true) await this.checkSignIn(pool.cognito);
            this.text.done().forEach((line) => this.say(line));
            return EXIT.ok;
        } catch (error) {
            return this.stopped(error);
        }
    }

    /**
     * DescribeUserPool: the pool's name (the authenticator's issuer) and its password policy.
     * DescribeUserPoolClient: the app client's secret, when it has one, which every sign-in call needs.
     */
    private async describePool(): Promise<{ name: string; policy: PasswordPolicy; cognito: CognitoSignIn }> {
        const { userPoolId, clientId } = this.options;
        const { UserPool: pool } = await this.call("DescribeUserPool", (abortSignal) =>
            this.client.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }), { abortSignal }),
        );
        const { UserPoolClient: appClient } = await this.call("DescribeUserPoolClient", (abortSignal) =>
            this.client.send(new DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: clientId }), { abortSignal }),
        );
        return {
            name: pool?.Name ?? userPoolId,
            policy: passwordPolicyOf(pool?.Policies?.PasswordPolicy),
            cognito: new CognitoSignIn(this.client, this.options, clientId, appClient?.ClientSecret),
        };
    }

    /**
     * The first sign-in's answers: the temporary password (or the user's own, from an earlier run)
     * → NEW_PASSWORD_REQUIRED → MFA_SETUP, or SOFTWARE_TOKEN_MFA for an authenticator still enrolled.
     */
    private firstAnswers(issuer: string, policy: PasswordPolicy): ChallengeAnswers {
        let chosen = "";
        return {
            deviceName: DEVICE_NAME,
            answered: (response, step) => {
                if (step === "USER_SRP_AUTH") return this.afterTemporaryPassword(response, policy);
                if (step === "NEW_PASSWORD_REQUIRED") {
                    this.progress = "passwordSet";
                    this.password = chosen;
                    this.say(this.text.newPasswordSet);
                    return this.afterNewPassword(response);
                }
                if (step === "MFA_SETUP") {
                    this.progress = "signedIn";
                    this.say(this.text.enrolled);
                } else {
                    this.progress = "done";
                    this.say(this.text.signedInWithApp);
                }
            },
            newPassword: async () => {
                chosen = await this.chooseNewPassword(policy);
                this.progress = "settingPassword";
                return chosen;
            },
            passwordRefused: (error) => {
                this.progress = "untouched";
                this.say(this.text.passwordRefused(error));
            },
            enrol: (secret) => this.showSecret(secret, issuer),
            code: async (purpose) => {
                const code = await this.askCode("6-digit code from the app: ");
                if (purpose === "enrol") {
                    this.codeTypedAt = this.clock.now();
                    this.progress = "verifyingCode";
                }
                return code;
            },
            verified: () => (this.enrolmentStep = stepOf(this.codeTypedAt)),
            codeRejected: (tries) => {
                if (this.progress === "verifyingCode") this.progress = "passwordSet";
                this.codeMismatch(tries);
            },
        };
    }

    /** Step 1's answer: a new password to choose, or an earlier run's password that goes on with the authenticator. */
    private afterTemporaryPassword(response: ChallengeOrTokens, policy: PasswordPolicy): void {
        if (response.ChallengeName === "NEW_PASSWORD_REQUIRED") {
            this.say(this.text.temporaryPasswordAccepted);
            this.say(this.text.choosePassword(passwordShortfalls("", policy)));
        } else if (response.ChallengeName === "MFA_SETUP") {
            this.progress = "passwordSet";
            this.say(this.text.alreadyOwnPassword);
            this.expectTotpSetUp(response);
        } else {
            throw new Stop(this.text.alreadyFinished(response));
        }
    }

    /** Step 2's answer: MFA_SETUP offering TOTP, or SOFTWARE_TOKEN_MFA for an authenticator still enrolled. */
    private afterNewPassword(response: ChallengeOrTokens): void {
        if (response.AuthenticationResult) throw new Stop([this.text.mfaNotOn()]);
        if (response.ChallengeName === "SOFTWARE_TOKEN_MFA") {
            this.say(this.text.stillEnrolled());
            return;
        }
        if (response.ChallengeName !== "MFA_SETUP") throw new Stop([this.text.noMfaSetup(response), ...this.text.whereThingsStand(this.progress)]);
        this.expectTotpSetUp(response);
    }

    private expectTotpSetUp(response: ChallengeOrTokens): void {
        if (!canSetUpTotp(response.ChallengeParameters?.MFAS_CAN_SETUP)) {
            throw new Stop([this.text.noTotpOffered, ...this.text.whereThingsStand(this.progress)]);
        }
    }

    /** Step 2: a new password, typed twice and checked against the pool's policy before it is sent. */
    private async chooseNewPassword(policy: PasswordPolicy): Promise<string> {
        for (;;) {
            const chosen = await this.prompter.secret("New password: ");
            const lacks = passwordShortfalls(chosen, policy);
            if (lacks.length > 0) {
                this.say(this.text.passwordLacks(lacks));
                continue;
            }
            if ((await this.prompter.secret("New password again: ")) === chosen) return chosen;
            this.say(this.text.passwordsDiffer);
        }
    }

    /** Step 3: the QR code and the key for the authenticator app. */
    private async showSecret(associated: string, issuer: string): Promise<void> {
        const secret = associated.toUpperCase();
        const uri = new TOTP({ issuer, label: this.options.username, secret: Secret.fromBase32(secret) }).toString();
        this.say(this.text.setUpApp);
        for (const line of qrCodeLines(await qrCodeText(uri, { type: "terminal", small: true }))) this.say(line);
        this.say(this.text.keyByHand);
        this.say(`  ${groupsOfFour(secret)}`);
    }

    /** Step 4: one more sign-in, with the new password and a code of a later 30-second step. */
    private async checkSignIn(cognito: CognitoSignIn): Promise<void> {
        this.say(this.text.checking);
        const wait = waitBeforeCode(this.clock.now(), this.enrolmentStep);
        if (wait > 0) await this.countdown(wait);
        await signInThroughChallenges(cognito, this.options.username, this.password, {
            stepPrefix: "check: ",
            deviceName: DEVICE_NAME,
            answered: (response, step) => {
                if (step === "check: USER_SRP_AUTH" && response.ChallengeName !== "SOFTWARE_TOKEN_MFA") {
                    throw new Stop([this.text.checkNotAskedForCode(response), ...this.text.whereThingsStand(this.progress)]);
                }
                if (response.AuthenticationResult) this.say(this.text.checked);
            },
            code: () => this.askCode("6-digit code from the app, now: "),
            codeRejected: (tries) => this.codeMismatch(tries),
        });
    }

    /** Waits `ms` for the app's next code, counting the seconds down. */
    private async countdown(ms: number): Promise<void> {
        this.say(this.text.countdown(ms));
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
            this.say(this.text.notSixDigits);
        }
    }

    /** Says a code did not match; after the last try, ends the flow. */
    private codeMismatch(tries: number): void {
        const line = this.text.codeMismatch(tries);
        if (line === undefined) throw new Stop([this.text.tooManyMismatches(), ...this.text.whereThingsStand(this.progress)]);
        this.say(line);
    }

    /** Says why the flow ended early and where things stand; returns the exit status. */
    private stopped(error: unknown): number {
        if (this.options.cancel?.aborted) {
            [this.text.stopped, ...this.text.whereThingsStand(this.progress)].forEach((line) => this.say(line));
            return INTERRUPTED;
        }
        if (error instanceof Stop) {
            error.lines.forEach((line) => this.say(line));
            return EXIT.failed;
        }
        if (error instanceof CognitoCallError && error.errorName === "NotAuthorizedException" && /session/i.test(error.reason)) {
            this.say(this.text.sessionExpired(error.step));
        } else {
            this.say(`✘ ${error instanceof CognitoCallError ? `${error.step}: ${error.reason}` : String((error as Error)?.message ?? error)}`);
        }
        this.text.whereThingsStand(this.progress).forEach((line) => this.say(line));
        return EXIT.failed;
    }

    private say(line: string): void {
        this.prompter.say(line);
    }
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
function groupsOfFour(secret: string): string {
    return (secret.match(/.{1,4}/g) ?? []).join(" ");
}
