import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { MockRuntime, Registration, isWireSecret, valueOf } from "../mock/mockRuntime";
import { StackFile, configText, projectName, readStackFile, stackFilePaths, withPlaceholders } from "../mock/stackFile";

/** How a secret, or an encrypted config value, shows in a plan. */
export const SECRET = "[secret]";

/** What every plan says about itself. */
export const PLAN_NOTE =
    "Offline plan: the resources this program declares for the stack and their declared inputs, " +
    "from Pulumi's mock runtime, with no cloud access and no Pulumi CLI. It is not `pulumi preview`: " +
    "it does not compare with what is deployed, and values AWS computes show as [unknown: ...]. " +
    "Secrets, and `secure:` config values that only the Pulumi CLI can decrypt, show as [secret]; " +
    "an encrypted adminTemporaryPassword is checked against the password policy only by `pulumi preview`.";

/**
 * A stand-in for an encrypted config value, so that the program can run offline. It satisfies
 * any password policy Cognito allows (up to 99 characters, every class), and never shows.
 */
const ENCRYPTED_PLACEHOLDER = "Aa1!" + "x".repeat(95);

/** One declared resource. */
export interface PlannedResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** The parent's name, or `null` for a resource at the top of the stack. */
    readonly parent: string | null;
    /** The resource options that matter for review; each shown only when set. */
    readonly options: Readonly<Record<string, unknown>>;
    readonly inputs: Readonly<Record<string, unknown>>;
}

/** What a stack declares, ready to print. */
export interface Plan {
    readonly note: string;
    readonly project: string;
    readonly stack: string;
    readonly resources: readonly PlannedResource[];
    /** The stack outputs: values the program knows, [unknown: ...] or [secret]. */
    readonly outputs: Readonly<Record<string, unknown>>;
}

/** Runs the program for one stack file under the mocks and collects its plan. */
export async function planStack(runtime: MockRuntime, programPath: string, file: StackFile): Promise<Plan> {
    await runtime.useStack(file.stack, "unknown");
    const secretKeys = [...file.secretKeys, ...file.encryptedKeys];
    const values = { ...file.values };
    for (const [key, value] of Object.entries(file.encrypted)) {
        values[key] = configText(withPlaceholders(value, ENCRYPTED_PLACEHOLDER));
    }
    const run = await runtime.runProgram(programPath, { values, secretKeys });
    const names = new Map(run.registrations.map((r) => [r.urn, r.name]));
    const resources = run.registrations
        .map((registration) => plannedResource(registration, names))
        .sort((a, b) => a.urn.localeCompare(b.urn));
    const outputs: Record<string, unknown> = {};
    for (const [name, output] of Object.entries(run.exports).sort(([a], [b]) => a.localeCompare(b))) {
        if (output === undefined) continue;
        const input = output as pulumi.Input<unknown>;
        outputs[name] = (await pulumi.isSecret(pulumi.output(input))) ? SECRET : redact(await valueOf(input));
    }
    return { note: PLAN_NOTE, project: runtime.project, stack: file.stack, resources, outputs };
}

function plannedResource(registration: Registration, names: ReadonlyMap<string, string>): PlannedResource {
    const options: Record<string, unknown> = {};
    if (registration.protect) options.protect = true;
    if (registration.retainOnDelete) options.retainOnDelete = true;
    if (registration.importId) options.import = registration.importId;
    if (registration.ignoreChanges.length > 0) options.ignoreChanges = [...registration.ignoreChanges].sort();
    const dependsOn = registration.dependencies.map((urn) => names.get(urn) ?? urn).sort();
    if (dependsOn.length > 0) options.dependsOn = dependsOn;
    return {
        urn: registration.urn,
        type: registration.type,
        name: registration.name,
        parent: registration.parent ? (names.get(registration.parent) ?? registration.parent) : null,
        options,
        inputs: redact(registration.inputs) as Record<string, unknown>,
    };
}

/** Replaces every secret with [secret], and sorts object keys, recursively. */
export function redact(value: unknown): unknown {
    if (isWireSecret(value)) return SECRET;
    if (Array.isArray(value)) return value.map(redact);
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(
            Object.keys(value)
                .sort()
                .map((key) => [key, redact((value as Record<string, unknown>)[key])]),
        );
    }
    return value;
}

/** The plan as stable, sorted JSON, ending in a newline: it diffs well. */
export function renderJson(plan: Plan): string {
    return JSON.stringify(plan, null, 2) + "\n";
}

