/**
 * A project's Pulumi.yaml and its stack files, read as the Pulumi CLI reads them (pulumi/pulumi at
 * v3.259.0): the project file is the first of `Pulumi.json`, `Pulumi.yaml`, `Pulumi.yml` in the
 * directory (`findProjectInDir` in sdk/go/common/workspace/paths.go, over `encoding.Exts`), and a
 * stack's config file is `Pulumi.<stack>` plus the project file's own extension
 * (`ProjectStackPath`): for `Pulumi.yaml`, exactly `Pulumi.<stack>.yaml`, never a
 * `Pulumi.<stack>.yml`. The project-level `config:` block of Pulumi.yaml applies under the stack's
 * own values (`mergeConfig` in pkg/workspace/config.go; its shorthand and rules in
 * sdk/go/common/workspace/project.go). What these tools cannot read as the CLI would is an error,
 * never skipped: another project file, a stray stack file, `stackConfigDir`, an ESC `environment:`.
 */
import * as fs from "fs";
import * as path from "path";
import { YAML_LIMIT, parseCliYaml, parseJson, readInputFile } from "../plan/inputFiles";
import { Setting } from "../../deploy/components/definition";
import { CONFIG_KEYS } from "../../deploy/stack/stackConfig";
import { RunConfig } from "./mockRuntime";

/** The project file these tools read; the CLI would take a `Pulumi.json` before it. */
export const PROJECT_FILE = "Pulumi.yaml";

/** A stack file (`Pulumi.<stack>.yaml`) read as the Pulumi CLI would hand it to the program. */
export interface StackFile extends RunConfig {
    /** The stack's name, from the file name. */
    readonly stack: string;
    /** Keys whose values are `secure:` ciphertext, which only the Pulumi CLI can decrypt. */
    readonly encryptedKeys: readonly string[];
    /** The values of `encryptedKeys` as the file holds them: `{ secure: ... }`, or structures with some inside. */
    readonly encrypted: Readonly<Record<string, unknown>>;
}

/** One key of Pulumi.yaml's `config:` block, after Pulumi's shorthand is expanded. */
export interface ProjectConfigKey {
    /** Its value for stacks that do not set it (`value:` for another namespace's key, `default:` for the project's). */
    readonly value?: unknown;
    /** The declared type (`string`, `integer`, `boolean`, `object`, `array`), when there is one. */
    readonly type?: string;
    /** For an `array`, its items' type, as Pulumi nests it. */
    readonly items?: ProjectConfigItems;
    /** A stack must set it as a secret. */
    readonly secret: boolean;
}

/** The items of an array config type: a type, and for nested arrays their items. */
export interface ProjectConfigItems {
    readonly type: string;
    readonly items?: ProjectConfigItems;
}

/** A project file: its name, and its `config:` block by full key (`namespace:key`). */
export interface ProjectFile {
    readonly file: string;
    readonly name: string;
    readonly config: Readonly<Record<string, ProjectConfigKey>>;
}

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `Pulumi.yaml` of the project in `dir`; an error where the CLI would read another file, or a setting these tools cannot follow. */
export function readProjectFile(dir: string): ProjectFile {
    const others = ["Pulumi.json", "Pulumi.yml"].filter((name) => fs.existsSync(path.join(dir, name)));
    if (others.length > 0) {
        throw new Error(
            `${path.join(dir, others[0])}: a project file other than ${PROJECT_FILE}: the Pulumi CLI takes the first of Pulumi.json, Pulumi.yaml, Pulumi.yml, and these tools read only ${PROJECT_FILE}: remove ${others.join(" and ")}`,
        );
    }
    const file = path.join(dir, PROJECT_FILE);
    const document = parseYamlFile(file);
    if (!isObject(document) || typeof document.name !== "string" || document.name === "") {
        throw new Error(`${file}: must be a mapping with the project's name (name: <project>)`);
    }
    if (document.stackConfigDir !== undefined || typeof document.config === "string") {
        throw new Error(`${file}: stackConfigDir (or config: <dir>) moves the stack files, which these tools do not follow: keep Pulumi.<stack>.yaml beside ${PROJECT_FILE}`);
    }
    if (document.main !== undefined) throw new Error(`${file}: main moves the program, which these tools do not follow: keep it in index.ts`);
    return { file, name: document.name, config: projectConfig(document.config, document.name, file) };
}

/** The project's name, from `Pulumi.yaml` in `dir`: stack config keys live under it. */
export function projectName(dir: string): string {
    return readProjectFile(dir).name;
}

const DECLARATION_KEYS = new Set(["type", "description", "items", "default", "value", "secret"]);
const CONFIG_TYPES = new Set(["string", "integer", "boolean", "object", "array"]);

