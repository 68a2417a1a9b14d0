/**
 * The one sign-in challenge driver: USER_SRP_AUTH, then whichever of NEW_PASSWORD_REQUIRED,
 * MFA_SETUP (AssociateSoftwareToken, VerifySoftwareToken) and SOFTWARE_TOKEN_MFA Cognito asks
 * for, in the order it asks, until it issues tokens. The sign-in verifier and the admin's first
 * sign-in both sign in through it; each says, through its {@link ChallengeAnswers}, which
 * challenges it expects, what it answers and what it prints.
 */
import { ChallengeOrTokens, CognitoSignIn, CognitoCallError, Tokens, expectTokens } from "./cognitoSignIn";

/** What a code is for. */
export type CodePurpose = "enrol" | "sign-in";

/** How one sign-in answers Cognito. Any hook may throw to end the sign-in there. */
export interface ChallengeAnswers {
    /** Put before each step's name in failures, such as `sign-in 1: ` (`sign-in 1: MFA_SETUP`). Default: none. */
    readonly stepPrefix?: string;
    /** The name the software token gets (VerifySoftwareToken's FriendlyDeviceName). */
    readonly deviceName: string;
    /**
     * Each answer from Cognito, before it is acted on; `step` is the call it answered, such as
     * `sign-in 1: USER_SRP_AUTH`. Tokens reach it once they are known to be complete. Throw to
     * refuse an answer this sign-in must not get, such as tokens where a TOTP challenge was due.
     */
    answered(response: ChallengeOrTokens, step: string): void | Promise<void>;
    /** NEW_PASSWORD_REQUIRED: the new password to send; asked again after {@link passwordRefused} returns. Absent: this sign-in cannot answer it. */
    newPassword?(): Promise<string>;
    /** Cognito refused the new password (InvalidPasswordException): return to be asked for another. Default: the sign-in fails. */
    passwordRefused?(error: CognitoCallError): void;
    /** MFA_SETUP: the TOTP secret Cognito associated, to enrol in an authenticator. Absent: this sign-in cannot answer MFA_SETUP. */
    enrol?(secret: string): void | Promise<void>;
    /** A 6-digit code, to verify the software token (`enrol`) or to answer SOFTWARE_TOKEN_MFA (`sign-in`). */
    code(purpose: CodePurpose): Promise<string>;
    /** Cognito took the enrolment code: the software token is verified. */
    verified?(): void;
    /** Cognito rejected the `tries`-th code: return to be asked for another. Default: the sign-in fails. */
    codeRejected?(tries: number, error: CognitoCallError): void;
}

/** Whether Cognito (or moto) said a TOTP code was wrong, or already used. */
function isWrongCode(error: unknown): boolean {
    return ["CodeMismatchException", "EnableSoftwareTokenMFAException", "ExpiredCodeException"].includes(
        (error as CognitoCallError)?.errorName ?? "",
    );
}

/**
 * Signs `username` in with `password` (USER_SRP_AUTH) and answers every challenge through
 * `answers` until Cognito issues tokens, which it returns. A challenge other than the four
 * fails the step that led to it.
 */
export async function signInThroughChallenges(cognito: CognitoSignIn, username: string, password: string, answers: ChallengeAnswers): Promise<Tokens> {
    const prefix = answers.stepPrefix ?? "";
    let step = `${prefix}USER_SRP_AUTH`;
    let response = await cognito.srp(step, username, password);
    // Cognito's name for the user in challenge answers.
    let name = username;
    for (;;) {
        name = response.ChallengeParameters?.USERNAME ?? name;
        if (response.AuthenticationResult) {
            expectTokens(step, response);
            await answers.answered(response, step);
            return response.AuthenticationResult;
        }
        await answers.answered(response, step);
        const { newPassword, enrol } = answers;
        const challenge = response.ChallengeName;
        if (challenge === "NEW_PASSWORD_REQUIRED" && newPassword) {
            step = `${prefix}NEW_PASSWORD_REQUIRED`;
            response = await answerNewPassword(cognito, step, response, name, newPassword, answers.passwordRefused);
        } else if (challenge === "MFA_SETUP" && enrol) {
            step = `${prefix}MFA_SETUP`;
            response = await cognito.finishMfaSetup(step, await enrolSoftwareToken(cognito, response, enrol, answers), name);
        } else if (challenge === "SOFTWARE_TOKEN_MFA") {
            step = `${prefix}SOFTWARE_TOKEN_MFA`;
            response = await withCodes("sign-in", answers, (code) => cognito.softwareTokenMfa(step, response, name, code));
        } else {
            throw new CognitoCallError(step, `Cognito answered with the ${challenge ?? "(unnamed)"} challenge, which this sign-in does not answer`);
        }
    }
}

/** NEW_PASSWORD_REQUIRED, asking again while Cognito refuses the password and `passwordRefused` lets it. */
async function answerNewPassword(
    cognito: CognitoSignIn,
    step: string,
    challenge: ChallengeOrTokens,
    name: string,
    newPassword: () => Promise<string>,
    refused: ((error: CognitoCallError) => void) | undefined,
): Promise<ChallengeOrTokens> {
    for (;;) {
        const password = await newPassword();
        try {
            return await cognito.newPassword(step, challenge, name, password);
        } catch (error) {
            if ((error as CognitoCallError).errorName !== "InvalidPasswordException" || !refused) throw error;
            refused(error as CognitoCallError);
        }
    }
}

/** MFA_SETUP's software token: associate it, hand its secret over, verify a code; returns the session to finish MFA_SETUP with. */
async function enrolSoftwareToken(
    cognito: CognitoSignIn,
    challenge: ChallengeOrTokens,
    enrol: (secret: string) => void | Promise<void>,
    answers: ChallengeAnswers,
): Promise<string | undefined> {
    const associated = await cognito.associateSoftwareToken("AssociateSoftwareToken", challenge);
    await enrol(associated.secret);
    const session = await withCodes("enrol", answers, (code) => cognito.verifySoftwareToken("VerifySoftwareToken", associated.session, code, answers.deviceName));
    answers.verified?.();
    return session ?? associated.session;
}

/** Sends codes from `answers` until one is taken, or a rejection ends the sign-in. */
async function withCodes<T>(purpose: CodePurpose, answers: ChallengeAnswers, send: (code: string) => Promise<T>): Promise<T> {
    for (let tries = 1; ; tries++) {
        const code = await answers.code(purpose);
        try {
            return await send(code);
        } catch (error) {
            if (!isWrongCode(error) || !answers.codeRejected) throw error;
            answers.codeRejected(tries, error as CognitoCallError);
        }
    }
}
