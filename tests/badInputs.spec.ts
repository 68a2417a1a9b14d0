import * as assert from "assert";
import { TotpUserPool } from "../deploy/components/totpUserPool";
import { TotpUserPoolArgs } from "../deploy/components/totpUserPoolArgs";
import { MockRuntime, Registration, RunConfig } from "../tools/mock/mockRuntime";
import { PROGRAM, PROJECT, TEST_PASSWORD, seedConfig, mockRuntime, withSecret, withValues } from "./support";

const K = PROJECT;
const CONFIG_HEADING = 'Stack "dev" has invalid config; nothing was declared:';
const ARGS_HEADING = 'TotpUserPool "cognito" has invalid args; nothing was declared:';
const LONG_NAME = "p".repeat(129);
const LONG_NAME_SHOWN = `"${"p".repeat(64)}…", 129 characters`;
const NAME_RULE = "must be 1 to 128 characters, each a letter, digit, space or one of + = , . @ _ -";
const SYMBOLS = "^ $ * . [ ] { } ( ) ? \" ! @ # % & / \\ , > < ' : ; | _ ~ ` = + -";

/** A bad stack config: the change to the dev stack's config, and every line of the error. */
interface ConfigCase {
    readonly name: string;
    readonly config: () => RunConfig;
    readonly lines: readonly string[];
    /** A value that must not appear anywhere in the error. */
    readonly secret?: string;
}

const change = (changes: Record<string, string | undefined>) => () => withValues(seedConfig(), changes);
const password = (value: string) => () => withSecret(seedConfig(), "adminTemporaryPassword", value);
/** The seed's config with full keys (of any namespace, or none) set. */
const withRaw = (values: Record<string, string>): RunConfig => ({ ...seedConfig(), values: { ...seedConfig().values, ...values } });

