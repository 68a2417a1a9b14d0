import * as assert from "assert";
import { SetUserPoolMfaConfigCommand } from "@aws-sdk/client-cognito-identity-provider";
import { main } from "../../deploy/verifier/cli";
import { SignInVerificationError, verifySignIn } from "../../deploy/verifier/signIn";
import { main as emulatorPoolMain } from "../../tools/emulator/emulatorPool";
import { FaultyProxy, createSeedPool, freePort, useMoto, usernames } from "../moto";
import { runInProcess } from "../support";
import { DEV_LIKE, MOTO_SEAMS, against, assertNoSecretPrinted, printedIds } from "./checkSupport";

describe("the sign-in check fails clearly, and cleans up, against the moto Cognito emulator", function () {
    this.timeout(60_000);
    const emulator = useMoto();

    it("as a command, on a pool made by emulator:pool whose MFA was then set to OFF out of band, exits 1 with \"MFA not enforced\" and deletes the canary", async () => {
        const made = await runInProcess((argv) => emulatorPoolMain(argv, DEV_LIKE), ["--endpoint-url", emulator.moto.endpoint]);
        const ids = printedIds(made.stdout);
        await emulator.client.send(new SetUserPoolMfaConfigCommand({ UserPoolId: ids.userPoolId, MfaConfiguration: "OFF" }));
        const run = await runInProcess(main, ["--user-pool-id", ids.userPoolId, "--client-id", ids.clientId, "--endpoint-url", emulator.moto.endpoint]);
        assert.strictEqual(run.status, 1);
        assert.strictEqual(
            run.stderr,
            'FAILED: sign-in verification failed at step "sign-in 1: MFA_SETUP": MFA not enforced: Cognito issued tokens without a TOTP challenge. ' +
                "Set the pool's MFA to ON with software tokens (TOTP)\n",
        );
        assert.match(run.stdout, /\n✔ AdminDeleteUser: canary signin-canary-[0-9a-f]{12} deleted\n$/);
        assertNoSecretPrinted(run.stdout.split("\n"));
        assert.deepStrictEqual(await usernames(emulator.client, ids.userPoolId), ["admin", "ops"]);
    });

    it("fails on a wrong TOTP code with a clear message, and deletes the canary", async () => {
        const ids = await createSeedPool(emulator.client);
        const lines: string[] = [];
        const wrongCode = (_secret: string, _at: number) => "000000";
        await assert.rejects(verifySignIn(against(emulator.moto, ids, lines), { ...MOTO_SEAMS, totpCode: wrongCode }), {
            message:
                'sign-in verification failed at step "VerifySoftwareToken": the TOTP code was rejected ' +
                "(CodeMismatchException: Code mismatch (sign-in verifier)); check that this machine's clock is right",
        });
        assert.match(lines[lines.length - 1], /^✔ AdminDeleteUser: canary signin-canary-[0-9a-f]{12} deleted$/);
        assert.deepStrictEqual(await usernames(emulator.client, ids.userPoolId), ["admin"]);
    });

    it("never deletes a user it did not create, even one named like its canary", async () => {
        const ids = await createSeedPool(emulator.client);
        const lines: string[] = [];
        await assert.rejects(
            verifySignIn(against(emulator.moto, ids, lines), { ...MOTO_SEAMS, canaryUsername: () => "admin" }),
            (error: SignInVerificationError) => {
                assert.strictEqual(error.step, "AdminCreateUser");
                assert.strictEqual(error.errorName, "UsernameExistsException");
                return true;
            },
        );
        assert.deepStrictEqual(lines.filter((line) => line.includes("AdminDeleteUser")), []);
        assert.deepStrictEqual(await usernames(emulator.client, ids.userPoolId), ["admin"]);
    });

    it("never shows the canary's temporary password, not even where the endpoint quotes it back in its error", async () => {
        const ids = await createSeedPool(emulator.client);
        const sent: string[] = [];
        const proxy = await FaultyProxy.start(emulator.moto.endpoint, {
            AdminCreateUser: (body) => {
                sent.push(String(body.TemporaryPassword));
                return { error: { name: "InvalidPasswordException", message: `Password ${String(body.TemporaryPassword)} of ${String(body.Username)} does not conform` } };
            },
        });
        const lines: string[] = [];
        try {
            await assert.rejects(
                verifySignIn({ ...ids, endpointUrl: proxy.endpoint, log: (line) => lines.push(line) }, MOTO_SEAMS),
                (error: SignInVerificationError) => {
                    assert.match(error.message, /^sign-in verification failed at step "AdminCreateUser": InvalidPasswordException: Password \[secret\] of signin-canary-[0-9a-f]{12} does not conform$/);
                    assert.ok(!error.message.includes(sent[0]));
                    return true;
                },
            );
        } finally {
            await proxy.stop();
        }
        assert.strictEqual(sent.length, 1);
        assert.deepStrictEqual(lines.filter((line) => line.includes(sent[0])), []);
    });

    it("deletes a canary whose AdminCreateUser answer came too late", async () => {
        const ids = await createSeedPool(emulator.client);
        const proxy = await FaultyProxy.start(emulator.moto.endpoint, { AdminCreateUser: { delayMs: 1_500 } });
        const lines: string[] = [];
        try {
            await assert.rejects(
                verifySignIn({ ...ids, endpointUrl: proxy.endpoint, callTimeoutMs: 400, log: (line) => lines.push(line) }, MOTO_SEAMS),
                (error: SignInVerificationError) => {
                    assert.strictEqual(error.message, `sign-in verification failed at step "AdminCreateUser": no answer from ${proxy.endpoint} within 0.4 s (AbortError)`);
                    return true;
                },
            );
        } finally {
            await proxy.stop();
        }
        assert.match(lines[lines.length - 1], /^✔ AdminDeleteUser: canary signin-canary-[0-9a-f]{12} deleted$/);
        assert.deepStrictEqual(await usernames(emulator.client, ids.userPoolId), ["admin"]);
    });

    it("fails, and says the canary may remain, when it cannot delete the canary", async () => {
        const ids = await createSeedPool(emulator.client);
        const proxy = await FaultyProxy.start(emulator.moto.endpoint, { AdminDeleteUser: { error: "AccessDeniedException" } });
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
        assert.strictEqual((await usernames(emulator.client, ids.userPoolId)).length, 2);
    });

});

describe("sign-in verifier with nothing listening", () => {
    it("fails at the first step, saying it cannot reach the endpoint, without hanging", async () => {
        const endpointUrl = `http://127.0.0.1:${await freePort()}`;
        await assert.rejects(verifySignIn({ userPoolId: "us-east-1_nothing", clientId: "none", endpointUrl, log: () => undefined }), {
            name: "SignInVerificationError",
            step: "DescribeUserPool",
            reason: `cannot reach ${endpointUrl}: connection refused (ECONNREFUSED)`,
        });
    });
});
