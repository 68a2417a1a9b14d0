/**
 * Which drift weakens the declared baseline: one table of security rules, by resource type and
 * input, each saying in which direction a setting is weaker. Pure: it gets the values, never a
 * file. The direction matters: a stricter setting in AWS than declared is drift, not security drift.
 *
 * A drifted input is judged by every rule whose path is at, above or under it: a drift of
 * `passwordPolicy` (the whole block) is judged by every `passwordPolicy.*` rule, one of
 * `explicitAuthFlows[2]` by the `explicitAuthFlows` rule. A rule compares the resource's values in
 * AWS (the refreshed state's outputs) with the declared ones (the program's inputs). A value a rule
 * cannot compare (not a number, not on its scale, not known until apply) is judged weaker: the
 * check fails closed. docs/drift.md lists this table (a test keeps the two the same).
 */
import { isDeepStrictEqual } from "util";
import { TYPE_TOKENS } from "../../deploy/components/typeTokens";

/** Whether a drift weakens the declared baseline (`security`) or not (`other`). */
export type DriftClass = "security" | "other";

/** A path into a resource's values: property names and list indexes. */
export type PathSegments = readonly (string | number)[];

/** A resource's values: its outputs (in AWS) or its inputs (declared). */
export type Values = Readonly<Record<string, unknown>>;

/** One security rule: a setting of a resource type, and when its value in AWS is weaker than declared. */
export interface SecurityRule {
    /** The resource type, such as `aws:cognito/userPool:UserPool`. */
    readonly type: string;
    /** The inputs it judges, as dotted paths; the first is the setting's own. */
    readonly paths: readonly string[];
    /** What the setting is, in words. */
    readonly setting: string;
    /** When AWS's value is weaker, in words, as the docs' table says it. */
    readonly weakerWhen: string;
    /** Why AWS's value is weaker than the declared one, or `undefined` when it is not. */
    readonly weaker: (cloud: Values, declared: Values) => string | undefined;
}

/** The verdict on one drifted input or resource. */
export interface Verdict {
    readonly class: DriftClass;
    /** Why, in one sentence. */
    readonly why: string;
}

const { userPool: POOL, user: USER, client: CLIENT, group: GROUP } = TYPE_TOKENS;

/** The value at a dotted rule path, or `undefined`. */
function at(values: Values, path: string): unknown {
    return valueAt(values, path.split("."));
}

/** The value at `path` in `value`, or `undefined`. */
export function valueAt(value: unknown, path: PathSegments): unknown {
    let here = value;
    for (const segment of path) {
        if (typeof here !== "object" || here === null) return undefined;
        if (!Object.prototype.hasOwnProperty.call(here, segment)) return undefined;
        here = (here as Record<string | number, unknown>)[segment];
    }
    return here;
}

/** `undefined` for null, an empty text, list or object, or one of empty values only; else the value with its empty parts left out. */
function pruned(value: unknown): unknown {
    if (value === null || value === undefined || value === "") return undefined;
    if (Array.isArray(value)) return value.length === 0 ? undefined : value;
    if (typeof value === "object") {
        const entries = Object.entries(value as Record<string, unknown>)
            .map(([key, item]) => [key, pruned(item)] as const)
            .filter(([, item]) => item !== undefined);
        return entries.length === 0 ? undefined : Object.fromEntries(entries);
    }
    return value;
}

/** A setting on a scale, weakest first: weaker when AWS's value is lower. An unset value is `unset`. */
function ranked(type: string, path: string, setting: string, scale: readonly string[], unset: string): SecurityRule {
    return {
        type,
        paths: [path],
        setting,
        weakerWhen: `lower on ${scale.join(" < ")} (unset: ${unset})`,
        weaker: (cloud, declared) => {
            const [now, wanted] = [at(cloud, path) ?? unset, at(declared, path) ?? unset];
            const [nowRank, wantedRank] = [scale.indexOf(now as string), scale.indexOf(wanted as string)];
            if (nowRank < 0 || wantedRank < 0) return `${setting} cannot be ranked on ${scale.join(" < ")}`;
            return nowRank < wantedRank ? `${setting} is lower than declared (${scale.join(" < ")})` : undefined;
        },
    };
}

/** A number that must not fall (`at-least`) or rise (`at-most`) below or above the declared one. */
function bounded(type: string, path: string, setting: string, bound: "at-least" | "at-most", unset: number): SecurityRule {
    const worse = bound === "at-least" ? "lower" : "higher";
    return {
        type,
        paths: [path],
        setting,
        weakerWhen: `${worse} (unset: ${unset})`,
        weaker: (cloud, declared) => {
            const [now, wanted] = [at(cloud, path) ?? unset, at(declared, path) ?? unset];
            if (typeof now !== "number" || typeof wanted !== "number") return `${setting} cannot be compared as numbers`;
            return (bound === "at-least" ? now < wanted : now > wanted) ? `${setting} is ${worse} than declared` : undefined;
        },
    };
}

