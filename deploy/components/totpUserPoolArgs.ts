import * as pulumi from "@pulumi/pulumi";
import {
    ALIAS_ATTRIBUTES,
    AUTH_FLOWS,
    AuthFlow,
    DELETION_PROTECTION_STATES,
    DeletionProtection,
    FEATURE_PLANS,
    FeaturePlan,
    PLAN_REQUIREMENTS,
    RecoveryMechanism,
    THREAT_PROTECTION_MODES,
    ThreatProtection,
    MFA_CONFIGURATIONS,
    MfaConfiguration,
    PasswordPolicy,
    SEED_PASSWORD_POLICY,
    USERNAME_ATTRIBUTES,
    checkAccountRecovery,
    checkEmail,
    checkFeaturePlan,
    checkMfa,
    checkOneOf,
    checkPasswordAgainstPolicy,
    checkPoolOrClientName,
    checkSubset,
    checkClientId,
    checkUserPoolId,
    checkUsername,
    checkWholeNumber,
    passwordPolicyProblems,
    tagProblems,
} from "./cognitoRules";
import { Problem, ValidationError, formatProblem } from "./problems";

/** The app client of a {@link TotpUserPool}. */
export interface AppClientArgs {
    /** The app client's name. Default: `<poolName>-client`, as the seed script named it. */
    readonly name?: string;
    /**
     * Days a refresh token stays valid, 1 to 3650. Default: 30. Sent with `tokenValidityUnits`
     * of days, so the number always means days.
     */
    readonly refreshTokenValidityDays?: number;
    /**
     * Minutes an access token stays valid, 5 to 1440. Default: 60, Cognito's own default. Sent
     * with units of minutes: the provider's default unit for access tokens is hours.
     */
    readonly accessTokenValidityMinutes?: number;
    /** Minutes an ID token stays valid, 5 to 1440. Default: 60, Cognito's own default. Sent in minutes. */
    readonly idTokenValidityMinutes?: number;
    /**
     * The auth flows the client allows. Default: `ALLOW_USER_SRP_AUTH` and
     * `ALLOW_REFRESH_TOKEN_AUTH`, so that passwords never cross the wire and no custom
     * (Lambda) flow is open; with refresh token rotation, `ALLOW_USER_SRP_AUTH` alone. Only the
     * `ALLOW_` forms are accepted. It must hold `ALLOW_REFRESH_TOKEN_AUTH` (AWS: "REFRESH_TOKEN_AUTH
     * should always be allowed"), except with refresh token rotation, which must not have it.
     */
    readonly explicitAuthFlows?: readonly AuthFlow[];
    /**
     * Refresh token rotation: each refresh hands out a new refresh token and retires the old one.
     * Apps must then refresh with GetTokensFromRefreshToken: AWS says "Refresh token rotation isn't
     * compatible with the authentication flow REFRESH_TOKEN_AUTH", so the client must not allow
     * `ALLOW_REFRESH_TOKEN_AUTH`. Default: off. Changes apply in place.
     */
    readonly refreshTokenRotation?: RefreshTokenRotationArgs;
    /**
     * Give the client a secret. Default: false, for browser and mobile apps that cannot keep one.
     * Changing it replaces the app client, which gets a new client id.
     */
    readonly generateSecret?: boolean;
}

/** Refresh token rotation on an app client. */
export interface RefreshTokenRotationArgs {
    /** Turn rotation on. */
    readonly enabled: boolean;
    /**
     * Seconds during which the refresh token just replaced still works, 0 to 60, for an app whose
     * answer was lost on the way. Default: 0, no grace: a replaced token never works again.
     */
    readonly retryGracePeriodSeconds?: number;
}

/** The admin user of a {@link TotpUserPool}, created with a temporary password and no invitation. */
export interface AdminUserArgs {
    /**
     * The admin's username. Required. Changing it replaces the user: the old user and its TOTP
     * enrolment are deleted and a new one is created.
     */
    readonly username: string;
    /**
     * The temporary password, a secret. Default: a password generated with `@pulumi/random` to
     * satisfy the pool's password policy, exposed as the secret output
     * `generatedAdminTemporaryPassword`. A plain string is checked against the policy before
     * anything is declared; an Output is checked when its value is known. Either way it is sent
     * to Cognito only as a secret. Changing it resets the admin to "must change password".
     */
    readonly temporaryPassword?: pulumi.Input<string>;
    /** The admin's e-mail address, stored with `email_verified` set to true. Default: none. */
    readonly email?: string;
    /** Names of groups (from {@link TotpUserPoolArgs.groups}) the admin belongs to. Default: none. */
    readonly groups?: readonly string[];
    /**
     * A label, any text, for this admin's generated temporary password: changing it generates a
     * new one for this admin alone, and the next `pulumi up` resets this admin to
     * FORCE_CHANGE_PASSWORD with it (AdminSetUserPassword, `Permanent: false`), in place. For a
     * forgotten password, and the first half of recovering a lost authenticator (`npm run
     * admin:recover`). Only for a generated password: give a new `temporaryPassword` instead.
     * Default: none.
     */
    readonly passwordReissue?: string;
    /**
     * A label, any text, for this admin's user: changing it deletes the user and creates it
     * afresh (Pulumi's `replacementTrigger`; delete before create, since the username stays),
     * with a new generated temporary password and its group memberships, and no authenticator:
     * the next sign-in goes through NEW_PASSWORD_REQUIRED and MFA_SETUP. The user gets a new
     * `sub`. The fallback of `npm run admin:recover` where Cognito's AdminDeleteSoftwareToken is
     * missing (such as on an emulator). Pulumi compares it with the label it recorded: `""` once a
     * `pulumi up` of this version has run (a label set before that is recorded, and replaces
     * nothing); then setting it replaces the user, and so does removing it later: keep the last
     * one. Not where users are protected or retained (lower those in a change of its own, deployed
     * first: Pulumi goes by what it recorded), not with a temporary password of your own, and not
     * for an adopted admin. Default: none.
     */
    readonly recreate?: string;
}