const CONFIG_CASES: readonly ConfigCase[] = [
    {
        name: "a pool name with a /",
        config: change({ poolName: "team/users" }),
        lines: [`${K}:poolName: ${NAME_RULE} (got "team/users")`],
    },
    {
        name: "a pool name over 128 characters",
        config: change({ poolName: LONG_NAME }),
        lines: [`${K}:poolName: ${NAME_RULE} (got ${LONG_NAME_SHOWN})`],
    },
    {
        name: "a pool name of 128 characters, which makes the default client name too long",
        config: change({ poolName: "p".repeat(128) }),
        lines: [
            `${K}:appClient.name: ${NAME_RULE}; it defaults to poolName + "-client", so set appClient.name or shorten poolName (got "${"p".repeat(64)}…", 135 characters)`,
        ],
    },
    {
        name: "no pool name",
        config: change({ poolName: undefined }),
        lines: [`${K}:poolName: is required: run \`pulumi config set poolName <value>\` (not set)`],
    },
    {
        name: "a username with a space",
        config: change({ adminUsername: "site admin" }),
        lines: [`${K}:adminUsername: must be 1 to 128 characters with no spaces or control characters (got "site admin")`],
    },
    {
        name: "a pool name left empty (a YAML key without a value, which the Pulumi CLI passes as empty text)",
        config: change({ poolName: "" }),
        lines: [`${K}:poolName: is required: run \`pulumi config set poolName <value>\` (got "")`],
    },
    {
        name: "a key in a mistyped namespace, which would leave production unprotected",
        config: () => withRaw({ [`${K}p:production`]: "true" }),
        lines: [
            `${K}p:production: is in a namespace the program does not read: it reads ${K}, aws, random, command, pulumi; did you mean ${K}:production?`,
        ],
    },
    {
        name: "a namespace in the wrong case",
        config: () => withRaw({ "Cognito-totp:protect": "true" }),
        lines: [`Cognito-totp:protect: is in a namespace the program does not read: it reads ${K}, aws, random, command, pulumi; did you mean ${K}:protect?`],
    },
    {
        name: "a key without a namespace",
        config: () => withRaw({ production: "true" }),
        lines: [`production: has no namespace: keys are <namespace>:<key>, such as ${K}:poolName; did you mean ${K}:production?`],
    },
    {
        name: "an unknown key, listed with every other problem",
        config: () => withRaw({ [`${K}:poolname`]: "other", [`${K}:deletionProtection`]: "on", "aws:region": "us-east-9" }),
        lines: [
            `${K}:poolname: is not a known key; did you mean poolName?`,
            'aws:region: must be an AWS region the provider knows, such as us-east-1 (got "us-east-9")',
            `${K}:deletionProtection: must be one of ACTIVE, INACTIVE (got "on")`,
        ],
    },
    {
        name: "no admin username",
        config: change({ adminUsername: undefined }),
        lines: [`${K}:adminUsername: is required: run \`pulumi config set adminUsername <value>\` (not set)`],
    },
    {
        name: "a weak temporary password",
        config: password("lowercaseonly"),
        secret: "lowercaseonly",
        lines: [
            `${K}:adminTemporaryPassword: must satisfy the password policy; it needs an upper-case letter (A-Z), a digit (0-9), a symbol (one of ${SYMBOLS}) (value not shown: it is a secret)`,
        ],
    },
    {
        name: "a short temporary password",
        config: password("Aa1!aa"),
        secret: "Aa1!aa",
        lines: [
            `${K}:adminTemporaryPassword: must satisfy the password policy; it needs at least 8 characters (value not shown: it is a secret)`,
        ],
    },
    {
        name: "a temporary password that fits a stricter policy's length only when it is 12",
        config: () => withValues(password("Short-Pass1!")(), { passwordPolicy: '{"minimumLength":14}' }),
        secret: "Short-Pass1!",
        lines: [
            `${K}:adminTemporaryPassword: must satisfy the password policy; it needs at least 14 characters (value not shown: it is a secret)`,
        ],
    },
    {
        name: "a temporary password in plain text, not a secret",
        config: () => ({
            values: { ...seedConfig().values, [`${K}:adminTemporaryPassword`]: TEST_PASSWORD },
            secretKeys: [],
        }),
        secret: TEST_PASSWORD,
        lines: [
            `${K}:adminTemporaryPassword: must be stored as a secret: run \`pulumi config set --secret adminTemporaryPassword\`, and remove the plain-text value from the stack file (value not shown: it is a secret)`,
        ],
    },
    {
        name: "a minimum password length under 6",
        config: change({ passwordPolicy: '{"minimumLength":5}' }),
        lines: [`${K}:passwordPolicy.minimumLength: must be a whole number from 6 to 99 (got 5)`],
    },
    {
        name: "a minimum password length over 99",
        config: change({ passwordPolicy: '{"minimumLength":100}' }),
        lines: [`${K}:passwordPolicy.minimumLength: must be a whole number from 6 to 99 (got 100)`],
    },
    {
        name: "a temporary-password validity over 365 days",
        config: change({ passwordPolicy: '{"temporaryPasswordValidityDays":366}' }),
        lines: [`${K}:passwordPolicy.temporaryPasswordValidityDays: must be a whole number from 0 to 365 days (got 366)`],
    },
    {
        name: "a minimum length given as a word",
        config: change({ passwordPolicy: '{"minimumLength":"eight"}' }),
        lines: [`${K}:passwordPolicy.minimumLength: must be a number (got "eight")`],
    },
    {
        name: "an unknown password-policy field",
        config: change({ passwordPolicy: '{"minLength":8}' }),
        lines: [`${K}:passwordPolicy.minLength: is not a known key of passwordPolicy`],
    },
    {
        name: "a key in the wrong case",
        config: change({ poolname: "other" }),
        lines: [`${K}:poolname: is not a known key; did you mean poolName?`],
    },
    {
        name: "a mistyped password key, whose value is never shown",
        config: change({ adminPassword: "Hunter2!Secret" }),
        secret: "Hunter2!Secret",
        lines: [`${K}:adminPassword: is not a known key`],
    },
    {
        name: "an e-mail address as the username when e-mail is a sign-in alias",
        config: change({ adminUsername: "admin@example.com", aliasAttributes: '["email"]' }),
        lines: [
            `${K}:adminUsername: must not be an e-mail address, as aliasAttributes includes email (Cognito rejects it) (got "admin@example.com")`,
        ],
    },
    {
        name: "an MFA mode Cognito does not have",
        config: change({ mfaConfiguration: "REQUIRED" }),
        lines: [`${K}:mfaConfiguration: must be one of ON, OPTIONAL, OFF (got "REQUIRED")`],
    },
    {
        name: "MFA ON with no factor",
        config: change({ softwareTokenMfa: "false" }),
        lines: [
            `${K}:softwareTokenMfa: must be true when mfaConfiguration is ON: Cognito rejects MFA ON with no second factor (got false)`,
        ],
    },
    {
        name: "MFA OPTIONAL with no factor",
        config: change({ mfaConfiguration: "OPTIONAL", softwareTokenMfa: "false", verifySignIn: "false" }),
        lines: [
            `${K}:softwareTokenMfa: must be true when mfaConfiguration is OPTIONAL: Cognito rejects MFA OPTIONAL with no second factor (got false)`,
        ],
    },
    {
        name: "MFA OFF with a factor",
        config: change({ mfaConfiguration: "OFF", verifySignIn: "false" }),
        lines: [
            `${K}:softwareTokenMfa: must be false when mfaConfiguration is OFF: Cognito rejects MFA OFF with a factor configured (got true)`,
        ],
    },
    {
        name: "an empty adminPasswordRotation label",
        config: change({ adminPasswordRotation: "" }),
        lines: [`${K}:adminPasswordRotation: must be text (any label; change it to re-issue the generated temporary passwords) (got "")`],
    },
    {
        name: "a passwordReissue label for an admin whose temporary password is given, not generated",
        config: change({ adminPasswordReissue: "2026-11-26" }),
        lines: [`${K}:adminPasswordReissue: must not be set with a temporary password of your own: set a new temporaryPassword to re-issue it (got "2026-11-26")`],
    },
    {
        name: "an empty passwordReissue label",
        config: change({ adminTemporaryPassword: undefined, adminUsers: '[{"username":"ops","passwordReissue":""}]' }),
        lines: [`${K}:adminUsers[0].passwordReissue: must be text (any label; change it to re-issue this admin's generated temporary password) (got "")`],
    },
    {
        name: "an empty recreate label",
        config: change({ adminUsers: '[{"username":"ops","recreate":""}]' }),
        lines: [`${K}:adminUsers[0].recreate: must be text (any label; change it to delete this admin's user and create it afresh) (got "")`],
    },
    ...(
        [
            ["protected", { protect: "true" }],
            ["retained", { retainOnDelete: "true" }],
            ["production", { production: "true", deletionProtection: "ACTIVE" }],
        ] as const
    ).map(([where, settings]) => ({
        name: `a recreate label where users are ${where}`,
        config: change({ ...settings, adminTemporaryPassword: undefined, adminRecreate: "2026-11-26 lost phone" }),
        lines: [
            `${K}:adminRecreate: must not be set where users are protected or retained (protect, retainOnDelete, production), as Pulumi cannot delete them: ` +
                `npm run admin:recover deletes the authenticator in place instead (got "2026-11-26 lost phone")`,
        ],
    })),
    {
        name: "a recreate label for an admin whose temporary password is given, not generated",
        config: change({ adminRecreate: "2026-11-26 lost phone" }),
        lines: [
            `${K}:adminRecreate: must not be set with a temporary password of your own, which the recreated user would get again: ` +
                `remove temporaryPassword, so that a new one is generated (got "2026-11-26 lost phone")`,
        ],
    },
    {
        name: "a recreate label for an adopted admin",
        config: change({ import: '{"userPoolId":"us-east-1_AbCdEf123","adminUser":true}', adminTemporaryPassword: undefined, adminRecreate: "x" }),
        lines: [`${K}:adminRecreate: must not be set for an adopted admin (import.adminUser), which stays protected and keeps its import id: Pulumi replaces neither (got "x")`],
    },
    {
        name: "a production stack that lowers its protection",
        config: change({ production: "true", protect: "false", retainOnDelete: "false" }),
        lines: [
            `${K}:protect: must be true while production is true; set production to false first, in a change of its own, to take this pool down on purpose (got false)`,
            `${K}:retainOnDelete: must be true while production is true; set production to false first, in a change of its own, to take this pool down on purpose (got false)`,
            `${K}:deletionProtection: must be ACTIVE while production is true; set production to false first, in a change of its own, to take this pool down on purpose (got "INACTIVE")`,
        ],
    },
    {
        name: "a production stack without required MFA",
        config: change({ production: "true", deletionProtection: "ACTIVE", mfaConfiguration: "OPTIONAL", verifySignIn: "false" }),
        lines: [`${K}:mfaConfiguration: must be ON while production is true: every production user signs in with TOTP (got "OPTIONAL")`],
    },
    {
        name: "the sign-in check on a pool where MFA is OPTIONAL",
        config: change({ mfaConfiguration: "OPTIONAL" }),
        lines: [
            `${K}:verifySignIn: needs mfaConfiguration ON: the check fails any pool that lets users sign in without TOTP (mfaConfiguration is OPTIONAL) (got true)`,
        ],
    },
    {
        name: "the sign-in check on a client without SRP",
        config: change({ appClient: '{"explicitAuthFlows":["ALLOW_USER_PASSWORD_AUTH","ALLOW_REFRESH_TOKEN_AUTH"]}' }),
        lines: [
            `${K}:verifySignIn: needs ALLOW_USER_SRP_AUTH in appClient.explicitAuthFlows: the check signs in with SRP, as apps do (got true)`,
        ],
    },
    {
        name: "an aws:endpoints override that is not a list",
        config: () => ({ ...seedConfig(), values: { ...seedConfig().values, "aws:endpoints": '{"cognitoidp":"http://127.0.0.1:5000"}' } }),
        lines: [`aws:endpoints: must be a list such as [{cognitoidp: http://127.0.0.1:5000}] (got "{\\"cognitoidp\\":\\"http://127.0.0.1:5000\\"}")`],
    },
    {
        name: "the sign-in check with credentials that only the provider has",
        config: () => ({ ...seedConfig(), values: { ...seedConfig().values, "aws:assumeRoles": '[{"roleArn":"arn:aws:iam::1:role/x"}]' } }),
        lines: [
            "aws:assumeRoles: cannot be used with verifySignIn: the sign-in check signs in with this process's AWS credentials (or aws:profile), not the provider's; use aws:profile, or set verifySignIn to false",
        ],
    },
    {
        name: "an imported pool id without its region prefix",
        config: change({ import: '{"userPoolId":"AbCdEf123"}' }),
        lines: [
            `${K}:import.userPoolId: must be a user pool id: its region, an underscore, then letters and digits, such as us-east-1_AbCdEf123 (got "AbCdEf123")`,
        ],
    },
    {
        name: "an imported pool in another region than the stack's",
        config: change({ import: '{"userPoolId":"eu-west-1_AbCdEf123"}' }),
        lines: [`${K}:import.userPoolId: must be a pool in the stack's region (aws:region is us-east-1) (got "eu-west-1_AbCdEf123")`],
    },
    {
        name: "an imported client id that is a pool/client pair",
        config: change({ import: '{"userPoolId":"us-east-1_AbCdEf123","clientId":"us-east-1_AbCdEf123/abc"}' }),
        lines: [
            `${K}:import.clientId: must be an app client id: 1 to 128 letters and digits, such as 1example23456789abcdefghijk (got "us-east-1_AbCdEf123/abc")`,
        ],
    },
    {
        name: "an import with no pool id",
        config: change({ import: '{"clientId":"abc"}' }),
        lines: [`${K}:import.userPoolId: is required: run \`pulumi config set --path 'import.userPoolId' <value>\` (not set)`],
    },
    {
        name: "an adopted admin user given a temporary password",
        config: change({ import: '{"userPoolId":"us-east-1_AbCdEf123","adminUser":true}' }),
        lines: [
            `${K}:adminTemporaryPassword: must not be set when import.adminUser is true: an adopted admin keeps the password it has (value not shown: it is a secret)`,
        ],
    },
    {
        name: "an admin user in a group that is not declared",
        config: change({ adminGroups: '["admins"]' }),
        lines: [`${K}:adminGroups: must name groups declared in groups (got "admins")`],
    },
    {
        name: "two admin users with one username",
        config: change({ adminUsers: '[{"username":"admin"}]' }),
        lines: [`${K}:adminUsers[0].username: must be unique among the admin users (got "admin")`],
    },
    {
        name: "admin users' temporary passwords in plain text",
        config: change({ adminUsers: '[{"username":"ops","temporaryPassword":"Ops-Passw0rd!"}]' }),
        secret: "Ops-Passw0rd!",
        lines: [
            `${K}:adminUsers: must be stored as a secret when it holds temporary passwords: run \`pulumi config set --secret --path 'adminUsers[0].temporaryPassword'\` for each, and remove the plain-text values from the stack file (value not shown: it is a secret)`,
        ],
    },
    {
        name: "an admin user's temporary password of digits (read as the text it was typed as), in a key not stored as a secret",
        config: change({ adminUsers: '[{"username":"ops","temporaryPassword":84736251}]' }),
        secret: "84736251",
        lines: [
            `${K}:adminUsers: must be stored as a secret when it holds temporary passwords: run \`pulumi config set --secret --path 'adminUsers[0].temporaryPassword'\` for each, and remove the plain-text values from the stack file (value not shown: it is a secret)`,
            `${K}:adminUsers[0].temporaryPassword: must satisfy the password policy; it needs an upper-case letter (A-Z), a lower-case letter (a-z), a symbol (one of ${SYMBOLS}) (value not shown: it is a secret)`,
        ],
    },
    {
        name: "an admin user and a group membership that would share a resource name",
        config: change({
            groups: '[{"name":"b-in-c"},{"name":"c"}]',
            adminGroups: '["b-in-c"]',
            adminUsername: "a",
            adminUsers: '[{"username":"a-in-b","groups":["c"]},{"username":"x","groups":["c"]}]',
        }),
        lines: [
            `${K}:adminUsers[0].groups: makes the resource name "admin-user-a-in-b-in-c" a second time; rename a user or a group (got "c")`,
        ],
    },
    {
        name: "self sign-up as yes",
        config: change({ selfSignUp: "yes" }),
        lines: [`${K}:selfSignUp: must be true or false (got "yes")`],
    },
    {
        name: "a refresh-token validity of 0 days",
        config: change({ appClient: '{"refreshTokenValidityDays":0}' }),
        lines: [`${K}:appClient.refreshTokenValidityDays: must be a whole number from 1 to 3650 days (got 0)`],
    },
    {
        name: "a refresh-token validity of 1.5 days",
        config: change({ appClient: '{"refreshTokenValidityDays":1.5}' }),
        lines: [`${K}:appClient.refreshTokenValidityDays: must be a whole number from 1 to 3650 days (got 1.5)`],
    },
    {
        name: "an access-token validity over a day",
        config: change({ appClient: '{"accessTokenValidityMinutes":1441}' }),
        lines: [`${K}:appClient.accessTokenValidityMinutes: must be a whole number from 5 to 1440 minutes (got 1441)`],
    },
    {
        name: "an ID-token validity under 5 minutes",
        config: change({ appClient: '{"idTokenValidityMinutes":4}' }),
        lines: [`${K}:appClient.idTokenValidityMinutes: must be a whole number from 5 to 1440 minutes (got 4)`],
    },
    {
        name: "a legacy auth flow name",
        config: change({ appClient: '{"explicitAuthFlows":["USER_PASSWORD_AUTH"]}' }),
        lines: [
            `${K}:appClient.explicitAuthFlows: must be a list of one or more of ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH, ALLOW_USER_AUTH, ALLOW_CUSTOM_AUTH, ALLOW_USER_PASSWORD_AUTH, ALLOW_ADMIN_USER_PASSWORD_AUTH, without repeats (got ["USER_PASSWORD_AUTH"])`,
        ],
    },
    {
        name: "no auth flows",
        config: change({ appClient: '{"explicitAuthFlows":[]}' }),
        lines: [
            `${K}:appClient.explicitAuthFlows: must be a list of one or more of ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH, ALLOW_USER_AUTH, ALLOW_CUSTOM_AUTH, ALLOW_USER_PASSWORD_AUTH, ALLOW_ADMIN_USER_PASSWORD_AUTH, without repeats (got [])`,
        ],
    },
    {
        name: "a client name with a /",
        config: change({ appClient: '{"name":"web/app"}' }),
        lines: [`${K}:appClient.name: ${NAME_RULE} (got "web/app")`],
    },
    {
        name: "a deletion-protection state Cognito does not have",
        config: change({ deletionProtection: "ENABLED" }),
        lines: [`${K}:deletionProtection: must be one of ACTIVE, INACTIVE (got "ENABLED")`],
    },
    {
        name: "an e-mail address with no domain",
        config: change({ adminEmail: "admin@" }),
        lines: [`${K}:adminEmail: must be an e-mail address such as admin@example.com (got "admin@")`],
    },
    {
        name: "a tag key in AWS's namespace",
        config: change({ tags: '{"aws:owner":"me"}' }),
        lines: [
            `${K}:tags: must have keys of 1 to 128 letters, digits, spaces or _ . : / = + - @, not starting with aws: (got "aws:owner")`,
        ],
    },
    {
        name: "username and alias attributes together",
        config: change({
            adminUsername: "admin@example.com",
            usernameAttributes: '["email"]',
            aliasAttributes: '["preferred_username"]',
        }),
        lines: [`${K}:aliasAttributes: must not be set together with usernameAttributes (got ["preferred_username"])`],
    },
    {
        name: "a plain username in a pool that signs in by e-mail",
        config: change({ usernameAttributes: '["email"]' }),
        lines: [`${K}:adminUsername: must be an e-mail address, as usernameAttributes is ["email"] (got "admin")`],
    },
    {
        name: "password history on the LITE plan",
        config: change({ featurePlan: "LITE", passwordPolicy: '{"passwordHistorySize":5}' }),
        lines: [`${K}:passwordPolicy.passwordHistorySize: needs the ESSENTIALS or PLUS feature plan (featurePlan is LITE) (got 5)`],
    },
    {
        name: "password history over 24",
        config: change({ featurePlan: "ESSENTIALS", passwordPolicy: '{"passwordHistorySize":25}' }),
        lines: [`${K}:passwordPolicy.passwordHistorySize: must be a whole number from 0 to 24 passwords (got 25)`],
    },
    {
        name: "threat protection on the ESSENTIALS plan",
        config: change({ featurePlan: "ESSENTIALS", threatProtection: "AUDIT" }),
        lines: [`${K}:threatProtection: needs the PLUS feature plan (featurePlan is ESSENTIALS) (got "AUDIT")`],
    },
    {
        name: "a feature plan Cognito does not have, and a threat protection mode",
        config: change({ featurePlan: "FREE", threatProtection: "ON" }),
        lines: [
            `${K}:featurePlan: must be one of LITE, ESSENTIALS, PLUS (got "FREE")`,
            `${K}:threatProtection: must be one of OFF, AUDIT, ENFORCED (got "ON")`,
        ],
    },
    {
        name: "admin_only account recovery with another mechanism",
        config: change({ accountRecovery: '["admin_only","verified_email"]' }),
        lines: [
            `${K}:accountRecovery: must be a list of one or two of verified_email, verified_phone_number, admin_only, in priority order, without repeats, and admin_only only on its own (got ["admin_only","verified_email"])`,
        ],
    },
    {
        name: "an app client without ALLOW_REFRESH_TOKEN_AUTH",
        config: change({ appClient: '{"explicitAuthFlows":["ALLOW_USER_SRP_AUTH"]}' }),
        lines: [
            `${K}:appClient.explicitAuthFlows: must include ALLOW_REFRESH_TOKEN_AUTH, so that apps can refresh their tokens (a rule of this project, as of the AWS CDK), unless refresh token rotation is on (got ["ALLOW_USER_SRP_AUTH"])`,
        ],
    },
    {
        name: "refresh token rotation with ALLOW_REFRESH_TOKEN_AUTH, and a grace period over 60 s",
        config: change({
            featurePlan: "ESSENTIALS",
            appClient: '{"refreshTokenRotation":{"enabled":true,"retryGracePeriodSeconds":61},"explicitAuthFlows":["ALLOW_USER_SRP_AUTH","ALLOW_REFRESH_TOKEN_AUTH"]}',
        }),
        lines: [
            `${K}:appClient.refreshTokenRotation.retryGracePeriodSeconds: must be a whole number from 0 to 60 seconds (got 61)`,
            `${K}:appClient.explicitAuthFlows: must not include ALLOW_REFRESH_TOKEN_AUTH with refresh token rotation: AWS says "You can't authenticate with REFRESH_TOKEN_AUTH in app clients with refresh token rotation enabled" (apps refresh with GetTokensFromRefreshToken) (got ["ALLOW_USER_SRP_AUTH","ALLOW_REFRESH_TOKEN_AUTH"])`,
        ],
    },
    {
        name: "refresh token rotation on the LITE plan",
        config: change({ featurePlan: "LITE", appClient: '{"refreshTokenRotation":{"enabled":true}}' }),
        lines: [`${K}:appClient.refreshTokenRotation: needs the ESSENTIALS or PLUS feature plan (featurePlan is LITE)`],
    },
    {
        name: "choice-based sign-in (ALLOW_USER_AUTH) on the LITE plan",
        config: change({ featurePlan: "LITE", appClient: '{"explicitAuthFlows":["ALLOW_USER_SRP_AUTH","ALLOW_REFRESH_TOKEN_AUTH","ALLOW_USER_AUTH"]}' }),
        lines: [
            `${K}:appClient.explicitAuthFlows: needs the ESSENTIALS or PLUS feature plan (featurePlan is LITE) (got ["ALLOW_USER_SRP_AUTH","ALLOW_REFRESH_TOKEN_AUTH","ALLOW_USER_AUTH"])`,
        ],
    },
    {
        name: "a temporary password with an inner space",
        config: password("Test Passw0rd!"),
        secret: "Test Passw0rd!",
        lines: [`${K}:adminTemporaryPassword: must satisfy the password policy; it needs no space, tab or line break (value not shown: it is a secret)`],
    },
    {
        name: "a pool name with a no-break space (AWS's patterns are Java's, whose \\s is ASCII)",
        config: change({ poolName: "totp\u00a0dev" }),
        lines: [`${K}:poolName: ${NAME_RULE} (got "totp\u00a0dev")`],
    },
    {
        name: "two admins whose usernames differ only in case, with case-insensitive usernames",
        config: change({ usernameCaseSensitive: "false", adminUsername: "Ops", adminUsers: '[{"username":"ops"}]' }),
        lines: [`${K}:adminUsers[0].username: must be unique among the admin users ignoring case, as usernameCaseSensitive is false ("Ops" is taken) (got "ops")`],
    },
    {
        name: "two admins with one e-mail address, with e-mail as a sign-in alias",
        config: change({ aliasAttributes: '["email"]', adminEmail: "ops@example.com", adminUsers: '[{"username":"ops2","email":"OPS@example.com"}]' }),
        lines: [
            `${K}:adminUsers[0].email: must differ from adminUser's: with e-mail as a sign-in attribute, Cognito lets only one user have an address (got "OPS@example.com")`,
        ],
    },
    {
        name: "an admin named __proto__",
        config: change({ adminUsers: '[{"username":"__proto__"},{"username":"ops"}]' }),
        lines: [`${K}:adminUsers[0].username: must not be __proto__: it cannot be a key of the adminTemporaryPasswords output (got "__proto__")`],
    },
    {
        name: "a __proto__ key in structured config, refused rather than dropped",
        config: change({ tags: '{"__proto__":"x","team":"identity"}' }),
        lines: [`${K}:tags.__proto__: is a key named __proto__, which this program refuses: rename it`],
    },
    {
        name: "a secret adminUsername, which would be used in plain text",
        config: () => withSecret(seedConfig(), "adminUsername", "hidden-admin"),
        secret: "hidden-admin",
        lines: [
            `${K}:adminUsername: must not be a secret: the program uses it in plain text (in resource names, inputs or outputs), so it would stop being one; store it with \`pulumi config set\` without --secret, or leave it out`,
        ],
    },
    {
        name: "a secret aws:endpoints, which the sign-in check would use in plain text",
        config: () => ({
            values: { ...seedConfig().values, "aws:endpoints": '[{"cognitoidp":"http://127.0.0.1:5000"}]' },
            secretKeys: [...seedConfig().secretKeys, "aws:endpoints"],
        }),
        secret: "127.0.0.1",
        lines: [
            "aws:endpoints: must not be a secret: the program uses it in plain text (in resource names, inputs or outputs), so it would stop being one; store it with `pulumi config set` without --secret, or leave it out",
        ],
    },
    {
        name: "an admin in the same group twice, which would declare one membership twice",
        config: change({ groups: '[{"name":"admins"}]', adminGroups: '["admins","admins"]' }),
        lines: [`${K}:adminGroups: must name each group once (got "admins")`],
    },
    {
        name: "admin users as a list of names instead of a list of objects",
        config: change({ adminUsers: '["ops"]' }),
        lines: [`${K}:adminUsers[0]: must be structured config (an object) (value not shown: it may hold a secret)`],
    },
    {
        name: "a group name with a space, a group declared twice, and a negative precedence",
        config: change({ groups: '[{"name":"site admins"},{"name":"ops"},{"name":"ops"},{"name":"auditors","precedence":-1}]' }),
        lines: [
            `${K}:groups[0].name: must be 1 to 128 characters with no spaces (got "site admins")`,
            `${K}:groups[2].name: must be unique among the groups (got "ops")`,
            `${K}:groups[3].precedence: must be a whole number from 0 to 2147483647 (got -1)`,
        ],
    },
    {
        name: "several problems at once, each on its own line",
        config: change({ poolName: "a/b", deletionProtection: "on", passwordPolicy: '{"minimumLength":5}' }),
        lines: [
            `${K}:poolName: ${NAME_RULE} (got "a/b")`,
            `${K}:passwordPolicy.minimumLength: must be a whole number from 6 to 99 (got 5)`,
            `${K}:deletionProtection: must be one of ACTIVE, INACTIVE (got "on")`,
        ],
    },
];