/** A setting that must stay at `kept` where the stack declares it so: weaker when AWS has anything else. */
function kept(type: string, path: string, setting: string, keptValue: string | boolean, unset: string | boolean): SecurityRule {
    return {
        type,
        paths: [path],
        setting,
        weakerWhen: `not ${JSON.stringify(keptValue)} where declared so (unset: ${JSON.stringify(unset)})`,
        weaker: (cloud, declared) => {
            if ((at(declared, path) ?? unset) !== keptValue) return undefined;
            const now = at(cloud, path) ?? unset;
            return now === keptValue ? undefined : `${setting} is not ${JSON.stringify(keptValue)}, as the stack declares`;
        },
    };
}

/** A set that must not gain members: weaker when AWS has one the stack does not declare (by `key` for a list of objects). */
function noMore(type: string, path: string, setting: string, options: { key?: string; unset?: readonly string[] } = {}): SecurityRule {
    const members = (value: unknown, unset: readonly string[]): unknown[] | undefined => {
        if (value === undefined || value === null) return [...unset];
        if (!Array.isArray(value)) return undefined;
        return value.map((item) => (options.key === undefined ? item : valueAt(item, [options.key])));
    };
    return {
        type,
        paths: [path],
        setting,
        weakerWhen: `gains a member${options.key ? ` (by ${options.key})` : ""}${options.unset ? ` (unset: ${JSON.stringify(options.unset)})` : ""}`,
        weaker: (cloud, declared) => {
            const [now, wanted] = [members(at(cloud, path), []), members(at(declared, path), options.unset ?? [])];
            if (!now || !wanted) return `${setting} cannot be compared as lists`;
            const added = now.filter((item) => !wanted.some((declaredItem) => isDeepStrictEqual(item, declaredItem)));
            return added.length > 0 ? `${setting} gained ${added.length === 1 ? "a member" : `${added.length} members`} the stack does not declare` : undefined;
        },
    };
}

/** A setting that must be as declared (empty and unset alike): weaker when it is anything else. */
function unchanged(type: string, path: string, setting: string): SecurityRule {
    return {
        type,
        paths: [path],
        setting,
        weakerWhen: "different (empty and unset alike)",
        weaker: (cloud, declared) => (isDeepStrictEqual(pruned(at(cloud, path)), pruned(at(declared, path))) ? undefined : `${setting} is not as declared`),
    };
}

/** Seconds per unit of a token validity (`tokenValidityUnits`). */
const UNIT_SECONDS: Readonly<Record<string, number>> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };

/** A token's validity, `valuePath` in units of `unitPath`: weaker when it lasts longer. */
function noLonger(type: string, valuePath: string, unitPath: string, setting: string, unset: { value: number; unit: string }): SecurityRule {
    const seconds = (values: Values): number | undefined => {
        const value = at(values, valuePath) ?? unset.value;
        const unit = UNIT_SECONDS[String(at(values, unitPath) ?? unset.unit)];
        return typeof value === "number" && unit !== undefined ? value * unit : undefined;
    };
    return {
        type,
        paths: [valuePath, unitPath],
        setting,
        weakerWhen: `longer, in its unit (unset: ${unset.value} ${unset.unit})`,
        weaker: (cloud, declared) => {
            const [now, wanted] = [seconds(cloud), seconds(declared)];
            if (now === undefined || wanted === undefined) return `${setting} cannot be compared as a duration`;
            return now > wanted ? `${setting} is longer than declared` : undefined;
        },
    };
}

/**
 * The security rules. The unset values are AWS's (or the AWS provider's) defaults: a pool without
 * a password policy has Cognito's (8 characters, 7 days), a new pool is ESSENTIALS, an app
 * client's access and ID tokens count in hours and its refresh tokens in days (the Cognito API
 * reference, CreateUserPool and CreateUserPoolClient).
 */
