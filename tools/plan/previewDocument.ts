/**
 * The reader of `pulumi preview --json` documents: strict parsing of the document and of each
 * step, and what each step does to its resource in the cloud. It knows nothing of users or
 * acceptances (those rules are in impact.ts); `check:preview` and `check:drift` both read
 * previews through it.
 *
 * The shape is Pulumi's (pulumi/pulumi at v3.259.0, the CLI `.pulumi.version` pins):
 * - the document is `display.PreviewDigest` (pkg/display/json.go), filled by `ShowPreviewDigest`
 *   (pkg/backend/display/json.go): `config`, `steps`, `diagnostics`, `duration`, `changeSummary`,
 *   `maybeCorrupt`;
 * - a step is `display.PreviewStep`: `op`, `urn`, `provider`, `oldState`, `newState`,
 *   `diffReasons`, `replaceReasons`, `detailedDiff`;
 * - a state is `apitype.ResourceV3` (sdk/go/common/apitype/core.go), serialized by
 *   `stack.SerializeResource`, where a value not known until apply is the string
 *   {@link UNKNOWN_VALUE} (pkg/resource/stack/deployment.go, `computedValuePlaceholder`).
 *
 * Anything else fails: an op not in {@link STEP_OPS}, a field of the wrong type, a URN of another
 * stack or project, a state whose type is not its URN's, a document with an error diagnostic or
 * `maybeCorrupt`, a file nested deeper than `MAX_JSON_DEPTH` (inputFiles.ts), and a replacement
 * whose companion steps are missing (made without `--show-replacement-steps`, which hides the
 * deletion of a resource left pending by an earlier failed replacement).
 */
import { PREVIEW_LIMIT, parseJson, readInputFile } from "./inputFiles";

/**
 * What Pulumi's JSON carries for a value that is not known until apply, such as the id of a
 * resource still to be created (pulumi/pulumi pkg/resource/stack/deployment.go,
 * `computedValuePlaceholder`; the same UUID as `plugin.UnknownStringValue` in
 * sdk/go/common/resource/plugin/rpc.go). It is never an id.
 */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** How an unknown value is shown to people. */
export const UNKNOWN_SHOWN = "(unknown until apply)";

/** Whether a value from a preview is Pulumi's unknown-value placeholder. */
export function isUnknownValue(value: unknown): boolean {
    return value === UNKNOWN_VALUE;
}

/** What a step does to its resource in the cloud. */
export type StepEffect =
    /** Nothing is deleted: the resource stays, or is created, updated, read or forgotten. */
    | "keeps"
    /** The resource is replaced by a new one: the old one is deleted (or released). */
    | "replaces"
    /** The resource is deleted. */
    | "deletes"
    /** Deletes the old resource of a replacement; without a replacement step for the same URN, a plain delete. */
    | "deletes-replaced"
    /** An engine-internal step that `--json` never prints: seeing one means the shape changed. */
    | "never-printed";

/** One op of Pulumi's engine: what it does, and where that is decided. */
export interface OpMeaning {
    readonly effect: StepEffect;
    /** What the op does, in a few words, from pulumi/pulumi pkg/resource/deploy/step.go. */
    readonly meaning: string;
}

/**
 * Every step op of Pulumi's engine (`Op*` and `StepOps` in pulumi/pulumi
 * pkg/resource/deploy/step.go, v3.259.0) and what it does to the resource.
 */
