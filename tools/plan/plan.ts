import { MockRuntime, Registration, isWireSecret, valueOf } from "../mock/mockRuntime";
import { ENCRYPTED_STAND_IN, StackFile, configText, withPlaceholders } from "../mock/stackFile";
import { FORCE_NEW, REGION_INPUT, UPDATED_IN_PLACE, takesProviderRegion } from "./forceNew";
import { TYPE_TOKENS } from "../../deploy/components/typeTokens";

/** How a secret, or an encrypted config value, shows in a plan. */
export const SECRET = "[secret]";

/** What every plan says about itself. */
export const PLAN_NOTE =
    "Offline plan: the resources this program declares for the stack and their declared inputs, " +
    "from Pulumi's mock runtime, with no cloud access and no Pulumi CLI. It is not `pulumi preview`: " +
    "it does not compare with what is deployed, and values AWS computes show as [unknown: ...]. " +
    "Secrets, and `secure:` config values that only the Pulumi CLI can decrypt, show as [secret]; " +
    "an encrypted adminTemporaryPassword is checked against the password policy only by `pulumi preview`. " +
    "An AWS resource that sets no region shows the one the AWS provider plans for it, aws:region.";

/** The region of an AWS resource whose stack sets no `aws:region`: the provider's comes from the environment, unknown here. */
export const REGION_FROM_ENVIRONMENT = "[unknown: aws:region is not set; the AWS provider takes AWS_REGION, AWS_DEFAULT_REGION or the profile's]";

/** The type token of the stack itself, the root of every resource tree. */
export const STACK_TYPE = TYPE_TOKENS.stack;

/** One declared resource. */
export interface PlannedResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** The parent's name; `null` only for the stack itself, which is the root. */
    readonly parent: string | null;
    /** The resource options that matter for review, each shown only when set; `dependsOn` is the explicit one. */
    readonly options: Readonly<Record<string, unknown>>;
    /** The resources each input takes values from, by input name: the dependencies that come from inputs. */
    readonly inputDependencies?: Readonly<Record<string, readonly string[]>>;
    readonly inputs: Readonly<Record<string, unknown>>;
}

/** What a stack declares, ready to print. */
export interface Plan {
    readonly note: string;
    readonly project: string;
    readonly stack: string;
    /** The stack, then every resource, in the order the program registers them (as `pulumi preview` lists them). */
    readonly resources: readonly PlannedResource[];
    /** The stack outputs: values the program knows, [unknown: ...] or [secret]. */
    readonly outputs: Readonly<Record<string, unknown>>;
}

/** The stack resource at the root of a plan, as the Pulumi engine names it. */
export function stackResource(project: string, stack: string): PlannedResource {
    const name = `${project}-${stack}`;
    return { urn: `urn:pulumi:${stack}::${project}::${STACK_TYPE}::${name}`, type: STACK_TYPE, name, parent: null, options: {}, inputs: {} };
}

/** Runs the program for one stack file under the mocks and collects its plan. */
export async function planStack(runtime: MockRuntime, programPath: string, file: StackFile): Promise<Plan> {
    await runtime.useStack(file.stack, "unknown");
    const secretKeys = [...file.secretKeys, ...file.encryptedKeys];
    const values = { ...file.values };
    for (const [key, value] of Object.entries(file.encrypted)) {
        values[key] = configText(withPlaceholders(value, ENCRYPTED_STAND_IN));
    }
    const run = await runtime.runProgram(programPath, { values, secretKeys });
    const root = stackResource(runtime.project, file.stack);
    const names = new Map(run.registrations.map((r) => [r.urn, r.name]));
    const region = values["aws:region"] ?? REGION_FROM_ENVIRONMENT;
    const resources = [
        root,
        ...run.registrations.map((registration) => plannedResource(withProviderRegion(checkedType(registration), region), names, root.name)),
    ];
    const { sdk } = runtime;
    const outputs: Record<string, unknown> = {};
    for (const [name, output] of Object.entries(run.exports).sort(([a], [b]) => a.localeCompare(b))) {
        if (output === undefined) continue;
        const input = sdk.output(output);
        outputs[name] = (await sdk.isSecret(input)) ? SECRET : redact(await valueOf(input));
    }
    return { note: PLAN_NOTE, project: runtime.project, stack: file.stack, resources, outputs };
}

/**
 * A custom resource whose type the force-new table does not know could be replaced by a change
 * the diff would call an update: the plan stops instead, naming it.
 */
function checkedType(registration: Registration): Registration {
    if (registration.custom && FORCE_NEW[registration.type] === undefined && !UPDATED_IN_PLACE.includes(registration.type)) {
        throw new Error(
            `${registration.name} is of type ${registration.type}, which the force-new table (tools/plan/forceNew.ts) does not know: ` +
                "add which of its inputs replace it, from its provider's ForceNew and RequiresReplace markers",
        );
    }
    return registration;
}

/**
 * A registration with the region its provider plans for it: its own `region` input, or else the
 * provider's (`aws:region`), as the AWS provider sets it in every plan (see forceNew.ts). A new
 * `aws:region` then shows as what it is: every AWS resource replaced.
 */
function withProviderRegion(registration: Registration, region: string): Registration {
    if (!takesProviderRegion(registration.type) || registration.inputs[REGION_INPUT] !== undefined) return registration;
    return { ...registration, inputs: { ...registration.inputs, [REGION_INPUT]: region } };
}

