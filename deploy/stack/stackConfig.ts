import { Region } from "@pulumi/aws/types/enums";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ValidationError, Problem, formatProblem } from "../components/problems";
import { TotpUserPoolArgs, resolveTotpUserPoolArgs, totpUserPoolProblems } from "../components/totpUserPoolArgs";
import { SignInCheckArgs } from "./signInCheck";

/** A boolean, also as the text `true`/`false` (how `pulumi config set --path` may store it). */
const bool = () =>
    z.union([z.boolean(), z.enum(["true", "false"]).transform((text) => text === "true")], {
        error: "must be true or false",
    });

/** A number, also as text of digits (how `pulumi config set --path` may store it). */
const num = () =>
    z.union([
        z.number(),
        z
            .string()
            .regex(/^-?\d+(\.\d+)?$/)
            .transform(Number),
    ], { error: "must be a number" });

/**
 * The stack config contract. Keys live under the project's name (`cognito-totp:poolName`).
 * Scalars are plain config values; `passwordPolicy`, `appClient` and `tags` are structured
 * (objects in the stack file, or `pulumi config set --path passwordPolicy.minimumLength 12`).
 */
export const stackConfigSchema = z.strictObject({
    poolName: z.string(),
    adminUsername: z.string(),
    adminTemporaryPassword: z.string().optional(),
    adminEmail: z.string().optional(),
    passwordPolicy: z
        .strictObject({
            minimumLength: num().optional(),
            requireLowercase: bool().optional(),
            requireUppercase: bool().optional(),
            requireNumbers: bool().optional(),
            requireSymbols: bool().optional(),
            temporaryPasswordValidityDays: num().optional(),
            passwordHistorySize: num().optional(),
        })
        .optional(),
    featurePlan: z.string().optional(),
    threatProtection: z.string().optional(),
    accountRecovery: z.array(z.string()).optional(),
    selfSignUp: bool().optional(),
    mfaConfiguration: z.string().optional(),
    softwareTokenMfa: bool().optional(),
    usernameCaseSensitive: bool().optional(),
    usernameAttributes: z.array(z.string()).optional(),
    aliasAttributes: z.array(z.string()).optional(),
    appClient: z
        .strictObject({
            name: z.string().optional(),
            refreshTokenValidityDays: num().optional(),
            accessTokenValidityMinutes: num().optional(),
            idTokenValidityMinutes: num().optional(),
            explicitAuthFlows: z.array(z.string()).optional(),
            generateSecret: bool().optional(),
            refreshTokenRotation: z
                .strictObject({
                    enabled: bool(),
                    retryGracePeriodSeconds: num().optional(),
                })
                .optional(),
        })
        .optional(),
    deletionProtection: z.string().optional(),
    tags: z.record(z.string(), z.string()).optional(),
    verifySignIn: bool().optional(),
    production: bool().optional(),
    protect: bool().optional(),
    retainOnDelete: bool().optional(),
    import: z
        .strictObject({
            userPoolId: z.string(),
            clientId: z.string().optional(),
            adminUser: bool().optional(),
        })
        .optional(),
    adminUsers: z
        .array(
            z.strictObject({
                username: z.string(),
                temporaryPassword: z.string().optional(),
                email: z.string().optional(),
                groups: z.array(z.string()).optional(),
                passwordReissue: z.string().optional(),
                recreate: z.string().optional(),
            }),
        )
        .optional(),
    groups: z
        .array(
            z.strictObject({
                name: z.string(),
                description: z.string().optional(),
                precedence: num().optional(),
            }),
        )
        .optional(),
    adminGroups: z.array(z.string()).optional(),
    adminPasswordRotation: z.string().optional(),
    adminPasswordReissue: z.string().optional(),
    adminRecreate: z.string().optional(),
});

/** The stack config, once it has passed its checks. */
export type StackConfig = z.infer<typeof stackConfigSchema>;

/** Keys whose values are taken as text, never parsed as JSON (so `poolName: 123` stays a name). */
const TEXT_KEYS = new Set([
    "poolName",
    "adminUsername",
    "adminTemporaryPassword",
    "adminEmail",
    "mfaConfiguration",
    "deletionProtection",
    "adminPasswordRotation",
    "adminPasswordReissue",
    "adminRecreate",
    "featurePlan",
    "threatProtection",
]);

/** AWS provider settings that give the provider credentials the sign-in check cannot share. */
const PROVIDER_CREDENTIAL_KEYS = ["aws:accessKey", "aws:secretKey", "aws:token", "aws:assumeRole", "aws:assumeRoles"];

/** The regions the AWS provider knows (its `aws.Region` enum). */
const AWS_REGIONS: ReadonlySet<string> = new Set(Object.values(Region));

