import { Region } from "@pulumi/aws/types/enums";
import * as pulumi from "@pulumi/pulumi";
import { validateTotpUserPoolArgs } from "../components/areaChecks";
import { Vocabulary, checkSettings } from "../components/checkSettings";
import { ObjectType, Setting, canHoldSecret, flag, settingAt, value } from "../components/definition";
import { ValidationError, Problem, formatProblem } from "../components/problems";
import { TOTP_USER_POOL } from "../components/settings";
import { TotpUserPoolArgs } from "../components/totpUserPoolArgs";
import { SignInCheckArgs } from "./signInCheck";

/** The settings of the stack itself, besides the component's: config keys that are not args. */
export const STACK_SETTINGS: ObjectType = {
    name: "StackSettings",
    doc: "The stack's own settings.",
    fields: {
        verifySignIn: flag("Adds the post-deploy sign-in check (docs/operations.md, the sign-in check).", {
            default: value(false),
            more:
                "Needs mfaConfiguration ON, ALLOW_USER_SRP_AUTH, and none of aws:accessKey, aws:secretKey, aws:token, aws:assumeRole, aws:assumeRoles: " +
                "the check signs in with the process's credentials, not the provider's.",
        }),
    },
};

/** A key of the stack config, under the project's name. */
export interface ConfigKey {
    /** Its name: `poolName`, `adminUsername`. */
    readonly key: string;
    /** What it sets. */
    readonly setting: Setting;
    /** Where it goes in the component's args (`adminUser.username`); `undefined` for a setting of the stack itself. */
    readonly argPath: string | undefined;
}

/**
 * Every key of the stack config, derived from the component's settings: each arg is a key of its
 * name, but an object whose fields are flat keys (`adminUser.username` is `adminUsername`); then the
 * stack's own settings.
 */
export const CONFIG_KEYS: readonly ConfigKey[] = [
    ...Object.entries(TOTP_USER_POOL.fields).flatMap(([arg, setting]): ConfigKey[] =>
        setting.kind === "object" && setting.configPrefix
            ? Object.entries(setting.type.fields).map(([field, fieldSetting]) => ({
                  key: `${setting.configPrefix}${field[0].toUpperCase()}${field.slice(1)}`,
                  setting: fieldSetting,
                  argPath: `${arg}.${field}`,
              }))
            : [{ key: arg, setting, argPath: arg }],
    ),
    ...Object.entries(STACK_SETTINGS.fields).map(([key, setting]) => ({ key, setting, argPath: undefined })),
];

/** Every key the stack config accepts under the project's name: the config reference lists these. */
export const STACK_CONFIG_KEYS: readonly string[] = CONFIG_KEYS.map((entry) => entry.key);

const BY_KEY: ReadonlyMap<string, ConfigKey> = new Map(CONFIG_KEYS.map((entry) => [entry.key, entry]));

/**
 * The namespaces of the config keys the program reads besides its project's: the providers it
 * uses (@pulumi/aws, @pulumi/random, @pulumi/command) and the Pulumi CLI's own (`pulumi:tags`,
 * `pulumi:disable-default-providers`, `pulumi:template`; the CLI checks those itself).
 */
export const OTHER_NAMESPACES: readonly string[] = ["aws", "random", "command", "pulumi"];

/** The rule for a key named __proto__, at any depth: refused rather than dropped. */
const PROTO_RULE = "is a key named __proto__, which this program refuses: rename it";

/** AWS provider settings that give the provider credentials the sign-in check cannot share. */
const PROVIDER_CREDENTIAL_KEYS = ["aws:accessKey", "aws:secretKey", "aws:token", "aws:assumeRole", "aws:assumeRoles"];

/** The regions the AWS provider knows (its `aws.Region` enum). */
const AWS_REGIONS: ReadonlySet<string> = new Set(Object.values(Region));

/**
 * Keys of other namespaces that the program uses in plain text (in commands, environments and
 * names), so that a secret there would leak: refused.
 */
