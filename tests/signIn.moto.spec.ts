import * as assert from "assert";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { MFA_NOT_ENFORCED, SignInVerificationError, VerifySignInOptions, verifySignIn } from "../verifier/signIn";
import { main } from "../verifier/cli";
import {
    MOTO_HINT,
    MotoServer,
    createSeedPool,
    findMotoServer,
    freePort,
    useDummyCredentials,
    usernames,
} from "./moto";
import { createDeclaredPool } from "../program/emulatorPool";
import { PROGRAM, TYPES, devConfig, mockRuntime, only } from "./support";

/** moto's one TOTP secret for every user (its quirk), which must never be printed. */
const MOTO_TOTP_SECRET = "asdfasdfasdf";

/** The verifier's options against moto, with a log that collects the lines. */
function against(moto: MotoServer, ids: { userPoolId: string; clientId: string }, lines: string[]): VerifySignInOptions {
    return { ...ids, region: "us-east-1", endpointUrl: moto.endpoint, log: (line) => lines.push(line) };
}

/** moto accepts a TOTP code twice, so the tests skip the wait for the next step that Cognito needs. */
const MOTO_SEAMS = { singleUseCodes: false };

/** The lines a passing run prints, less any wait for a fresh TOTP step. */
function happyLines(ids: { userPoolId: string; clientId: string }, canary: string): string[] {
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

function withoutWaits(lines: readonly string[]): string[] {
    return lines.filter((line) => !line.startsWith("… waiting"));
}

function assertNoSecretPrinted(lines: readonly string[]): void {
    for (const line of lines) {
        assert.ok(!line.includes(MOTO_TOTP_SECRET), `the TOTP secret was printed: ${line}`);
        assert.ok(!/eyJ[\w-]+\./.test(line), `a token was printed: ${line}`);
    }
}

describe("sign-in verifier against the moto Cognito emulator", function () {
    this.timeout(60_000);
    let moto: MotoServer | undefined;
    let client: CognitoIdentityProviderClient;
    let restoreCredentials: () => void = () => undefined;

    before(async function () {
        const executable = findMotoServer();
        if (!executable) {
            if (process.env.CI === "true") {
                throw new Error(`moto_server is not on PATH, and CI must run these tests. Install it: ${MOTO_HINT}`);
            }
            console.warn(
                `\n  !!! SKIPPING the moto integration tests: moto_server is not on PATH. Install it with: ${MOTO_HINT}\n`,
            );
            this.skip();
        }
        moto = await MotoServer.start(executable as string);
        client = moto.client();
        restoreCredentials = useDummyCredentials();
    });

    after(() => {
        restoreCredentials();
        client?.destroy();
        moto?.stop();
    });

    beforeEach(async () => {
        await moto?.reset();
    });

    it("passes against a pool made by the seed script's own calls, and leaves only the admin", async () => {
        const ids = await createSeedPool(client);
        const lines: string[] = [];
        const result = await verifySignIn(against(moto!, ids, lines), MOTO_SEAMS);
        assert.match(result.canaryUsername, /^signin-canary-[0-9a-f]{12}$/);
        assert.deepStrictEqual(withoutWaits(lines), happyLines(ids, result.canaryUsername));
        assertNoSecretPrinted(lines);
        assert.deepStrictEqual(await usernames(client, ids.userPoolId), ["admin"]);
    });

    it("passes against the pool, client and user that the dev stack declares", async () => {
        const runtime = await mockRuntime();
        const run = await runtime.runProgram(PROGRAM, devConfig());
        const ids = await createDeclaredPool(client, {
            userPool: only(run.registrations, TYPES.userPool).inputs,
            client: only(run.registrations, TYPES.client).inputs,
            user: only(run.registrations, TYPES.user).inputs,
        });
        const lines: string[] = [];
        const result = await verifySignIn(against(moto!, ids, lines), MOTO_SEAMS);
        assert.deepStrictEqual(withoutWaits(lines), happyLines(ids, result.canaryUsername));
        assert.deepStrictEqual(await usernames(client, ids.userPoolId), ["admin"]);
    });

    it("fails against the seed pool with MFA OFF, saying MFA is not enforced, and deletes the canary", async () => {
        const ids = await createSeedPool(client, "OFF");
        const lines: string[] = [];
        await assert.rejects(verifySignIn(against(moto!, ids, lines), MOTO_SEAMS), (error: SignInVerificationError) => {
            assert.strictEqual(error.step, "sign-in 1: MFA_SETUP");
            assert.strictEqual(error.message, `sign-in verification failed at step "sign-in 1: MFA_SETUP": ${MFA_NOT_ENFORCED}`);
            return true;
        });
        assert.match(lines[lines.length - 1], /^✔ AdminDeleteUser: canary signin-canary-[0-9a-f]{12} deleted$/);
        assert.deepStrictEqual(await usernames(client, ids.userPoolId), ["admin"]);
    });

    it("fails on a wrong TOTP code with a clear message, and deletes the canary", async () => {
        const ids = await createSeedPool(client);
        const lines: string[] = [];
        const wrongCode = (_secret: string, _at: number) => "000000";
        await assert.rejects(
            verifySignIn(against(moto!, ids, lines), { ...MOTO_SEAMS, totpCode: wrongCode }),
            (error: SignInVerificationError) => {
                assert.strictEqual(
                    error.message,
                    'sign-in verification failed at step "VerifySoftwareToken": the TOTP code was rejected ' +
                        "(CodeMismatchException: Code mismatch (sign-in verifier)); check that this machine's clock is right",
                );
                return true;
            },
        );
        assert.match(lines[lines.length - 1], /^✔ AdminDeleteUser: canary signin-canary-[0-9a-f]{12} deleted$/);
        assert.deepStrictEqual(await usernames(client, ids.userPoolId), ["admin"]);
    });

    it("as a command, exits 1 and names the step when MFA is not enforced", async () => {
        const ids = await createSeedPool(client, "OFF");
        const printed: string[] = [];
        const restore = captureConsole(printed);
        let status: number;
        try {
            status = await main(["--user-pool-id", ids.userPoolId, "--client-id", ids.clientId, "--endpoint-url", moto!.endpoint]);
        } finally {
            restore();
        }
        assert.strictEqual(status, 1);
        assert.strictEqual(
            printed[printed.length - 1],
            `FAILED: sign-in verification failed at step "sign-in 1: MFA_SETUP": ${MFA_NOT_ENFORCED}`,
        );
        assertNoSecretPrinted(printed);
        assert.deepStrictEqual(await usernames(client, ids.userPoolId), ["admin"]);
    });
});

describe("sign-in verifier with nothing listening", () => {
    let restoreCredentials: () => void;
    before(() => {
        restoreCredentials = useDummyCredentials();
    });
    after(() => restoreCredentials());

    it("fails at the first step within 30 s, without hanging", async () => {
        const port = await freePort();
        const started = Date.now();
        await assert.rejects(
            verifySignIn({
                userPoolId: "us-east-1_nothing",
                clientId: "none",
                endpointUrl: `http://127.0.0.1:${port}`,
                log: () => undefined,
            }),
            (error: SignInVerificationError) => {
                assert.strictEqual(error.step, "DescribeUserPool");
                assert.strictEqual(error.reason, `ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${port}`);
                return true;
            },
        );
        assert.ok(Date.now() - started < 30_000, `took ${Date.now() - started} ms`);
    });
});

/** Sends console.log and console.error lines to `lines` until the returned function is called. */
function captureConsole(lines: string[]): () => void {
    const { log, error } = console;
    console.log = (...args: unknown[]) => lines.push(args.join(" "));
    console.error = (...args: unknown[]) => lines.push(args.join(" "));
    return () => {
        console.log = log;
        console.error = error;
    };
}