/** Keys that must be set with `pulumi config set --secret`. */
const SECRET_KEYS = new Set(["adminTemporaryPassword"]);

/** Keys that may hold secrets: a temporary password, or the admin users with theirs. */
const SECRET_HOLDING_KEYS = new Set([...SECRET_KEYS, "adminUsers"]);

/**
 * Keys of other namespaces that the program uses in plain text (in commands, environments and
 * names), so that a secret there would leak: refused.
 */
const PLAIN_PROVIDER_KEYS = ["aws:region", "aws:endpoints", "aws:profile"];

/** Every key the stack config accepts under the project's name: the config reference lists these. */
export const STACK_CONFIG_KEYS: readonly string[] = Object.keys(stackConfigSchema.shape);

/** Component arg paths that have a config key of another name. Every other path is its own key. */
const CONFIG_KEY_OF_ARG: Readonly<Record<string, string>> = {
    "adminUser.username": "adminUsername",
    "adminUser.temporaryPassword": "adminTemporaryPassword",
    "adminUser.email": "adminEmail",
    "adminUser.groups": "adminGroups",
    "adminUser.passwordReissue": "adminPasswordReissue",
    "adminUser.recreate": "adminRecreate",
};

/** What a stack's config yields. */
export interface StackSettings {
    /** The args of the stack's {@link TotpUserPool}. */
    readonly userPool: TotpUserPoolArgs;
    /** The post-deploy sign-in check (`verifySignIn: true`), or `undefined` when it is off. */
    readonly signInCheck: SignInCheckArgs | undefined;
}

/** The raw config of one stack, as the Pulumi runtime holds it. */
export interface RawStackConfig {
    /** The project's name: config keys are `<project>:<key>`. */
    readonly project: string;
    /** The stack's name, for messages. */
    readonly stack: string;
    /** Every config value as text, keyed `namespace:key` (`aws:region`, `cognito-totp:poolName`). */
    readonly values: Readonly<Record<string, string>>;
    /** The full keys of values that are secrets. */
    readonly secretKeys: ReadonlySet<string>;
}

/**
 * Reads and checks the stack's config, and turns it into the component's args. Throws a
 * {@link ValidationError} naming every bad key, the rule and the value (never a secret's)
 * before anything is declared.
 */