/** The plan as a tree of resources, the way `pulumi preview` shows one, then each one's inputs. */
export function renderText(plan: Plan): string {
    const lines = [
        `Offline plan for stack ${plan.stack} (project ${plan.project})`,
        ...wrap(plan.note, 100).map((line) => `  ${line}`),
        "",
        `  ${plan.project}-${plan.stack} (stack)`,
    ];
    const children = (parent: string | null) => plan.resources.filter((r) => r.parent === parent);
    const walk = (parent: string | null, indent: string) => {
        const list = children(parent);
        list.forEach((resource, index) => {
            const last = index === list.length - 1;
            const flags = ["protect", "retainOnDelete"].filter((option) => resource.options[option]);
            const imported = resource.options.import ? [`import ${resource.options.import}`] : [];
            const marks = [...flags, ...imported];
            lines.push(`  ${indent}${last ? "└─ " : "├─ "}${resource.type}  ${resource.name}${marks.length ? `  [${marks.join(", ")}]` : ""}`);
            walk(resource.name, indent + (last ? "   " : "│  "));
        });
    };
    walk(null, "");
    for (const resource of plan.resources) {
        lines.push("", `${resource.name} (${resource.type})`);
        lines.push(...yamlLines({ ...resource.inputs, ...(Object.keys(resource.options).length ? { "(options)": resource.options } : {}) }, "    "));
    }
    lines.push("", "Outputs:", ...yamlLines(plan.outputs, "    "));
    return lines.join("\n") + "\n";
}

function yamlLines(value: Readonly<Record<string, unknown>>, indent: string): string[] {
    const lines: string[] = [];
    for (const [key, item] of Object.entries(value)) {
        if (typeof item === "object" && item !== null && !Array.isArray(item) && Object.keys(item).length > 0) {
            lines.push(`${indent}${key}:`, ...yamlLines(item as Record<string, unknown>, indent + "    "));
        } else {
            lines.push(`${indent}${key}: ${JSON.stringify(item)}`);
        }
    }
    return lines;
}

function wrap(text: string, width: number): string[] {
    const lines: string[] = [];
    let line = "";
    for (const word of text.split(" ")) {
        if (line && line.length + word.length + 1 > width) {
            lines.push(line);
            line = word;
        } else {
            line = line ? `${line} ${word}` : word;
        }
    }
    return line ? [...lines, line] : lines;
}

/** The folder the committed JSON plans live in, one `<stack>.json` per stack file. */
export const PLANS_DIR = "plans";

const USAGE = `Prints what a stack declares, offline: no Pulumi CLI, no cloud, no credentials.

Usage:
  npm run plan -- --stack <stack> [--json]
  npm run plan:update          rewrite ${PLANS_DIR}/<stack>.json for every Pulumi.<stack>.yaml`;

async function main(argv: readonly string[]): Promise<number> {
    const root = path.resolve(__dirname, "..", "..");
    const program = path.join(root, "index.ts");
    const files = stackFilePaths(root);
    if (argv[0] === "--update" && argv.length === 1) {
        const runtime = await MockRuntime.create(projectName(root), "plan", "unknown");
        fs.mkdirSync(path.join(root, PLANS_DIR), { recursive: true });
        for (const [stack, file] of Object.entries(files)) {
            const plan = await planStack(runtime, program, readStackFile(file));
            fs.writeFileSync(path.join(root, PLANS_DIR, `${stack}.json`), renderJson(plan));
            console.log(`wrote ${PLANS_DIR}/${stack}.json`);
        }
        return 0;
    }
    const stackIndex = argv.indexOf("--stack");
    const stack = stackIndex >= 0 ? argv[stackIndex + 1] : undefined;
    const json = argv.includes("--json");
    const known = new Set(["--stack", "--json", stack]);
    if (!stack || argv.some((arg) => !known.has(arg))) {
        console.error(USAGE);
        return 2;
    }
    if (!files[stack]) {
        console.error(`There is no Pulumi.${stack}.yaml; stacks: ${Object.keys(files).join(", ")}`);
        return 2;
    }
    const runtime = await MockRuntime.create(projectName(root), stack, "unknown");
    const plan = await planStack(runtime, program, readStackFile(files[stack]));
    process.stdout.write(json ? renderJson(plan) : renderText(plan));
    return 0;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (status) => (process.exitCode = status),
        (error: Error) => {
            console.error(error.message);
            process.exitCode = 1;
        },
    );
}