export const SECURITY_RULES: readonly SecurityRule[] = [
    ranked(POOL, "mfaConfiguration", "MFA", ["OFF", "OPTIONAL", "ON"], "OFF"),
    kept(POOL, "softwareTokenMfaConfiguration.enabled", "authenticator-app (TOTP) MFA", true, false),
    bounded(POOL, "passwordPolicy.minimumLength", "the minimum password length", "at-least", 8),
    kept(POOL, "passwordPolicy.requireLowercase", "the password's required lowercase letter", true, false),
    kept(POOL, "passwordPolicy.requireUppercase", "the password's required uppercase letter", true, false),
    kept(POOL, "passwordPolicy.requireNumbers", "the password's required number", true, false),
    kept(POOL, "passwordPolicy.requireSymbols", "the password's required symbol", true, false),
    bounded(POOL, "passwordPolicy.passwordHistorySize", "the number of earlier passwords a user may not reuse", "at-least", 0),
    bounded(POOL, "passwordPolicy.temporaryPasswordValidityDays", "how long a temporary password is valid", "at-most", 7),
    ranked(POOL, "userPoolTier", "the feature plan", ["LITE", "ESSENTIALS", "PLUS"], "ESSENTIALS"),
    ranked(POOL, "userPoolAddOns.advancedSecurityMode", "threat protection", ["OFF", "AUDIT", "ENFORCED"], "OFF"),
    kept(POOL, "deletionProtection", "deletion protection", "ACTIVE", "INACTIVE"),
    kept(POOL, "adminCreateUserConfig.allowAdminCreateUserOnly", "admin-only sign-up (no self sign-up)", true, false),
    noMore(POOL, "accountRecoverySetting.recoveryMechanisms", "the account recovery channels", { key: "name" }),
    noMore(POOL, "signInPolicy.allowedFirstAuthFactors", "the first sign-in factors", { unset: ["PASSWORD"] }),
    unchanged(POOL, "lambdaConfig", "the Lambda triggers in the sign-up and sign-in path"),
    unchanged(POOL, "smsConfiguration", "SMS, a second factor besides TOTP"),
    unchanged(POOL, "emailMfaConfiguration", "e-mail MFA, a second factor besides TOTP"),
    unchanged(POOL, "deviceConfiguration", "device remembering, with which a remembered device may skip MFA"),
    noMore(CLIENT, "explicitAuthFlows", "the app client's auth flows"),
    noMore(CLIENT, "allowedOauthFlows", "the app client's OAuth flows"),
    kept(CLIENT, "allowedOauthFlowsUserPoolClient", "whether the app client takes OAuth (hosted sign-in)", false, false),
    noMore(CLIENT, "allowedOauthScopes", "the app client's OAuth scopes"),
    noMore(CLIENT, "callbackUrls", "the app client's callback URLs, where tokens are sent"),
    noMore(CLIENT, "supportedIdentityProviders", "the app client's identity providers"),
    noMore(CLIENT, "writeAttributes", "the user attributes the app client may write"),
    kept(CLIENT, "preventUserExistenceErrors", "the app client's hiding of whether a user exists", "ENABLED", "LEGACY"),
    kept(CLIENT, "enableTokenRevocation", "refresh token revocation", true, true),
    kept(CLIENT, "refreshTokenRotation.feature", "refresh token rotation", "ENABLED", "DISABLED"),
    noLonger(CLIENT, "accessTokenValidity", "tokenValidityUnits.accessToken", "the access token's validity", { value: 1, unit: "hours" }),
    noLonger(CLIENT, "idTokenValidity", "tokenValidityUnits.idToken", "the ID token's validity", { value: 1, unit: "hours" }),
    noLonger(CLIENT, "refreshTokenValidity", "tokenValidityUnits.refreshToken", "the refresh token's validity", { value: 30, unit: "days" }),
    bounded(CLIENT, "authSessionValidity", "the sign-in session's validity (minutes)", "at-most", 3),
    kept(USER, "enabled", "whether the user is enabled", false, true),
    unchanged(USER, "attributes.email", "the user's e-mail address, where codes and password resets go"),
    unchanged(USER, "attributes.phone_number", "the user's phone number, where codes go"),
    unchanged(GROUP, "roleArn", "the group's IAM role, which its members get through an identity pool"),
];

/** The types whose deletion out of band is security drift, and what is lost with it. */
export const DELETION_IS_SECURITY: Readonly<Record<string, string>> = {
    [POOL]: "the user pool is gone from AWS, and with it every user and every TOTP enrolment",
    [USER]: "the user is gone from AWS, so this admin cannot sign in",
};

/** Whether `a` is `b`, or one of them starts with the other, segment by segment. */
function overlaps(a: PathSegments, b: PathSegments): boolean {
    return a.slice(0, Math.min(a.length, b.length)).every((segment, index) => segment === b[index]);
}

/**
 * The verdict on a drifted input of a `type` at `path`: `security` when a rule at, above or under
 * the path finds AWS's value weaker than the declared one, else `other`.
 */
export function classifyInput(type: string, path: PathSegments, cloud: Values, declared: Values): Verdict {
    const rules = SECURITY_RULES.filter((rule) => rule.type === type && rule.paths.some((rulePath) => overlaps(rulePath.split("."), path)));
    for (const rule of rules) {
        const why = rule.weaker(cloud, declared);
        if (why !== undefined) return { class: "security", why };
    }
    if (rules.length === 0) return { class: "other", why: "not a setting check:drift judges for security" };
    return { class: "other", why: `not weaker than declared: ${rules.map((rule) => rule.setting).join(", ")}` };
}

/** The verdict on a resource of `type` deleted out of band (refreshed, then created again). */
export function classifyDeleted(type: string): Verdict {
    const lost = Object.prototype.hasOwnProperty.call(DELETION_IS_SECURITY, type) ? DELETION_IS_SECURITY[type] : undefined;
    return lost ? { class: "security", why: `deleted out of band: ${lost}` } : { class: "other", why: "deleted out of band" };
}
