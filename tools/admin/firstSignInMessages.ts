/**
 * What `admin:first-sign-in` says: each step's line, and, when it stops, what changed and how to
 * go on, with the commands to run (quoted for the shell).
 */
import { shellCommand } from "../../deploy/commandLine";
import { ChallengeOrTokens, CognitoCallError, challengeOrTokens } from "../../deploy/verifier/cognitoSignIn";
import { ReissueTarget, reissueCommand, stackWords, temporaryPasswordOutput } from "./reissue";

/** How far the user got: what a stop at this point leaves behind. */
export type Progress = "untouched" | "settingPassword" | "passwordSet" | "verifyingCode" | "signedIn" | "done";

/** How many 6-digit codes are tried, at enrolment and again at the check, before giving up. */
export const MAX_CODE_TRIES = 3;

/** The name the authenticator gets in Cognito (VerifySoftwareToken's FriendlyDeviceName). */
export const DEVICE_NAME = "authenticator (admin:first-sign-in)";

/** The first sign-in's lines, for one admin of one pool. */
export class FirstSignInMessages {
    constructor(
        /** The admin, and its stack when known: the commands printed name them. */
        private readonly admin: ReissueTarget,
        /** The user pool's id. */
        private readonly userPoolId: string,
    ) {}

    header(poolName: string): string[] {
        return [
            `First sign-in of ${this.admin.username} to user pool ${poolName} (${this.userPoolId}).`,
            "Passwords are typed without echo. Ctrl-C stops at any point and says what changed.",
        ];
    }

    readonly temporaryPasswordAccepted = "✔ Temporary password accepted: Cognito asks for a new password.";
    readonly alreadyOwnPassword = "✔ That is already this user's own password (an earlier run set it): going on with the authenticator.";
    readonly passwordsDiffer = "✘ The two passwords differ. Try again.";
    readonly newPasswordSet = "✔ New password set.";
    readonly setUpApp = "Set up your authenticator app (Google Authenticator, Microsoft Authenticator, 1Password, …). Scan this QR code:";
    readonly keyByHand = "or add this key by hand (time-based, 6 digits, every 30 s):";
    readonly enrolled = `✔ Authenticator enrolled as "${DEVICE_NAME}"; signed in.`;
    readonly checking = "Checking: one more sign-in with the new password and a fresh code.";
    readonly checked = "✔ Signed in with the new password and a fresh code: the authenticator works.";
    readonly signedInWithApp = "✔ Signed in with the new password and the app's code.";
    readonly notSixDigits = "✘ A code is 6 digits, such as 123456.";
    readonly stopped = "Stopped.";

    choosePassword(needs: readonly string[]): string {
        return `Choose a new password. It needs ${needs.join(", ")}.`;
    }

    passwordLacks(lacks: readonly string[]): string {
        return `✘ That password needs ${lacks.join(", ")}. Try another.`;
    }

    passwordRefused(error: CognitoCallError): string {
        return `✘ Cognito refused that password (${awsMessage(error)}). Try another.`;
    }

    stillEnrolled(): string {
        return `${this.admin.username}'s authenticator app is still enrolled: Cognito asks for its code.`;
    }

    totpPreferred(): string {
        return `✔ TOTP is ${this.admin.username}'s preferred MFA.`;
    }

    countdown(ms: number): string {
        return `Cognito takes each code once: waiting ${Math.ceil(ms / 1000)} s for the app's next code.`;
    }

    doneWithOldApp(): string[] {
        return [`Done: ${this.admin.username} has a new password, and signs in with the authenticator app it had.`];
    }

    done(): string[] {
        return [
            `Done: ${this.admin.username} has a password of their own and an authenticator app.`,
            "Keep the app safe. If it is ever lost, an administrator gets you back in with npm run admin:recover.",
        ];
    }

    /** A wrong code, with the tries left; `undefined` after the last try. */
    codeMismatch(tries: number): string | undefined {
        const left = MAX_CODE_TRIES - tries;
        if (left <= 0) return undefined;
        return (
            `✘ That code does not match. Type the code the app shows now (${left} ${left === 1 ? "try" : "tries"} left); ` +
            "if codes keep failing, check that the phone sets its clock automatically."
        );
    }

    tooManyMismatches(): string {
        return `✘ The code did not match, ${MAX_CODE_TRIES} times. Check that the phone sets its clock automatically, and that the app shows ${this.admin.username}'s entry.`;
    }