export const STEP_OPS: Readonly<Record<string, OpMeaning>> = {
    same: { effect: "keeps", meaning: "nothing to do" },
    create: { effect: "keeps", meaning: "creates a new resource" },
    update: { effect: "keeps", meaning: "updates the resource in place" },
    delete: { effect: "deletes", meaning: "deletes the resource" },
    replace: { effect: "replaces", meaning: "the logical step of a replacement: a new resource replaces the old one" },
    "create-replacement": { effect: "replaces", meaning: "creates the new resource of a replacement" },
    "delete-replaced": {
        effect: "deletes-replaced",
        meaning: "deletes the old resource of a replacement, or one an earlier failed replacement left pending deletion",
    },
    read: { effect: "keeps", meaning: "reads a resource Pulumi does not manage" },
    "read-replacement": { effect: "replaces", meaning: "a managed resource is replaced by a read one, and the old one is deleted" },
    refresh: { effect: "keeps", meaning: "refreshes the state from the cloud (a refresh that finds it gone is printed as delete)" },
    // DeleteStep.Op: an External (read) resource is discarded, never deleted: Pulumi does not own it.
    discard: { effect: "keeps", meaning: "forgets a read resource; nothing is deleted" },
    "discard-replaced": { effect: "keeps", meaning: "forgets a read resource that was replaced; nothing is deleted" },
    import: { effect: "keeps", meaning: "adopts an existing resource" },
    "import-replacement": { effect: "replaces", meaning: "replaces a managed resource with an imported one; the old one is deleted" },
    // Internal steps: the step executor never reports a DiffStep (pkg/resource/deploy/step_executor.go), and
    // isInternalStep (pkg/engine/update.go) marks these two, whose events ShowEvents filters out
    // (pkg/backend/display/display.go).
    diff: { effect: "never-printed", meaning: "computes a diff in parallel; internal to the step executor" },
    "remove-pending-replace": { effect: "never-printed", meaning: "forgets a resource a delete-before-replace already deleted; internal" },
    "extend-parameterize": { effect: "never-printed", meaning: "parameterizes a provider; internal, with no resource" },
};

/** The ops that make a replacement: each `replace` step comes with one of them (pkg/resource/deploy/step_generator.go). */
const REPLACEMENT_COMPANIONS: ReadonlySet<string> = new Set(["create-replacement", "import-replacement", "read-replacement"]);

/** A preview failed to read: malformed, of another stack, of an unknown shape. Exit status 1. */
export class PreviewError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PreviewError";
    }
}

/** The parts of a URN: `urn:pulumi:<stack>::<project>::<qualified type>::<name>`. */
export interface UrnParts {
    readonly stack: string;
    readonly project: string;
    /** The type with its parents' types, joined by `$`. */
    readonly qualifiedType: string;
    /** The resource's own type, such as `aws:cognito/user:User`. */
    readonly type: string;
    /** The logical name, which may itself hold `::`. */
    readonly name: string;
}

/** A URN's parts; `undefined` when it is not a Pulumi URN. */
export function parseUrn(urn: string): UrnParts | undefined {
    const match = /^urn:pulumi:([^:]*)::([^:]+)::([^:]+(?::[^:]+)*?)::(.+)$/s.exec(urn);
    if (!match) return undefined;
    const [, stack, project, qualifiedType, name] = match;
    const type = qualifiedType.slice(qualifiedType.lastIndexOf("$") + 1);
    if (stack === "" || !/^[^:$]+:[^:$]*:[^:$]+$/.test(type)) return undefined;
    return { stack, project, qualifiedType, type, name };
}

/** A resource's state in a step (the parts of `apitype.ResourceV3` read here). */
export interface PreviewState {
    readonly urn: string;
    readonly type: string;
    readonly custom: boolean;
    readonly id?: string;
    readonly inputs: Readonly<Record<string, unknown>>;
    readonly outputs: Readonly<Record<string, unknown>>;
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    readonly external: boolean;
    /** Marked for deletion: the old resource of a replacement not yet deleted. */
    readonly delete: boolean;
    /** Deleted by a delete-before-replace, not yet created again. */
    readonly pendingReplacement: boolean;
    /** The `replacementTrigger` option's value, when set. */
    readonly replacementTrigger?: unknown;
}

