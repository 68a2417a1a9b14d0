import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { valueOf } from "../tools/mock/mockRuntime";
import { validateTotpUserPoolArgs } from "../deploy/components/areaChecks";
import { ValidationError } from "../deploy/components/problems";
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
        assert.deepStrictEqual(settings.userPool, { poolName: "users", adminUser: { username: "admin" } });
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

    it("refuses a secret under a key the program uses in plain text, with the key problems alone, and never shows its value", () => {
        const heading = 'Stack "test" has invalid config; nothing was declared:\n';
        const misused = (key: string) =>
            `  - ${key}: must not be a secret: the program uses it in plain text (in resource names, inputs or outputs), ` +
            "so it would stop being one; store it with `pulumi config set` without --secret, or leave it out";
        assert.throws(() => parseStackConfig(raw({ "proj:poolName": "team/secret-name", "proj:adminUsername": "a" }, ["proj:poolName"])), {
            message: heading + misused("proj:poolName"),
        });
        // Each value below would show in another key's problem: a name made from it, a rule that quotes it, its own value.
        const cases: [Record<string, string>, string[]][] = [
            [{ "proj:poolName": `SECRET${"x".repeat(119)}` }, ["proj:poolName"]],
            [{ "proj:import": '{"userPoolId":"eu-west-1_SECRET1"}' }, ["proj:import"]],
            [{ "proj:mfaConfiguration": "OFF", "proj:verifySignIn": "true" }, ["proj:mfaConfiguration"]],
            [{ "proj:groups": '[{"name":"SECRET/group"}]', "proj:adminGroups": '["SECRET/group"]' }, ["proj:groups"]],
            [{ "aws:region": "SECRET-region-1" }, ["aws:region"]],
            [{ "aws:endpoints": '[{"cognitoidp":"http://user:SECRET@host"}]' }, ["aws:endpoints"]],
        ];
        for (const [values, secretKeys] of cases) {
            assert.throws(() => parseStackConfig(raw({ ...NAMES, ...values }, secretKeys)), { message: heading + secretKeys.map(misused).join("\n") });
        }
        // A key problem, which never shows a value, is reported beside it.
        assert.throws(() => parseStackConfig(raw({ ...NAMES, "proj:poolNme": "x", "aws:region": "SECRET" }, ["aws:region"])), {
            message: heading + "  - proj:poolNme: is not a known key\n" + misused("aws:region"),
        });
    });

    it("shows no value of a key stored as a secret that may hold one (adminUsers), nor of anything inside it", () => {
        const users = [{ username: "Bad Name!" }, { username: "ok", email: "not-an-email", groups: ["nogroup"] }];
        assert.throws(() => parseStackConfig(raw({ ...NAMES, "proj:adminUsers": JSON.stringify(users) }, ["proj:adminUsers"])), {
            message:
                'Stack "test" has invalid config; nothing was declared:\n' +
                "  - proj:adminUsers[0].username: must be 1 to 128 characters with no spaces or control characters (value not shown: it is a secret)\n" +
                "  - proj:adminUsers[1].email: must be an e-mail address such as admin@example.com (value not shown: it is a secret)\n" +
                "  - proj:adminUsers[1].groups: must name groups declared in groups (value not shown: it is a secret)",
        });
        // Stored in plain text, the same key's values are shown.
        assert.throws(() => parseStackConfig(raw({ ...NAMES, "proj:adminUsers": JSON.stringify(users) })), /adminUsers\[0\]\.username: .* \(got "Bad Name!"\)/);
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

/** A pool name and an admin username: the config every stack needs besides its region. */
const NAMES = { "proj:poolName": "users", "proj:adminUsername": "admin" };

/** The lines of the ValidationError that parseStackConfig throws for `values` over NAMES and a region. */
function configLines(values: Record<string, string>, secretKeys: string[] = []): readonly string[] {
    try {
        parseStackConfig(raw({ ...NAMES, ...values }, secretKeys));
    } catch (error) {
        assert.ok(error instanceof ValidationError, `a ValidationError, not ${String(error)}`);
        assert.strictEqual(error.name, "ValidationError");
        assert.strictEqual(error.message, ['Stack "test" has invalid config; nothing was declared:', ...error.lines.map((line) => `  - ${line}`)].join("\n"));
        return error.lines;
    }
    return assert.fail("the config was accepted");
}

/** The settings parseStackConfig makes of `values` over NAMES and a region. */
const settingsOf = (values: Record<string, string>, secretKeys: string[] = []) => parseStackConfig(raw({ ...NAMES, ...values }, secretKeys));

const NOT_A_SECRET =
    "must not be a secret: the program uses it in plain text (in resource names, inputs or outputs), so it would stop being one; " +
    "store it with `pulumi config set` without --secret, or leave it out";
const PROVIDER_CREDENTIALS =
    "cannot be used with verifySignIn: the sign-in check signs in with this process's AWS credentials (or aws:profile), not the provider's; " +
    "use aws:profile, or set verifySignIn to false";
const PROTO_RULE = "is a key named __proto__, which this program refuses: rename it";

describe("stack config: text, numbers and booleans", () => {
    it("keeps a temporary password that is also JSON as it was typed: quotes and digits stay", async () => {
        for (const password of ['"Aa1!aaaa"', "12345678"]) {
            const settings = settingsOf(
                {
                    "proj:adminTemporaryPassword": password,
                    "proj:passwordPolicy": '{"requireLowercase":false,"requireUppercase":false,"requireSymbols":false}',
                },
                ["proj:adminTemporaryPassword"],
            );
            assert.strictEqual(await valueOf(settings.userPool.adminUser.temporaryPassword), password);
        }
    });

    it("keeps password rotation, re-issue and recreate labels that are digits as text", () => {
        const { userPool } = settingsOf({ "proj:adminPasswordRotation": "2", "proj:adminPasswordReissue": "3", "proj:adminRecreate": "4" });
        assert.strictEqual(userPool.adminPasswordRotation, "2");
        assert.deepStrictEqual(userPool.adminUser, { username: "admin", passwordReissue: "3", recreate: "4" });
    });

    // Each of these keys is text: a value that JSON would read as a number, boolean or null is
    // checked, and shown, as the text it is.
    const TEXT_CASES: readonly [key: string, value: string, line: string][] = [
        ["adminEmail", "1", 'proj:adminEmail: must be an e-mail address such as admin@example.com (got "1")'],
        ["mfaConfiguration", "true", 'proj:mfaConfiguration: must be one of ON, OPTIONAL, OFF (got "true")'],
        ["deletionProtection", "false", 'proj:deletionProtection: must be one of ACTIVE, INACTIVE (got "false")'],
        ["featurePlan", "1", 'proj:featurePlan: must be one of LITE, ESSENTIALS, PLUS (got "1")'],
        ["threatProtection", "null", 'proj:threatProtection: must be one of OFF, AUDIT, ENFORCED (got "null")'],
    ];
    for (const [key, value, line] of TEXT_CASES) {
        it(`reads ${key} ${value} as text`, () => {
            assert.deepStrictEqual(configLines({ [`proj:${key}`]: value }), [line]);
        });
    }

    it("reads numbers given as text (`pulumi config set --path` stores them so), and nothing else", () => {
        const minimumLength = (text: string) => settingsOf({ "proj:passwordPolicy": JSON.stringify({ minimumLength: text }) }).userPool.passwordPolicy;
        assert.deepStrictEqual(minimumLength("12"), { minimumLength: 12 });
        assert.deepStrictEqual(minimumLength("99"), { minimumLength: 99 });
        const lines = (text: string) => configLines({ "proj:passwordPolicy": JSON.stringify({ minimumLength: text }) });
        // Decimals and negatives are numbers, which the length rule then refuses, showing the number.
        assert.deepStrictEqual(lines("12.25"), ["proj:passwordPolicy.minimumLength: must be a whole number from 6 to 99 (got 12.25)"]);
        assert.deepStrictEqual(lines("-12"), ["proj:passwordPolicy.minimumLength: must be a whole number from 6 to 99 (got -12)"]);
        for (const text of ["x12", "12x", "12.", ".5", "1e3", "", "twelve"]) {
            assert.deepStrictEqual(lines(text), [`proj:passwordPolicy.minimumLength: must be a number (got ${JSON.stringify(text)})`], text);
        }
    });

    it("reads booleans given as text, true or false only", () => {
        assert.deepStrictEqual(settingsOf({ "proj:passwordPolicy": '{"requireSymbols":"true","requireNumbers":"false"}' }).userPool.passwordPolicy, {
            requireSymbols: true,
            requireNumbers: false,
        });
        for (const [text, shown] of [["yes", '"yes"'], ["True", '"True"'], ["1", '"1"'], ["null", '"null"'], ["", '""']]) {
            assert.deepStrictEqual(configLines({ "proj:selfSignUp": text }), [`proj:selfSignUp: must be true or false (got ${shown})`], text);
        }
    });

    it("names the type a value of the wrong type should have, in the order of the settings, showing no value of the wrong shape for a list, a map or an object; a number where text belongs is that text", () => {
        assert.deepStrictEqual(
            configLines({
                "proj:accountRecovery": "verified_email",
                "proj:passwordPolicy": "strong",
                "proj:tags": "team=identity",
                "proj:import": '{"userPoolId":5}',
                "proj:groups": '[{"name":"admins","description":["a"]}]',
            }),
            [
                "proj:accountRecovery: must be a list (value not shown: it may hold a secret)",
                "proj:passwordPolicy: must be structured config (an object) (value not shown: it may hold a secret)",
                "proj:groups[0].description: must be text (value not shown: it may hold a secret)",
                "proj:tags: must be structured config (an object) (value not shown: it may hold a secret)",
                'proj:import.userPoolId: must be a user pool id: its region, an underscore, then letters and digits, such as us-east-1_AbCdEf123 (got "5")',
            ],
        );
    });

    it("asks for a required value missing below a key, null included, with the command that sets it (--path)", () => {
        assert.deepStrictEqual(configLines({ "proj:appClient": '{"refreshTokenRotation":{}}', "proj:groups": '[{},{"name":null}]', "proj:adminUsers": '[{"username":null}]' }), [
            "proj:appClient.refreshTokenRotation.enabled: is required: run `pulumi config set --path 'appClient.refreshTokenRotation.enabled' <value>` (not set)",
            "proj:adminUsers[0].username: is required: run `pulumi config set --path 'adminUsers[0].username' <value>` (not set)",
            "proj:groups[0].name: is required: run `pulumi config set --path 'groups[0].name' <value>` (not set)",
            "proj:groups[1].name: is required: run `pulumi config set --path 'groups[1].name' <value>` (not set)",
        ]);
    });

    it("takes a null value below a key as not set, so that the setting takes its default", () => {
        const { userPool } = settingsOf({ "proj:passwordPolicy": '{"minimumLength":null}', "proj:appClient": '{"name":null}' });
        const resolved = validateTotpUserPoolArgs(userPool).resolved;
        assert.deepStrictEqual([resolved?.passwordPolicy.minimumLength, resolved?.appClient.name], [8, "users-client"]);
    });

    it("asks for an empty pool name and admin username, which is what a key without a value is", () => {
        assert.deepStrictEqual(configLines({ "proj:poolName": "", "proj:adminUsername": "" }), [
            'proj:poolName: is required: run `pulumi config set poolName <value>` (got "")',
            'proj:adminUsername: is required: run `pulumi config set adminUsername <value>` (got "")',
        ]);
    });

    it("refuses admin users that are not objects, null included, without showing them: they may hold a password", () => {
        const HIDDEN = "must be structured config (an object) (value not shown: it may hold a secret)";
        assert.deepStrictEqual(configLines({ "proj:adminUsers": '["ops",null,5]' }), [`proj:adminUsers[0]: ${HIDDEN}`, `proj:adminUsers[1]: ${HIDDEN}`, `proj:adminUsers[2]: ${HIDDEN}`]);
    });

    it("shows a value of up to 64 characters in full, and cuts a longer one", () => {
        const rule = "aws:region: must be an AWS region the provider knows, such as us-east-1";
        assert.deepStrictEqual(configLines({ "aws:region": "r".repeat(64) }), [`${rule} (got "${"r".repeat(64)}")`]);
        assert.deepStrictEqual(configLines({ "aws:region": "r".repeat(65) }), [`${rule} (got "${"r".repeat(64)}…", 65 characters)`]);
    });
});

describe("stack config: keys", () => {
    it("suggests the key that differs only in case, and only among the top-level keys", () => {
        assert.deepStrictEqual(
            configLines({
                "proj:PoolName": "users",
                "proj:poolname2": "users",
                "proj:passwordPolicy": '{"MinimumLength":8}',
            }),
            [
                "proj:PoolName: is not a known key; did you mean poolName?",
                "proj:poolname2: is not a known key",
                "proj:passwordPolicy.MinimumLength: is not a known key of passwordPolicy",
            ],
        );
    });

    it("refuses a key named __proto__ once, at any depth, and never shows its value", () => {
        const CASES: readonly [values: Record<string, string>, lines: string[]][] = [
            [{ "proj:__proto__": '{"poolName":"x"}' }, [`proj:__proto__: ${PROTO_RULE}`]],
            [{ "proj:passwordPolicy": '{"__proto__":{"minimumLength":6}}' }, [`proj:passwordPolicy.__proto__: ${PROTO_RULE}`]],
            [{ "proj:adminUsers": '[{"username":"ops","__proto__":"Aa1!aaaa"}]' }, [`proj:adminUsers[0].__proto__: ${PROTO_RULE}`]],
            [
                { "proj:groups": '[{"name":"a"},{"name":"b","x":[{"__proto__":1}]}]' },
                [`proj:groups[1].x[0].__proto__: ${PROTO_RULE}`, "proj:groups[1].x: is not a known key of groups[1]"],
            ],
        ];
        for (const [values, lines] of CASES) {
            assert.deepStrictEqual(configLines(values), lines, JSON.stringify(values));
        }
    });

    it("takes the keys of the providers the program uses and the Pulumi CLI's own, whatever their names", () => {
        const values = { "aws:skipMetadataApiCheck": "false", "random:x": "1", "command:y": "2", "pulumi:tags": '{"team":"identity"}', "pulumi:disable-default-providers": '["*"]' };
        assert.strictEqual(settingsOf(values).userPool.adminUser.username, "admin");
    });

    it("refuses, all at once, keys in any other namespace and keys without one, with a suggestion where one is near", () => {
        const READS = "is in a namespace the program does not read: it reads proj, aws, random, command, pulumi";
        assert.deepStrictEqual(
            configLines({ "other:adminUsername": "x", "prok:poolName": "y", "AWS:region": "z", "Proj:PoolName": "p", poolName: "p", nothing: "n", "proj:poolName": "a/b" }),
            [
                `other:adminUsername: ${READS}`,
                `prok:poolName: ${READS}; did you mean proj:poolName?`,
                `AWS:region: ${READS}; did you mean aws:region?`,
                `Proj:PoolName: ${READS}; did you mean proj:poolName?`,
                "poolName: has no namespace: keys are <namespace>:<key>, such as proj:poolName; did you mean proj:poolName?",
                "nothing: has no namespace: keys are <namespace>:<key>, such as proj:poolName",
                'proj:poolName: must be 1 to 128 characters, each a letter, digit, space or one of + = , . @ _ - (got "a/b")',
            ],
        );
    });
});

describe("stack config: secrets", () => {
    it("refuses secrets under the provider keys the program uses in plain text, in key order", () => {
        assert.deepStrictEqual(configLines({ "aws:profile": "ops" }, ["proj:poolName", "aws:profile", "aws:region"]), [
            `aws:profile: ${NOT_A_SECRET}`,
            `aws:region: ${NOT_A_SECRET}`,
            `proj:poolName: ${NOT_A_SECRET}`,
        ]);
    });

    it("accepts secrets under the provider's credential keys and other namespaces' keys", () => {
        const settings = settingsOf({ "aws:secretKey": "s3cr3t", "aws:accessKey": "AKIA", "random:token": "t" }, ["aws:secretKey", "aws:accessKey", "random:token"]);
        assert.strictEqual(settings.userPool.poolName, "users");
        assert.strictEqual(settings.signInCheck, undefined);
    });

    it("needs the temporary password stored as a secret, and never shows it", () => {
        assert.deepStrictEqual(configLines({ "proj:adminTemporaryPassword": "Aa1!aaaa" }), [
            "proj:adminTemporaryPassword: must be stored as a secret: run `pulumi config set --secret adminTemporaryPassword`, " +
                "and remove the plain-text value from the stack file (value not shown: it is a secret)",
        ]);
    });

    it("accepts admin users with temporary passwords when adminUsers is a secret", async () => {
        const settings = settingsOf({ "proj:adminUsers": '[{"username":"ops","temporaryPassword":"Aa1!aaaa"}]' }, ["proj:adminUsers"]);
        const [ops] = settings.userPool.adminUsers ?? [];
        assert.strictEqual(ops.username, "ops");
        assert.strictEqual(await pulumi.isSecret(pulumi.output(ops.temporaryPassword)), true);
        assert.strictEqual(await valueOf(ops.temporaryPassword), "Aa1!aaaa");
    });
});

describe("stack config: the sign-in check (verifySignIn)", () => {
    it("is off unless verifySignIn is true", () => {
        assert.strictEqual(settingsOf({}).signInCheck, undefined);
        assert.strictEqual(settingsOf({ "proj:verifySignIn": "false" }).signInCheck, undefined);
    });

    it("signs in in the stack's region, with aws:profile and the Cognito endpoint of aws:endpoints", () => {
        assert.deepStrictEqual(settingsOf({ "proj:verifySignIn": "true" }).signInCheck, { region: "us-east-1", endpointUrl: undefined, profile: undefined });
        assert.deepStrictEqual(
            settingsOf({
                "proj:verifySignIn": "true",
                "aws:region": "eu-west-1",
                "aws:profile": "ops",
                "aws:endpoints": '[{"s3":"http://127.0.0.1:9000"},null,{"cognitoidp":"http://127.0.0.1:5000"},{"cognitoidp":"http://127.0.0.1:5001"}]',
            }).signInCheck,
            { region: "eu-west-1", endpointUrl: "http://127.0.0.1:5000", profile: "ops" },
        );
        assert.deepStrictEqual(settingsOf({ "proj:verifySignIn": "true", "aws:endpoints": "[]" }).signInCheck, { region: "us-east-1", endpointUrl: undefined, profile: undefined });
    });

    it("refuses aws:endpoints that is not a list, or gives cognitoidp anything but text", () => {
        const LIST = "aws:endpoints: must be a list such as [{cognitoidp: http://127.0.0.1:5000}]";
        const URL = "aws:endpoints: must give cognitoidp a URL";
        const CASES: readonly [endpoints: string, line: string][] = [
            ["http://127.0.0.1:5000", `${LIST} (got "http://127.0.0.1:5000")`],
            ['{"cognitoidp":"http://127.0.0.1:5000"}', `${LIST} (got "{\\"cognitoidp\\":\\"http://127.0.0.1:5000\\"}")`],
            ['[{"cognitoidp":5000}]', `${URL} (got "[{\\"cognitoidp\\":5000}]")`],
            ['[{"cognitoidp":"http://127.0.0.1:5000"},{"cognitoidp":null}]', `${URL} (got "[{\\"cognitoidp\\":\\"http://127.0.0.1:5000\\"},{\\"cognitoidp\\":null}]")`],
        ];
        for (const [endpoints, line] of CASES) {
            assert.deepStrictEqual(configLines({ "proj:verifySignIn": "true", "aws:endpoints": endpoints }), [line], endpoints);
        }
    });

    it("needs MFA ON and SRP sign-in, and says each at once, alongside other problems", () => {
        const MFA = (mode: string) =>
            `proj:verifySignIn: needs mfaConfiguration ON: the check fails any pool that lets users sign in without TOTP (mfaConfiguration is ${mode}) (got true)`;
        const SRP = "proj:verifySignIn: needs ALLOW_USER_SRP_AUTH in appClient.explicitAuthFlows: the check signs in with SRP, as apps do (got true)";
        const flows = '{"explicitAuthFlows":["ALLOW_REFRESH_TOKEN_AUTH"]}';
        assert.deepStrictEqual(configLines({ "proj:verifySignIn": "true", "proj:mfaConfiguration": "OFF", "proj:appClient": flows }), [MFA("OFF"), SRP]);
        assert.deepStrictEqual(configLines({ "proj:verifySignIn": "true", "proj:mfaConfiguration": "OPTIONAL" }), [MFA("OPTIONAL")]);
        assert.deepStrictEqual(configLines({ "proj:verifySignIn": "true", "proj:poolName": "a/b", "proj:appClient": flows }), [
            'proj:poolName: must be 1 to 128 characters, each a letter, digit, space or one of + = , . @ _ - (got "a/b")',
            SRP,
        ]);
        assert.strictEqual(settingsOf({ "proj:verifySignIn": "false", "proj:mfaConfiguration": "OFF", "proj:appClient": flows }).signInCheck, undefined);
    });

    for (const key of ["aws:accessKey", "aws:secretKey", "aws:token", "aws:assumeRole", "aws:assumeRoles"]) {
        it(`refuses the provider credentials of ${key}, which the check cannot share, and never shows them`, () => {
            assert.deepStrictEqual(configLines({ "proj:verifySignIn": "true", [key]: "AKIAEXAMPLE" }, [key]), [`${key}: ${PROVIDER_CREDENTIALS}`]);
            assert.strictEqual(settingsOf({ [key]: "AKIAEXAMPLE" }, [key]).signInCheck, undefined);
        });
    }
});

describe("stack config: an imported pool", () => {
    it("must be in the stack's region, which is checked alongside other problems", () => {
        const imported = (userPoolId: string) => ({ "proj:import": JSON.stringify({ userPoolId }) });
        assert.deepStrictEqual(settingsOf({ "aws:region": "eu-west-1", ...imported("eu-west-1_Abc123") }).userPool.import, { userPoolId: "eu-west-1_Abc123" });
        assert.deepStrictEqual(configLines({ "proj:poolName": "a/b", ...imported("eu-west-1_Abc123") }), [
            'proj:poolName: must be 1 to 128 characters, each a letter, digit, space or one of + = , . @ _ - (got "a/b")',
            'proj:import.userPoolId: must be a pool in the stack\'s region (aws:region is us-east-1) (got "eu-west-1_Abc123")',
        ]);
    });
});