/**
 * A config key as the CLI reads it (pulumi/pulumi sdk/go/common/resource/config/key.go, `ParseKey`):
 * `<namespace>:<name>` as it is, and the old form `<namespace>:config:<name>` as
 * `<namespace>:<name>`; any other key with a colon the CLI cannot parse, so it is an error here. A
 * key without a colon is left as it is, for the caller's rule.
 */
export function cliConfigKey(key: string, where: string): string {
    const parts = key.split(":");
    if (parts.length <= 2) return key;
    if (parts.length === 3 && parts[1] === "config" && parts[0] !== "" && parts[2] !== "") return `${parts[0]}:${parts[2]}`;
    throw new Error(`${where}: ${key} is not a config key the Pulumi CLI can read: write <namespace>:<name>`);
}

/** A config key of Pulumi.yaml as a full key: a bare key is the project's (`parseConfigKey`). */
function fullKey(key: string, project: string, where: string): string {
    return key.includes(":") ? cliConfigKey(key, where) : `${project}:${key}`;
}

/**
 * `config` with every key as the CLI reads it ({@link cliConfigKey}). Two keys that the CLI reads
 * as one (`aws:region` and `aws:config:region`) are an error naming both: the CLI keeps one of
 * them, which one differing from run to run (config/map.go builds its map from a Go map).
 */
function cliKeys(config: Record<string, unknown>, where: string, normalize: (key: string) => string): [cli: string, written: string, value: unknown][] {
    const written: Record<string, string> = Object.create(null);
    return Object.entries(config).map(([key, value]) => {
        const cli = normalize(key);
        if (cli in written) throw new Error(`${where}: ${written[cli]} and ${key} are the same config key ${cli} to the Pulumi CLI, which would keep either one: keep one of them`);
        written[cli] = key;
        return [cli, key, value];
    });
}

/**
 * Pulumi.yaml's `config:` block, as `Project.Validate` and `RewriteShorthandConfigValues` read it: a
 * plain text, integer, boolean or list is a default for the project's own key (bare or
 * `<project>:key`) and a value for another namespace's (`aws:region: us-west-2`); a mapping is a
 * declaration (`type`, `description`, `items`, `default`, `value`, `secret`).
 */
function projectConfig(block: unknown, project: string, file: string): Record<string, ProjectConfigKey> {
    if (block === undefined || block === null) return {};
    if (!isObject(block)) throw new Error(`${file}: config must be a mapping of keys`);
    const keys: Record<string, ProjectConfigKey> = Object.create(null);
    for (const [full, key, raw] of cliKeys(block, `${file}: config`, (key) => fullKey(key, project, `${file}: config`))) {
        const where = `${file}: config ${key}`;
        const own = full.startsWith(`${project}:`);
        const shorthand = ["string", "boolean"].includes(typeof raw) || Number.isInteger(raw) || Array.isArray(raw);
        if (!shorthand && !isObject(raw) && raw !== null) throw new Error(`${where}: must be a text, an integer, a boolean, a list or a declaration (got ${JSON.stringify(raw)})`);
        const declaration: Record<string, unknown> = shorthand ? (own ? { default: raw } : { value: raw }) : ((raw as Record<string, unknown> | null) ?? {});
        const unknown = Object.keys(declaration).find((name) => !DECLARATION_KEYS.has(name));
        if (unknown) throw new Error(`${where}: ${unknown} is not part of a config declaration (type, description, items, default, value, secret)`);
        if (declaration.default !== undefined && declaration.value !== undefined) throw new Error(`${where}: cannot have both a default and a value`);
        const type = declaration.type;
        if (type !== undefined && (typeof type !== "string" || !CONFIG_TYPES.has(type))) throw new Error(`${where}: type must be one of ${[...CONFIG_TYPES].join(", ")}`);
        if (!own && (type !== undefined || declaration.default !== undefined || declaration.value === undefined)) {
            throw new Error(`${where}: a key of another namespace takes only a value (${key}: <value>, or value: <value>), not a type or a default`);
        }
        const items = type === "array" ? configItems(declaration.items, where) : undefined;
        const value = declaration.value ?? declaration.default;
        if (typeof type === "string" && declaration.default !== undefined && !matchesType(declaration.default, type, items)) {
            throw new Error(`${where}: its default is not of the declared type ${typeName(type, items)}`);
        }
        keys[full] = {
            ...(value === undefined ? {} : { value }),
            ...(typeof type === "string" ? { type } : {}),
            ...(items ? { items } : {}),
            secret: declaration.secret === true,
        };
    }
    return keys;
}

function configItems(raw: unknown, where: string): ProjectConfigItems {
    if (!isObject(raw) || typeof raw.type !== "string" || !CONFIG_TYPES.has(raw.type)) {
        throw new Error(`${where}: an array declares the type of its items (items: {type: <type>})`);
    }
    return { type: raw.type, ...(raw.type === "array" ? { items: configItems(raw.items, where) } : {}) };
}

