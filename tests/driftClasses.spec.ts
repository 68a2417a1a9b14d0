import * as assert from "assert";
import { Values, classifyInput, valueAt } from "../tools/drift/classify";
import { Finding, parsePropertyPath } from "../tools/drift/findings";
import { renderMarkdown } from "../tools/drift/report";
import { UNKNOWN_VALUE } from "../tools/plan/previewDocument";

const POOL = "aws:cognito/userPool:UserPool";
const CLIENT = "aws:cognito/userPoolClient:UserPoolClient";
const USER = "aws:cognito/user:User";

/** A pool's declared password policy, all four kinds of character required. */
const POLICY = { minimumLength: 14, passwordHistorySize: 5, requireLowercase: true, requireNumbers: true, requireSymbols: true, requireUppercase: true, temporaryPasswordValidityDays: 3 };

/** The units of an app client's declared token validities. */
const UNITS = { accessToken: "minutes", idToken: "minutes", refreshToken: "days" };

/** An app client's declared token settings: access and ID tokens for 60 minutes, refresh tokens for 30 days. */
const APP_CLIENT: Values = {
    accessTokenValidity: 60,
    authSessionValidity: 3,
    explicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    idTokenValidity: 60,
    refreshTokenValidity: 30,
    tokenValidityUnits: UNITS,
};

/** The verdict on a drift of `type` at the Pulumi property path `path`, as `class: why`. */
function verdict(type: string, path: string, cloud: Values, declared: Values): string {
    const result = classifyInput(type, parsePropertyPath(path), cloud, declared);
    return `${result.class}: ${result.why}`;
}

/** The line of check:drift's Markdown report for one drifted input of a resource of `type`, as findings.ts makes it. */
function reportLine(type: string, path: string, cloud: Values, declared: Values): string | undefined {
    const segments = parsePropertyPath(path);
    const finding: Finding = { kind: "input", path, cloud: valueAt(cloud, segments), declared: valueAt(declared, segments), ...classifyInput(type, segments, cloud, declared) };
    const resource = { urn: `urn:pulumi:prod::cognito-totp::${type}::drifted`, type, name: "drifted", op: "update" as const, class: finding.class, findings: [finding] };
    const markdown = renderMarkdown({ refreshed: 1, resources: [resource] }, { stack: "prod", project: "cognito-totp" });
    return markdown.split("\n").find((line) => line.startsWith("- "));
}

