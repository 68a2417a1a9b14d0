/**
 * Amazon Cognito's own rules for user pools, app clients and users, as pure functions.
 * Each check returns the rule it broke, in words, or `undefined` when the value is fine.
 * Its closed sets of values are here too, as the enum types of the component's settings.
 * Sources: the Cognito API reference (CreateUserPool, CreateUserPoolClient, AdminCreateUser,
 * CreateGroup, PasswordPolicyType, TokenValidityUnitsType, TagResource).
 */
import { EnumType, valuesOf } from "./definition";
import { Problem } from "./problems";
import type { MfaConfiguration, ResolvedPoolPasswordPolicy } from "./totpUserPoolArgs";

/** The symbols Cognito counts towards `RequireSymbols`. */
export const COGNITO_PASSWORD_SYMBOLS = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-";

/**
 * Whitespace as AWS's API patterns mean it: their patterns are Java regular expressions, whose
 * `\s` is ASCII only (space, tab, line feed, vertical tab, form feed, carriage return). A
 * JavaScript `\s` also matches the no-break space, U+FEFF, U+2028, U+3000 and more, which Java's
 * `\S` lets through and its `\s` does not.
 */
const JAVA_WHITESPACE = " \\t\\n\\x0B\\f\\r";

/** The longest password Cognito accepts. */
export const MAX_PASSWORD_LENGTH = 256;

/** The password rules of a user pool, every field filled in (see `passwordPolicy` in settings.ts). */
export type PasswordPolicy = ResolvedPoolPasswordPolicy;

/** The password policy of the boto3 script this program replaces: the defaults of `passwordPolicy`. */
export const SEED_PASSWORD_POLICY: PasswordPolicy = {
    minimumLength: 8,
    requireLowercase: true,
    requireUppercase: true,
    requireNumbers: true,
    requireSymbols: true,
    temporaryPasswordValidityDays: 7,
};

/** MFA modes of a user pool (`MfaConfiguration`). */
export const MFA_CONFIGURATION: EnumType = {
    name: "MfaConfiguration",
    doc: "A user pool's MFA mode.",
    values: [
        { value: "ON", doc: "Every user signs in with a second factor." },
        { value: "OPTIONAL", doc: "Users who set up a second factor use it." },
        { value: "OFF", doc: "No second factor." },
    ],
};

/** Cognito's feature plans (`UserPoolTier`), cheapest first. */
export const FEATURE_PLAN: EnumType = {
    name: "FeaturePlan",
    doc: "Cognito's feature plan (`UserPoolTier`), cheapest first.",
    values: [
        { value: "LITE", doc: "TOTP MFA, the password policy and admin-created users, at the lowest price per monthly active user." },
        { value: "ESSENTIALS", doc: "Adds password history, choice-based sign-in (ALLOW_USER_AUTH) and refresh token rotation, among others." },
        { value: "PLUS", doc: "Adds threat protection." },
    ],
};

/** Threat protection modes (`UserPoolAddOns.AdvancedSecurityMode`). */
export const THREAT_PROTECTION: EnumType = {
    name: "ThreatProtection",
    doc: "A user pool's threat protection mode (`UserPoolAddOns.AdvancedSecurityMode`).",
    values: [
        { value: "OFF", doc: "No threat protection." },
        { value: "AUDIT", doc: "Log risky sign-ins, take no action." },
        { value: "ENFORCED", doc: "Act on risky sign-ins, per the pool's risk configuration." },
    ],
};

/** Account recovery mechanisms (`RecoveryOptionNameType`). */
export const RECOVERY_MECHANISM: EnumType = {
    name: "RecoveryMechanism",
    doc: "A way back in for a user who forgot the password (`RecoveryOptionNameType`).",
    values: [
        { value: "verified_email", doc: "A code to the user's verified e-mail address." },
        { value: "verified_phone_number", doc: "A code to the user's verified phone number." },
        { value: "admin_only", doc: "Only an administrator can reset the password." },
    ],
};

