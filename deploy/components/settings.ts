/**
 * The definition of TotpUserPool's settings: one entry per setting, and the one place to add one
 * (see docs/adding-a-setting.md). From it come the TypeScript args (totpUserPoolArgs.ts, generated),
 * the component package's schema (schema.json, generated), the type checks and defaults
 * (checkSettings.ts), the stack config keys (deploy/stack/stackConfig.ts), the feature plan gates
 * and the configuration reference (docs/configuration.md, generated).
 *
 * Each feature plan gate cites the AWS page that says so. Every other setting is on every plan,
 * LITE included: AWS's feature plan pages (cognito-sign-in-feature-plans.html,
 * feature-plans-features-essentials.html, feature-plans-features-plus.html) list none of them.
 */
import {
    ALIAS_ATTRIBUTE,
    AUTH_FLOW,
    DELETION_PROTECTION,
    FEATURE_PLAN,
    MFA_CONFIGURATION,
    RECOVERY_MECHANISM,
    SEED_PASSWORD_POLICY,
    THREAT_PROTECTION,
    USERNAME_ATTRIBUTE,
    checkAccountRecovery,
    checkClientId,
    checkEmail,
    checkGroupDescription,
    checkGroupName,
    checkPoolOrClientName,
    checkUserPoolId,
    checkUsername,
    tagProblems,
} from "./cognitoRules";
import { ObjectType, derived, flag, listOf, none, object, objectList, oneOf, text, textList, textMap, value, wholeNumber } from "./definition";

/** The auth flows an app client allows by default. */
export const DEFAULT_AUTH_FLOWS = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] as const;

/** The auth flows an app client with refresh token rotation allows by default: rotation rules out REFRESH_TOKEN_AUTH. */
export const DEFAULT_ROTATING_AUTH_FLOWS = ["ALLOW_USER_SRP_AUTH"] as const;

/** A label's rule: any text but empty, and what changing it does. */
function label(changing: string): (text: string) => string | undefined {
    return (text) => (text.length === 0 ? `must be text (any label; change it to ${changing})` : undefined);
}

/** The feature plans above LITE. */
const ESSENTIALS_OR_PLUS = ["ESSENTIALS", "PLUS"];

const PASSWORD_POLICY: ObjectType = {
    name: "PoolPasswordPolicy",
    doc: "The password policy of a user pool: fields left out take the seed script's values.",
    fields: {
        minimumLength: wholeNumber("Fewest characters in a password.", { min: 6, max: 99 }, {
            default: value(SEED_PASSWORD_POLICY.minimumLength),
            more: "Above 20, generated passwords are made anew (their length is the larger of 20 and this).",
        }),
        requireLowercase: flag("A password needs a lower-case letter (a-z).", { default: value(SEED_PASSWORD_POLICY.requireLowercase) }),
        requireUppercase: flag("A password needs an upper-case letter (A-Z).", { default: value(SEED_PASSWORD_POLICY.requireUppercase) }),
        requireNumbers: flag("A password needs a digit (0-9).", { default: value(SEED_PASSWORD_POLICY.requireNumbers) }),
        requireSymbols: flag("A password needs one of Cognito's symbols: ``^ $ * . [ ] { } ( ) ? \" ! @ # % & / \\ , > < ' : ; | _ ~ ` = + -``.", {
            default: value(SEED_PASSWORD_POLICY.requireSymbols),
        }),
        temporaryPasswordValidityDays: wholeNumber("Days an unused temporary password stays valid.", { min: 0, max: 365, unit: "days" }, {
            default: value(SEED_PASSWORD_POLICY.temporaryPasswordValidityDays),
        }),
        passwordHistorySize: wholeNumber("How many previous passwords a user may not reuse; 0 turns it off.", { min: 0, max: 24, unit: "passwords" }, {
            default: none("not sent"),
            more: "0 is not sent: Cognito then leaves it out of DescribeUserPool.",
            plan: {
                needs: ESSENTIALS_OR_PLUS,
                when: "above 0",
                applies: (size: number) => size > 0,
                source: 'Cognito API reference, PasswordPolicyType, PasswordHistorySize: "To activate this setting, your user pool must be in the Essentials tier or higher."',
            },
        }),
    },
};

