import * as assert from "assert";
import { CreateUserPoolClientCommand, CreateUserPoolCommand, SetUserPoolMfaConfigCommand } from "@aws-sdk/client-cognito-identity-provider";
import { verifySignIn } from "../../deploy/verifier/signIn";
import { main as emulatorPoolMain } from "../../tools/emulator/emulatorPool";
import { createSeedPool, useMoto, usernames } from "../moto";
import { runInProcess } from "../support";
import { DEV_LIKE, MOTO_SEAMS, against, assertNoSecretPrinted, happyLines, printedIds, withoutWaits } from "./checkSupport";

describe("the sign-in check passes against the moto Cognito emulator", function () {
    this.timeout(60_000);
    const emulator = useMoto();

    it("passes against a pool made by the seed script's own calls, and leaves only the admin", async () => {
        const ids = await createSeedPool(emulator.client);
        const lines: string[] = [];
        const result = await verifySignIn(against(emulator.moto, ids, lines), MOTO_SEAMS);
        assert.match(result.canaryUsername, /^signin-canary-[0-9a-f]{12}$/);
        assert.deepStrictEqual(withoutWaits(lines), happyLines(ids, result.canaryUsername));
        assertNoSecretPrinted(lines);
        assert.deepStrictEqual(await usernames(emulator.client, ids.userPoolId), ["admin"]);
    });

    it("passes against what emulator:pool makes for a dev-like stack with two admins, both of them made", async () => {
        const made = await runInProcess((argv) => emulatorPoolMain(argv, DEV_LIKE), ["--endpoint-url", emulator.moto.endpoint]);
        assert.strictEqual(made.status, 0, made.stderr);
        const ids = printedIds(made.stdout);
        assert.deepStrictEqual(await usernames(emulator.client, ids.userPoolId), ["admin", "ops"]);
        const lines: string[] = [];
        const result = await verifySignIn(against(emulator.moto, ids, lines), MOTO_SEAMS);
        assert.deepStrictEqual(withoutWaits(lines), happyLines(ids, result.canaryUsername));
        assert.deepStrictEqual(await usernames(emulator.client, ids.userPoolId), ["admin", "ops"]);
    });

    it("passes on a pool that signs in by e-mail, with an app client that has a secret", async () => {
        const { client } = emulator;
        const pool = await client.send(new CreateUserPoolCommand({ PoolName: "by-email", UsernameAttributes: ["email"] }));
        const userPoolId = pool.UserPool?.Id as string;
        await client.send(new SetUserPoolMfaConfigCommand({ UserPoolId: userPoolId, MfaConfiguration: "ON", SoftwareTokenMfaConfiguration: { Enabled: true } }));
        const appClient = await client.send(new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: "with-secret", GenerateSecret: true }));
        const ids = { userPoolId, clientId: appClient.UserPoolClient?.ClientId as string };
        const lines: string[] = [];
        const result = await verifySignIn(against(emulator.moto, ids, lines), MOTO_SEAMS);
        assert.match(result.canaryUsername, /^signin-canary-[0-9a-f]{12}@example\.com$/);
        assert.strictEqual(lines[1], `✔ DescribeUserPoolClient: ${ids.clientId}, with a client secret`);
        assert.deepStrictEqual(await usernames(client, userPoolId), []);
    });
});
