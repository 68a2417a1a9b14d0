import * as assert from "assert";
import * as path from "path";
import { VerifySignInOptions } from "../../deploy/verifier/signIn";
import { MOTO_TOTP_SECRET, MotoServer, PoolIds } from "../moto";
import { ROOT } from "../support";

/** The verifier's options against moto, with a log that collects the lines. */
export function against(moto: MotoServer, ids: { userPoolId: string; clientId: string }, lines: string[]): VerifySignInOptions {
    return { ...ids, region: "us-east-1", endpointUrl: moto.endpoint, log: (line) => lines.push(line) };
}

/**
 * moto accepts a TOTP code twice, so the tests skip the wait for the next step that Cognito
 * needs; and it answers on this machine within milliseconds, so half a second at a step's end
 * is guard enough.
 */
export const MOTO_SEAMS = { singleUseCodes: false, stepGuardMs: 500 };

/** The lines a passing run prints, less any wait for a fresh TOTP step. */
export function happyLines(ids: { userPoolId: string; clientId: string }, canary: string): string[] {
    return [
        `✔ DescribeUserPool: ${ids.userPoolId}, MFA ON, passwords of 8+ characters`,
        `✔ DescribeUserPoolClient: ${ids.clientId}`,
        `✔ AdminCreateUser: canary ${canary}, temporary password, invitation suppressed`,
        "✔ sign-in 1: USER_SRP_AUTH: password verified, NEW_PASSWORD_REQUIRED challenge",
        "✔ sign-in 1: NEW_PASSWORD_REQUIRED: new password set, MFA_SETUP challenge offering SOFTWARE_TOKEN_MFA",
        "✔ AssociateSoftwareToken: TOTP secret received (not shown)",
        "✔ VerifySoftwareToken: TOTP code accepted",
        "✔ sign-in 1: MFA_SETUP: tokens issued (not shown)",
        "✔ sign-in 2: USER_SRP_AUTH: password verified, SOFTWARE_TOKEN_MFA challenge",
        "✔ sign-in 2: SOFTWARE_TOKEN_MFA: TOTP code accepted, tokens issued (not shown)",
        `✔ AdminDeleteUser: canary ${canary} deleted`,
    ];
}

/** The lines without the waits for a fresh TOTP step, which depend on the clock. */
export function withoutWaits(lines: readonly string[]): string[] {
    return lines.filter((line) => !line.startsWith("… waiting"));
}

/** Fails if a line holds the TOTP secret or a token. */
export function assertNoSecretPrinted(lines: readonly string[]): void {
    for (const line of lines) {
        assert.ok(!line.includes(MOTO_TOTP_SECRET), `the TOTP secret was printed: ${line}`);
        assert.ok(!/eyJ[\w-]+\./.test(line), `a token was printed: ${line}`);
    }
}

/** The emulator specs' dev-like stack: two admins in one group. */
export const DEV_LIKE = { dev: path.join(ROOT, "tests", "fixtures", "emulator", "Pulumi.dev.yaml") };

/** The ids emulator:pool printed, from its verify:signin command. */
export function printedIds(stdout: string): PoolIds {
    const [, userPoolId, clientId] = /npm run verify:signin -- --user-pool-id (\S+) --client-id (\S+)/.exec(stdout) ?? assert.fail(`no verify:signin command in:\n${stdout}`);
    return { userPoolId, clientId };
}