const REFRESH_TOKEN_ROTATION: ObjectType = {
    name: "RefreshTokenRotation",
    doc: "Refresh token rotation on an app client.",
    fields: {
        enabled: flag("Turn rotation on.", { required: true }),
        retryGracePeriodSeconds: wholeNumber("Seconds during which the refresh token just replaced still works, for an app whose answer was lost on the way.", { min: 0, max: 60, unit: "seconds" }, {
            default: value(0),
            more: "Read only when rotation is on; 0 means no grace: a replaced token never works again.",
        }),
    },
};

const APP_CLIENT: ObjectType = {
    name: "AppClient",
    doc: "The app client of a TotpUserPool.",
    fields: {
        name: text("The app client's name: 1 to 128 characters, as a pool name.", {
            default: derived("`<poolName>-client`", (root: { poolName: string | null }) => (root.poolName === null ? null : `${root.poolName}-client`), 'it defaults to poolName + "-client", so set appClient.name or shorten poolName'),
            more: "The seed script named it so.",
            rule: checkPoolOrClientName,
        }),
        refreshTokenValidityDays: wholeNumber("Days a refresh token stays valid.", { min: 1, max: 3650, unit: "days" }, { default: value(30) }),
        accessTokenValidityMinutes: wholeNumber("Minutes an access token stays valid.", { min: 5, max: 1440, unit: "minutes" }, {
            default: value(60),
            more: "Sent with units of minutes: the provider's default unit for access tokens is hours.",
        }),
        idTokenValidityMinutes: wholeNumber("Minutes an ID token stays valid.", { min: 5, max: 1440, unit: "minutes" }, { default: value(60), more: "Sent in minutes." }),
        refreshTokenRotation: object(REFRESH_TOKEN_ROTATION, "Refresh token rotation: each refresh hands out a new refresh token and retires the old one.", {
            default: none("off (not sent)"),
            more:
                'Apps then refresh with GetTokensFromRefreshToken: AWS says "Refresh token rotation must be completed with GetTokensFromRefreshToken" ' +
                "(RefreshTokenRotationType), so the client must not allow ALLOW_REFRESH_TOKEN_AUTH. Changes apply in place.",
            plan: {
                needs: ESSENTIALS_OR_PLUS,
                when: "enabled",
                applies: (rotation: { enabled?: boolean }) => rotation.enabled === true,
                source:
                    'AWS What\'s New, 2025-04, "Amazon Cognito introduces refresh token rotation": "available for Amazon Cognito customers using the Essentials or Plus tiers"; ' +
                    "Cognito developer guide, Refresh tokens (amazon-cognito-user-pools-using-the-refresh-token.html), Refresh token rotation",
            },
        }),
        explicitAuthFlows: listOf(AUTH_FLOW, "The auth flows the client allows; only the `ALLOW_` forms.", {
            default: derived(
                '`["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]`; `["ALLOW_USER_SRP_AUTH"]` with refresh token rotation',
                // A rotation, or its `enabled`, that broke a rule (null) leaves the flows unknown.
                (_root: unknown, client: { refreshTokenRotation?: { enabled: boolean | null } | null }) => {
                    const rotation = client.refreshTokenRotation;
                    if (rotation === null || rotation?.enabled === null) return null;
                    return rotation?.enabled ? [...DEFAULT_ROTATING_AUTH_FLOWS] : [...DEFAULT_AUTH_FLOWS];
                },
            ),
            more:
                "The default lets passwords never cross the wire and opens no custom (Lambda) flow. It must hold ALLOW_REFRESH_TOKEN_AUTH, a rule of this " +
                "project (the AWS CDK's UserPoolClient adds it to every list of flows: aws/aws-cdk#7625), except with refresh token rotation, which must not have it.",
            plan: {
                needs: ESSENTIALS_OR_PLUS,
                when: "holding ALLOW_USER_AUTH",
                applies: (flows: readonly string[]) => flows.includes("ALLOW_USER_AUTH"),
                source: 'Cognito API reference, CreateUserPoolClient, ExplicitAuthFlows, ALLOW_USER_AUTH: "To activate this setting, your user pool must be in the Essentials tier or higher."',
            },
        }),
        generateSecret: flag("Give the client a secret, for a server that can keep one.", {
            default: value(false),
            more: "Off for browser and mobile apps, which cannot keep one. Changing it replaces the app client, which gets a new client id.",
            replaces: "app client",
        }),
    },
};

