import * as assert from "assert";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { main } from "../../deploy/verifier/cli";
import { MFA_NOT_ENFORCED, SignInVerificationError, verifySignIn } from "../../deploy/verifier/signIn";
import { FaultyProxy, MotoServer, createSeedPool, freePort, sharedMoto, useDummyCredentials, usernames } from "../moto";
import { runInProcess } from "../support";
import { MOTO_SEAMS, against, assertNoSecretPrinted } from "./checkSupport";

describe("the sign-in check fails clearly, and cleans up, against the moto Cognito emulator", function () {
    this.timeout(60_000);
    let moto: MotoServer | undefined;
    let client: CognitoIdentityProviderClient;
    let restoreCredentials: () => void = () => undefined;

    before(async function () {
        moto = await sharedMoto(this);
        client = moto.client();
        restoreCredentials = useDummyCredentials();
    });

    after(() => {
        restoreCredentials();
        client?.destroy();
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
        const proxy = await FaultyProxy.start(moto!.endpoint, { AdminCreateUser: { delayMs: 1_500 } });
        const lines: string[] = [];
        try {
            await assert.rejects(
                verifySignIn({ ...ids, endpointUrl: proxy.endpoint, callTimeoutMs: 400, log: (line) => lines.push(line) }, MOTO_SEAMS),
                (error: SignInVerificationError) => {
                    assert.strictEqual(error.message, 'sign-in verification failed at step "AdminCreateUser": no answer within 0.4 s (AbortError)');
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
        const run = await runInProcess(main, ["--user-pool-id", ids.userPoolId, "--client-id", ids.clientId, "--endpoint-url", moto!.endpoint]);
        assert.strictEqual(run.status, 1);
        assert.strictEqual(run.stderr, `FAILED: sign-in verification failed at step "sign-in 1: MFA_SETUP": ${MFA_NOT_ENFORCED}\n`);
        assertNoSecretPrinted(run.stdout.split("\n"));
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
