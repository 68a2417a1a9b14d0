import * as assert from "assert";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { MFA_NOT_ENFORCED, SignInVerificationError, VerifySignInOptions, verifySignIn } from "../deploy/verifier/signIn";
import { main } from "../deploy/verifier/cli";
import {
    FaultyProxy,
    MOTO_HINT,
    MotoServer,
    createSeedPool,
    findMotoServer,
    freePort,
    useDummyCredentials,
    usernames,
} from "./moto";
import { createDeclaredPool } from "../tools/emulator/emulatorPool";
import { PROGRAM, TYPES, seedConfig, mockRuntime, only } from "./support";

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
        const run = await runtime.runProgram(PROGRAM, seedConfig());
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

    it("passes on a pool that signs in by e-mail, with an app client that has a secret", async () => {
        const { CreateUserPoolCommand, CreateUserPoolClientCommand, SetUserPoolMfaConfigCommand } = await import(
            "@aws-sdk/client-cognito-identity-provider"
        );
        const pool = await client.send(new CreateUserPoolCommand({ PoolName: "by-email", UsernameAttributes: ["email"] }));
        const userPoolId = pool.UserPool?.Id as string;
        await client.send(
            new SetUserPoolMfaConfigCommand({ UserPoolId: userPoolId, MfaConfiguration: "ON", SoftwareTokenMfaConfiguration: { Enabled: true } }),
        );
        const appClient = await client.send(
            new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: "with-secret", GenerateSecret: true }),
        );
        const ids = { userPoolId, clientId: appClient.UserPoolClient?.ClientId as string };
        const lines: string[] = [];
        const result = await verifySignIn(against(moto!, ids, lines), MOTO_SEAMS);
        assert.match(result.canaryUsername, /^signin-canary-[0-9a-f]{12}@example\.com$/);
        assert.strictEqual(lines[1], `✔ DescribeUserPoolClient: ${ids.clientId}, with a client secret`);
        assert.deepStrictEqual(await usernames(client, userPoolId), []);
    });

    it("never deletes a user it did not create, even one named like its canary", async () => {
        const ids = await createSeedPool(client);
        const lines: string[] = [];
        await assert.rejects(
            verifySignIn(against(moto!, ids, lines), { ...MOTO_SEAMS, canaryUsername: () => "admin" }),
            (error: SignInVerificationError) => {
                assert.strictEqual(error.step, "AdminCreateUser");
                assert.strictEqual(error.errorName, "UsernameExistsException");
                return true;
            },
        );
        assert.deepStrictEqual(lines.filter((line) => line.includes("AdminDeleteUser")), []);
        assert.deepStrictEqual(await usernames(client, ids.userPoolId), ["admin"]);
    });

    it("deletes a canary whose AdminCreateUser answer came too late", async () => {
        const ids = await createSeedPool(client);
        const proxy = await FaultyProxy.start(moto!.endpoint, { AdminCreateUser: { delayMs: 3_000 } });
        const lines: string[] = [];
        try {
            await assert.rejects(
                verifySignIn({ ...ids, endpointUrl: proxy.endpoint, callTimeoutMs: 1_000, log: (line) => lines.push(line) }, MOTO_SEAMS),
                (error: SignInVerificationError) => {
                    assert.strictEqual(error.message, 'sign-in verification failed at step "AdminCreateUser": no answer within 1 s (AbortError)');
                    return true;
                },
            );
        } finally {
            await proxy.stop();
        }
        assert.match(lines[lines.length - 1], /^✔ AdminDeleteUser: canary signin-canary-[0-9a-f]{12} deleted$/);
        assert.deepStrictEqual(await usernames(client, ids.userPoolId), ["admin"]);
    });

    it("fails, and says the canary may remain, when it cannot delete the canary", async () => {
        const ids = await createSeedPool(client);
        const proxy = await FaultyProxy.start(moto!.endpoint, { AdminDeleteUser: { error: "AccessDeniedException" } });
        const lines: string[] = [];
        try {
            await assert.rejects(
                verifySignIn({ ...ids, endpointUrl: proxy.endpoint, log: (line) => lines.push(line) }, MOTO_SEAMS),
                (error: SignInVerificationError) => {
                    assert.strictEqual(error.step, "AdminDeleteUser");
                    assert.strictEqual(error.reason, "AccessDeniedException: AccessDeniedException from the test proxy");
                    return true;
                },
            );
        } finally {
            await proxy.stop();
        }
        assert.match(
            lines[lines.length - 1],
            /^✘ AdminDeleteUser: canary signin-canary-[0-9a-f]{12} may remain \(AccessDeniedException: AccessDeniedException from the test proxy\); the next run deletes it, or delete it by hand$/,
        );
        assert.strictEqual((await usernames(client, ids.userPoolId)).length, 2);
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

    it("fails at the first step within one call's 10 s timeout, without hanging", async () => {
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
        assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms, over one call's 10 s timeout`);
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
