import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { TotpUserPool } from "../deploy/components/totpUserPool";
import { MockRuntime, mockGeneratedPassword, valueOf } from "../tools/mock/mockRuntime";
import { SEED_POLICY_INPUTS, TYPES, mockRuntime, only, wireSecret } from "./support";

const NO_CONFIG = { values: {}, secretKeys: [] };

describe("TotpUserPool (component, under mocks)", () => {
    let runtime: MockRuntime;

    before(async () => {
        runtime = await mockRuntime();
    });

    it("takes the safe defaults: the LITE plan, admin-only sign-up and recovery, MFA ON with TOTP, deletion protection ACTIVE", async () => {
        const { registrations } = await runtime.run(NO_CONFIG, () =>
            new TotpUserPool("auth", { poolName: "users", adminUser: { username: "admin", temporaryPassword: "Aa1!aaaa" } }),
        );
        assert.deepStrictEqual(only(registrations, TYPES.userPool).inputs, {
            name: "users",
            userPoolTier: "LITE",
            accountRecoverySetting: { recoveryMechanisms: [{ name: "admin_only", priority: 1 }] },
            passwordPolicy: SEED_POLICY_INPUTS,
            adminCreateUserConfig: { allowAdminCreateUserOnly: true },
            mfaConfiguration: "ON",
            softwareTokenMfaConfiguration: { enabled: true },
            deletionProtection: "ACTIVE",
        });
        assert.strictEqual(only(registrations, TYPES.client).inputs.name, "users-client");
    });

    it("creates a replacing pool before it deletes the old one, overriding the provider's delete-first for a named pool; deletes a user first", async () => {
        const { registrations } = await runtime.run(NO_CONFIG, () => new TotpUserPool("auth", { poolName: "users", adminUser: { username: "admin" } }));
        assert.deepStrictEqual(
            registrations.filter((r) => r.deleteBeforeReplace !== undefined).map((r) => [r.type, r.deleteBeforeReplace]),
            [
                [TYPES.userPool, false],
                [TYPES.user, true],
            ],
        );
    });

    it("gives each admin user its recreate label as its replacementTrigger, and \"\" where it has none; deletes every user first, label or not", async () => {
        const { registrations } = await runtime.run(NO_CONFIG, () =>
            new TotpUserPool("auth", {
                poolName: "users",
                adminUser: { username: "admin" },
                adminUsers: [{ username: "ops", recreate: "2026-11-26 lost phone" }],
            }),
        );
        assert.deepStrictEqual(
            registrations.filter((r) => r.replacementTrigger !== undefined).map((r) => [r.type, r.name, r.replacementTrigger, r.deleteBeforeReplace]),
            [
                [TYPES.user, "auth-admin-user-admin", "", true],
                [TYPES.user, "auth-admin-user-ops", "2026-11-26 lost phone", true],
            ],
        );
    });

    it("sends every setting it is given, and e-mail with email_verified", async () => {
        const { registrations } = await runtime.run(NO_CONFIG, () =>
            new TotpUserPool("auth", {
                poolName: "users",
                featurePlan: "PLUS",
                threatProtection: "ENFORCED",
                accountRecovery: ["verified_email", "verified_phone_number"],
                passwordPolicy: { minimumLength: 12, requireSymbols: false, temporaryPasswordValidityDays: 1, passwordHistorySize: 5 },
                selfSignUp: true,
                mfaConfiguration: "OPTIONAL",
                usernameCaseSensitive: false,
                aliasAttributes: ["email", "preferred_username"],
                appClient: {
                    name: "web",
                    refreshTokenValidityDays: 7,
                    accessTokenValidityMinutes: 15,
                    idTokenValidityMinutes: 30,
                    explicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_AUTH"],
                    generateSecret: true,
                    refreshTokenRotation: { enabled: true, retryGracePeriodSeconds: 10 },
                },
                adminUser: { username: "root", temporaryPassword: "Abcdefgh1234", email: "root@example.com" },
                deletionProtection: "INACTIVE",
                tags: { team: "identity" },
            }),
        );
        assert.deepStrictEqual(only(registrations, TYPES.userPool).inputs, {
            name: "users",
            userPoolTier: "PLUS",
            userPoolAddOns: { advancedSecurityMode: "ENFORCED" },
            accountRecoverySetting: {
                recoveryMechanisms: [
                    { name: "verified_email", priority: 1 },
                    { name: "verified_phone_number", priority: 2 },
                ],
            },
            passwordPolicy: {
                minimumLength: 12,
                requireLowercase: true,
                requireUppercase: true,
                requireNumbers: true,
                requireSymbols: false,
                temporaryPasswordValidityDays: 1,
                passwordHistorySize: 5,
            },
            adminCreateUserConfig: { allowAdminCreateUserOnly: false },
            mfaConfiguration: "OPTIONAL",
            softwareTokenMfaConfiguration: { enabled: true },
            usernameConfiguration: { caseSensitive: false },
            aliasAttributes: ["email", "preferred_username"],
            deletionProtection: "INACTIVE",
            tags: { team: "identity" },
        });
        assert.deepStrictEqual(only(registrations, TYPES.client).inputs, {
            name: "web",
            userPoolId: "us-east-1_mockauthuserpool",
            generateSecret: true,
            refreshTokenValidity: 7,
            accessTokenValidity: 15,
            idTokenValidity: 30,
            tokenValidityUnits: { refreshToken: "days", accessToken: "minutes", idToken: "minutes" },
            explicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_AUTH"],
            preventUserExistenceErrors: "ENABLED",
            enableTokenRevocation: true,
            refreshTokenRotation: { feature: "ENABLED", retryGracePeriodSeconds: 10 },
        });
        assert.deepStrictEqual(only(registrations, TYPES.user).inputs, {
            userPoolId: "us-east-1_mockauthuserpool",
            username: "root",
            temporaryPassword: wireSecret("Abcdefgh1234"),
            messageAction: "SUPPRESS",
            attributes: { email: "root@example.com", email_verified: "true" },
        });
    });

    it("sends no software-token block when MFA is OFF (Cognito rejects OFF with a factor)", async () => {
        const { registrations } = await runtime.run(NO_CONFIG, () =>
            new TotpUserPool("auth", { poolName: "users", mfaConfiguration: "OFF", adminUser: { username: "admin" } }),
        );
        const pool = only(registrations, TYPES.userPool).inputs;
        assert.strictEqual(pool.mfaConfiguration, "OFF");
        assert.strictEqual("softwareTokenMfaConfiguration" in pool, false);
    });

    it("sizes the generated password to a long policy", async () => {
        const { registrations } = await runtime.run(NO_CONFIG, () =>
            new TotpUserPool("auth", {
                poolName: "users",
                passwordPolicy: { minimumLength: 40, requireSymbols: false },
                adminUser: { username: "admin" },
            }),
        );
        const inputs = only(registrations, TYPES.randomPassword).inputs;
        assert.strictEqual(inputs.length, 40);
        assert.strictEqual(inputs.minSpecial, 1, "every class, whatever the policy");
    });

    it("marks a temporary password given as a plain string secret", async () => {
        const { value: pool } = await runtime.run(NO_CONFIG, () =>
            new TotpUserPool("auth", { poolName: "users", adminUser: { username: "admin", temporaryPassword: "Aa1!aaaa" } }),
        );
        assert.strictEqual(await pulumi.isSecret(pool.adminUser.temporaryPassword), true);
        assert.strictEqual(pool.generatedAdminTemporaryPassword, undefined);
        assert.strictEqual(await valueOf(pool.adminUsername), "admin");
    });

    it("declares more admin users, groups and memberships, each generated password a secret", async () => {
        const { value: pool, registrations } = await runtime.run(NO_CONFIG, () =>
            new TotpUserPool("auth", {
                poolName: "users",
                groups: [{ name: "admins", description: "Administrators", precedence: 1 }, { name: "auditors" }],
                adminUser: { username: "admin", groups: ["admins"] },
                adminUsers: [
                    { username: "ops", temporaryPassword: "Ops-Passw0rd!", email: "ops@example.com", groups: ["admins", "auditors"] },
                    { username: "audit" },
                ],
            }),
        );
        const byType = (type: string) => registrations.filter((r) => r.type === type).map((r) => r.name).sort();
        assert.deepStrictEqual(byType(TYPES.user), ["auth-admin-user-admin", "auth-admin-user-audit", "auth-admin-user-ops"]);
        assert.deepStrictEqual(byType(TYPES.randomPassword), ["auth-admin-temporary-password-admin", "auth-admin-temporary-password-audit"]);
        assert.deepStrictEqual(byType(TYPES.group), ["auth-group-admins", "auth-group-auditors"]);
        assert.deepStrictEqual(byType(TYPES.membership), [
            "auth-admin-user-admin-in-admins",
            "auth-admin-user-ops-in-admins",
            "auth-admin-user-ops-in-auditors",
        ]);
        const admins = registrations.find((r) => r.name === "auth-group-admins");
        assert.deepStrictEqual(admins?.inputs, {
            userPoolId: "us-east-1_mockauthuserpool",
            name: "admins",
            description: "Administrators",
            precedence: 1,
        });
        const membership = registrations.find((r) => r.name === "auth-admin-user-ops-in-auditors");
        assert.deepStrictEqual(membership?.inputs, { userPoolId: "us-east-1_mockauthuserpool", groupName: "auditors", username: "ops" });
        assert.ok(membership?.dependencies.some((urn) => urn.endsWith("::auth-group-auditors")));
        const ops = registrations.find((r) => r.name === "auth-admin-user-ops");
        assert.deepStrictEqual(ops?.inputs.temporaryPassword, wireSecret("Ops-Passw0rd!"));
        const generated = pool.generatedAdminTemporaryPasswords!;
        assert.strictEqual(await pulumi.isSecret(generated), true);
        assert.deepStrictEqual(await valueOf(generated), {
            admin: mockGeneratedPassword("auth-admin-temporary-password-admin", 20),
            audit: mockGeneratedPassword("auth-admin-temporary-password-audit", 20),
        });
        assert.notStrictEqual(mockGeneratedPassword("a", 20), mockGeneratedPassword("b", 20));
    });
});