export function parseStackConfig(raw: RawStackConfig): StackSettings {
    const prefix = `${raw.project}:`;
    // A map without a prototype: a key named __proto__ is a key like any other, and is refused below.
    const values: Record<string, unknown> = Object.create(null);
    for (const [fullKey, text] of Object.entries(raw.values)) {
        if (!fullKey.startsWith(prefix)) continue;
        const key = fullKey.slice(prefix.length);
        values[key] = TEXT_KEYS.has(key) ? text : parseValue(text);
    }

    const problems: Problem[] = [];
    for (const key of [...raw.secretKeys].sort()) {
        const usedInPlainText = key.startsWith(prefix) ? !SECRET_HOLDING_KEYS.has(key.slice(prefix.length)) : PLAIN_PROVIDER_KEYS.includes(key);
        if (usedInPlainText) {
            problems.push({
                // The full key: configError shows a path with a namespace as it is.
                path: key,
                rule: `must not be a secret: the program uses it in plain text (in resource names, inputs or outputs), so it would stop being one; store it with \`pulumi config set\` without --secret, or leave it out`,
                value: undefined,
                hideValue: true,
            });
        }
    }
    for (const path of prototypeKeyPaths(values)) {
        problems.push({ path, rule: "is a key named __proto__, which this program refuses: rename it", value: undefined, hideValue: true });
    }
    for (const key of SECRET_KEYS) {
        if (values[key] !== undefined && !raw.secretKeys.has(prefix + key)) {
            problems.push({
                path: key,
                rule: `must be stored as a secret: run \`pulumi config set --secret ${key}\`, and remove the plain-text value from the stack file`,
                value: undefined,
            });
        }
    }

    const region = raw.values["aws:region"];
    if (region === undefined) {
        problems.push({ path: "aws:region", rule: "is required: run `pulumi config set aws:region <region>`, such as us-east-1", value: undefined, hideValue: true });
    } else if (!AWS_REGIONS.has(region)) {
        problems.push({ path: "aws:region", rule: "must be an AWS region the provider knows, such as us-east-1", value: region });
    }

    const withPasswords = Array.isArray(values.adminUsers)
        ? values.adminUsers.flatMap((user, index) =>
              typeof user === "object" && user !== null && "temporaryPassword" in user ? [index] : [],
          )
        : [];
    if (withPasswords.length > 0 && !raw.secretKeys.has(`${prefix}adminUsers`)) {
        problems.push({
            path: "adminUsers",
            rule: `must be stored as a secret when it holds temporary passwords: run \`pulumi config set --secret --path 'adminUsers[${withPasswords[0]}].temporaryPassword'\` for each, and remove the plain-text values from the stack file`,
            value: undefined,
            secret: true,
        });
    }

    const parsed = stackConfigSchema.safeParse(values);
    if (!parsed.success) {
        problems.push(...parsed.error.issues.flatMap((issue) => schemaProblems(issue, values)));
        throw configError(raw, problems);
    }

    const config = parsed.data;
    const userPool: TotpUserPoolArgs = {
        poolName: config.poolName,
        featurePlan: config.featurePlan as TotpUserPoolArgs["featurePlan"],
        threatProtection: config.threatProtection as TotpUserPoolArgs["threatProtection"],
        accountRecovery: config.accountRecovery as TotpUserPoolArgs["accountRecovery"],
        passwordPolicy: config.passwordPolicy,
        selfSignUp: config.selfSignUp,
        mfaConfiguration: config.mfaConfiguration as TotpUserPoolArgs["mfaConfiguration"],
        softwareTokenMfa: config.softwareTokenMfa,
        usernameCaseSensitive: config.usernameCaseSensitive,
        usernameAttributes: config.usernameAttributes as TotpUserPoolArgs["usernameAttributes"],
        aliasAttributes: config.aliasAttributes as TotpUserPoolArgs["aliasAttributes"],
        appClient: config.appClient as TotpUserPoolArgs["appClient"],
        adminUser: {
            username: config.adminUsername,
            temporaryPassword: config.adminTemporaryPassword,
            email: config.adminEmail,
            groups: config.adminGroups,
            passwordReissue: config.adminPasswordReissue,
            recreate: config.adminRecreate,
        },
        adminUsers: config.adminUsers,
        groups: config.groups,
        deletionProtection: config.deletionProtection as TotpUserPoolArgs["deletionProtection"],
        tags: config.tags,
        production: config.production,
        protect: config.protect,
        retainOnDelete: config.retainOnDelete,
        import: config.import,
        adminPasswordRotation: config.adminPasswordRotation,
    };
    const resolved = resolveTotpUserPoolArgs(userPool);
    for (const problem of totpUserPoolProblems(resolved)) {
        problems.push({ ...problem, path: CONFIG_KEY_OF_ARG[problem.path] ?? problem.path });
    }
    if (config.verifySignIn) {
        if (resolved.mfaConfiguration === "OPTIONAL" || resolved.mfaConfiguration === "OFF") {
            problems.push({
                path: "verifySignIn",
                rule: `needs mfaConfiguration ON: the check fails any pool that lets users sign in without TOTP (mfaConfiguration is ${resolved.mfaConfiguration})`,
                value: true,
            });
        }
        const flowsValid = !problems.some((problem) => problem.path === "appClient.explicitAuthFlows");
        if (flowsValid && !resolved.appClient.explicitAuthFlows.includes("ALLOW_USER_SRP_AUTH")) {
            problems.push({
                path: "verifySignIn",
                rule: "needs ALLOW_USER_SRP_AUTH in appClient.explicitAuthFlows: the check signs in with SRP, as apps do",
                value: true,
            });
        }
        for (const key of PROVIDER_CREDENTIAL_KEYS.filter((k) => raw.values[k] !== undefined)) {
            problems.push({
                path: key,
                rule: "cannot be used with verifySignIn: the sign-in check signs in with this process's AWS credentials (or aws:profile), not the provider's; use aws:profile, or set verifySignIn to false",
                value: undefined,
                hideValue: true,
            });
        }
    }
    const importedPoolId = config.import?.userPoolId;
    if (region && importedPoolId && !problems.some((p) => p.path === "import.userPoolId")) {
        const poolRegion = importedPoolId.split("_")[0];
        if (poolRegion !== region) {
            problems.push({
                path: "import.userPoolId",
                rule: `must be a pool in the stack's region (aws:region is ${region})`,
                value: importedPoolId,
            });
        }
    }
    const endpointUrl = cognitoEndpoint(raw.values["aws:endpoints"]);
    if (endpointUrl instanceof Error) {
        problems.push({ path: "aws:endpoints", rule: endpointUrl.message, value: raw.values["aws:endpoints"] });
    }
    if (problems.length > 0) {
        throw configError(raw, problems);
    }
    // Checked as plain text above; from here on a temporary password is only ever a secret.
    const secretPassword = <T extends { temporaryPassword?: pulumi.Input<string> }>(user: T): T => ({
        ...user,
        temporaryPassword: user.temporaryPassword === undefined ? undefined : pulumi.secret(user.temporaryPassword),
    });
    return {
        signInCheck: config.verifySignIn
            ? {
                  region,
                  endpointUrl: endpointUrl instanceof Error ? undefined : endpointUrl,
                  profile: raw.values["aws:profile"],
              }
            : undefined,
        userPool: {
            ...userPool,
            adminUser: secretPassword(userPool.adminUser),
            adminUsers: userPool.adminUsers?.map(secretPassword),
        },
    };
}

