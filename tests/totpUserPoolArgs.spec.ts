import * as assert from "assert";
import { COGNITO_PASSWORD_SYMBOLS, SEED_PASSWORD_POLICY } from "../deploy/components/cognitoRules";
import {
    GENERATED_PASSWORD_SYMBOLS,
    checkedTemporaryPassword,
    generatedPasswordArgs,
    resolveTotpUserPoolArgs,
    totpUserPoolProblems,
} from "../deploy/components/totpUserPoolArgs";

// Pure functions: no Pulumi runtime, no mocks.
describe("TotpUserPool args (pure)", () => {
    it("fills in the seed's policy and the safe defaults", () => {
        assert.deepStrictEqual(resolveTotpUserPoolArgs({ poolName: "users", adminUser: { username: "admin" } }), {
            poolName: "users",
            featurePlan: "LITE",
            threatProtection: "OFF",
            accountRecovery: ["admin_only"],
            passwordPolicy: SEED_PASSWORD_POLICY,
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
                explicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                generateSecret: false,
                refreshTokenRotation: undefined,
            },
            adminUser: { username: "admin" },
            deletionProtection: "ACTIVE",
            tags: {},
            production: false,
            protect: false,
            adminUsers: [],
            groups: [],
            retainOnDelete: false,
            import: undefined,
            adminPasswordRotation: undefined,
        });
    });

    it("keeps policy defaults for fields left out or undefined", () => {
        const resolved = resolveTotpUserPoolArgs({
            poolName: "users",
            passwordPolicy: { minimumLength: 12, requireSymbols: undefined },
            adminUser: { username: "admin" },
        });
        assert.deepStrictEqual(resolved.passwordPolicy, { ...SEED_PASSWORD_POLICY, minimumLength: 12 });
    });

    it("turns TOTP off by default when MFA is OFF", () => {
        const resolved = resolveTotpUserPoolArgs({ poolName: "u", mfaConfiguration: "OFF", adminUser: { username: "a" } });
        assert.strictEqual(resolved.softwareTokenMfa, false);
        assert.deepStrictEqual(totpUserPoolProblems(resolved), []);
    });

    it("finds no problem in the defaults", () => {
        assert.deepStrictEqual(
            totpUserPoolProblems(resolveTotpUserPoolArgs({ poolName: "users", adminUser: { username: "admin" } })),
            [],
        );
    });

    it("does not check the password against a policy that is itself invalid", () => {
        const problems = totpUserPoolProblems(
            resolveTotpUserPoolArgs({
                poolName: "users",
                passwordPolicy: { minimumLength: 200 },
                adminUser: { username: "admin", temporaryPassword: "Aa1!aaaa" },
            }),
        );
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
});