describe("check:drift's drift classes (classify.ts)", () => {
    describe("what a drift report says of each security setting that got weaker", () => {
        // [setting, type, drifted path, value in AWS, declared value, the report's line]
        const cases: [string, string, string, Values, Values, string][] = [
            [
                "lowercase letters no longer required",
                POOL,
                "passwordPolicy.requireLowercase",
                { passwordPolicy: { ...POLICY, requireLowercase: false } },
                { passwordPolicy: POLICY },
                "- **security** `passwordPolicy.requireLowercase`: AWS has `false`; the stack declares `true`. The password's required lowercase letter is not true, as the stack declares.",
            ],
            [
                "uppercase letters no longer required",
                POOL,
                "passwordPolicy.requireUppercase",
                { passwordPolicy: { ...POLICY, requireUppercase: false } },
                { passwordPolicy: POLICY },
                "- **security** `passwordPolicy.requireUppercase`: AWS has `false`; the stack declares `true`. The password's required uppercase letter is not true, as the stack declares.",
            ],
            [
                "numbers no longer required",
                POOL,
                "passwordPolicy.requireNumbers",
                { passwordPolicy: { ...POLICY, requireNumbers: false } },
                { passwordPolicy: POLICY },
                "- **security** `passwordPolicy.requireNumbers`: AWS has `false`; the stack declares `true`. The password's required number is not true, as the stack declares.",
            ],
            [
                "SMS turned on",
                POOL,
                "smsConfiguration",
                { smsConfiguration: { externalId: "x", snsCallerArn: "arn:aws:iam::111122223333:role/sms" } },
                {},
                '- **security** `smsConfiguration`: AWS has `{"externalId":"x","snsCallerArn":"arn:aws:iam::111122223333:role/sms"}`; the stack declares `unset`. SMS, a second factor besides TOTP is not as declared.',
            ],
            [
                "e-mail MFA turned on",
                POOL,
                "emailMfaConfiguration",
                { emailMfaConfiguration: { subject: "Your code" } },
                {},
                '- **security** `emailMfaConfiguration`: AWS has `{"subject":"Your code"}`; the stack declares `unset`. E-mail MFA, a second factor besides TOTP is not as declared.',
            ],
            [
                "device remembering turned on",
                POOL,
                "deviceConfiguration",
                { deviceConfiguration: { challengeRequiredOnNewDevice: false } },
                {},
                '- **security** `deviceConfiguration`: AWS has `{"challengeRequiredOnNewDevice":false}`; the stack declares `unset`. Device remembering, with which a remembered device may skip MFA is not as declared.',
            ],
            [
                "an OAuth flow added",
                CLIENT,
                "allowedOauthFlows",
                { allowedOauthFlows: ["implicit"] },
                {},
                "- **security** `allowedOauthFlows`: AWS has `[\"implicit\"]`; the stack declares `unset`. The app client's OAuth flows gained a member the stack does not declare.",
            ],
            [
                "an OAuth scope added",
                CLIENT,
                "allowedOauthScopes",
                { allowedOauthScopes: ["aws.cognito.signin.user.admin"] },
                {},
                "- **security** `allowedOauthScopes`: AWS has `[\"aws.cognito.signin.user.admin\"]`; the stack declares `unset`. The app client's OAuth scopes gained a member the stack does not declare.",
            ],
            [
                "an identity provider added",
                CLIENT,
                "supportedIdentityProviders",
                { supportedIdentityProviders: ["COGNITO", "Google"] },
                { supportedIdentityProviders: ["COGNITO"] },
                "- **security** `supportedIdentityProviders`: AWS has `[\"COGNITO\",\"Google\"]`; the stack declares `[\"COGNITO\"]`. The app client's identity providers gained a member the stack does not declare.",
            ],
            [
                "a writable attribute added",
                CLIENT,
                "writeAttributes",
                { writeAttributes: ["name", "email"] },
                { writeAttributes: ["name"] },
                "- **security** `writeAttributes`: AWS has `[\"name\",\"email\"]`; the stack declares `[\"name\"]`. The user attributes the app client may write gained a member the stack does not declare.",
            ],
            [
                "refresh token rotation turned off",
                CLIENT,
                "refreshTokenRotation.feature",
                { refreshTokenRotation: { feature: "DISABLED" } },
                { refreshTokenRotation: { feature: "ENABLED", retryGracePeriodSeconds: 10 } },
                '- **security** `refreshTokenRotation.feature`: AWS has `"DISABLED"`; the stack declares `"ENABLED"`. Refresh token rotation is not "ENABLED", as the stack declares.',
            ],
            [
                "ID tokens valid 120 minutes",
                CLIENT,
                "idTokenValidity",
                { ...APP_CLIENT, idTokenValidity: 120 },
                APP_CLIENT,
                "- **security** `idTokenValidity`: AWS has `120`; the stack declares `60`. The ID token's validity is longer than declared.",
            ],
            [
                "the sign-in session valid 15 minutes",
                CLIENT,
                "authSessionValidity",
                { ...APP_CLIENT, authSessionValidity: 15 },
                APP_CLIENT,
                "- **security** `authSessionValidity`: AWS has `15`; the stack declares `3`. The sign-in session's validity (minutes) is higher than declared.",
            ],
            [
                "a disabled admin enabled",
                USER,
                "enabled",
                { enabled: true },
                { enabled: false },
                "- **security** `enabled`: AWS has `true`; the stack declares `false`. Whether the user is enabled is not false, as the stack declares.",
            ],
            [
                "an admin's phone number changed",
                USER,
                "attributes.phone_number",
                { attributes: { phone_number: "+15550100999" } },
                { attributes: { phone_number: "+15550100000" } },
                "- **security** `attributes.phone_number`: AWS has `\"+15550100999\"`; the stack declares `\"+15550100000\"`. The user's phone number, where codes go is not as declared.",
            ],
        ];
        for (const [what, type, path, cloud, declared, line] of cases) {
            it(what, () => {
                assert.strictEqual(reportLine(type, path, cloud, declared), line);
            });
        }
    });

    describe("a drifted block", () => {
        it("a stricter password policy block, where the stack does not require symbols, is other drift that names every setting it checked", () => {
            const declared = { passwordPolicy: { ...POLICY, requireSymbols: false } };
            const cloud = { passwordPolicy: { ...POLICY, minimumLength: 16, requireSymbols: false } };
            assert.strictEqual(
                verdict(POOL, "passwordPolicy", cloud, declared),
                "other: not weaker than declared: the minimum password length, the password's required lowercase letter, the password's required uppercase letter, " +
                    "the password's required number, the password's required symbol, the number of earlier passwords a user may not reuse, how long a temporary password is valid",
            );
        });
    });

    describe("settings on a scale (MFA, the feature plan, threat protection)", () => {
        it("threat protection unset in AWS where OFF is declared is the same, not lower", () => {
            assert.strictEqual(verdict(POOL, "userPoolAddOns", { userPoolAddOns: null }, { userPoolAddOns: { advancedSecurityMode: "OFF" } }), "other: not weaker than declared: threat protection");
        });

        it("a declared MFA not known until apply cannot be ranked, so it is security drift", () => {
            assert.strictEqual(verdict(POOL, "mfaConfiguration", { mfaConfiguration: "ON" }, { mfaConfiguration: UNKNOWN_VALUE }), "security: MFA cannot be ranked on OFF < OPTIONAL < ON");
        });
    });

    describe("numbers that must not fall or rise", () => {
        it("a minimum password length that AWS has as a text cannot be compared, so it is security drift", () => {
            assert.strictEqual(
                verdict(POOL, "passwordPolicy.minimumLength", { passwordPolicy: { ...POLICY, minimumLength: "14" } }, { passwordPolicy: POLICY }),
                "security: the minimum password length cannot be compared as numbers",
            );
        });
    });

    describe("lists that must not gain members", () => {
        it("auth flows unset or null in AWS have lost members, not gained any", () => {
            assert.deepStrictEqual(
                [{}, { explicitAuthFlows: null }].map((cloud) => verdict(CLIENT, "explicitAuthFlows", cloud, APP_CLIENT)),
                ["other: not weaker than declared: the app client's auth flows", "other: not weaker than declared: the app client's auth flows"],
            );
        });

        it("a callback URL that AWS has as a text, not a list, cannot be compared, so it is security drift", () => {
            assert.strictEqual(
                verdict(CLIENT, "callbackUrls", { callbackUrls: "https://example.net/cb" }, { callbackUrls: ["https://example.com/cb"] }),
                "security: the app client's callback URLs, where tokens are sent cannot be compared as lists",
            );
        });

        it("a recovery channel is known by its name: a new priority for the same channel is not a new channel", () => {
            assert.strictEqual(
                verdict(
                    POOL,
                    "accountRecoverySetting.recoveryMechanisms[0].priority",
                    { accountRecoverySetting: { recoveryMechanisms: [{ name: "admin_only", priority: 2 }] } },
                    { accountRecoverySetting: { recoveryMechanisms: [{ name: "admin_only", priority: 1 }] } },
                ),
                "other: not weaker than declared: the account recovery channels",
            );
        });

        it("two auth flows added are counted", () => {
            const cloud = { ...APP_CLIENT, explicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH"] };
            assert.strictEqual(verdict(CLIENT, "explicitAuthFlows", cloud, APP_CLIENT), "security: the app client's auth flows gained 2 members the stack does not declare");
        });
    });

    describe("token validities, in their units", () => {
        it("1 hour in AWS where 60 minutes are declared is as long, not longer", () => {
            const cloud = { ...APP_CLIENT, accessTokenValidity: 1, tokenValidityUnits: { ...UNITS, accessToken: "hours" } };
            assert.strictEqual(verdict(CLIENT, "tokenValidityUnits.accessToken", cloud, APP_CLIENT), "other: not weaker than declared: the access token's validity");
        });

        it("a unit Cognito does not have, in AWS, cannot be compared as a duration, so it is security drift", () => {
            const cloud = { ...APP_CLIENT, tokenValidityUnits: { ...UNITS, accessToken: "weeks" } };
            assert.strictEqual(verdict(CLIENT, "tokenValidityUnits.accessToken", cloud, APP_CLIENT), "security: the access token's validity cannot be compared as a duration");
        });

        it("a declared validity not known until apply cannot be compared as a duration, so it is security drift", () => {
            assert.strictEqual(
                verdict(CLIENT, "accessTokenValidity", APP_CLIENT, { ...APP_CLIENT, accessTokenValidity: UNKNOWN_VALUE }),
                "security: the access token's validity cannot be compared as a duration",
            );
        });
    });

    describe("settings that must be as declared, empty and unset alike", () => {
        it("an empty list is unset; a list with a member is not", () => {
            assert.deepStrictEqual(
                [[], ["arn:aws:lambda:us-east-1:111122223333:function:x"]].map((lambdaConfig) => verdict(POOL, "lambdaConfig", { lambdaConfig }, {})),
                ["other: not weaker than declared: the Lambda triggers in the sign-up and sign-in path", "security: the Lambda triggers in the sign-up and sign-in path is not as declared"],
            );
        });

        it("a list is not an object, even one keyed by the list's indexes", () => {
            assert.strictEqual(
                verdict(POOL, "deviceConfiguration", { deviceConfiguration: ["x"] }, { deviceConfiguration: { 0: "x" } }),
                "security: device remembering, with which a remembered device may skip MFA is not as declared",
            );
        });
    });

    describe("which rules judge a drift", () => {
        it("a rule judges only its own resource type: an auth flow added to a managed app client, which this program does not declare, is not judged", () => {
            const cloud = { explicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH"] };
            assert.strictEqual(
                verdict("aws:cognito/managedUserPoolClient:ManagedUserPoolClient", "explicitAuthFlows", cloud, { explicitAuthFlows: ["ALLOW_USER_SRP_AUTH"] }),
                "other: not a setting check:drift judges for security",
            );
        });
    });

    describe("reading a value at a path (valueAt)", () => {
        it("finds nothing through a text, a number or an unset value", () => {
            assert.deepStrictEqual(
                [
                    valueAt({ tokenValidityUnits: "hours" }, ["tokenValidityUnits", "length"]),
                    valueAt({ tokenValidityUnits: "hours" }, ["tokenValidityUnits", 0]),
                    valueAt({ accessTokenValidity: 60 }, ["accessTokenValidity", "toFixed"]),
                    valueAt({ passwordPolicy: undefined }, ["passwordPolicy", "minimumLength"]),
                ],
                [undefined, undefined, undefined, undefined],
            );
        });

        it("reads only a value's own properties, never one every object inherits", () => {
            assert.deepStrictEqual([valueAt({ tags: {} }, ["tags", "constructor"]), valueAt({ tags: {} }, ["tags", "toString"])], [undefined, undefined]);
        });

        it("reads names and list indexes", () => {
            assert.strictEqual(valueAt({ accountRecoverySetting: { recoveryMechanisms: [{ name: "admin_only" }] } }, ["accountRecoverySetting", "recoveryMechanisms", 0, "name"]), "admin_only");
        });
    });
});