const ADMIN_USER: ObjectType = {
    name: "AdminUser",
    doc: "An admin user of a TotpUserPool, created with a temporary password and no invitation.",
    fields: {
        username: text("The admin's username: 1 to 128 characters, no spaces.", {
            required: true,
            more:
                "An e-mail address or phone number when usernameAttributes says so; unique, also ignoring case when usernames are case-insensitive. " +
                "Changing it replaces the user: the old user and its TOTP enrolment are deleted and a new one is created.",
            replaces: "admin user, group membership",
            rule: (username) =>
                checkUsername(username) ?? (username === "__proto__" ? "must not be __proto__: it cannot be a key of the adminTemporaryPasswords output" : undefined),
        }),
        temporaryPassword: text("The temporary password, a secret: it must satisfy the password policy.", {
            secret: true,
            input: true,
            default: none("generated"),
            more:
                "Left out, one is generated with `@pulumi/random` and exported by username as a secret output. Text is checked before anything is declared; " +
                "an Output is checked once known. Either way it is sent to Cognito only as a secret. A new one resets the admin to FORCE_CHANGE_PASSWORD. " +
                "Not for an adopted admin (import.adminUser).",
        }),
        email: text("The admin's e-mail address, stored with `email_verified` true.", { rule: checkEmail }),
        groups: textList("Names of groups (from groups) the admin belongs to, each once.", { replaces: "group membership" }),
        passwordReissue: text("A label, any text, for this admin's generated temporary password: a new one re-issues that password alone.", {
            more:
                "The next `pulumi up` resets this admin to FORCE_CHANGE_PASSWORD with it (AdminSetUserPassword, `Permanent: false`), in place: for a forgotten " +
                "password, and the first half of recovering a lost authenticator (`npm run admin:recover`). Only for a generated password: give a new " +
                "temporaryPassword instead.",
            rule: label("re-issue this admin's generated temporary password"),
        }),
        recreate: text("A label, any text, for this admin's user: a new one deletes the user and creates it afresh.", {
            more:
                "Pulumi's `replacementTrigger`: the new user gets a new generated temporary password, its group memberships, a new `sub` and no " +
                "authenticator, so that its next sign-in goes through NEW_PASSWORD_REQUIRED and MFA_SETUP. The fallback of `npm run admin:recover` where " +
                "Cognito's AdminDeleteSoftwareToken is missing (such as on an emulator). As every replaced admin user, it is deleted before its successor " +
                'is created, since the username stays. Pulumi compares the label with the one it recorded: `""` once a `pulumi up` of this version has run ' +
                "(a label set before that is recorded, and replaces nothing); then setting it replaces the user, and so does removing it later, delete-first " +
                "too: keep the last one. Not where users are protected or retained (lower those in a change of its own, deployed first: Pulumi goes by what " +
                "it recorded), not with a temporary password of your own, and not for an adopted admin.",
            replaces: "admin user, group membership",
            rule: label("delete this admin's user and create it afresh"),
        }),
    },
};