/** One step of the preview, checked. */
export interface PreviewStep {
    readonly op: string;
    readonly urn: string;
    /** The resource's type, from its URN (and the same in its states). */
    readonly type: string;
    /** The logical name, from its URN. */
    readonly name: string;
    readonly provider?: string;
    readonly oldState?: PreviewState;
    readonly newState?: PreviewState;
    readonly diffReasons: readonly string[];
    readonly replaceReasons: readonly string[];
    /**
     * The provider's diff by property path (such as `passwordPolicy.minimumLength` or
     * `explicitAuthFlows[2]`); `undefined` where the step has none (`"detailedDiff": null`).
     */
    readonly detailedDiff?: Readonly<Record<string, PropertyDiff>>;
}

/**
 * How a property differs (`plugin.DiffKind.String()`, sdk/go/common/resource/plugin/provider.go):
 * `add` (the planned state has it, the old one not), `delete` (the old state has it, the planned
 * one not), `update`, each also as `*-replace` when the change forces a new resource.
 */
export const DIFF_KINDS = ["add", "add-replace", "delete", "delete-replace", "update", "update-replace"] as const;

/** One of {@link DIFF_KINDS}. */
export type DiffKind = (typeof DIFF_KINDS)[number];

/** One entry of a step's `detailedDiff` (`display.PropertyDiff`, pkg/display/json.go: `kind`, `inputDiff`). */
export interface PropertyDiff {
    readonly kind: DiffKind;
    /** The provider compared the inputs rather than the state; the bridged AWS provider never sets it. */
    readonly inputDiff: boolean;
}

/** A checked preview: its steps in order, and its `changeSummary`. */
export interface PreviewDocument {
    readonly steps: readonly PreviewStep[];
    readonly changeSummary: Readonly<Record<string, number>>;
}

/** The stack and project every URN of a preview must belong to. */
export interface PreviewScope {
    /** The stack's name, as in its URNs (without an organization). */
    readonly stack: string;
    /** The project's name, from Pulumi.yaml. */
    readonly project: string;
}

const DOCUMENT_KEYS = new Set(["config", "steps", "diagnostics", "duration", "changeSummary", "maybeCorrupt"]);
const STEP_KEYS = new Set(["op", "urn", "provider", "oldState", "newState", "diffReasons", "replaceReasons", "detailedDiff"]);
const STATE_FLAGS = ["custom", "protect", "retainOnDelete", "external", "delete", "pendingReplacement", "taint"] as const;

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
    if (value === null || value === undefined) return String(value);
    if (Array.isArray(value)) return "a list";
    return typeof value === "object" ? "an object" : `${typeof value} ${JSON.stringify(value)?.slice(0, 80)}`;
}

/**
 * Checks a parsed `pulumi preview --json` document and returns its steps. Throws a
 * {@link PreviewError} naming the first problem: see the module's comment for what fails.
 */
export function parsePreviewDocument(value: unknown, scope: PreviewScope): PreviewDocument {
    if (!isObject(value)) throw new PreviewError(`is not pulumi preview --json output: the document is ${describe(value)}, not an object`);
    for (const key of Object.keys(value)) {
        if (!DOCUMENT_KEYS.has(key)) throw new PreviewError(`has a field this checker does not know, ${JSON.stringify(key)}: Pulumi's JSON has changed; read pkg/display/json.go and update tools/plan/previewDocument.ts`);
    }
    if (!Array.isArray(value.steps)) throw new PreviewError("is not pulumi preview --json output: it has no steps list");
    if (value.maybeCorrupt !== undefined && value.maybeCorrupt !== false) {
        throw new PreviewError(`says maybeCorrupt: ${JSON.stringify(value.maybeCorrupt)}: the stack's state may be corrupt, so the preview cannot be trusted`);
    }
    checkDiagnostics(value.diagnostics);
    const changeSummary = value.changeSummary ?? {};
    if (!isObject(changeSummary) || Object.values(changeSummary).some((n) => typeof n !== "number")) {
        throw new PreviewError(`has a changeSummary that is not a map of counts (${describe(changeSummary)})`);
    }
    const steps = value.steps.map((step, index) => parseStep(step, index, scope));
    checkReplacementsComplete(steps);
    return { steps, changeSummary: changeSummary as Record<string, number> };
}

