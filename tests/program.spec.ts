import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { ProgramRun, mockGeneratedPassword, valueOf } from "../tools/mock/mockRuntime";
import {
    COMPONENT_URN,
    MOCK_CLIENT_ID,
    MOCK_POOL_ID,
    PROGRAM,
    SEED_POLICY_INPUTS,
    TEST_PASSWORD,
    TYPES,
    childUrn,
    containsInPlainText,
    seedConfig,
    mockRuntime,
    only,
    wireSecret,
    withValues,
} from "./support";

const POOL_URN = childUrn(TYPES.userPool, "cognito-user-pool");

describe("index.ts with the seed script's settings (tests/fixtures/Pulumi.seed.yaml)", () => {
    let run: ProgramRun;

    before(async () => {
        const runtime = await mockRuntime();
        run = await runtime.runProgram(PROGRAM, seedConfig());
    });

    it("declares the component, exactly its three children, and the sign-in check, all in it", () => {
        assert.deepStrictEqual(
            run.registrations.map((r) => [r.name, r.type, r.parent]).sort(),
            [
                ["cognito", TYPES.component, ""],
                ["cognito-admin-user-admin", TYPES.user, COMPONENT_URN],
                ["cognito-app-client", TYPES.client, COMPONENT_URN],
                ["cognito-sign-in-check", TYPES.command, COMPONENT_URN],
                ["cognito-user-pool", TYPES.userPool, COMPONENT_URN],
            ],
        );
    });

    it("declares the seed's pool on the LITE plan: its password policy, self sign-up, and MFA ON with TOTP only", () => {
        assert.deepStrictEqual(only(run.registrations, TYPES.userPool).inputs, {
            name: "totp-dev",
            userPoolTier: "LITE",
            accountRecoverySetting: { recoveryMechanisms: [{ name: "admin_only", priority: 1 }] },
            passwordPolicy: SEED_POLICY_INPUTS,
            adminCreateUserConfig: { allowAdminCreateUserOnly: false },
            mfaConfiguration: "ON",
            softwareTokenMfaConfiguration: { enabled: true },
            deletionProtection: "INACTIVE",
        });
    });

    it("declares the seed's app client, <pool>-client with 30-day refresh tokens, and units always sent", () => {
        const client = only(run.registrations, TYPES.client);
        assert.deepStrictEqual(client.inputs, {
            name: "totp-dev-client",
            userPoolId: MOCK_POOL_ID,
            generateSecret: false,
            refreshTokenValidity: 30,
            accessTokenValidity: 60,
            idTokenValidity: 60,
            tokenValidityUnits: { refreshToken: "days", accessToken: "minutes", idToken: "minutes" },
            explicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            preventUserExistenceErrors: "ENABLED",
            enableTokenRevocation: true,
        });
        assert.deepStrictEqual(client.dependencies, [POOL_URN]);
    });

    it("declares the seed's admin user: the temporary password as a secret, and no invitation", () => {
        const user = only(run.registrations, TYPES.user);
        assert.deepStrictEqual(user.inputs, {
            userPoolId: MOCK_POOL_ID,
            username: "admin",
            temporaryPassword: wireSecret(TEST_PASSWORD),
            messageAction: "SUPPRESS",
        });
        assert.deepStrictEqual(user.dependencies, [POOL_URN]);
    });

    it("exports the pool id, ARN and endpoint, the client id and the admin username", async () => {
        const exports: Record<string, unknown> = {};
        for (const [name, output] of Object.entries(run.exports)) {
            exports[name] = await valueOf(output as pulumi.Input<unknown>);
        }
        assert.deepStrictEqual(exports, {
            userPoolId: MOCK_POOL_ID,
            userPoolArn: `arn:aws:cognito-idp:us-east-1:123456789012:userpool/${MOCK_POOL_ID}`,
            userPoolEndpoint: `cognito-idp.us-east-1.amazonaws.com/${MOCK_POOL_ID}`,
            userPoolClientId: MOCK_CLIENT_ID,
            adminUsername: "admin",
            adminUsernames: ["admin"],
            adminTemporaryPassword: undefined,
            adminTemporaryPasswords: undefined,
        });
    });

    it("keeps the temporary password out of every plain input, component output and stack output", async () => {
        for (const registration of run.registrations) {
            assert.strictEqual(containsInPlainText(registration.inputs, TEST_PASSWORD), false, registration.urn);
        }
        assert.deepStrictEqual([...run.componentOutputs.keys()], [COMPONENT_URN]);
        for (const outputs of run.componentOutputs.values()) {
            assert.strictEqual(containsInPlainText(outputs, TEST_PASSWORD), false);
        }
        for (const [name, output] of Object.entries(run.exports)) {
            const value = await valueOf(output as pulumi.Input<unknown>);
            assert.strictEqual(JSON.stringify(value ?? "").includes(TEST_PASSWORD), false, name);
        }
    });

    it("stores no args in the component's own state but production, for the policy pack", () => {
        assert.deepStrictEqual(only(run.registrations, TYPES.component).inputs, { production: false });
    });
});

