import { Secret, TOTP } from "otpauth";

/** Cognito's TOTP: SHA-1, 6 digits, 30-second steps (RFC 6238 defaults). */
export const TOTP_PERIOD_MS = 30_000;

/** The last part of a step in which a fresh code is not sent: it could expire in flight. */
export const STEP_GUARD_MS = 3_000;

/** The 6-digit code for a base32 secret at a time. */
export function totpCode(secret: string, timestampMs: number): string {
    const key = Secret.fromBase32(secret.replace(/=+$/, "").toUpperCase());
    return TOTP.generate({ secret: key, algorithm: "SHA1", digits: 6, period: TOTP_PERIOD_MS / 1000, timestamp: timestampMs });
}

/** The number of the 30-second step a time falls in. */
export function stepOf(timestampMs: number): number {
    return Math.floor(timestampMs / TOTP_PERIOD_MS);
}

/**
 * How long to wait before making a code at `nowMs`: past the guard (`guardMs`) at the end of a
 * step, and, when codes are single-use, past the step whose code was used last (`usedStep`).
 */
export function waitBeforeCode(nowMs: number, usedStep: number | undefined, guardMs = STEP_GUARD_MS): number {
    const step = stepOf(nowMs);
    const stepEnd = (step + 1) * TOTP_PERIOD_MS;
    if (usedStep !== undefined && step <= usedStep) {
        return (usedStep + 1) * TOTP_PERIOD_MS - nowMs;
    }
    return stepEnd - nowMs <= guardMs ? stepEnd - nowMs : 0;
}