function typeName(type: string, items?: ProjectConfigItems): string {
    return items ? `array<${typeName(items.type, items.items)}>` : type;
}

/** Whether a value is of a declared config type (`ValidateConfigValue` in sdk/go/common/workspace/project.go). */
function matchesType(value: unknown, type: string, items?: ProjectConfigItems): boolean {
    switch (type) {
        case "string":
            return typeof value === "string";
        case "integer":
            return Number.isInteger(value) || (typeof value === "string" && /^[+-]?\d+$/.test(value));
        case "boolean":
            return typeof value === "boolean" || value === "true" || value === "false";
        case "object":
            return isObject(value);
        default:
            return Array.isArray(value) && items !== undefined && value.every((item) => matchesType(item, items.type, items.items));
    }
}

/**
 * The stacks that CI previews and deploys, in deploy order: `deployOrder` in `stacks.json`, the
 * one list of them (the workflows read it too). Each must have a stack file; a stack file that is
 * not listed is a stack for people only, which CI leaves alone.
 */
export function deployOrder(dir: string): string[] {
    const file = path.join(dir, "stacks.json");
    const document = parseJson(readInputFile(file, YAML_LIMIT), file) as { deployOrder?: unknown };
    const order = document?.deployOrder;
    if (!Array.isArray(order) || order.some((stack) => typeof stack !== "string")) {
        throw new Error(`${file}: deployOrder must be a list of stack names`);
    }
    return order as string[];
}

/**
 * The stack files next to `Pulumi.yaml` in `dir`, by stack name (in a map without a prototype). A
 * `Pulumi.<stack>.yml` or `.json`, which the CLI never reads for a `Pulumi.yaml` project, is an
 * error naming it (and the `.yaml` beside it, if there is one): its values would count nowhere.
 */
export function stackFilePaths(dir: string): Record<string, string> {
    const paths: Record<string, string> = Object.create(null);
    const names = fs.readdirSync(dir).sort();
    for (const file of names) {
        const stray = /^Pulumi\.(.+)\.(yml|json)$/.exec(file);
        if (stray) {
            const beside = `Pulumi.${stray[1]}.yaml`;
            throw new Error(
                names.includes(beside)
                    ? `${path.join(dir, file)} beside ${path.join(dir, beside)}: the Pulumi CLI reads only ${beside}; merge ${file} into it and remove ${file}`
                    : `${path.join(dir, file)}: the Pulumi CLI never reads it (a stack's file is ${beside}): rename it to ${beside}`,
            );
        }
        const match = /^Pulumi\.(.+)\.yaml$/.exec(file);
        if (match) paths[match[1]] = path.join(dir, file);
    }
    return paths;
}

/** The project file beside a stack file, if there is one (a fixture stack file may have none). */
function projectBeside(file: string): ProjectFile | undefined {
    const dir = path.dirname(file);
    return fs.existsSync(path.join(dir, PROJECT_FILE)) ? readProjectFile(dir) : undefined;
}

/**
 * Reads a stack file, with the `config:` block of the project file beside it (none for a stack
 * file without one, such as a test's fixture) applied under its own values. Scalars become text (`true`, `8`),
 * objects and lists JSON, the way the CLI passes config to a program. Keys holding `secure:`
 * values are left out of `values`, and listed in `encryptedKeys`.
 */