/** A Cognito user group, such as `admins`. */
export interface GroupArgs {
    /** The group's name: 1 to 128 characters, no spaces. Changing it replaces the group. */
    readonly name: string;
    /** What the group is for. Default: none. */
    readonly description?: string;
    /** Which group's IAM role wins when a user is in several: lower wins. 0 or more. Default: none. */
    readonly precedence?: number;
}

/** What to adopt instead of create, through Pulumi's `import` option. */
export interface ImportArgs {
    /** The existing user pool's id, such as `us-east-1_AbCdEf123`. Required. */
    readonly userPoolId: string;
    /** The existing app client's id, to adopt it too. Default: a new app client is created. */
    readonly clientId?: string;
    /**
     * Adopt the existing admin user (`adminUser.username`). It then declares no temporary
     * password: Cognito never returns one, so it could only show as a difference. Default: false.
     */
    readonly adminUser?: boolean;
}

/** The args of a {@link TotpUserPool}. Only `poolName` and `adminUser.username` are required. */
export interface TotpUserPoolArgs {
    /**
     * The user pool's name: 1 to 128 letters, digits, spaces and `+ = , . @ _ -`. Required.
     * Warning: changing it later replaces the pool, which deletes every user in it.
     */
    readonly poolName: string;
    /**
     * Cognito's feature plan (`UserPoolTier`): `LITE`, `ESSENTIALS` or `PLUS`. Default: `LITE`,
     * which covers TOTP MFA, the password policy and admin-created users at the lowest price per
     * monthly active user; without it, CreateUserPool makes an ESSENTIALS pool. Password history
     * needs ESSENTIALS or PLUS, threat protection PLUS. Changing it later updates the pool in
     * place (UpdateUserPool).
     */
    readonly featurePlan?: FeaturePlan;
    /**
     * Threat protection (`UserPoolAddOns.AdvancedSecurityMode`): `OFF`, `AUDIT` (log risky
     * sign-ins, take no action) or `ENFORCED` (act on them, per the pool's risk configuration).
     * Anything but `OFF` needs the PLUS feature plan. Its compromised-credentials check only sees
     * sign-ins that send the password itself (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH), not
     * SRP. Start with `AUDIT`. Default: `OFF` (not sent).
     */
    readonly threatProtection?: ThreatProtection;
    /**
     * How a user who forgot the password gets back in, in priority order: `verified_email`,
     * `verified_phone_number`, or `admin_only` on its own. Default: `["admin_only"]`: the pool's
     * users are admins created by administrators, often with no e-mail address, and a
     * self-service reset by e-mail would make the mailbox a way around the password; an
     * administrator re-issues a temporary password instead (`adminPasswordRotation`). Always sent,
     * so that the provider has nothing to drift on. Changes apply in place.
     */
    readonly accountRecovery?: readonly RecoveryMechanism[];
    /**
     * The password policy. Default: the seed script's, which is at least 8 characters with upper
     * and lower case, a digit and a symbol, and temporary passwords valid for 7 days. Fields
     * left out take those defaults. Changes apply in place.
     */
    readonly passwordPolicy?: Partial<PasswordPolicy>;
    /**
     * Let people sign themselves up (`AllowAdminCreateUserOnly: false`). Default: false, so that
     * only administrators create users. The seed script allowed it; the dev stack keeps that.
     */
    readonly selfSignUp?: boolean;
    /** MFA mode: `ON` (required), `OPTIONAL` or `OFF`. Default: `ON`. */
    readonly mfaConfiguration?: MfaConfiguration;
    /**
     * Authenticator-app (TOTP) MFA. Default: true unless `mfaConfiguration` is `OFF`. It is the
     * only factor this component configures (no SMS), so `ON` and `OPTIONAL` need it, and `OFF`
     * must not have it.
     */
    readonly softwareTokenMfa?: boolean;
    /**
     * Whether usernames are case-sensitive. Default: not sent, so Cognito's API default applies
     * (case-sensitive), as in the seed script. Warning: changing it later replaces the pool,
     * which deletes every user in it.
     */
    readonly usernameCaseSensitive?: boolean;
    /**
     * Attributes that serve as the username (`email`, `phone_number`). Default: none, so users
     * sign in with a username. Cannot be set with `aliasAttributes`. Warning: changing it later
     * replaces the pool, which deletes every user in it.
     */
    readonly usernameAttributes?: readonly (typeof USERNAME_ATTRIBUTES)[number][];
    /**
     * Attributes users can also sign in with (`email`, `phone_number`, `preferred_username`).
     * Default: none. Cannot be set with `usernameAttributes`. Warning: changing it later
     * replaces the pool, which deletes every user in it.
     */
    readonly aliasAttributes?: readonly (typeof ALIAS_ATTRIBUTES)[number][];
    /** The app client. Default: see {@link AppClientArgs}. */
    readonly appClient?: AppClientArgs;
    /** The admin user. Required. */
    readonly adminUser: AdminUserArgs;
    /**
     * More admin users, each created like `adminUser` (temporary password or a generated one, no
     * invitation). Default: none. Usernames must be unique.
     */
    readonly adminUsers?: readonly AdminUserArgs[];
    /** Cognito user groups that admin users can belong to. Default: none. */
    readonly groups?: readonly GroupArgs[];
    /**
     * A label, any text, for the generated admin temporary passwords. Changing it generates every
     * one of them anew (it is their `@pulumi/random` `keepers`), and the next `pulumi up` resets
     * those admins to FORCE_CHANGE_PASSWORD with the new password: the provider calls
     * AdminSetUserPassword with `Permanent: false`. Their TOTP enrolment stays. Admins with a
     * given `temporaryPassword` are re-issued by giving a new one instead. Default: none.
     */
    readonly adminPasswordRotation?: string;
    /**
     * Deletion protection: while `ACTIVE`, Cognito refuses to delete the pool. Default: `ACTIVE`,
     * because deleting a pool deletes its users. Set `INACTIVE` first to tear a pool down.
     */
    readonly deletionProtection?: DeletionProtection;
    /** Tags for the user pool. Default: none. At most 50; keys must not start with `aws:`. */
    readonly tags?: Readonly<Record<string, string>>;
    /**
     * This pool is production: losing its users is the worst thing that can happen. Then
     * `protect` and `retainOnDelete` default to true and must stay true, deletion protection
     * must be `ACTIVE`, and MFA must be `ON`; to take such a pool down on purpose, set
     * `production` to false first, in a change of its own. The policy pack reads it (it is the
     * component's only recorded input) to apply its production rules. Default: false.
     */
    readonly production?: boolean;
    /**
     * Pulumi's `protect` option on every Cognito resource here (pool, app client, admin users,
     * groups, memberships): while set, `pulumi destroy` and any change that would replace or
     * delete them fail, before anything is deleted. Default: false (but an adopted pool and
     * admin user are always protected).
     */
    readonly protect?: boolean;
    /**
     * Pulumi's `retainOnDelete` option on every Cognito resource here: when Pulumi deletes one
     * (`pulumi destroy`, a replacement, removing it from the program), it only forgets it, and
     * it stays in AWS: a removed admin user stays an active account. Default: false.
     */
    readonly retainOnDelete?: boolean;
    /**
     * Adopt an existing pool (and optionally its app client and admin user) instead of creating
     * them, with Pulumi's `import` option. The declared settings must match the real ones (older
     * Pulumi CLIs fail the import; newer ones import, then update to match). The adopted pool and
     * admin user are always protected. Default: none, so everything is created.
     */
    readonly import?: ImportArgs;
}

