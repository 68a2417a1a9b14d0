import * as assert from "assert";
import { ADOPTED_CLIENT_IGNORED } from "../deploy/components/totpUserPool";
import { ProgramRun } from "../tools/mock/mockRuntime";
import { PROGRAM, TYPES, seedConfig, mockRuntime, only, withValues } from "./support";

/** The ids of the pool the seed script made, as an operator copies them into config. */
const SEED_POOL_ID = "us-east-1_SeedPool1";
const SEED_CLIENT_ID = "1example23456789abcdefghij";

describe("adopting the seed script's pool (the import config key)", () => {
    let adopted: ProgramRun;

    before(async () => {
        const runtime = await mockRuntime();
        adopted = await runtime.runProgram(
            PROGRAM,
            withValues(seedConfig(), {
                adminTemporaryPassword: undefined,
                import: JSON.stringify({ userPoolId: SEED_POOL_ID, clientId: SEED_CLIENT_ID, adminUser: true }),
            }),
        );
    });

    it("imports the pool by its id, and protects it, as it holds real users", () => {
        const pool = only(adopted.registrations, TYPES.userPool);
        assert.strictEqual(pool.importId, SEED_POOL_ID);
        assert.strictEqual(pool.protect, true);
    });

    it("imports the app client as <poolId>/<clientId>, keeping its own token settings while adopting", () => {
        const client = only(adopted.registrations, TYPES.client);
        assert.strictEqual(client.importId, `${SEED_POOL_ID}/${SEED_CLIENT_ID}`);
        assert.deepStrictEqual(client.ignoreChanges, ADOPTED_CLIENT_IGNORED);
        assert.deepStrictEqual(ADOPTED_CLIENT_IGNORED, [
            "accessTokenValidity",
            "idTokenValidity",
            "tokenValidityUnits",
            "preventUserExistenceErrors",
            "enableTokenRevocation",
        ]);
    });

    it("imports the admin user as <poolId>/<username>, declaring no temporary password", () => {
        const user = only(adopted.registrations, TYPES.user);
        assert.strictEqual(user.importId, `${SEED_POOL_ID}/admin`);
        assert.strictEqual(user.protect, true);
        assert.deepStrictEqual(user.ignoreChanges, ["temporaryPassword", "messageAction"]);
        assert.strictEqual("temporaryPassword" in user.inputs, false);
        assert.deepStrictEqual(
            adopted.registrations.filter((r) => r.type === TYPES.randomPassword),
            [],
            "an adopted admin needs no generated password",
        );
        assert.strictEqual(adopted.exports.adminTemporaryPassword, undefined);
    });

    it("can adopt the pool alone, creating a new client and admin", async () => {
        const runtime = await mockRuntime();
        const run = await runtime.runProgram(PROGRAM, withValues(seedConfig(), { import: JSON.stringify({ userPoolId: SEED_POOL_ID }) }));
        assert.strictEqual(only(run.registrations, TYPES.userPool).importId, SEED_POOL_ID);
        assert.strictEqual(only(run.registrations, TYPES.client).importId, "");
        assert.deepStrictEqual(only(run.registrations, TYPES.client).ignoreChanges, []);
        assert.strictEqual(only(run.registrations, TYPES.user).importId, "");
        assert.deepStrictEqual(
            [TYPES.userPool, TYPES.client, TYPES.user].map((type) => only(run.registrations, type).protect),
            [true, false, false],
        );
    });

    it("adopts a GovCloud pool in a GovCloud stack: the id's region has dashes of its own", async () => {
        const runtime = await mockRuntime();
        const config = withValues(seedConfig(), { import: JSON.stringify({ userPoolId: "us-gov-west-1_Abc123" }) });
        const run = await runtime.runProgram(PROGRAM, { ...config, values: { ...config.values, "aws:region": "us-gov-west-1" } });
        assert.strictEqual(only(run.registrations, TYPES.userPool).importId, "us-gov-west-1_Abc123");
    });

    it("imports nothing without the key", async () => {
        const runtime = await mockRuntime();
        const run = await runtime.runProgram(PROGRAM, seedConfig());
        assert.deepStrictEqual(
            run.registrations.filter((r) => r.importId !== "" || r.ignoreChanges.length > 0).map((r) => r.name),
            [],
        );
    });
});
