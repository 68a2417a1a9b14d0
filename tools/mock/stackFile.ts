import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { RunConfig } from "./mockRuntime";

/** A stack file (`Pulumi.<stack>.yaml`) read as the Pulumi CLI would hand it to the program. */
export interface StackFile extends RunConfig {
    /** The stack's name, from the file name. */
    readonly stack: string;
    /** Keys whose values are `secure:` ciphertext, which only the Pulumi CLI can decrypt. */
    readonly encryptedKeys: readonly string[];
    /** The values of `encryptedKeys` as the file holds them: `{ secure: ... }`, or structures with some inside. */
    readonly encrypted: Readonly<Record<string, unknown>>;
}

/** The project's name, from `Pulumi.yaml` in `dir`: stack config keys live under it. */
export function projectName(dir: string): string {
    return (parse(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as { name: string }).name;
}

/**
 * The stacks that CI previews and deploys, in deploy order: `deployOrder` in `stacks.json`, the
 * one list of them (the workflows read it too). Each must have a stack file; a stack file that is
 * not listed is a stack for people only, which CI leaves alone.
 */
export function deployOrder(dir: string): string[] {
    const file = path.join(dir, "stacks.json");
    const document = JSON.parse(fs.readFileSync(file, "utf8")) as { deployOrder?: unknown };
    const order = document.deployOrder;
    if (!Array.isArray(order) || order.some((stack) => typeof stack !== "string")) {
        throw new Error(`${file}: deployOrder must be a list of stack names`);
    }
    return order as string[];
}

/** The stack files next to `Pulumi.yaml` in `dir`, by stack name (in a map without a prototype). */
export function stackFilePaths(dir: string): Record<string, string> {
    const paths: Record<string, string> = Object.create(null);
    for (const file of fs.readdirSync(dir).sort()) {
        const match = /^Pulumi\.(.+)\.ya?ml$/.exec(file);
        if (match) paths[match[1]] = path.join(dir, file);
    }
    return paths;
}

/**
 * Reads a stack file. Scalars become text (`true`, `8`), objects and lists JSON, the way the
 * CLI passes config to a program. Keys holding `secure:` values are left out of `values`, and
 * listed in `encryptedKeys`.
 */
export function readStackFile(file: string): StackFile {
    const stack = /^Pulumi\.(.+)\.ya?ml$/.exec(path.basename(file))?.[1];
    if (!stack) {
        throw new Error(`${file} is not a stack file: its name must be Pulumi.<stack>.yaml`);
    }
    const document = parseYamlFile(file) as { config?: Record<string, unknown> } | null;
    if (document !== null && (typeof document !== "object" || Array.isArray(document))) {
        throw new Error(`${file}: must be a mapping with a config: section`);
    }
    const values: Record<string, string> = Object.create(null);
    const encrypted: Record<string, unknown> = Object.create(null);
    for (const [key, value] of Object.entries(document?.config ?? {})) {
        if (holdsCiphertext(value)) {
            encrypted[key] = value;
        } else {
            // A key left empty (or `~`) is null in YAML, which the CLI passes as empty text: its
            // config.Value decodes YAML with gopkg.in/yaml.v3, which sets a string to "" for a null
            // (pulumi/pulumi sdk/go/common/resource/config/value.go, unmarshalValue).
            values[key] = value === null ? "" : configText(value);
        }
    }
    return { stack, values, secretKeys: [], encryptedKeys: Object.keys(encrypted), encrypted };
}

/** A YAML file's document; a syntax error names the file, the line and the column. */
export function parseYamlFile(file: string): unknown {
    const text = fs.readFileSync(file, "utf8");
    try {
        return parse(text) ?? null;
    } catch (error) {
        const err = error as Error & { linePos?: { line: number; col: number }[] };
        const at = err.linePos?.[0];
        const message = err.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
        throw new Error(`${file}${at ? `:${at.line}:${at.col}` : ""}: ${message}`);
    }
}

/** A config value as the CLI hands it to a program: text as is, anything else as JSON. */
export function configText(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

/** `value` with every `{ secure: ... }` in it replaced by `placeholder`. */
export function withPlaceholders(value: unknown, placeholder: string): unknown {
    if (typeof value !== "object" || value === null) return value;
    if ("secure" in value && Object.keys(value).length === 1) return placeholder;
    if (Array.isArray(value)) return value.map((item) => withPlaceholders(item, placeholder));
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withPlaceholders(item, placeholder)]));
}

function holdsCiphertext(value: unknown): boolean {
    if (typeof value !== "object" || value === null) return false;
    if ("secure" in value && Object.keys(value).length === 1) return true;
    return Object.values(value).some(holdsCiphertext);
}
