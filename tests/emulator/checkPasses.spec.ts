import * as assert from "assert";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { verifySignIn } from "../../deploy/verifier/signIn";
import { createDeclaredPool } from "../../tools/emulator/emulatorPool";
import { MotoServer, createSeedPool, sharedMoto, useDummyCredentials, usernames } from "../moto";
import { PROGRAM, TYPES, mockRuntime, only, seedConfig } from "../support";
import { MOTO_SEAMS, against, assertNoSecretPrinted, happyLines, withoutWaits } from "./checkSupport";

describe("the sign-in check passes against the moto Cognito emulator", function () {
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
});