/** A preview that reports an error is incomplete: its steps stop where the program or the engine failed. */
function checkDiagnostics(diagnostics: unknown): void {
    if (diagnostics === undefined) return;
    if (!Array.isArray(diagnostics)) throw new PreviewError(`has diagnostics that are not a list (${describe(diagnostics)})`);
    for (const diagnostic of diagnostics) {
        if (!isObject(diagnostic) || typeof diagnostic.severity !== "string") throw new PreviewError(`has a diagnostic without a severity (${describe(diagnostic)})`);
        if (diagnostic.severity === "error") {
            const message = typeof diagnostic.message === "string" ? diagnostic.message.trim().split("\n")[0] : "";
            throw new PreviewError(`reports an error, so its steps are incomplete: ${message.slice(0, 300)}`);
        }
    }
}

function checkUrn(urn: string, scope: PreviewScope, where: string): UrnParts {
    const parts = parseUrn(urn);
    if (!parts) throw new PreviewError(`${where}: ${JSON.stringify(urn)} is not a Pulumi URN (urn:pulumi:<stack>::<project>::<type>::<name>)`);
    if (parts.stack !== scope.stack || parts.project !== scope.project) {
        throw new PreviewError(
            `${where}: ${urn} is of stack ${parts.stack} in project ${parts.project}, not of stack ${scope.stack} in project ${scope.project}: is this the preview of another stack?`,
        );
    }
    return parts;
}

function stringList(value: unknown, where: string): string[] {
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) throw new PreviewError(`${where}: is not a list of texts (${describe(value)})`);
    return value as string[];
}

function parseStep(raw: unknown, index: number, scope: PreviewScope): PreviewStep {
    let where = `step ${index}`;
    if (!isObject(raw)) throw new PreviewError(`${where}: is ${describe(raw)}, not an object`);
    if (typeof raw.urn !== "string") throw new PreviewError(`${where}: has no urn (${describe(raw.urn)})`);
    where = `step ${index} (${raw.urn})`;
    for (const key of Object.keys(raw)) {
        if (!STEP_KEYS.has(key)) throw new PreviewError(`${where}: has a field this checker does not know, ${JSON.stringify(key)}: Pulumi's JSON has changed; update tools/plan/previewDocument.ts`);
    }
    if (typeof raw.op !== "string") throw new PreviewError(`${where}: has no op (${describe(raw.op)})`);
    const meaning = Object.prototype.hasOwnProperty.call(STEP_OPS, raw.op) ? STEP_OPS[raw.op] : undefined;
    if (!meaning) throw new PreviewError(`${where}: has the op ${JSON.stringify(raw.op)}, which this checker does not know, so it cannot say what it does to ${raw.urn}`);
    if (meaning.effect === "never-printed") throw new PreviewError(`${where}: has the op ${raw.op}, which Pulumi never prints in a preview (${meaning.meaning})`);
    const urn = checkUrn(raw.urn, scope, where);
    if (raw.provider !== undefined && typeof raw.provider !== "string") throw new PreviewError(`${where}: provider is ${describe(raw.provider)}, not text`);
    const detailedDiff = parseDetailedDiff(raw.detailedDiff, where);
    const oldState = raw.oldState === undefined ? undefined : parseState(raw.oldState, `${where} oldState`, urn, scope);
    const newState = raw.newState === undefined ? undefined : parseState(raw.newState, `${where} newState`, urn, scope);
    if ((raw.op === "discard" || raw.op === "discard-replaced") && oldState?.external !== true) {
        throw new PreviewError(`${where}: is a ${raw.op} of a resource Pulumi manages (its oldState is not external): only a read resource is discarded`);
    }
    return {
        op: raw.op,
        urn: raw.urn,
        type: urn.type,
        name: urn.name,
        ...(raw.provider === undefined ? {} : { provider: raw.provider as string }),
        ...(oldState ? { oldState } : {}),
        ...(newState ? { newState } : {}),
        diffReasons: stringList(raw.diffReasons, `${where} diffReasons`),
        replaceReasons: stringList(raw.replaceReasons, `${where} replaceReasons`),
        ...(detailedDiff ? { detailedDiff } : {}),
    };
}

