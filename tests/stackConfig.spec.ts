import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { valueOf } from "../tools/mock/mockRuntime";
import { RawStackConfig, parseStackConfig } from "../deploy/stack/stackConfig";

/** A stack's raw config: `values` over a region, which every stack needs. */
const raw = (values: Record<string, string>, secretKeys: string[] = []): RawStackConfig => ({
    project: "proj",
    stack: "test",
    values: { "aws:region": "us-east-1", ...values },
    secretKeys: new Set(secretKeys),
});

// parseStackConfig is pure: it needs no mocks.
describe("stack config (pure)", () => {
    it("needs only a pool name and an admin username", () => {
        const settings = parseStackConfig(raw({ "proj:poolName": "users", "proj:adminUsername": "admin" }));
        assert.deepStrictEqual(settings.userPool, {
            poolName: "users",
            featurePlan: undefined,
            threatProtection: undefined,
            accountRecovery: undefined,
            passwordPolicy: undefined,
            selfSignUp: undefined,
            mfaConfiguration: undefined,
            softwareTokenMfa: undefined,
            usernameCaseSensitive: undefined,
            usernameAttributes: undefined,
            aliasAttributes: undefined,
            appClient: undefined,
            adminUser: { username: "admin", temporaryPassword: undefined, email: undefined, groups: undefined, passwordReissue: undefined },
            adminUsers: undefined,
            groups: undefined,
            deletionProtection: undefined,
            tags: undefined,
            production: undefined,
            protect: undefined,
            retainOnDelete: undefined,
            import: undefined,
            adminPasswordRotation: undefined,
        });
    });

    it("reads scalars as the CLI passes them (text), and structured keys as JSON", () => {
        const settings = parseStackConfig(
            raw({
                "proj:poolName": "123",
                "proj:adminUsername": "true",
                "proj:selfSignUp": "true",
                "proj:passwordPolicy": '{"minimumLength":10,"requireSymbols":false}',
                "proj:appClient": '{"explicitAuthFlows":["ALLOW_USER_SRP_AUTH","ALLOW_REFRESH_TOKEN_AUTH"],"refreshTokenValidityDays":7}',
                "proj:tags": '{"team":"identity"}',
                "aws:region": "eu-west-1",
                "other:poolName": "ignored",
            }),
        );
        assert.strictEqual(settings.userPool.poolName, "123");
        assert.strictEqual(settings.userPool.adminUser.username, "true");
        assert.strictEqual(settings.userPool.selfSignUp, true);
        assert.deepStrictEqual(settings.userPool.passwordPolicy, { minimumLength: 10, requireSymbols: false });
        assert.deepStrictEqual(settings.userPool.appClient, {
            explicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            refreshTokenValidityDays: 7,
        });
        assert.deepStrictEqual(settings.userPool.tags, { team: "identity" });
    });

    it("takes numbers and booleans that `pulumi config set --path` stored as text", () => {
        const settings = parseStackConfig(
            raw({
                "proj:poolName": "users",
                "proj:adminUsername": "admin",
                "proj:passwordPolicy": '{"minimumLength":"12","requireSymbols":"false"}',
                "proj:import": '{"userPoolId":"us-east-1_Abc123","adminUser":"true"}',
            }),
        );
        assert.deepStrictEqual(settings.userPool.passwordPolicy, { minimumLength: 12, requireSymbols: false });
        assert.deepStrictEqual(settings.userPool.import, { userPoolId: "us-east-1_Abc123", adminUser: true });
    });

    it("hands the temporary password on as a secret Output", async () => {
        const settings = parseStackConfig(
            raw(
                { "proj:poolName": "users", "proj:adminUsername": "admin", "proj:adminTemporaryPassword": "Aa1!aaaa" },
                ["proj:adminTemporaryPassword"],
            ),
        );
        const password = settings.userPool.adminUser.temporaryPassword as pulumi.Output<string>;
        assert.strictEqual(await pulumi.isSecret(password), true);
        assert.strictEqual(await valueOf(password), "Aa1!aaaa");
    });

    it("refuses a secret under a key the program uses in plain text, and never shows its value", () => {
        assert.throws(
            () => parseStackConfig(raw({ "proj:poolName": "team/secret-name", "proj:adminUsername": "a" }, ["proj:poolName"])),
            {
                message:
                    'Stack "test" has invalid config; nothing was declared:\n' +
                    "  - proj:poolName: must not be a secret: the program uses it in plain text (in resource names, inputs or outputs), " +
                    "so it would stop being one; store it with `pulumi config set` without --secret, or leave it out\n" +
                    "  - proj:poolName: must be 1 to 128 characters, each a letter, digit, space or one of + = , . @ _ - " +
                    "(value not shown: it is a secret)",
            },
        );
    });

    it("needs aws:region, and a region the AWS provider knows", () => {
        const names = { "proj:poolName": "users", "proj:adminUsername": "admin" };
        assert.throws(() => parseStackConfig({ ...raw(names), values: names }), {
            message:
                'Stack "test" has invalid config; nothing was declared:\n' +
                "  - aws:region: is required: run `pulumi config set aws:region <region>`, such as us-east-1",
        });
        assert.throws(() => parseStackConfig(raw({ ...names, "aws:region": "us-east-9" })), {
            message:
                'Stack "test" has invalid config; nothing was declared:\n' +
                '  - aws:region: must be an AWS region the provider knows, such as us-east-1 (got "us-east-9")',
        });
        assert.strictEqual(parseStackConfig(raw({ ...names, "aws:region": "us-gov-west-1" })).userPool.poolName, "users");
    });

    it("lists every missing required key at once", () => {
        assert.throws(() => parseStackConfig(raw({})), {
            message:
                'Stack "test" has invalid config; nothing was declared:\n' +
                "  - proj:poolName: is required: run `pulumi config set poolName <value>` (not set)\n" +
                "  - proj:adminUsername: is required: run `pulumi config set adminUsername <value>` (not set)",
        });
    });
});
