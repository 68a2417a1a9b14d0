import * as assert from "assert";
import { KnownArgs, checkAdmins, checkClient, checkGroups, checkImport, checkPool, checkProduction, validateTotpUserPoolArgs } from "../deploy/components/areaChecks";
import { GENERATED_PASSWORD_SYMBOLS, checkedTemporaryPassword, generatedPasswordArgs } from "../deploy/components/childResources";
import { COGNITO_PASSWORD_SYMBOLS, SEED_PASSWORD_POLICY } from "../deploy/components/cognitoRules";
import { TotpUserPoolArgs } from "../deploy/components/totpUserPoolArgs";

/** The args with every default, or a failure naming the problems. */
function resolveTotpUserPoolArgs(args: TotpUserPoolArgs) {
    const { problems, resolved } = validateTotpUserPoolArgs(args);
    assert.ok(resolved, `the args have problems: ${JSON.stringify(problems)}`);
    return resolved;
}

/** Every problem of the args. */
const totpUserPoolProblems = (args: TotpUserPoolArgs) => validateTotpUserPoolArgs(args).problems;

// Pure functions: no Pulumi runtime, no mocks.
describe("TotpUserPool args (pure)", () => {
    it("fills in the seed's policy and the safe defaults", () => {
        assert.deepStrictEqual(resolveTotpUserPoolArgs({ poolName: "users", adminUser: { username: "admin" } }), {
            poolName: "users",
            featurePlan: "LITE",
            threatProtection: "OFF",
            accountRecovery: ["admin_only"],
            passwordPolicy: { ...SEED_PASSWORD_POLICY, passwordHistorySize: undefined },
            selfSignUp: false,
            mfaConfiguration: "ON",
            softwareTokenMfa: true,
            usernameCaseSensitive: undefined,
            usernameAttributes: undefined,
            aliasAttributes: undefined,
            appClient: {
                name: "users-client",
                refreshTokenValidityDays: 30,
                accessTokenValidityMinutes: 60,
                idTokenValidityMinutes: 60,
                refreshTokenRotation: undefined,
                explicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                generateSecret: false,
            },
            adminUser: { username: "admin", temporaryPassword: undefined, email: undefined, groups: undefined, passwordReissue: undefined, recreate: undefined },
            adminUsers: undefined,
            groups: undefined,
            adminPasswordRotation: undefined,
            tags: undefined,
            production: false,
            protect: false,
            retainOnDelete: false,
            deletionProtection: "ACTIVE",
            import: undefined,
        });
    });

    it("keeps policy defaults for fields left out or undefined", () => {
        const resolved = resolveTotpUserPoolArgs({
            poolName: "users",
            passwordPolicy: { minimumLength: 12, requireSymbols: undefined },
            adminUser: { username: "admin" },
        });
        assert.deepStrictEqual(resolved.passwordPolicy, { ...SEED_PASSWORD_POLICY, minimumLength: 12, passwordHistorySize: undefined });
    });

    it("turns TOTP off by default when MFA is OFF", () => {
        const resolved = resolveTotpUserPoolArgs({ poolName: "u", mfaConfiguration: "OFF", adminUser: { username: "a" } });
        assert.strictEqual(resolved.softwareTokenMfa, false);
    });

    it("finds no problem in the defaults", () => {
        assert.deepStrictEqual(totpUserPoolProblems({ poolName: "users", adminUser: { username: "admin" } }), []);
    });

    it("lets a listed admin be recreated in a stack that adopted its adminUser: only the adopted one is refused", () => {
        const problems = totpUserPoolProblems({
            poolName: "users",
            adminUser: { username: "admin" },
            adminUsers: [{ username: "ops", recreate: "2026-11-26 lost phone" }],
            import: { userPoolId: "us-east-1_AbCdEf123", adminUser: true },
        });
        assert.deepStrictEqual(problems, []);
    });

    it("does not check the password against a policy that is itself invalid", () => {
        const problems = totpUserPoolProblems({
            poolName: "users",
            passwordPolicy: { minimumLength: 200 },
            adminUser: { username: "admin", temporaryPassword: "Aa1!aaaa" },
        });
        assert.deepStrictEqual(problems, [
            { path: "passwordPolicy.minimumLength", rule: "must be a whole number from 6 to 99", value: 200 },
        ]);
    });

    it("generates passwords from symbols Cognito counts", () => {
        for (const symbol of GENERATED_PASSWORD_SYMBOLS) {
            assert.ok(COGNITO_PASSWORD_SYMBOLS.includes(symbol), symbol);
        }
        assert.deepStrictEqual(generatedPasswordArgs({ ...SEED_PASSWORD_POLICY, requireNumbers: false, requireSymbols: false }), {
            length: 20,
            upper: true,
            lower: true,
            numeric: true,
            special: true,
            overrideSpecial: GENERATED_PASSWORD_SYMBOLS,
            minUpper: 1,
            minLower: 1,
            minNumeric: 1,
            minSpecial: 1,
        });
    });

    it("passes a temporary password that arrives later when it satisfies the policy", () => {
        assert.strictEqual(checkedTemporaryPassword("auth", "adminUser.temporaryPassword", "Aa1!aaaa", SEED_PASSWORD_POLICY), "Aa1!aaaa");
    });

    it("stops a temporary password that arrives later as anything but text, without showing it", () => {
        assert.throws(() => checkedTemporaryPassword("auth", "adminUser.temporaryPassword", 12345678, SEED_PASSWORD_POLICY), {
            message: 'TotpUserPool "auth" has invalid args:\n  - args.adminUser.temporaryPassword: must be text (value not shown: it is a secret)',
        });
    });

    it("stops a temporary password that arrives later and breaks the policy, without showing it", () => {
        assert.throws(
            () => checkedTemporaryPassword("auth", "adminUsers[2].temporaryPassword", "weakling", SEED_PASSWORD_POLICY),
            {
                message:
                    'TotpUserPool "auth" has invalid args:\n' +
                    "  - args.adminUsers[2].temporaryPassword: must satisfy the password policy; it needs an upper-case letter (A-Z), " +
                    `a digit (0-9), a symbol (one of ${COGNITO_PASSWORD_SYMBOLS.split("").join(" ")}) ` +
                    "(value not shown: it is a secret)",
            },
        );
    });
    describe("rules that span args: each row, the args and exactly the problems", () => {
        const admin = { username: "admin" };
        const rows: readonly [string, TotpUserPoolArgs, readonly string[]][] = [
            ["rotation on: the default auth flows leave out REFRESH_TOKEN_AUTH", { poolName: "p", featurePlan: "ESSENTIALS", appClient: { refreshTokenRotation: { enabled: true } }, adminUser: admin }, []],
            ["rotation without enabled", { poolName: "p", appClient: { refreshTokenRotation: {} as { enabled: boolean } }, adminUser: admin }, ["appClient.refreshTokenRotation.enabled: is required"]],
            ["rotation on LITE", { poolName: "p", appClient: { refreshTokenRotation: { enabled: true } }, adminUser: admin }, ["appClient.refreshTokenRotation: needs the ESSENTIALS or PLUS feature plan (featurePlan is LITE)"]],
            ["rotation off on LITE: no plan needed", { poolName: "p", appClient: { refreshTokenRotation: { enabled: false } }, adminUser: admin }, []],
            ["rotation on ESSENTIALS and on PLUS", { poolName: "p", featurePlan: "PLUS", appClient: { refreshTokenRotation: { enabled: true } }, adminUser: admin }, []],
            [
                "choice-based sign-in (ALLOW_USER_AUTH) on LITE",
                { poolName: "p", appClient: { explicitAuthFlows: ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] }, adminUser: admin },
                ["appClient.explicitAuthFlows: needs the ESSENTIALS or PLUS feature plan (featurePlan is LITE)"],
            ],
            ["choice-based sign-in on ESSENTIALS", { poolName: "p", featurePlan: "ESSENTIALS", appClient: { explicitAuthFlows: ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] }, adminUser: admin }, []],
            [
                "rotation that is not an object, with flows without REFRESH_TOKEN_AUTH: the shape alone",
                { poolName: "p", appClient: { refreshTokenRotation: true as unknown as { enabled: boolean }, explicitAuthFlows: ["ALLOW_USER_SRP_AUTH"] }, adminUser: admin },
                ["appClient.refreshTokenRotation: must be an object"],
            ],
            ["an unknown arg, and one of the app client", { poolName: "p", poolname: "q", appClient: { nme: "c" }, adminUser: admin } as TotpUserPoolArgs, ["appClient.nme: is not a known key of appClient", "poolname: is not a known key"]],
            ["an Output where a plain value belongs", { poolName: Promise.resolve("p") as unknown as string, adminUser: admin }, ["poolName: must be known while the program is built, not an Output"]],
            ["password history on LITE", { poolName: "p", passwordPolicy: { passwordHistorySize: 5 }, adminUser: admin }, ["passwordPolicy.passwordHistorySize: needs the ESSENTIALS or PLUS feature plan (featurePlan is LITE)"]],
            ["password history 0 on LITE: none, so no plan needed", { poolName: "p", passwordPolicy: { passwordHistorySize: 0 }, adminUser: admin }, []],
            ["password history out of range on LITE: the range alone", { poolName: "p", passwordPolicy: { passwordHistorySize: 25 }, adminUser: admin }, ["passwordPolicy.passwordHistorySize: must be a whole number from 0 to 24 passwords"]],
            ["password history with an unknown plan: the plan alone", { poolName: "p", featurePlan: "GOLD" as "LITE", passwordPolicy: { passwordHistorySize: 5 }, adminUser: admin }, ["featurePlan: must be one of LITE, ESSENTIALS, PLUS"]],
            ["threat protection on ESSENTIALS", { poolName: "p", featurePlan: "ESSENTIALS", threatProtection: "AUDIT", adminUser: admin }, ["threatProtection: needs the PLUS feature plan (featurePlan is ESSENTIALS)"]],
            ["an unknown MFA mode without TOTP: the mode alone", { poolName: "p", mfaConfiguration: "SOMETIMES" as "ON", softwareTokenMfa: false, adminUser: admin }, ["mfaConfiguration: must be one of ON, OPTIONAL, OFF"]],
            ["usernameCaseSensitive as text", { poolName: "p", usernameCaseSensitive: "no" as unknown as boolean, adminUser: admin }, ["usernameCaseSensitive: must be true or false"]],
            ["unknown sign-in attributes", { poolName: "p", usernameAttributes: ["username" as "email"], adminUser: admin }, ["usernameAttributes: must be a list of one or more of email, phone_number, without repeats"]],
            ["an unknown alias", { poolName: "p", aliasAttributes: ["nickname" as "email"], adminUser: admin }, ["aliasAttributes: must be a list of one or more of email, phone_number, preferred_username, without repeats"]],
            ["Ops and ops with case-sensitive usernames (the default)", { poolName: "p", adminUser: { username: "Ops" }, adminUsers: [{ username: "ops" }] }, []],
            ["one e-mail for two admins when e-mail does not sign in", { poolName: "p", adminUser: { username: "a", email: "ops@example.com" }, adminUsers: [{ username: "b", email: "ops@example.com" }] }, []],
            [
                "e-mail usernames that differ in case only, with case-sensitive usernames: one address",
                { poolName: "p", usernameAttributes: ["email"], adminUser: { username: "ops@example.com" }, adminUsers: [{ username: "OPS@example.com" }] },
                ["adminUsers[0].email: must differ from adminUser's: with e-mail as a sign-in attribute, Cognito lets only one user have an address"],
            ],
            [
                "phone usernames with one e-mail address: the address is the e-mail",
                { poolName: "p", usernameAttributes: ["email", "phone_number"], adminUser: { username: "+15555550100", email: "ops@example.com" }, adminUsers: [{ username: "+15555550101", email: "ops@example.com" }] },
                ["adminUsers[0].email: must differ from adminUser's: with e-mail as a sign-in attribute, Cognito lets only one user have an address"],
            ],
            [
                "an e-mail username and another admin's e-mail attribute",
                { poolName: "p", usernameAttributes: ["email"], adminUser: { username: "ops@example.com" }, adminUsers: [{ username: "lead@example.com", email: "ops@example.com" }] },
                [],
            ],
            ["a non-text username with case-insensitive usernames", { poolName: "p", usernameCaseSensitive: false, adminUser: { username: 7 as unknown as string } }, ["adminUser.username: must be text"]],
            ["a non-text username with e-mail usernames", { poolName: "p", usernameAttributes: ["email"], adminUser: { username: 7 as unknown as string } }, ["adminUser.username: must be text"]],
            ["a group of an admin that is a group of an invalid name: no second problem", { poolName: "p", groups: [{ name: "a b" }], adminUser: { username: "admin", groups: ["a b"] } }, ["groups[0].name: must be 1 to 128 characters with no spaces"]],
            [
                "a username that is another admin's membership name",
                { poolName: "p", groups: [{ name: "g" }], adminUser: { username: "ops", groups: ["g"] }, adminUsers: [{ username: "ops-in-g" }] },
                ['adminUsers[0].username: makes the resource name "admin-user-ops-in-g" a second time; rename a user or a group'],
            ],
            ["a re-issue label for an adopted admin", { poolName: "p", import: { userPoolId: "us-east-1_Abc", adminUser: true }, adminUser: { username: "admin", passwordReissue: "2026-11" } }, ["adminUser.passwordReissue: must not be set for an adopted admin (import.adminUser), which declares no password"]],
            ["a re-issue label for another admin of an adopting stack", { poolName: "p", import: { userPoolId: "us-east-1_Abc", adminUser: true }, adminUser: admin, adminUsers: [{ username: "ops", passwordReissue: "2026-11" }] }, []],
            ["an empty re-issue label", { poolName: "p", adminUser: { username: "admin", passwordReissue: "" } }, ["adminUser.passwordReissue: must be text (any label; change it to re-issue this admin's generated temporary password)"]],
            ["an empty rotation label", { poolName: "p", adminPasswordRotation: "", adminUser: admin }, ["adminPasswordRotation: must be text (any label; change it to re-issue the generated temporary passwords)"]],
            ["a group description of 2048 characters", { poolName: "p", groups: [{ name: "g", description: "d".repeat(2048) }], adminUser: admin }, []],
            ["a group description of 2049 characters", { poolName: "p", groups: [{ name: "g", description: "d".repeat(2049) }], adminUser: admin }, ["groups[0].description: must be text of up to 2048 characters"]],
            ["the highest precedence", { poolName: "p", groups: [{ name: "g", precedence: 2_147_483_647 }], adminUser: admin }, []],
            ["a precedence past the highest", { poolName: "p", groups: [{ name: "g", precedence: 2_147_483_648 }], adminUser: admin }, ["groups[0].precedence: must be a whole number from 0 to 2147483647"]],
            ["a group name with a space", { poolName: "p", groups: [{ name: "a b" }], adminUser: admin }, ["groups[0].name: must be 1 to 128 characters with no spaces"]],
            ["production with an unknown MFA mode: the mode alone", { poolName: "p", production: true, mfaConfiguration: "SOMETIMES" as "ON", adminUser: admin }, ["mfaConfiguration: must be one of ON, OPTIONAL, OFF"]],
            [
                "a bad pool name and a weak password: a valid policy still checks the password",
                { poolName: "a/b", adminUser: { username: "admin", temporaryPassword: "weak" } },
                [
                    "poolName: must be 1 to 128 characters, each a letter, digit, space or one of + = , . @ _ -",
                    `adminUser.temporaryPassword: must satisfy the password policy; it needs at least 8 characters, an upper-case letter (A-Z), a digit (0-9), a symbol (one of ${COGNITO_PASSWORD_SYMBOLS.split("").join(" ")})`,
                ],
            ],
            ["an admin in one group twice: one problem", { poolName: "p", groups: [{ name: "g" }], adminUser: { username: "admin", groups: ["g", "g"] } }, ["adminUser.groups: must name each group once"]],
            ["production with MFA OPTIONAL", { poolName: "p", production: true, mfaConfiguration: "OPTIONAL", adminUser: admin }, ["mfaConfiguration: must be ON while production is true: every production user signs in with TOTP"]],
            [
                "production with MFA OPTIONAL and another problem: both",
                { poolName: "a/b", production: true, mfaConfiguration: "OPTIONAL", adminUser: admin },
                ["poolName: must be 1 to 128 characters, each a letter, digit, space or one of + = , . @ _ -", "mfaConfiguration: must be ON while production is true: every production user signs in with TOTP"],
            ],
            [
                "password history on LITE with a short minimum length: both",
                { poolName: "p", passwordPolicy: { minimumLength: 5, passwordHistorySize: 3 }, adminUser: admin },
                ["passwordPolicy.minimumLength: must be a whole number from 6 to 99", "passwordPolicy.passwordHistorySize: needs the ESSENTIALS or PLUS feature plan (featurePlan is LITE)"],
            ],
            [
                "e-mail usernames and a bad pool name: the username is still checked",
                { poolName: "a/b", usernameAttributes: ["email"], adminUser: admin },
                ["poolName: must be 1 to 128 characters, each a letter, digit, space or one of + = , . @ _ -", 'adminUser.username: must be an e-mail address, as usernameAttributes is ["email"]'],
            ],
            [
                "an invalid alias list that names email: the list alone, not the e-mail username",
                { poolName: "p", aliasAttributes: ["nickname" as "email", "email"], adminUser: { username: "ops@example.com" } },
                ["aliasAttributes: must be a list of one or more of email, phone_number, preferred_username, without repeats"],
            ],
            ["switches that are not true or false", { poolName: "p", selfSignUp: "yes" as unknown as boolean, protect: 1 as unknown as boolean, retainOnDelete: "no" as unknown as boolean, appClient: { generateSecret: "true" as unknown as boolean }, adminUser: admin }, [
                "selfSignUp: must be true or false",
                "appClient.generateSecret: must be true or false",
                "protect: must be true or false",
                "retainOnDelete: must be true or false",
            ]],
        ];
        for (const [name, args, expected] of rows) {
            it(name, () => {
                const problems = totpUserPoolProblems(args).map((p) => `${p.path}: ${p.rule}`);
                assert.deepStrictEqual(problems, expected);
            });
        }
    });

    describe("each area checks what it owns, from what the others vouch for (null: a value that broke its own rule)", () => {
        const POOL = { mfaConfiguration: "ON", passwordPolicy: SEED_PASSWORD_POLICY, usernameAttributes: [], aliasAttributes: [], caseInsensitive: false } as const;
        const GROUPS = { names: new Set(["admins"]), complete: true };
        const NO_IMPORT = { adoptsAdmin: false, userPoolId: undefined };
        const known = (args: object) => args as KnownArgs;

        it("pool: MFA and its factor only when the mode is valid; the sign-in attributes that exclude each other, and what it vouches for", () => {
            assert.deepStrictEqual(checkPool(known({ mfaConfiguration: null, softwareTokenMfa: false })).problems, []);
            assert.deepStrictEqual(checkPool(known({ mfaConfiguration: "OPTIONAL", softwareTokenMfa: false })).problems.map((p) => p.path), ["softwareTokenMfa"]);
            const attributes = checkPool(known({ usernameAttributes: ["email"], aliasAttributes: ["email"], passwordPolicy: { ...SEED_PASSWORD_POLICY, minimumLength: null } }));
            assert.deepStrictEqual(attributes.problems.map((p) => p.rule), ["must not be set together with usernameAttributes"]);
            assert.deepStrictEqual(attributes.facts, { mfaConfiguration: undefined, passwordPolicy: undefined, usernameAttributes: ["email"], aliasAttributes: [], caseInsensitive: false });
        });

        it("client: the refresh rule only when the flows and the rotation are valid, and vouches for flows that pass it", () => {
            assert.deepStrictEqual(checkClient(known({ appClient: { explicitAuthFlows: ["ALLOW_USER_SRP_AUTH"], refreshTokenRotation: null } })), { problems: [], facts: { explicitAuthFlows: ["ALLOW_USER_SRP_AUTH"] } });
            assert.deepStrictEqual(checkClient(known({ appClient: { explicitAuthFlows: ["ALLOW_USER_SRP_AUTH"], refreshTokenRotation: { enabled: null } } })).problems, []);
            const refused = checkClient(known({ appClient: { explicitAuthFlows: ["ALLOW_USER_SRP_AUTH"] } }));
            assert.deepStrictEqual([refused.problems.length, refused.facts.explicitAuthFlows], [1, undefined]);
        });

        it("groups: each name once, and whether every name is known", () => {
            assert.deepStrictEqual(checkGroups(known({ groups: [{ name: "a" }, { name: "a" }] })).problems.map((p) => p.path), ["groups[1].name"]);
            assert.deepStrictEqual(checkGroups(known({ groups: [{ name: "a" }, { name: null }] })).facts, { names: new Set(["a"]), complete: false });
            assert.deepStrictEqual(checkGroups(known({ groups: null })).facts.complete, false);
            assert.deepStrictEqual(checkGroups(known({})).facts, { names: new Set(), complete: true });
        });

        it("import: an adopted admin declares no password, and what it vouches for", () => {
            const adopting = checkImport(known({ import: { userPoolId: "us-east-1_Abc", adminUser: true }, adminUser: { username: "admin", temporaryPassword: "x" } }));
            assert.deepStrictEqual(adopting.problems.map((p) => [p.path, p.secret]), [["adminUser.temporaryPassword", true]]);
            assert.deepStrictEqual(adopting.facts, { adoptsAdmin: true, userPoolId: "us-east-1_Abc" });
        });

        it("admins: usernames as the pool vouches it signs in, groups as the groups vouch, labels as the import vouches", () => {
            const byEmail = { ...POOL, usernameAttributes: ["email"] };
            assert.deepStrictEqual(checkAdmins(known({ adminUser: { username: "admin" } }), byEmail, GROUPS, NO_IMPORT).map((p) => p.path), ["adminUser.username"]);
            assert.deepStrictEqual(checkAdmins(known({ adminUser: { username: "admin", groups: ["other"] } }), POOL, { names: new Set(), complete: false }, NO_IMPORT), []);
            assert.deepStrictEqual(checkAdmins(known({ adminUser: { username: "admin", groups: ["other"] } }), POOL, GROUPS, NO_IMPORT).map((p) => p.rule), ["must name groups declared in groups"]);
            assert.deepStrictEqual(checkAdmins(known({ adminUser: { username: "admin", recreate: "x" } }), POOL, GROUPS, { adoptsAdmin: true, userPoolId: "us-east-1_Abc" }).map((p) => p.path), ["adminUser.recreate"]);
            assert.deepStrictEqual(checkAdmins(known({ adminUser: { username: "admin", temporaryPassword: "weak" } }), { ...POOL, passwordPolicy: undefined }, GROUPS, NO_IMPORT), []);
            assert.deepStrictEqual(checkAdmins(known({ adminUser: null, adminUsers: [null, { username: null }] }), POOL, GROUPS, NO_IMPORT), []);
        });

        it("production: protection that stays on, and MFA ON only when the pool vouches for the mode", () => {
            assert.deepStrictEqual(checkProduction(known({ production: true, protect: true, retainOnDelete: true, deletionProtection: "ACTIVE" }), { ...POOL, mfaConfiguration: undefined }), []);
            assert.deepStrictEqual(checkProduction(known({ production: false, protect: false }), POOL), []);
            assert.deepStrictEqual(
                checkProduction(known({ production: true, protect: false, retainOnDelete: false, deletionProtection: "INACTIVE" }), { ...POOL, mfaConfiguration: "OFF" }).map((p) => p.path),
                ["protect", "retainOnDelete", "deletionProtection", "mfaConfiguration"],
            );
        });
    });
});