/** The args with every default filled in. Optional fields left here are not sent to AWS. */
export interface ResolvedTotpUserPoolArgs {
    /** See {@link TotpUserPoolArgs.poolName}. */
    readonly poolName: string;
    /** See {@link TotpUserPoolArgs.featurePlan}. */
    readonly featurePlan: FeaturePlan;
    /** See {@link TotpUserPoolArgs.threatProtection}. */
    readonly threatProtection: ThreatProtection;
    /** See {@link TotpUserPoolArgs.accountRecovery}. */
    readonly accountRecovery: readonly RecoveryMechanism[];
    /** The whole password policy: the given fields over the seed's. */
    readonly passwordPolicy: PasswordPolicy;
    /** See {@link TotpUserPoolArgs.selfSignUp}. */
    readonly selfSignUp: boolean;
    /** See {@link TotpUserPoolArgs.mfaConfiguration}. */
    readonly mfaConfiguration: MfaConfiguration;
    /** See {@link TotpUserPoolArgs.softwareTokenMfa}. */
    readonly softwareTokenMfa: boolean;
    /** See {@link TotpUserPoolArgs.usernameCaseSensitive}; not sent when undefined. */
    readonly usernameCaseSensitive?: boolean;
    /** See {@link TotpUserPoolArgs.usernameAttributes}; not sent when undefined. */
    readonly usernameAttributes?: readonly string[];
    /** See {@link TotpUserPoolArgs.aliasAttributes}; not sent when undefined. */
    readonly aliasAttributes?: readonly string[];
    /** The app client, every field filled in but rotation, which is undefined when off. */
    readonly appClient: Required<Omit<AppClientArgs, "refreshTokenRotation">> & Pick<AppClientArgs, "refreshTokenRotation">;
    /** See {@link TotpUserPoolArgs.adminUser}. */
    readonly adminUser: AdminUserArgs;
    /** See {@link TotpUserPoolArgs.deletionProtection}. */
    readonly deletionProtection: DeletionProtection;
    /** See {@link TotpUserPoolArgs.tags}. */
    readonly tags: Readonly<Record<string, string>>;
    /** See {@link TotpUserPoolArgs.production}. */
    readonly production: boolean;
    /** See {@link TotpUserPoolArgs.protect}. */
    readonly protect: boolean;
    /** See {@link TotpUserPoolArgs.adminUsers}. */
    readonly adminUsers: readonly AdminUserArgs[];
    /** See {@link TotpUserPoolArgs.groups}. */
    readonly groups: readonly GroupArgs[];
    /** See {@link TotpUserPoolArgs.retainOnDelete}. */
    readonly retainOnDelete: boolean;
    /** See {@link TotpUserPoolArgs.import}. */
    readonly import?: ImportArgs;
    /** See {@link TotpUserPoolArgs.adminPasswordRotation}. */
    readonly adminPasswordRotation?: string;
}