describe("index.ts with no adminTemporaryPassword (the generated-password path)", () => {
    let run: ProgramRun;
    const generated = mockGeneratedPassword("cognito-admin-temporary-password-admin", 20);

    before(async () => {
        const runtime = await mockRuntime();
        run = await runtime.runProgram(PROGRAM, withValues(seedConfig(), { adminTemporaryPassword: undefined }));
    });

    it("declares a RandomPassword in the component that satisfies the policy", () => {
        const password = only(run.registrations, TYPES.randomPassword);
        assert.strictEqual(password.name, "cognito-admin-temporary-password-admin");
        assert.strictEqual(password.parent, COMPONENT_URN);
        assert.deepStrictEqual(password.inputs, {
            length: 20,
            upper: true,
            lower: true,
            numeric: true,
            special: true,
            overrideSpecial: "!#%*()-_=+[]{}<>:?",
            minUpper: 1,
            minLower: 1,
            minNumeric: 1,
            minSpecial: 1,
        });
    });

    it("gives the generated password to the admin user as a secret", () => {
        const user = only(run.registrations, TYPES.user);
        assert.deepStrictEqual(user.inputs.temporaryPassword, wireSecret(generated));
    });

    it("exports it as the secret stack output adminTemporaryPassword, and nothing else holds it", async () => {
        const output = run.exports.adminTemporaryPassword as pulumi.Output<string>;
        assert.strictEqual(await pulumi.isSecret(output), true);
        assert.strictEqual(await valueOf(output), generated);
        const outputs = [...run.componentOutputs.values()][0];
        assert.deepStrictEqual(outputs.generatedAdminTemporaryPassword, wireSecret(generated));
        assert.strictEqual(containsInPlainText(outputs, generated), false);
        for (const [name, other] of Object.entries(run.exports)) {
            if (name === "adminTemporaryPassword" || other === undefined) continue;
            assert.strictEqual(await pulumi.isSecret(other as pulumi.Output<unknown>), false, name);
            assert.notStrictEqual(await valueOf(other as pulumi.Output<unknown>), generated, name);
        }
    });
});

describe("index.ts with adminPasswordRotation (re-issuing generated temporary passwords)", () => {
    /** The keepers of every generated password, and what each admin is given, for one rotation label. */
    async function rotated(label: string | undefined) {
        const runtime = await mockRuntime();
        const run = await runtime.runProgram(
            PROGRAM,
            withValues(seedConfig(), { adminTemporaryPassword: undefined, adminUsers: '[{"username":"ops"}]', adminPasswordRotation: label }),
        );
        return run.registrations.filter((r) => r.type === TYPES.randomPassword).map((r) => [r.name, r.inputs.keepers]);
    }

    it("makes the label every generated password's keepers, so that a new label generates them anew", async () => {
        assert.deepStrictEqual(await rotated(undefined), [
            ["cognito-admin-temporary-password-admin", undefined],
            ["cognito-admin-temporary-password-ops", undefined],
        ]);
        assert.deepStrictEqual(await rotated("2026-11 ops locked out"), [
            ["cognito-admin-temporary-password-admin", { adminPasswordRotation: "2026-11 ops locked out" }],
            ["cognito-admin-temporary-password-ops", { adminPasswordRotation: "2026-11 ops locked out" }],
        ]);
        assert.deepStrictEqual(await rotated("2026-12"), [
            ["cognito-admin-temporary-password-admin", { adminPasswordRotation: "2026-12" }],
            ["cognito-admin-temporary-password-ops", { adminPasswordRotation: "2026-12" }],
        ]);
    });
});

describe("index.ts with more admin users", () => {
    it("exports every generated temporary password, by username, as one secret output", async () => {
        const runtime = await mockRuntime();
        const run = await runtime.runProgram(
            PROGRAM,
            withValues(seedConfig(), { adminUsers: '[{"username":"ops"},{"username":"audit"}]' }),
        );
        const passwords = run.exports.adminTemporaryPasswords as pulumi.Output<Record<string, string>>;
        assert.strictEqual(await pulumi.isSecret(passwords), true);
        assert.deepStrictEqual(await valueOf(passwords), {
            ops: mockGeneratedPassword("cognito-admin-temporary-password-ops", 20),
            audit: mockGeneratedPassword("cognito-admin-temporary-password-audit", 20),
        });
        assert.strictEqual(run.exports.adminTemporaryPassword, undefined, "the admin's own password was configured");
    });
});