const PROPERTY_DIFF_KEYS = new Set(["kind", "inputDiff"]);

/** A step's `detailedDiff`: absent or `null`, or a map of {@link PropertyDiff} by property path. */
function parseDetailedDiff(raw: unknown, where: string): Record<string, PropertyDiff> | undefined {
    if (raw === undefined || raw === null) return undefined;
    if (!isObject(raw)) throw new PreviewError(`${where}: detailedDiff is ${describe(raw)}, not an object`);
    const diffs: Record<string, PropertyDiff> = {};
    for (const [path, diff] of Object.entries(raw)) {
        const at = `${where} detailedDiff ${JSON.stringify(path)}`;
        if (!isObject(diff)) throw new PreviewError(`${at}: is ${describe(diff)}, not an object`);
        const unknown = Object.keys(diff).find((key) => !PROPERTY_DIFF_KEYS.has(key));
        if (unknown !== undefined) {
            throw new PreviewError(`${at}: has a field this checker does not know, ${JSON.stringify(unknown)} (the digest's PropertyDiff has kind and inputDiff): Pulumi's JSON has changed; update tools/plan/previewDocument.ts`);
        }
        if (!(DIFF_KINDS as readonly unknown[]).includes(diff.kind)) throw new PreviewError(`${at}: kind is ${describe(diff.kind)}, not one of ${DIFF_KINDS.join(", ")}`);
        if (typeof diff.inputDiff !== "boolean") throw new PreviewError(`${at}: inputDiff is ${describe(diff.inputDiff)}, not true or false`);
        Object.defineProperty(diffs, path, { value: { kind: diff.kind as DiffKind, inputDiff: diff.inputDiff }, enumerable: true });
    }
    return diffs;
}

function parseState(raw: unknown, where: string, step: UrnParts, scope: PreviewScope): PreviewState {
    if (!isObject(raw)) throw new PreviewError(`${where}: is ${describe(raw)}, not an object`);
    if (typeof raw.urn !== "string") throw new PreviewError(`${where}: has no urn (${describe(raw.urn)})`);
    if (typeof raw.type !== "string") throw new PreviewError(`${where}: has no type (${describe(raw.type)})`);
    const urn = checkUrn(raw.urn, scope, where);
    if (raw.type !== urn.type || raw.type !== step.type) {
        throw new PreviewError(`${where}: its type ${raw.type} does not match the type of its URN (${urn.type}) and of the step's (${step.type})`);
    }
    for (const flag of STATE_FLAGS) {
        if (raw[flag] !== undefined && typeof raw[flag] !== "boolean") throw new PreviewError(`${where}: ${flag} is ${describe(raw[flag])}, not true or false`);
    }
    if (typeof raw.custom !== "boolean") throw new PreviewError(`${where}: has no custom flag (${describe(raw.custom)})`);
    for (const map of ["inputs", "outputs"] as const) {
        if (raw[map] !== undefined && !isObject(raw[map])) throw new PreviewError(`${where}: ${map} is ${describe(raw[map])}, not an object`);
    }
    if (raw.id !== undefined && typeof raw.id !== "string") throw new PreviewError(`${where}: id is ${describe(raw.id)}, not text`);
    return {
        urn: raw.urn,
        type: raw.type,
        custom: raw.custom,
        ...(raw.id === undefined ? {} : { id: raw.id as string }),
        inputs: (raw.inputs as Record<string, unknown> | undefined) ?? {},
        outputs: (raw.outputs as Record<string, unknown> | undefined) ?? {},
        protect: raw.protect === true,
        retainOnDelete: raw.retainOnDelete === true,
        external: raw.external === true,
        delete: raw.delete === true,
        pendingReplacement: raw.pendingReplacement === true,
        ...(raw.replacementTrigger === undefined ? {} : { replacementTrigger: raw.replacementTrigger }),
    };
}