/** The auth flows an app client allows by default. */
export const DEFAULT_AUTH_FLOWS: readonly AuthFlow[] = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"];

/** The auth flows an app client with refresh token rotation allows by default: rotation rules out REFRESH_TOKEN_AUTH. */
export const DEFAULT_ROTATING_AUTH_FLOWS: readonly AuthFlow[] = ["ALLOW_USER_SRP_AUTH"];

/** The account recovery a pool of administrator-created admins gets by default. */
export const DEFAULT_ACCOUNT_RECOVERY: readonly RecoveryMechanism[] = ["admin_only"];

/** The shape a structured arg must have before its rules can be checked. */
type Shape = "object" | "list" | "list of objects" | "list of text";

/**
 * Every structured arg and its shape. `[]` stands for each element of a list. Args of another
 * shape (a list where an object belongs, `null`, text) get a problem here, not a TypeError later.
 */
const ARG_SHAPES: Readonly<Record<string, Shape>> = {
    passwordPolicy: "object",
    accountRecovery: "list",
    usernameAttributes: "list",
    aliasAttributes: "list",
    appClient: "object",
    "appClient.explicitAuthFlows": "list",
    "appClient.refreshTokenRotation": "object",
    adminUser: "object",
    "adminUser.groups": "list of text",
    adminUsers: "list of objects",
    "adminUsers[].groups": "list of text",
    groups: "list of objects",
    tags: "object",
    import: "object",
};

const SHAPE_RULES: Readonly<Record<Shape, string>> = {
    object: "must be an object",
    list: "must be a list",
    "list of objects": "must be a list of objects",
    "list of text": "must be a list of text",
};

function hasShape(value: unknown, shape: Shape): boolean {
    const isObject = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
    if (shape === "object") return isObject(value);
    if (!Array.isArray(value)) return false;
    if (shape === "list of objects") return value.every(isObject);
    if (shape === "list of text") return value.every((item) => typeof item === "string");
    return true;
}

/**
 * The structured args whose shape is wrong, with paths relative to the args. Checked first: the
 * defaults and rules read inside these args, so they run only when this is empty. `adminUser`
 * is the one required structured arg.
 */
export function totpUserPoolShapeProblems(args: TotpUserPoolArgs): Problem[] {
    const problems: Problem[] = [];
    const visit = (value: unknown, steps: readonly string[], path: string, shape: Shape) => {
        if (steps.length === 0) {
            if (value !== undefined && !hasShape(value, shape)) problems.push({ path, rule: SHAPE_RULES[shape], value });
            return;
        }
        const [step, ...rest] = steps;
        if (step === "[]") {
            if (Array.isArray(value)) value.forEach((item, index) => visit(item, rest, `${path}[${index}]`, shape));
        } else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
            visit((value as Record<string, unknown>)[step], rest, path ? `${path}.${step}` : step, shape);
        }
    };
    for (const [argPath, shape] of Object.entries(ARG_SHAPES)) {
        visit(args, argPath.replace(/\[\]/g, ".[]").split("."), "", shape);
    }
    if (args.adminUser === undefined) problems.push({ path: "adminUser", rule: "is required", value: undefined });
    return problems;
}