function plannedResource(registration: Registration, names: ReadonlyMap<string, string>, rootName: string): PlannedResource {
    const nameOf = (urn: string) => names.get(urn) ?? urn;
    const options: Record<string, unknown> = {};
    if (registration.protect) options.protect = true;
    if (registration.retainOnDelete) options.retainOnDelete = true;
    if (registration.deleteBeforeReplace !== undefined) options.deleteBeforeReplace = registration.deleteBeforeReplace;
    if (registration.importId) options.import = registration.importId;
    if (registration.ignoreChanges.length > 0) options.ignoreChanges = [...registration.ignoreChanges].sort();
    if (registration.replaceOnChanges.length > 0) options.replaceOnChanges = [...registration.replaceOnChanges].sort();
    if (registration.replacementTrigger !== undefined) options.replacementTrigger = registration.replacementTrigger;
    const fromInputs = new Set(Object.values(registration.propertyDependencies).flat());
    const dependsOn = registration.dependencies.filter((urn) => !fromInputs.has(urn)).map(nameOf).sort();
    if (dependsOn.length > 0) options.dependsOn = dependsOn;
    const inputDependencies = Object.fromEntries(
        Object.entries(registration.propertyDependencies)
            .filter(([, urns]) => urns.length > 0)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([input, urns]) => [input, urns.map(nameOf).sort()]),
    );
    return {
        urn: registration.urn,
        type: registration.type,
        name: registration.name,
        parent: registration.parent ? nameOf(registration.parent) : rootName,
        options,
        ...(Object.keys(inputDependencies).length > 0 ? { inputDependencies } : {}),
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

/** The mark and word `pulumi preview` shows for each op. */
const OP_MARKS: Readonly<Record<string, string>> = { create: "+", update: "~", replace: "+-", delete: "-", same: " " };

/** One row of the resource tree: a resource, its op, and a note. */
export interface TreeRow {
    readonly resource: PlannedResource;
    readonly op: string;
    readonly info: string;
}

/**
 * The resources as `pulumi preview` draws them: a tree under the stack, in registration order,
 * each with its op's mark (`+`, `~`, `+-`, `-`) and a Plan column.
 */
export function renderTree(rows: readonly TreeRow[]): string[] {
    const byParent = new Map<string | null, TreeRow[]>();
    for (const row of rows) {
        const siblings = byParent.get(row.resource.parent) ?? [];
        siblings.push(row);
        byParent.set(row.resource.parent, siblings);
    }
    const drawn: { row: TreeRow; type: string }[] = [];
    const walk = (parent: string | null, indent: string, depth: number) => {
        const list = byParent.get(parent) ?? [];
        list.forEach((row, index) => {
            const last = index === list.length - 1;
            const branch = depth === 0 ? "" : `${indent}${last ? "└─ " : "├─ "}`;
            drawn.push({ row, type: `${branch}${row.resource.type}` });
            walk(row.resource.name, depth === 0 ? "" : indent + (last ? "   " : "│  "), depth + 1);
        });
    };
    walk(null, "", 0);
    const typeWidth = Math.max(4, ...drawn.map((d) => [...d.type].length)) + 2;
    const nameWidth = Math.max(4, ...drawn.map((d) => d.row.resource.name.length)) + 2;
    const pad = (text: string, width: number) => text + " ".repeat(Math.max(0, width - [...text].length));
    return [
        `     ${pad("Type", typeWidth)}${pad("Name", nameWidth)}${pad("Plan", 10)}Info`,
        ...drawn.map(({ row, type }) =>
            ` ${pad(OP_MARKS[row.op] ?? " ", 4)}${pad(type, typeWidth)}${pad(row.resource.name, nameWidth)}${pad(row.op === "same" ? "" : row.op, 10)}${row.info}`.trimEnd(),
        ),
    ];
}

/** `Resources:` and one line per op, the way `pulumi preview` ends. */
export function renderSummary(counts: Readonly<Record<string, number>>): string[] {
    const words: [string, string][] = [
        ["create", "to create"],
        ["update", "to update"],
        ["replace", "to replace"],
        ["delete", "to delete"],
    ];
    const lines = ["Resources:"];
    for (const [op, text] of words) {
        if (counts[op]) lines.push(`    ${OP_MARKS[op]} ${counts[op]} ${text}`);
    }
    if (counts.same) lines.push(`    ${counts.same} unchanged`);
    return lines;
}

/** The options a resource shows in the tree's Info column. */
function optionMarks(resource: PlannedResource): string {
    const marks = ["protect", "retainOnDelete"].filter((option) => resource.options[option]);
    if (resource.options.import) marks.push(`import ${resource.options.import}`);
    return marks.length ? `[${marks.join(", ")}]` : "";
}

/** The plan as `pulumi preview` shows a new stack: the tree, then each resource's inputs, the outputs and the count. */
export function renderText(plan: Plan): string {
    const lines = [
        `Offline plan for stack ${plan.stack} (project ${plan.project})`,
        ...wrap(plan.note, 100).map((line) => `  ${line}`),
        "",
        ...renderTree(plan.resources.map((resource) => ({ resource, op: "create", info: optionMarks(resource) }))),
    ];
    for (const resource of plan.resources.filter((r) => r.type !== STACK_TYPE)) {
        const details = {
            ...resource.inputs,
            ...(Object.keys(resource.options).length ? { "(options)": resource.options } : {}),
            ...(resource.inputDependencies ? { "(inputs from)": resource.inputDependencies } : {}),
        };
        lines.push("", `${resource.name} (${resource.type})`, ...yamlLines(details, "    "));
    }
    lines.push("", "Outputs:", ...yamlLines(plan.outputs, "    "), "", ...renderSummary({ create: plan.resources.length }));
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