/**
 * Every `replace` step comes with a `create-replacement`, `import-replacement` or
 * `read-replacement` step for its URN. `pulumi preview --json` leaves those out unless given
 * `--show-replacement-steps` (shouldShow in pkg/backend/display/display.go), and with them the
 * `delete-replaced` of a resource an earlier failed replacement left pending: a preview made
 * without the flag cannot show that deletion, so it is refused wherever that can be seen.
 */
function checkReplacementsComplete(steps: readonly PreviewStep[]): void {
    const companions = new Set(steps.filter((step) => REPLACEMENT_COMPANIONS.has(step.op)).map((step) => step.urn));
    const lone = steps.find((step) => step.op === "replace" && !companions.has(step.urn));
    if (lone) {
        throw new PreviewError(
            `replaces ${lone.urn} but has none of its create-replacement steps: it was made without --show-replacement-steps, ` +
                "which also hides the deletion of a resource left pending by an earlier failed replacement. " +
                "Run pulumi preview --json --show-replacement-steps",
        );
    }
}

/** Reads and checks a `pulumi preview --json` file (at most {@link PREVIEW_LIMIT} bytes); problems name the file. */
export function readPreviewFile(file: string, scope: PreviewScope): PreviewDocument {
    const text = readInputFile(file, PREVIEW_LIMIT);
    try {
        return parsePreviewDocument(parseJson(text, file), scope);
    } catch (error) {
        if (error instanceof PreviewError) throw new PreviewError(`${file} ${error.message}`);
        throw error;
    }
}

/** The worst a URN's steps do to it: `keeps` < `replaces` < `deletes`. */
export type ResourceEffect = "keeps" | "replaces" | "deletes";

const RANK: Readonly<Record<ResourceEffect, number>> = { keeps: 0, replaces: 1, deletes: 2 };

/** All the steps of one URN, and the worst of what they do to it. */
export interface ResourceChange {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly effect: ResourceEffect;
    /** Its steps, in the preview's order. */
    readonly steps: readonly PreviewStep[];
}

/**
 * The change to each resource, one per URN in the order of its first step: the worst of its
 * steps, in any order. A `delete-replaced` counts as part of a replacement only when the same URN
 * has a replacement step; alone (or after a `same` or an `update`), it deletes.
 */
export function resourceChanges(document: PreviewDocument): ResourceChange[] {
    const byUrn = new Map<string, PreviewStep[]>();
    for (const step of document.steps) {
        const steps = byUrn.get(step.urn) ?? [];
        steps.push(step);
        byUrn.set(step.urn, steps);
    }
    return [...byUrn.entries()].map(([urn, steps]) => {
        const replaced = steps.some((step) => STEP_OPS[step.op].effect === "replaces");
        const effect = steps
            .map((step): ResourceEffect => {
                const { effect: stepEffect } = STEP_OPS[step.op];
                if (stepEffect === "deletes-replaced") return replaced ? "replaces" : "deletes";
                return stepEffect === "keeps" || stepEffect === "replaces" || stepEffect === "deletes" ? stepEffect : "deletes";
            })
            .reduce((worst, next) => (RANK[next] > RANK[worst] ? next : worst), "keeps" as ResourceEffect);
        return { urn, type: steps[0].type, name: steps[0].name, effect, steps };
    });
}