export function readStackFile(file: string): StackFile {
    const stack = /^Pulumi\.(.+)\.yaml$/.exec(path.basename(file))?.[1];
    if (!stack) {
        throw new Error(`${file} is not a stack file: its name must be Pulumi.<stack>.yaml`);
    }
    const parsed = parseYamlFile(file);
    if (parsed !== null && !isObject(parsed)) {
        throw new Error(`${file}: must be a mapping with a config: section`);
    }
    const document = parsed ?? {};
    if (document.environment !== undefined) {
        throw new Error(`${file}: environment imports Pulumi ESC environments, whose config these tools cannot read: set the values in config: instead`);
    }
    const project = projectBeside(file);
    const written = document.config ?? {};
    if (!isObject(written)) throw new Error(`${file}: config must be a mapping of keys`);
    const config: Record<string, unknown> = Object.create(null);
    for (const [cli, , value] of cliKeys(written, file, (key) => cliConfigKey(key, file))) config[cli] = value;
    const values: Record<string, string> = Object.create(null);
    const encrypted: Record<string, unknown> = Object.create(null);
    for (const [key, value] of Object.entries(config)) {
        if (holdsCiphertext(value)) {
            encrypted[key] = value;
        } else {
            // A key left empty (or `~`) is null in YAML, which the CLI passes as empty text: its
            // config.Value decodes YAML with gopkg.in/yaml.v3, which sets a string to "" for a null
            // (pulumi/pulumi sdk/go/common/resource/config/value.go, unmarshalValue).
            values[key] = value === null ? "" : configText(value);
        }
    }
    for (const [key, value] of Object.entries(encrypted)) {
        const colon = key.indexOf(":");
        const entry = project === undefined || key.slice(0, colon) === project.name ? CONFIG_KEYS.find((candidate) => candidate.key === key.slice(colon + 1)) : undefined;
        const plain = entry ? plainSecretPaths(entry.setting, value, entry.key) : [];
        if (plain.length > 0) {
            // The CLI makes the whole key secret for its one `secure:` value, so the program cannot see these.
            throw new Error(
                `${file}: ${key} holds ${plain.join(", ")} in plain text beside encrypted values: run ` +
                    plain.map((at) => `\`pulumi config set --secret --path '${at}'\``).join(", ") +
                    ", and remove the plain-text value from the stack file (value not shown: it is a secret)",
            );
        }
    }
    for (const [key, declared] of Object.entries(project?.config ?? {})) {
        const where = `${project?.file}: config ${key}`;
        if (Object.prototype.hasOwnProperty.call(config, key)) {
            if (declared.secret && !(key in encrypted)) throw new Error(`${file}: ${key} must be encrypted (pulumi config set --secret), as ${where} says it is secret`);
            if (declared.type && !(key in encrypted) && !matchesType(config[key], declared.type, declared.items)) {
                throw new Error(`${file}: ${key} must be of type ${typeName(declared.type, declared.items)}, as ${where} declares`);
            }
        } else if (declared.value !== undefined) {
            values[key] = configText(declared.value);
        } else {
            throw new Error(`${file}: ${key} is required by ${where}, which gives it no value or default: set it in the stack file`);
        }
    }
    return { stack, values, secretKeys: [], encryptedKeys: Object.keys(encrypted), encrypted };
}

/**
 * The paths (from `at`, the config key) inside `value`, a config value as the stack file holds
 * it, of the settings that are secrets (a `secret` text, such as `adminUsers[].temporaryPassword`)
 * given in plain text, not as `secure:` ciphertext: `adminUsers[1].temporaryPassword`.
 */
export function plainSecretPaths(setting: Setting, value: unknown, at: string): string[] {
    if (value === undefined || value === null) return [];
    if (setting.kind === "text") return setting.secret && !isCiphertext(value) ? [at] : [];
    if (setting.kind !== "object" && setting.kind !== "objectList") return [];
    const { fields } = setting.type;
    const fieldsOf = (item: unknown, where: string) =>
        isObject(item) ? Object.entries(fields).flatMap(([field, inner]) => plainSecretPaths(inner, item[field], `${where}.${field}`)) : [];
    if (setting.kind === "object") return fieldsOf(value, at);
    return Array.isArray(value) ? value.flatMap((item, index) => fieldsOf(item, `${at}[${index}]`)) : [];
}

/** A YAML file the Pulumi CLI reads, as it reads it (at most 1 MiB, core schema; see parseCliYaml); a problem names the file, the line and the column. */
export function parseYamlFile(file: string): unknown {
    return parseCliYaml(readInputFile(file, YAML_LIMIT), file);
}

/** A config value as the CLI hands it to a program: text as is, anything else as JSON. */
export function configText(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * The stand-in for a `secure:` value of a stack file, which only the Pulumi CLI can decrypt (such
 * as an admin's temporary password of its own), wherever the program runs without the CLI: the
 * offline plan and the emulator's pool. It satisfies any password policy Cognito allows (up to 99
 * characters, every class), so the emulator's admin can sign in with it.
 */
export const ENCRYPTED_STAND_IN = "Emulator-Passw0rd!" + "x".repeat(81);

/** `value` with every `{ secure: ... }` in it replaced by `placeholder`. */
export function withPlaceholders(value: unknown, placeholder: string): unknown {
    if (typeof value !== "object" || value === null) return value;
    if ("secure" in value && Object.keys(value).length === 1) return placeholder;
    if (Array.isArray(value)) return value.map((item) => withPlaceholders(item, placeholder));
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withPlaceholders(item, placeholder)]));
}

function holdsCiphertext(value: unknown): boolean {
    if (typeof value !== "object" || value === null) return false;
    return isCiphertext(value) || Object.values(value).some(holdsCiphertext);
}

/** A `secure:` value, `{ secure: <ciphertext> }`, which only the Pulumi CLI can decrypt. */
function isCiphertext(value: unknown): boolean {
    return typeof value === "object" && value !== null && "secure" in value && Object.keys(value).length === 1;
}