/** Deletion protection states of a user pool. */
export const DELETION_PROTECTION: EnumType = {
    name: "DeletionProtection",
    doc: "A user pool's deletion protection state.",
    values: [
        { value: "ACTIVE", doc: "Cognito refuses to delete the pool." },
        { value: "INACTIVE", doc: "The pool can be deleted." },
    ],
};

/** The auth flows an app client can allow (the `ALLOW_` forms; the legacy ones are not accepted). */
export const AUTH_FLOW: EnumType = {
    name: "AuthFlow",
    doc: "An auth flow an app client allows (`ExplicitAuthFlows`, the `ALLOW_` forms).",
    values: [
        { value: "ALLOW_USER_SRP_AUTH", doc: "Sign-in with SRP: the password never crosses the wire." },
        { value: "ALLOW_REFRESH_TOKEN_AUTH", doc: "Token refresh with REFRESH_TOKEN_AUTH." },
        { value: "ALLOW_USER_AUTH", doc: "Choice-based sign-in (USER_AUTH); needs the ESSENTIALS or PLUS feature plan." },
        { value: "ALLOW_CUSTOM_AUTH", doc: "Sign-in through Lambda triggers." },
        { value: "ALLOW_USER_PASSWORD_AUTH", doc: "Sign-in that sends the password itself." },
        { value: "ALLOW_ADMIN_USER_PASSWORD_AUTH", doc: "Server-side sign-in that sends the password itself." },
    ],
};

/** Attributes that can stand in for the username (`UsernameAttributes`). */
export const USERNAME_ATTRIBUTE: EnumType = {
    name: "UsernameAttribute",
    doc: "An attribute that can stand in for the username (`UsernameAttributes`).",
    values: [
        { value: "email", doc: "The e-mail address." },
        { value: "phone_number", doc: "The phone number." },
    ],
};

/** Attributes that can be signed in with besides the username (`AliasAttributes`). */
export const ALIAS_ATTRIBUTE: EnumType = {
    name: "AliasAttribute",
    doc: "An attribute users can sign in with besides the username (`AliasAttributes`).",
    values: [
        { value: "email", doc: "The e-mail address." },
        { value: "phone_number", doc: "The phone number." },
        { value: "preferred_username", doc: "A preferred username." },
    ],
};

/** `needs the ESSENTIALS or PLUS feature plan (featurePlan is LITE)`, or `undefined` when `plan` has it. */
export function checkFeaturePlan(needs: readonly string[], plan: string): string | undefined {
    return needs.includes(plan) ? undefined : `needs the ${needs.join(" or ")} feature plan (featurePlan is ${plan})`;
}

/**
 * Account recovery mechanisms in priority order: one or two of verified_email,
 * verified_phone_number and admin_only, without repeats, and admin_only only on its own
 * (Cognito: "You cannot use admin_only with any other account recovery mechanism").
 */
export function checkAccountRecovery(mechanisms: unknown): string | undefined {
    const mechanismNames = valuesOf(RECOVERY_MECHANISM);
    const rule = `must be a list of one or two of ${mechanismNames.join(", ")}, in priority order, without repeats, and admin_only only on its own`;
    // Without repeats, three or more would include admin_only: so at most two pass.
    if (checkSubset(mechanisms, mechanismNames)) return rule;
    const list = mechanisms as readonly string[];
    return list.includes("admin_only") && list.length > 1 ? rule : undefined;
}

const POOL_OR_CLIENT_NAME = new RegExp(`^[\\w${JAVA_WHITESPACE}+=,.@-]+$`);
const USERNAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE_NUMBER = /^\+[0-9]{4,15}$/;
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

function length(text: string): number {
    return [...text].length;
}

function isWholeNumberIn(value: unknown, min: number, max: number): boolean {
    return Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
}