/** {@link parseStackConfig} on the config of the running program (or of the mocks). */
export function readStackConfig(): StackSettings {
    const values = pulumi.runtime.allConfig();
    const secretKeys = new Set(Object.keys(values).filter((key) => isConfigSecret(key)));
    return parseStackConfig({ project: pulumi.getProject(), stack: pulumi.getStack(), values, secretKeys });
}

/**
 * Whether the runtime holds a config key as a secret. The SDK exports this from
 * `runtime/config` without declaring it in its types.
 */
const { isConfigSecret } = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(key: string): boolean };

/**
 * The Cognito endpoint override in the AWS provider's `aws:endpoints` config (a list of
 * `{ <service>: <url> }`), or an Error when that config is malformed.
 */
function cognitoEndpoint(text: string | undefined): string | undefined | Error {
    if (text === undefined) return undefined;
    const endpoints = parseValue(text);
    if (!Array.isArray(endpoints)) {
        return new Error("must be a list such as [{cognitoidp: http://127.0.0.1:5000}]");
    }
    const urls = endpoints.map((entry) => (entry as Record<string, unknown> | null)?.cognitoidp).filter((url) => url !== undefined);
    if (urls.some((url) => typeof url !== "string")) return new Error("must give cognitoidp a URL");
    return urls[0] as string | undefined;
}

/** The paths of keys named `__proto__` at any depth of a config value (`adminUsers[0].__proto__`). */
function prototypeKeyPaths(value: unknown, path = ""): string[] {
    if (typeof value !== "object" || value === null) return [];
    return Object.keys(value).flatMap((key) => {
        const child = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
        return key === "__proto__" ? [child] : prototypeKeyPaths((value as Record<string, unknown>)[key], child);
    });
}

/** Config values are text: `true`, `8` and `{"a":1}` are JSON, anything else stays text. */
function parseValue(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

/** The error for a stack's problems. A value under a secret key, or at any temporary password, is never shown. */
function configError(raw: RawStackConfig, problems: readonly Problem[]): ValidationError {
    return new ValidationError(
        `Stack "${raw.stack}" has invalid config; nothing was declared:`,
        problems.map((problem) => {
            const topKey = problem.path.split(/[.[]/)[0];
            const secret =
                problem.secret ||
                /temporaryPassword$/.test(problem.path) ||
                SECRET_KEYS.has(topKey) ||
                raw.secretKeys.has(`${raw.project}:${topKey}`);
            const key = problem.path.includes(":") ? problem.path : `${raw.project}:${problem.path}`;
            return formatProblem(key, { ...problem, secret });
        }),
    );
}

/** The rule for a value of the wrong type. Numbers and booleans are unions, with their own message. */
const TYPE_RULES: Readonly<Record<string, string>> = {
    string: "must be text",
    object: "must be structured config (an object)",
    array: "must be a list",
    record: "must be structured config (an object)",
};

function schemaProblems(issue: z.core.$ZodIssue, values: Record<string, unknown>): Problem[] {
    // The path as `pulumi config set --path` spells it: `adminUsers[0].groups`.
    const path = issue.path.reduce<string>((at, key) => (typeof key === "number" ? `${at}[${key}]` : at ? `${at}.${String(key)}` : String(key)), "");
    // Zod reports a path only below values it found, so every step but the last exists.
    const value = issue.path.reduce<unknown>((at, key) => (at as Record<PropertyKey, unknown>)[key], values);
    if (issue.code === "unrecognized_keys") {
        // A __proto__ key has its own problem (see prototypeKeyPaths).
        return issue.keys.filter((key) => key !== "__proto__").map((key) => {
            // Its value is never shown: a mistyped key may hold a password.
            return {
                path: path ? `${path}.${key}` : key,
                rule: `is not a known key${path ? ` of ${path}` : ""}${suggestion(key, path ? undefined : STACK_CONFIG_KEYS)}`,
                value: undefined,
                hideValue: true,
            };
        });
    }
    if (issue.code === "invalid_type" && value === undefined) {
        return [{ path, rule: `is required: run \`pulumi config set ${path} <value>\``, value }];
    }
    if (issue.code === "invalid_type") {
        return [{ path, rule: TYPE_RULES[issue.expected] ?? issue.message, value }];
    }
    return [{ path, rule: issue.message, value }];
}

function suggestion(key: string, known: readonly string[] | undefined): string {
    const match = known?.find((candidate) => candidate.toLowerCase() === key.toLowerCase());
    return match ? `; did you mean ${match}?` : "";
}