    mfaNotOn(): string {
        return `✘ The new password is set, but Cognito signed ${this.admin.username} in without asking for an authenticator: the pool's MFA is not ON.`;
    }

    noMfaSetup(response: ChallengeOrTokens): string {
        return `✘ Cognito did not ask to set up an authenticator: it answered with ${challengeOrTokens(response)}.`;
    }

    readonly noTotpOffered = "✘ Cognito asks to set up MFA but does not offer an authenticator app (SOFTWARE_TOKEN_MFA).";

    checkNotAskedForCode(response: ChallengeOrTokens): string {
        return `✘ The check's sign-in was not asked for a code: Cognito answered with ${challengeOrTokens(response)}.`;
    }

    sessionExpired(step: string): string {
        return `✘ ${step}: the sign-in session expired; Cognito gives each step a few minutes (the app client's AuthSessionValidity).`;
    }

    /** The words for a user who has already finished the first sign-in: nothing was changed. */
    alreadyFinished(response: ChallengeOrTokens): string[] {
        const answer =
            response.ChallengeName === "SOFTWARE_TOKEN_MFA"
                ? "Cognito asks for an authenticator code, not a new password"
                : response.AuthenticationResult
                  ? "Cognito signed it in without asking for a new password (nor for a code: is the pool's MFA ON?)"
                  : `Cognito answered with ${challengeOrTokens(response)}, not a request for a new password`;
        return [`✘ ${this.admin.username} has already finished the first sign-in: ${answer}. Nothing changed.`, `  ${this.statusCommand()} shows the user's state.`];
    }

    /** The words for a refused first sign-in, or `undefined` when it is not one this flow explains. */
    signInRefusal(error: CognitoCallError): string[] | undefined {
        const { username } = this.admin;
        const message = awsMessage(error);
        const stack = stackWords(this.admin.stack);
        const up = shellCommand(["pulumi", "up", ...stack]);
        const output = shellCommand(["pulumi", "stack", "output", "adminTemporaryPassword", "--show-secrets", ...stack]);
        if (error.errorName === "UserNotFoundException") {
            return [`✘ There is no user ${username} in user pool ${this.userPoolId} (Cognito: "${message}"). Nothing changed.`];
        }
        if (error.errorName !== "NotAuthorizedException") return undefined;
        if (/temporary password has expired/i.test(message)) {
            return [
                `✘ ${username}'s temporary password has expired (Cognito: "${message}"). Nothing changed.`,
                "  Re-issue it, then run this command again:",
                `  - a generated password: ${reissueCommand(this.admin, "<any new text>")} && ${up}`,
                `    then read it with: pulumi stack output ${temporaryPasswordOutput(this.admin)} --show-secrets ${shellCommand(stack)}`,
                `  - a password you set: ${shellCommand(["pulumi", "config", "set", "--secret", "adminTemporaryPassword", ...stack])} && ${up}`,
                `  ${this.statusCommand()} shows when the new one expires.`,
            ];
        }
        if (/disabled/i.test(message)) return [`✘ ${username} is disabled in the pool (Cognito: "${message}"). Nothing changed.`];
        if (/attempts exceeded/i.test(message)) {
            return [`✘ Too many wrong passwords: Cognito has locked ${username} out for a while (Cognito: "${message}"). Nothing changed. Try again later.`];
        }
        return [
            `✘ Cognito did not accept the username and temporary password (Cognito: "${message}"). Nothing changed.`,
            `  Check the username (${username}) and the temporary password; a generated one is shown by ${output}.`,
            "  Cognito locks a user out for a while after several wrong passwords.",
        ];
    }

    /** What a stop at `progress` leaves behind, and how to go on. */
    whereThingsStand(progress: Progress): string[] {
        const { username } = this.admin;
        const rerun = "run this command again and type the NEW password at the first prompt";
        switch (progress) {
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

    /** The admin:status command for this stack. */
    statusCommand(): string {
        return shellCommand(["npm", "run", "admin:status", ...(this.admin.stack ? ["--", "--stack", this.admin.stack] : [])]);
    }
}

/** The AWS error's own message, without its name. */
function awsMessage(error: CognitoCallError): string {
    const prefix = `${error.errorName}: `;
    return error.reason.startsWith(prefix) ? error.reason.slice(prefix.length) : error.reason;
}