/** `must be a whole number from min to max`, or `undefined` when it is one. */
export function checkWholeNumber(value: unknown, min: number, max: number, unit = ""): string | undefined {
    return isWholeNumberIn(value, min, max)
        ? undefined
        : `must be a whole number from ${min} to ${max}${unit ? ` ${unit}` : ""}`;
}

/** `must be one of ...`, or `undefined` when it is one. */
export function checkOneOf(value: unknown, allowed: readonly string[]): string | undefined {
    return allowed.includes(value as string)
        ? undefined
        : `must be one of ${allowed.join(", ")}`;
}

/** A user pool's or app client's name: 1 to 128 of letters, digits, spaces and `+ = , . @ _ -`. */
export function checkPoolOrClientName(name: unknown): string | undefined {
    return typeof name === "string" && length(name) <= 128 && POOL_OR_CLIENT_NAME.test(name)
        ? undefined
        : "must be 1 to 128 characters, each a letter, digit, space or one of + = , . @ _ -";
}

/**
 * A username: 1 to 128 letters, marks, symbols, digits and punctuation, no spaces. When the pool
 * signs in by e-mail or phone number (`usernameAttributes`), the username must be one of those;
 * when e-mail or phone number is an alias (`aliasAttributes`), it must not look like one.
 */
export function checkUsername(username: unknown, usernameAttributes?: readonly string[], aliasAttributes?: readonly string[]): string | undefined {
    if (typeof username !== "string" || length(username) > 128 || !USERNAME.test(username)) {
        return "must be 1 to 128 characters with no spaces or control characters";
    }
    if (aliasAttributes?.includes("email") && EMAIL.test(username)) {
        return "must not be an e-mail address, as aliasAttributes includes email (Cognito rejects it)";
    }
    if (aliasAttributes?.includes("phone_number") && PHONE_NUMBER.test(username)) {
        return "must not be a phone number, as aliasAttributes includes phone_number (Cognito rejects it)";
    }
    if (!usernameAttributes?.length) {
        return undefined;
    }
    const byEmail = usernameAttributes.includes("email") && EMAIL.test(username);
    const byPhone = usernameAttributes.includes("phone_number") && PHONE_NUMBER.test(username);
    return byEmail || byPhone
        ? undefined
        : `must be an ${usernameAttributes.map((a) => (a === "email" ? "e-mail address" : "E.164 phone number (+15555550100)")).join(" or ")}, as usernameAttributes is ${JSON.stringify(usernameAttributes)}`;
}

/** A group's name: as a username, 1 to 128 characters with no spaces (`GroupNameType`). */
export function checkGroupName(name: unknown): string | undefined {
    return checkUsername(name) && "must be 1 to 128 characters with no spaces";
}

/** A group's description: up to 2048 characters (`DescriptionType`). */
export function checkGroupDescription(description: unknown): string | undefined {
    return typeof description === "string" && description.length <= 2048 ? undefined : "must be text of up to 2048 characters";
}

/** A user pool id: its region, an underscore, then letters and digits (`us-east-1_AbCdEf123`). */
export function checkUserPoolId(id: unknown): string | undefined {
    return typeof id === "string" && id.length <= 55 && /^[a-z]{2}(-[a-z]+)+-\d_[0-9a-zA-Z]+$/.test(id)
        ? undefined
        : "must be a user pool id: its region, an underscore, then letters and digits, such as us-east-1_AbCdEf123";
}

/** An app client id: 1 to 128 letters, digits and `_ +`. */
export function checkClientId(id: unknown): string | undefined {
    return typeof id === "string" && /^[\w+]{1,128}$/.test(id)
        ? undefined
        : "must be an app client id: 1 to 128 letters and digits, such as 1example23456789abcdefghijk";
}

/** An e-mail address, in the loose form Cognito's `email` attribute accepts. */
export function checkEmail(email: unknown): string | undefined {
    return typeof email === "string" && email.length <= 2048 && EMAIL.test(email)
        ? undefined
        : "must be an e-mail address such as admin@example.com";
}