/** Fills in every default. Pure: it neither checks nor declares anything. */
export function resolveTotpUserPoolArgs(args: TotpUserPoolArgs): ResolvedTotpUserPoolArgs {
    const mfaConfiguration = args.mfaConfiguration ?? "ON";
    const client = args.appClient ?? {};
    const rotating = client.refreshTokenRotation?.enabled === true;
    return {
        poolName: args.poolName,
        featurePlan: args.featurePlan ?? "LITE",
        threatProtection: args.threatProtection ?? "OFF",
        accountRecovery: args.accountRecovery ?? DEFAULT_ACCOUNT_RECOVERY,
        passwordPolicy: { ...SEED_PASSWORD_POLICY, ...definedOnly(args.passwordPolicy ?? {}) },
        selfSignUp: args.selfSignUp ?? false,
        mfaConfiguration,
        softwareTokenMfa: args.softwareTokenMfa ?? mfaConfiguration !== "OFF",
        usernameCaseSensitive: args.usernameCaseSensitive,
        usernameAttributes: args.usernameAttributes,
        aliasAttributes: args.aliasAttributes,
        appClient: {
            name: client.name ?? `${args.poolName}-client`,
            refreshTokenValidityDays: client.refreshTokenValidityDays ?? 30,
            accessTokenValidityMinutes: client.accessTokenValidityMinutes ?? 60,
            idTokenValidityMinutes: client.idTokenValidityMinutes ?? 60,
            explicitAuthFlows: client.explicitAuthFlows ?? (rotating ? DEFAULT_ROTATING_AUTH_FLOWS : DEFAULT_AUTH_FLOWS),
            generateSecret: client.generateSecret ?? false,
            refreshTokenRotation: client.refreshTokenRotation,
        },
        adminUser: args.adminUser,
        deletionProtection: args.deletionProtection ?? "ACTIVE",
        tags: args.tags ?? {},
        production: args.production ?? false,
        protect: args.protect ?? args.production ?? false,
        adminUsers: args.adminUsers ?? [],
        groups: args.groups ?? [],
        retainOnDelete: args.retainOnDelete ?? args.production ?? false,
        import: args.import,
        adminPasswordRotation: args.adminPasswordRotation,
    };
}