const PLAIN_PROVIDER_KEYS = ["aws:region", "aws:endpoints", "aws:profile"];

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

/** The config key, and the rest of the path, of a path in the component's args (`adminUser.groups[1]` is `adminGroups[1]`). */
export function configPathOf(argPath: string): string {
    const entry = CONFIG_KEYS.find((candidate) => candidate.argPath !== undefined && (argPath === candidate.argPath || argPath.startsWith(`${candidate.argPath}.`) || argPath.startsWith(`${candidate.argPath}[`)));
    return entry ? entry.key + argPath.slice(entry.argPath!.length) : argPath;
}

/** The stack config's words: its objects are structured config, and a value left out gets the command that sets it. */
const CONFIG_VOCABULARY: Vocabulary = {
    object: "must be structured config (an object)",
    required: (argPath) => {
        const key = configPathOf(argPath);
        return /[.[]/.test(key) ? `is required: run \`pulumi config set --path '${key}' <value>\`` : `is required: run \`pulumi config set ${key} <value>\``;
    },
};

/** The error for a stack's bad config: every problem, a line each, each naming its key. */
function invalidConfig(stack: string, problems: readonly Problem[]): ValidationError {
    return new ValidationError(`Stack "${stack}" has invalid config; nothing was declared:`, problems.map((problem) => formatProblem(problem.path, problem)));
}

/**
 * Reads and checks the stack's config, and turns it into the component's args. Throws a
 * {@link ValidationError} naming every bad key, the rule and the value (never a secret's)
 * before anything is declared.
 */
export function parseStackConfig(raw: RawStackConfig): StackSettings {
    const prefix = `${raw.project}:`;
    const problems: Problem[] = keyProblems(raw);
    // A map without a prototype: a key named __proto__ is a key like any other, and is refused below.
    const values: Record<string, unknown> = Object.create(null);
    for (const [fullKey, text] of Object.entries(raw.values)) {
        const entry = fullKey.startsWith(prefix) ? BY_KEY.get(fullKey.slice(prefix.length)) : undefined;
        if (entry) values[entry.key] = fromConfigText(entry.setting, text);
    }

    const misusedSecrets = [...raw.secretKeys].sort().filter((key) => {
        const own = key.startsWith(prefix) ? BY_KEY.get(key.slice(prefix.length)) : undefined;
        return own ? !canHoldSecret(own.setting) : PLAIN_PROVIDER_KEYS.includes(key);
    });
    if (misusedSecrets.length > 0) {
        // Reported with the key problems alone: every other check could show the secret, or a value
        // made from it (a resource name, the rule of another key), in its message.
        const rule = `must not be a secret: the program uses it in plain text (in resource names, inputs or outputs), so it would stop being one; store it with \`pulumi config set\` without --secret, or leave it out`;
        throw invalidConfig(raw.stack, [...problems, ...misusedSecrets.map((path) => ({ path, rule, value: undefined, hideValue: true }))]);
    }
    for (const path of prototypeKeyPaths(values)) {
        problems.push({ path: prefix + path, rule: PROTO_RULE, value: undefined, hideValue: true });
    }
    for (const { key, setting } of CONFIG_KEYS) {
        if (setting.kind === "text" && setting.secret && values[key] !== undefined && !raw.secretKeys.has(prefix + key)) {
            problems.push({
                path: prefix + key,
                rule: `must be stored as a secret: run \`pulumi config set --secret ${key}\`, and remove the plain-text value from the stack file`,
                value: undefined,
                secret: true,
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
        ? values.adminUsers.flatMap((user, index) => (typeof user === "object" && user !== null && "temporaryPassword" in user ? [index] : []))
        : [];
    if (withPasswords.length > 0 && !raw.secretKeys.has(`${prefix}adminUsers`)) {
        problems.push({
            path: `${prefix}adminUsers`,
            rule: `must be stored as a secret when it holds temporary passwords: run \`pulumi config set --secret --path 'adminUsers[${withPasswords[0]}].temporaryPassword'\` for each, and remove the plain-text values from the stack file`,
            value: undefined,
            secret: true,
        });
    }

    const userPool = argsOf(values);
    const validation = validateTotpUserPoolArgs(userPool, CONFIG_VOCABULARY);
    const stack = checkSettings(STACK_SETTINGS, { verifySignIn: values.verifySignIn }, CONFIG_VOCABULARY);
    const ownKey = (problem: Problem): Problem => {
        const path = configPathOf(problem.path);
        const secret = problem.secret || raw.secretKeys.has(prefix + path.split(/[.[]/)[0]);
        return { ...problem, path: prefix + path, ...(secret ? { secret } : {}) };
    };
    problems.push(...validation.problems.map(ownKey), ...stack.problems.map(ownKey));

    const verifySignIn = stack.resolved.verifySignIn === true;
    if (verifySignIn) {
        const mfa = validation.pool.mfaConfiguration;
        if (mfa === "OPTIONAL" || mfa === "OFF") {
            problems.push({
                path: `${prefix}verifySignIn`,
                rule: `needs mfaConfiguration ON: the check fails any pool that lets users sign in without TOTP (mfaConfiguration is ${mfa})`,
                value: true,
            });
        }
        const flows = validation.client.explicitAuthFlows;
        if (flows && !flows.includes("ALLOW_USER_SRP_AUTH")) {
            problems.push({ path: `${prefix}verifySignIn`, rule: "needs ALLOW_USER_SRP_AUTH in appClient.explicitAuthFlows: the check signs in with SRP, as apps do", value: true });
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
    const importedPoolId = validation.adoption.userPoolId;
    if (region && importedPoolId && importedPoolId.split("_")[0] !== region) {
        problems.push({ path: `${prefix}import.userPoolId`, rule: `must be a pool in the stack's region (aws:region is ${region})`, value: importedPoolId });
    }
    const endpointUrl = cognitoEndpoint(raw.values["aws:endpoints"]);
    if (endpointUrl instanceof Error) {
        problems.push({ path: "aws:endpoints", rule: endpointUrl.message, value: raw.values["aws:endpoints"] });
    }
    if (problems.length > 0) throw invalidConfig(raw.stack, problems);
    // Checked as plain text above; from here on a temporary password is only ever a secret.
    const secretPassword = <T extends { temporaryPassword?: pulumi.Input<string> }>(user: T): T =>
        user.temporaryPassword === undefined ? user : { ...user, temporaryPassword: pulumi.secret(user.temporaryPassword) };
    return {
        signInCheck: verifySignIn
            ? {
                  region,
                  endpointUrl: endpointUrl instanceof Error ? undefined : endpointUrl,
                  profile: raw.values["aws:profile"],
              }
            : undefined,
        userPool: {
            ...userPool,
            adminUser: secretPassword(userPool.adminUser),
            ...(Array.isArray(userPool.adminUsers) ? { adminUsers: userPool.adminUsers.map(secretPassword) } : {}),
        },
    };
}

/**
 * The keys that are not the program's: a key under the project's name that it does not know, a
 * namespace that is neither the project's nor another the program reads (`cognito-totpp:production`),
 * and a key without a namespace. Their values are never shown: a mistyped key may hold a password.
 */
function keyProblems(raw: RawStackConfig): Problem[] {
    const namespaces = [raw.project, ...OTHER_NAMESPACES];
    const problems: Problem[] = [];
    for (const fullKey of Object.keys(raw.values)) {
        const colon = fullKey.indexOf(":");
        const namespace = colon < 0 ? undefined : fullKey.slice(0, colon);
        const key = fullKey.slice(colon + 1);
        const knownKey = STACK_CONFIG_KEYS.find((candidate) => candidate.toLowerCase() === key.toLowerCase());
        const asProject = (knownKey: string | undefined) => (knownKey ? `; did you mean ${raw.project}:${knownKey}?` : "");
        let rule: string | undefined;
        if (namespace === undefined) {
            rule = `has no namespace: keys are <namespace>:<key>, such as ${raw.project}:poolName${asProject(knownKey)}`;
        } else if (namespace === raw.project) {
            if (key === "__proto__") rule = PROTO_RULE;
            else if (!BY_KEY.has(key)) rule = `is not a known key${knownKey ? `; did you mean ${knownKey}?` : ""}`;
        } else if (!namespaces.includes(namespace)) {
            const near = namespaces.find((candidate) => editDistance(candidate, namespace.toLowerCase()) <= 2);
            const suggestion = near === raw.project ? asProject(knownKey ?? key) : near ? `; did you mean ${near}:${key}?` : "";
            rule = `is in a namespace the program does not read: it reads ${namespaces.join(", ")}${suggestion}`;
        }
        if (rule) problems.push({ path: fullKey, rule, value: undefined, hideValue: true });
    }
    return problems;
}

/** The number of single-character edits that turn `a` into `b`. */
function editDistance(a: string, b: string): number {
    let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            current.push(Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
        }
        previous = current;
    }
    return previous[b.length];
}

/** The component's args of the config's values, each key at its arg path; `adminUser` is always there, as it is required. */
function argsOf(values: Record<string, unknown>): TotpUserPoolArgs {
    const args: Record<string, Record<string, unknown> | unknown> = { adminUser: {} };
    for (const { key, argPath } of CONFIG_KEYS) {
        if (argPath === undefined || values[key] === undefined) continue;
        const [arg, field] = argPath.split(".");
        if (field === undefined) args[arg] = values[key];
        else (args[arg] as Record<string, unknown>)[field] = values[key];
    }
    return args as unknown as TotpUserPoolArgs;
}

/**
 * A config value as its setting reads it. Text stays text (`poolName: 123` is a name); true/false
 * and numbers may be text, as `pulumi config set` stores them; structured values are JSON. Inside a
 * structure, numbers and true/false may be text too (`pulumi config set --path` may store them so),
 * and a number or true/false where text belongs is that text.
 */
function fromConfigText(setting: Setting, text: string): unknown {
    switch (setting.kind) {
        case "text":
        case "enum":
        case "boolean":
        case "number":
            return fromText(setting, text);
        default:
            return fromText(setting, parseJson(text));
    }
}

const NUMBER = /^-?\d+(\.\d+)?$/;

/** A value with the text forms of numbers and true/false read where its setting wants those, and they as text where it wants text. */
function fromText(setting: Setting, value: unknown): unknown {
    switch (setting.kind) {
        case "number":
            return typeof value === "string" && NUMBER.test(value) ? Number(value) : value;
        case "boolean":
            return value === "true" ? true : value === "false" ? false : value;
        case "text":
            return typeof value === "number" || typeof value === "boolean" ? String(value) : value;
        case "textList":
            return Array.isArray(value) ? value.map((item) => (typeof item === "number" || typeof item === "boolean" ? String(item) : item)) : value;
        case "textMap":
            return isObject(value) ? mapValues(value, (item) => (typeof item === "number" || typeof item === "boolean" ? String(item) : item)) : value;
        case "object":
            return isObject(value) ? fieldsFromText(setting.type, value) : value;
        case "objectList":
            return Array.isArray(value) ? value.map((item) => (isObject(item) ? fieldsFromText(setting.type, item) : item)) : value;
        default:
            return value;
    }
}

function fieldsFromText(type: ObjectType, value: Record<string, unknown>): Record<string, unknown> {
    return mapValues(value, (item, key) => {
        const field = settingAt(type, key);
        return field && Object.prototype.hasOwnProperty.call(type.fields, key) ? fromText(field, item) : item;
    });
}

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A copy of an object with each value mapped; a key named __proto__ is kept as a key (Object.fromEntries defines it). */
function mapValues(value: Record<string, unknown>, map: (item: unknown, key: string) => unknown): Record<string, unknown> {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, map(item, key)]));
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
    const endpoints = parseJson(text);
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
function parseJson(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}