/**
 * What a password lacks under a policy, in words (empty when it satisfies it). The words never
 * quote the password, so they are safe in an error about a secret.
 */
export function passwordShortfalls(password: string, policy: PasswordPolicy): string[] {
    const lacks: string[] = [];
    const characters = [...password];
    if (characters.length < policy.minimumLength) lacks.push(`at least ${policy.minimumLength} characters`);
    if (characters.length > MAX_PASSWORD_LENGTH) lacks.push(`at most ${MAX_PASSWORD_LENGTH} characters`);
    // AWS's PasswordType pattern is [\S]+ (Java): a space, tab or line break anywhere is refused.
    if (new RegExp(`[${JAVA_WHITESPACE}]`).test(password)) lacks.push("no space, tab or line break");
    if (policy.requireUppercase && !/[A-Z]/.test(password)) lacks.push("an upper-case letter (A-Z)");
    if (policy.requireLowercase && !/[a-z]/.test(password)) lacks.push("a lower-case letter (a-z)");
    if (policy.requireNumbers && !/[0-9]/.test(password)) lacks.push("a digit (0-9)");
    if (policy.requireSymbols && !characters.some((c) => COGNITO_PASSWORD_SYMBOLS.includes(c))) {
        lacks.push(`a symbol (one of ${COGNITO_PASSWORD_SYMBOLS.split("").join(" ")})`);
    }
    return lacks;
}

/** The rule a temporary password breaks under a policy, or `undefined` when it satisfies it. */
export function checkPasswordAgainstPolicy(password: string, policy: PasswordPolicy): string | undefined {
    const lacks = passwordShortfalls(password, policy);
    return lacks.length === 0 ? undefined : `must satisfy the password policy; it needs ${lacks.join(", ")}`;
}

/** MFA: ON and OPTIONAL need a second factor, and OFF must have none (Cognito rejects both at deploy). */
export function checkMfa(mode: MfaConfiguration, softwareTokenMfa: unknown): string | undefined {
    if (typeof softwareTokenMfa !== "boolean") return "must be true or false";
    if (mode !== "OFF" && !softwareTokenMfa) {
        return `must be true when mfaConfiguration is ${mode}: Cognito rejects MFA ${mode} with no second factor`;
    }
    if (mode === "OFF" && softwareTokenMfa) {
        return "must be false when mfaConfiguration is OFF: Cognito rejects MFA OFF with a factor configured";
    }
    return undefined;
}

/** A list of one or more drawn from `allowed`, without repeats. */
export function checkSubset(values: unknown, allowed: readonly string[]): string | undefined {
    const rule = `must be a list of one or more of ${allowed.join(", ")}, without repeats`;
    const valid = Array.isArray(values) && values.length > 0 && values.every((v) => allowed.includes(v)) && new Set(values).size === values.length;
    return valid ? undefined : rule;
}

/** Tags at `path`: at most 50; keys 1 to 128 characters, not starting with `aws:`; values up to 256 characters. */
export function tagProblems(tags: Record<string, unknown>, path = "tags"): Problem[] {
    const problems: Problem[] = [];
    const keys = Object.keys(tags);
    if (keys.length > 50) {
        problems.push({ path, rule: "must have at most 50 tags", value: `${keys.length} tags` });
    }
    for (const key of keys) {
        if (length(key) < 1 || length(key) > 128 || !TAG_TEXT.test(key) || key.toLowerCase().startsWith("aws:")) {
            problems.push({
                path,
                rule: "must have keys of 1 to 128 letters, digits, spaces or _ . : / = + - @, not starting with aws:",
                value: key,
            });
            continue;
        }
        const value = tags[key];
        if (typeof value !== "string" || length(value) > 256 || !TAG_TEXT.test(value)) {
            problems.push({
                path: `${path}.${key}`,
                rule: "must be a string of up to 256 letters, digits, spaces or _ . : / = + - @",
                value,
            });
        }
    }
    return problems;
}