function definedOnly<T extends object>(value: T): Partial<T> {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Every rule the resolved args break, with paths relative to the args (`appClient.name`).
 * Empty when the args are fine. A temporary password is checked only when it is a plain
 * string, and its problem never carries its value.
 */
export function totpUserPoolProblems(args: ResolvedTotpUserPoolArgs): Problem[] {
    const problems: Problem[] = [];
    const check = (path: string, rule: string | undefined, value: unknown) => {
        if (rule) problems.push({ path, rule, value });
    };

    const poolName = checkPoolOrClientName(args.poolName);
    check("poolName", poolName, args.poolName);
    const planProblem = checkOneOf(args.featurePlan, FEATURE_PLANS);
    check("featurePlan", planProblem, args.featurePlan);
    const threatProblem = checkOneOf(args.threatProtection, THREAT_PROTECTION_MODES);
    check("threatProtection", threatProblem, args.threatProtection);
    check("accountRecovery", checkAccountRecovery(args.accountRecovery), args.accountRecovery);
    const policyProblems = passwordPolicyProblems(args.passwordPolicy);
    problems.push(...policyProblems);
    if (!planProblem) {
        const history = args.passwordPolicy.passwordHistorySize ?? 0;
        if (history > 0 && !policyProblems.some((p) => p.path === "passwordPolicy.passwordHistorySize")) {
            check("passwordPolicy.passwordHistorySize", checkFeaturePlan(PLAN_REQUIREMENTS["passwordPolicy.passwordHistorySize"].needs, args.featurePlan), history);
        }
        if (!threatProblem && args.threatProtection !== "OFF") {
            check("threatProtection", checkFeaturePlan(PLAN_REQUIREMENTS.threatProtection.needs, args.featurePlan), args.threatProtection);
        }
    }
    check("selfSignUp", typeof args.selfSignUp === "boolean" ? undefined : "must be true or false", args.selfSignUp);
    const mfaMode = checkOneOf(args.mfaConfiguration, MFA_CONFIGURATIONS);
    check("mfaConfiguration", mfaMode, args.mfaConfiguration);
    if (!mfaMode) {
        check("softwareTokenMfa", checkMfa(args.mfaConfiguration, args.softwareTokenMfa), args.softwareTokenMfa);
    }
    if (args.usernameCaseSensitive !== undefined && typeof args.usernameCaseSensitive !== "boolean") {
        check("usernameCaseSensitive", "must be true or false", args.usernameCaseSensitive);
    }
    if (args.usernameAttributes !== undefined) {
        check("usernameAttributes", checkSubset(args.usernameAttributes, USERNAME_ATTRIBUTES), args.usernameAttributes);
    }
    if (args.aliasAttributes !== undefined) {
        check("aliasAttributes", checkSubset(args.aliasAttributes, ALIAS_ATTRIBUTES), args.aliasAttributes);
    }
    if (args.usernameAttributes !== undefined && args.aliasAttributes !== undefined) {
        check("aliasAttributes", "must not be set together with usernameAttributes", args.aliasAttributes);
    }

    const client = args.appClient;
    const clientName = checkPoolOrClientName(client.name);
    const defaultClientName = client.name === `${args.poolName}-client`;
    // A default name made from a bad pool name adds nothing to the pool name's own problem.
    check(
        "appClient.name",
        defaultClientName && poolName
            ? undefined
            : clientName && defaultClientName
            ? `${clientName}; it defaults to poolName + "-client", so set appClient.name or shorten poolName`
            : clientName,
        client.name,
    );
    check("appClient.refreshTokenValidityDays", checkWholeNumber(client.refreshTokenValidityDays, 1, 3650, "days"), client.refreshTokenValidityDays);
    check("appClient.accessTokenValidityMinutes", checkWholeNumber(client.accessTokenValidityMinutes, 5, 1440, "minutes"), client.accessTokenValidityMinutes);
    check("appClient.idTokenValidityMinutes", checkWholeNumber(client.idTokenValidityMinutes, 5, 1440, "minutes"), client.idTokenValidityMinutes);
    const flowsProblem = checkSubset(client.explicitAuthFlows, AUTH_FLOWS);
    check("appClient.explicitAuthFlows", flowsProblem, client.explicitAuthFlows);
    const rotation = client.refreshTokenRotation;
    // Its shape, an object when set, was checked first (totpUserPoolShapeProblems).
    const rotationValid = rotation === undefined || typeof rotation.enabled === "boolean";
    if (!rotationValid) check("appClient.refreshTokenRotation.enabled", "must be true or false", rotation.enabled);
    if (rotation?.retryGracePeriodSeconds !== undefined) {
        check("appClient.refreshTokenRotation.retryGracePeriodSeconds", checkWholeNumber(rotation.retryGracePeriodSeconds, 0, 60, "seconds"), rotation.retryGracePeriodSeconds);
    }
    if (!flowsProblem && rotationValid) {
        const refreshing = client.explicitAuthFlows.includes("ALLOW_REFRESH_TOKEN_AUTH");
        if (rotation?.enabled && refreshing) {
            check(
                "appClient.explicitAuthFlows",
                'must not include ALLOW_REFRESH_TOKEN_AUTH with refresh token rotation: AWS says rotation "isn\'t compatible with the authentication flow REFRESH_TOKEN_AUTH" (apps refresh with GetTokensFromRefreshToken)',
                client.explicitAuthFlows,
            );
        } else if (!rotation?.enabled && !refreshing) {
            check(
                "appClient.explicitAuthFlows",
                'must include ALLOW_REFRESH_TOKEN_AUTH: AWS rejects a client without it ("REFRESH_TOKEN_AUTH should always be allowed"), unless refresh token rotation is on',
                client.explicitAuthFlows,
            );
        }
    }
    check("appClient.generateSecret", typeof client.generateSecret === "boolean" ? undefined : "must be true or false", client.generateSecret);

    // Attributes that broke their own rule are left out of the rules that read them.
    const valid = (path: string, list: readonly string[] | undefined) => (problems.some((p) => p.path === path) ? [] : list ?? []);
    const usernameAttributes = valid("usernameAttributes", args.usernameAttributes);
    const aliasAttributes = valid("aliasAttributes", args.aliasAttributes);
    const groupNames = new Set(args.groups.map((group) => group.name));
    const policyValid = !problems.some((p) => p.path.startsWith("passwordPolicy."));
    const admins: [string, AdminUserArgs][] = [
        ["adminUser", args.adminUser],
        ...args.adminUsers.map((user, index): [string, AdminUserArgs] => [`adminUsers[${index}]`, user]),
    ];
    // Each child's logical name (see childNames), by the path that makes it: two may not share one.
    const names = new Map<string, string>();
    const claim = (childName: string, path: string, value: unknown) => {
        const other = names.get(childName);
        if (other !== undefined && other !== path) {
            check(path, `makes the resource name "${childName}" a second time; rename a user or a group`, value);
        }
        names.set(childName, path);
    };
    // Cognito compares usernames without case when usernameCaseSensitive is false.
    const foldCase = args.usernameCaseSensitive === false;
    const seen = new Map<string, string>();
    // With e-mail as an alias or the username, Cognito lets one user only hold a given address.
    const emailSignsIn = aliasAttributes.includes("email") || usernameAttributes.includes("email");
    const emails = new Map<string, string>();
    for (const [path, admin] of admins) {
        const groups = admin.groups ?? [];
        const usernameProblem = checkUsername(admin.username, usernameAttributes, aliasAttributes);
        check(`${path}.username`, usernameProblem, admin.username);
        if (!usernameProblem && admin.username === "__proto__") {
            check(`${path}.username`, "must not be __proto__: it cannot be a key of the adminTemporaryPasswords output", admin.username);
        }
        const key = foldCase && typeof admin.username === "string" ? admin.username.toLowerCase() : admin.username;
        const twin = seen.get(key);
        if (twin !== undefined) {
            check(
                `${path}.username`,
                twin === admin.username ? "must be unique among the admin users" : `must be unique among the admin users ignoring case, as usernameCaseSensitive is false (${JSON.stringify(twin)} is taken)`,
                admin.username,
            );
        } else {
            seen.set(key, admin.username);
            claim(childNames.user(admin.username), `${path}.username`, admin.username);
            for (const group of groups) {
                claim(childNames.membership(admin.username, group), `${path}.groups`, group);
            }
        }
        if (admin.email !== undefined) {
            check(`${path}.email`, checkEmail(admin.email), admin.email);
        }
        const address = usernameAttributes.includes("email") && typeof admin.username === "string" && admin.username.includes("@") ? admin.username : admin.email;
        if (emailSignsIn && typeof address === "string") {
            const holder = emails.get(address.toLowerCase());
            if (holder !== undefined) {
                check(`${path}.email`, `must differ from ${holder}'s: with e-mail as a sign-in attribute, Cognito lets only one user have an address`, address);
            } else {
                emails.set(address.toLowerCase(), path);
            }
        }
        if (admin.passwordReissue !== undefined) {
            if (typeof admin.passwordReissue !== "string" || admin.passwordReissue.length === 0) {
                check(`${path}.passwordReissue`, "must be text (any label; change it to re-issue this admin's generated temporary password)", admin.passwordReissue);
            } else if (admin.temporaryPassword !== undefined) {
                check(`${path}.passwordReissue`, "must not be set with a temporary password of your own: set a new temporaryPassword to re-issue it", admin.passwordReissue);
            } else if (path === "adminUser" && args.import?.adminUser) {
                check(`${path}.passwordReissue`, "must not be set for an adopted admin (import.adminUser), which declares no password", admin.passwordReissue);
            }
        }
        if (admin.recreate !== undefined) {
            if (typeof admin.recreate !== "string" || admin.recreate.length === 0) {
                check(`${path}.recreate`, "must be text (any label; change it to delete this admin's user and create it afresh)", admin.recreate);
            } else if (path === "adminUser" && args.import?.adminUser) {
                check(`${path}.recreate`, "must not be set for an adopted admin (import.adminUser), which stays protected and keeps its import id: Pulumi replaces neither", admin.recreate);
            } else if (admin.temporaryPassword !== undefined) {
                check(
                    `${path}.recreate`,
                    "must not be set with a temporary password of your own, which the recreated user would get again: remove temporaryPassword, so that a new one is generated",
                    admin.recreate,
                );
            } else if (args.protect === true || args.retainOnDelete === true) {
                check(
                    `${path}.recreate`,
                    "must not be set where users are protected or retained (protect, retainOnDelete, production), as Pulumi cannot delete them: " +
                        "npm run admin:recover deletes the authenticator in place instead",
                    admin.recreate,
                );
            }
        }
        const password = admin.temporaryPassword;
        if (typeof password === "string" && policyValid) {
            const rule = checkPasswordAgainstPolicy(password, args.passwordPolicy);
            if (rule) problems.push({ path: `${path}.temporaryPassword`, rule, value: undefined, secret: true });
        } else if (password !== undefined && typeof password !== "string" && !pulumi.Output.isInstance(password) && !(password instanceof Promise)) {
            problems.push({ path: `${path}.temporaryPassword`, rule: "must be text", value: undefined, secret: true });
        }
        groups.forEach((group, index, list) => {
            if (!groupNames.has(group)) check(`${path}.groups`, "must name groups declared in groups", group);
            else if (list.indexOf(group) !== index) check(`${path}.groups`, "must name each group once", group);
        });
    }
    const groupsSeen = new Set<string>();
    args.groups.forEach((group, index) => {
        check(`groups[${index}].name`, checkUsername(group.name) && "must be 1 to 128 characters with no spaces", group.name);
        if (groupsSeen.has(group.name)) check(`groups[${index}].name`, "must be unique among the groups", group.name);
        groupsSeen.add(group.name);
        if (group.description !== undefined && (typeof group.description !== "string" || group.description.length > 2048)) {
            check(`groups[${index}].description`, "must be text of up to 2048 characters", group.description);
        }
        if (group.precedence !== undefined) {
            check(`groups[${index}].precedence`, checkWholeNumber(group.precedence, 0, 2_147_483_647), group.precedence);
        }
    });

    if (args.import !== undefined) {
        check("import.userPoolId", checkUserPoolId(args.import.userPoolId), args.import.userPoolId);
        if (args.import.clientId !== undefined) {
            check("import.clientId", checkClientId(args.import.clientId), args.import.clientId);
        }
        if (args.import.adminUser !== undefined && typeof args.import.adminUser !== "boolean") {
            check("import.adminUser", "must be true or false", args.import.adminUser);
        }
        if (args.import.adminUser && args.adminUser.temporaryPassword !== undefined) {
            check(
                "adminUser.temporaryPassword",
                "must not be set when import.adminUser is true: an adopted admin keeps the password it has",
                undefined,
            );
        }
    }

    check("deletionProtection", checkOneOf(args.deletionProtection, DELETION_PROTECTION_STATES), args.deletionProtection);
    problems.push(...tagProblems(args.tags));
    check("protect", typeof args.protect === "boolean" ? undefined : "must be true or false", args.protect);
    check("retainOnDelete", typeof args.retainOnDelete === "boolean" ? undefined : "must be true or false", args.retainOnDelete);
    check("production", typeof args.production === "boolean" ? undefined : "must be true or false", args.production);
    if (args.production === true) {
        const takeDown = "set production to false first, in a change of its own, to take this pool down on purpose";
        if (args.protect === false) check("protect", `must be true while production is true; ${takeDown}`, args.protect);
        if (args.retainOnDelete === false) check("retainOnDelete", `must be true while production is true; ${takeDown}`, args.retainOnDelete);
        if (args.deletionProtection === "INACTIVE") check("deletionProtection", `must be ACTIVE while production is true; ${takeDown}`, args.deletionProtection);
        if (args.mfaConfiguration !== "ON" && !problems.some((p) => p.path === "mfaConfiguration")) {
            check("mfaConfiguration", "must be ON while production is true: every production user signs in with TOTP", args.mfaConfiguration);
        }
    }
    if (args.adminPasswordRotation !== undefined && (typeof args.adminPasswordRotation !== "string" || args.adminPasswordRotation.length === 0)) {
        check("adminPasswordRotation", "must be text (any label; change it to re-issue the generated temporary passwords)", args.adminPasswordRotation);
    }
    return problems;
}

/** The symbols a generated temporary password draws from: all in Cognito's set, none that shells or YAML quote. */
export const GENERATED_PASSWORD_SYMBOLS = "!#%*()-_=+[]{}<>:?";

/** The fewest characters in a generated temporary password, whatever the policy's minimum. */
export const GENERATED_PASSWORD_MIN_LENGTH = 20;

/**
 * `@pulumi/random` RandomPassword args for a temporary password that satisfies `policy`. Every
 * character class is always asked for, so that changing the policy's classes does not make a new
 * password (a new temporary password resets its admin to "must change password"): only raising
 * `minimumLength` above {@link GENERATED_PASSWORD_MIN_LENGTH} does, or a new `rotation` label
 * (see {@link TotpUserPoolArgs.adminPasswordRotation}), or this admin's `reissue` or `recreate`
 * label (see {@link AdminUserArgs.passwordReissue} and {@link AdminUserArgs.recreate}): together
 * they are the password's `keepers`.
 */
export function generatedPasswordArgs(policy: PasswordPolicy, rotation?: string, reissue?: string, recreate?: string) {
    const keepers = {
        ...(rotation === undefined ? {} : { adminPasswordRotation: rotation }),
        ...(reissue === undefined ? {} : { passwordReissue: reissue }),
        ...(recreate === undefined ? {} : { recreate }),
    };
    return {
        ...(Object.keys(keepers).length === 0 ? {} : { keepers }),
        length: Math.max(policy.minimumLength, GENERATED_PASSWORD_MIN_LENGTH),
        upper: true,
        lower: true,
        numeric: true,
        special: true,
        overrideSpecial: GENERATED_PASSWORD_SYMBOLS,
        minUpper: 1,
        minLower: 1,
        minNumeric: 1,
        minSpecial: 1,
    };
}

/**
 * The logical names of the component's per-user and per-group children, after the component's
 * own name. Each is named by username or group name, never by position, so that reordering or
 * moving a user between `adminUser` and `adminUsers` replaces nothing.
 */
export const childNames = {
    user: (username: string) => `admin-user-${username}`,
    password: (username: string) => `admin-temporary-password-${username}`,
    group: (group: string) => `group-${group}`,
    membership: (username: string, group: string) => `admin-user-${username}-in-${group}`,
};

/**
 * Returns `password` if it satisfies `policy`, and otherwise throws an error that names the
 * rule but not the password. For temporary passwords that arrive as Outputs, which may hold
 * anything once resolved.
 */
export function checkedTemporaryPassword(
    componentName: string,
    path: string,
    password: unknown,
    policy: PasswordPolicy,
): string {
    const rule = typeof password === "string" ? checkPasswordAgainstPolicy(password, policy) : "must be text";
    if (rule) {
        const problem: Problem = { path, rule, value: undefined, secret: true };
        throw new ValidationError(`TotpUserPool "${componentName}" has invalid args:`, [formatProblem(`args.${path}`, problem)]);
    }
    return password as string;
}