/** A bad component arg: the args, and every line of the error. */
interface ArgsCase {
    readonly name: string;
    readonly args: TotpUserPoolArgs;
    readonly lines: readonly string[];
    readonly secret?: string;
}

const ARGS_CASES: readonly ArgsCase[] = [
    {
        name: "an empty pool name",
        args: { poolName: "", adminUser: { username: "admin" }, appClient: { name: "client" } },
        lines: ['args.poolName: is required (got "")'],
    },
    {
        name: "an empty username",
        args: { poolName: "pool", adminUser: { username: "" } },
        lines: ['args.adminUser.username: is required (got "")'],
    },
    {
        name: "a temporary password with no symbol under requireSymbols",
        args: { poolName: "pool", adminUser: { username: "admin", temporaryPassword: "Password123" } },
        secret: "Password123",
        lines: [
            `args.adminUser.temporaryPassword: must satisfy the password policy; it needs a symbol (one of ${SYMBOLS}) (value not shown: it is a secret)`,
        ],
    },
    {
        name: "MFA OFF with TOTP asked for",
        args: { poolName: "pool", mfaConfiguration: "OFF", softwareTokenMfa: true, adminUser: { username: "admin" } },
        lines: [
            "args.softwareTokenMfa: must be false when mfaConfiguration is OFF: Cognito rejects MFA OFF with a factor configured (got true)",
        ],
    },
    {
        name: "a temporary password that is not text (from JavaScript, or an untyped source)",
        args: { poolName: "pool", adminUser: { username: "admin", temporaryPassword: 12345678 as unknown as string } },
        lines: ["args.adminUser.temporaryPassword: must be text (value not shown: it is a secret)"],
    },
    {
        name: "softwareTokenMfa that is not true or false",
        args: { poolName: "pool", softwareTokenMfa: "yes" as unknown as boolean, adminUser: { username: "admin" } },
        lines: ['args.softwareTokenMfa: must be true or false (got "yes")'],
    },
    {
        name: "admin users as a list of names, and groups as text",
        args: { poolName: "pool", adminUser: { username: "admin" }, adminUsers: ["ops"] as unknown as [], groups: "admins" as unknown as [] },
        lines: ["args.adminUsers[0]: must be an object (value not shown: it may hold a secret)", "args.groups: must be a list (value not shown: it may hold a secret)"],
    },
    {
        name: "a tag value over 256 characters",
        args: { poolName: "pool", tags: { team: "t".repeat(257) }, adminUser: { username: "admin" } },
        lines: [
            `args.tags.team: must be a string of up to 256 letters, digits, spaces or _ . : / = + - @ (got "${"t".repeat(64)}…", 257 characters)`,
        ],
    },
];