const GROUP: ObjectType = {
    name: "Group",
    doc: "A Cognito user group, such as `admins`.",
    fields: {
        name: text("The group's name: 1 to 128 characters, no spaces, unique.", {
            required: true,
            more: "Changing it replaces the group, and its memberships.",
            replaces: "group, group membership",
            rule: checkGroupName,
        }),
        description: text("What the group is for, up to 2048 characters.", { rule: checkGroupDescription }),
        precedence: wholeNumber("Which group's IAM role wins when a user is in several: the lower wins.", { min: 0, max: 2_147_483_647 }),
    },
};

const IMPORT: ObjectType = {
    name: "Import",
    doc: "What to adopt instead of create, through Pulumi's `import` option.",
    fields: {
        userPoolId: text("The existing user pool's id, such as `us-east-1_AbCdEf123`, in the stack's region.", {
            required: true,
            replaces: "n/a (new stacks only)",
            rule: checkUserPoolId,
        }),
        clientId: text("The existing app client's id, to adopt it too.", { default: none("none (a new client is made)"), replaces: "n/a (new stacks only)", rule: checkClientId }),
        adminUser: flag("Adopt the existing admin user (adminUser.username), which then declares no temporary password.", {
            default: value(false),
            more: "Cognito never returns a password, so it could only show as a difference.",
            replaces: "n/a (new stacks only)",
        }),
    },
};