function assertNothingDeclared(registrations: readonly Registration[]): void {
    assert.deepStrictEqual(
        registrations.map((r) => r.type),
        [],
        "nothing, and so no user pool, may be declared",
    );
}

describe("bad input stops the program before anything is declared", () => {
    let runtime: MockRuntime;

    before(async () => {
        runtime = await mockRuntime();
    });

    describe("stack config (index.ts)", () => {
        for (const testCase of CONFIG_CASES) {
            it(testCase.name, async () => {
                let thrown: unknown;
                const run = await runtime.run(testCase.config(), () => {
                    try {
                        delete require.cache[require.resolve(PROGRAM)];
                        require(PROGRAM);
                    } catch (error) {
                        thrown = error;
                    }
                });
                assertNothingDeclared(run.registrations);
                assert.ok(thrown instanceof Error, "the program must throw");
                assert.strictEqual(thrown.message, [CONFIG_HEADING, ...testCase.lines.map((l) => `  - ${l}`)].join("\n"));
                if (testCase.secret) {
                    assert.strictEqual(thrown.message.includes(testCase.secret), false, "the error must not show the secret");
                }
            });
        }
    });

    describe("component args (TotpUserPool)", () => {
        for (const testCase of ARGS_CASES) {
            it(testCase.name, async () => {
                let thrown: unknown;
                const run = await runtime.run({ values: {}, secretKeys: [] }, () => {
                    try {
                        new TotpUserPool("cognito", testCase.args);
                    } catch (error) {
                        thrown = error;
                    }
                });
                assertNothingDeclared(run.registrations);
                assert.ok(thrown instanceof Error, "the component must throw");
                assert.strictEqual(thrown.message, [ARGS_HEADING, ...testCase.lines.map((l) => `  - ${l}`)].join("\n"));
                if (testCase.secret) {
                    assert.strictEqual(thrown.message.includes(testCase.secret), false, "the error must not show the secret");
                }
            });
        }
    });
});