/** The settings of a TotpUserPool: its args. */
export const TOTP_USER_POOL: ObjectType = {
    name: "TotpUserPoolArgs",
    doc: "The args of a TotpUserPool. Only poolName and adminUser.username are required.",
    fields: {
        poolName: text("The user pool's name: 1 to 128 letters, digits, spaces and `+ = , . @ _ -`.", {
            required: true,
            more: "Renamed in place (UpdateUserPool) since terraform-provider-aws v6.6.0. The app client's default name follows it.",
            rule: checkPoolOrClientName,
        }),
        featurePlan: oneOf(FEATURE_PLAN, "Cognito's feature plan (`UserPoolTier`).", {
            default: value("LITE"),
            more:
                "LITE covers TOTP MFA, the password policy and admin-created users at the lowest price per monthly active user; without it, CreateUserPool " +
                "makes an ESSENTIALS pool. Changes apply in place (UpdateUserPool).",
        }),
        threatProtection: oneOf(THREAT_PROTECTION, "Threat protection (`UserPoolAddOns.AdvancedSecurityMode`); OFF is not sent.", {
            default: value("OFF"),
            more:
                "Its compromised-credentials check only sees sign-ins that send the password itself (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH), not SRP. " +
                "Start with AUDIT.",
            plan: {
                needs: ["PLUS"],
                when: "AUDIT or ENFORCED",
                applies: (mode: string) => mode !== "OFF",
                source: 'Cognito API reference, UserPoolAddOnsType: "To activate this setting, your user pool must be on the Plus tier."',
            },
        }),
        accountRecovery: listOf(RECOVERY_MECHANISM, "How a user who forgot the password gets back in, in priority order; always sent.", {
            default: value(["admin_only"]),
            more:
                "One or two of verified_email, verified_phone_number, or admin_only alone. The default suits admins created by administrators, often with " +
                "no e-mail address: a self-service reset by e-mail would make the mailbox a way around the password; an administrator re-issues a " +
                "temporary password instead (adminPasswordRotation).",
            rule: checkAccountRecovery,
        }),
        passwordPolicy: object(PASSWORD_POLICY, "The password policy; fields left out take the seed script's values.", { default: value({}) }),
        selfSignUp: flag("Let people sign themselves up (`AllowAdminCreateUserOnly: false`).", {
            default: value(false),
            more: "Off, only administrators create users. The seed script allowed it; the dev stack keeps that.",
        }),
        mfaConfiguration: oneOf(MFA_CONFIGURATION, "MFA mode.", { default: value("ON"), more: "production and verifySignIn need ON." }),
        softwareTokenMfa: flag("Authenticator-app (TOTP) MFA, the only factor configured: ON and OPTIONAL need it, and OFF must not have it.", {
            default: derived("`true`; `false` when MFA is `OFF`", (root: { mfaConfiguration: string | null }) =>
                root.mfaConfiguration === null ? null : root.mfaConfiguration !== "OFF",
            ),
        }),
        usernameCaseSensitive: flag("Whether usernames are case-sensitive (`usernameConfiguration.caseSensitive`).", {
            default: none("not sent (Cognito: case-sensitive)"),
            replaces: "pool",
        }),
        usernameAttributes: listOf(USERNAME_ATTRIBUTE, "Attributes that serve as the username, instead of one; not with aliasAttributes.", { replaces: "pool" }),
        aliasAttributes: listOf(ALIAS_ATTRIBUTE, "Attributes users can also sign in with; not with usernameAttributes.", { replaces: "pool" }),
        appClient: object(APP_CLIENT, "The app client; only appClient.generateSecret replaces it.", {
            default: value({}),
            more:
                "It always sends `tokenValidityUnits` (days for refresh tokens, minutes for access and ID tokens: without units, the provider reads access and " +
                "ID token lifetimes as hours), prevents user-existence errors and revokes tokens on sign-out.",
            replaces: "app client",
        }),
        adminUser: object(ADMIN_USER, "The admin user.", { required: true, configPrefix: "admin", replaces: "admin user, group membership" }),
        adminUsers: objectList(ADMIN_USER, "More admin users, each created like adminUser; usernames must be unique.", {
            more: "Named by username: removing or renaming an entry deletes that user.",
            replaces: "admin user, group membership",
        }),
        groups: objectList(GROUP, "Cognito user groups that admin users can belong to.", {
            more: "Named by group name: removing or renaming one deletes it and its memberships.",
            replaces: "group, group membership",
        }),
        adminPasswordRotation: text("A label, any text, for every generated admin temporary password: a new one generates them all anew.", {
            more:
                "It is their `@pulumi/random` `keepers`; the next `pulumi up` resets those admins to FORCE_CHANGE_PASSWORD with the new password " +
                "(AdminSetUserPassword, `Permanent: false`). Their TOTP enrolment stays. Admins with a temporaryPassword of their own get a new one instead.",
            rule: label("re-issue the generated temporary passwords"),
        }),
        tags: textMap("Tags of the user pool: at most 50, keys not starting with `aws:`.", { rule: tagProblems }),
        production: flag("This pool is production: losing its users is the worst thing that can happen.", {
            default: value(false),
            more:
                "Then protect and retainOnDelete default to true and must stay true, deletionProtection must be ACTIVE, and MFA must be ON; to take such a " +
                "pool down on purpose, set production to false first, in a change of its own. It is the component's only recorded input: the policy pack reads it.",
        }),
        protect: flag("Pulumi's `protect` option on every Cognito resource here: while set, no change can replace or delete them.", {
            default: derived("`false`; `true` when `production`", (root: { production: boolean | null }) => root.production),
            more: "An adopted pool and admin user are always protected.",
        }),
        retainOnDelete: flag("Pulumi's `retainOnDelete` option on every Cognito resource here: a deleted one stays in AWS.", {
            default: derived("`false`; `true` when `production`", (root: { production: boolean | null }) => root.production),
            more: "A removed admin user then stays an active account.",
        }),
        deletionProtection: oneOf(DELETION_PROTECTION, "Deletion protection: while ACTIVE, Cognito refuses to delete the pool.", {
            default: value("ACTIVE"),
            more: "Deleting a pool deletes its users: set INACTIVE first to tear a pool down.",
        }),
        import: object(IMPORT, "Adopt an existing pool (and optionally its app client and admin user) instead of creating them.", {
            more:
                "With Pulumi's `import` option: the declared settings must match the real ones (older Pulumi CLIs fail the import; newer ones import, then " +
                "update to match). The adopted pool and admin user are always protected. For a stack whose state holds no pool yet.",
            replaces: "n/a (new stacks only)",
        }),
    },
};
