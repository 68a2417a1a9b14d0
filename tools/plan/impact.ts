/**
 * Change impact: what a change does to each resource (`same`, `create`, `update`, `replace`,
 * `delete`), and above all whether it loses users. One model serves both sources: the offline
 * plan against a committed baseline plan, and a real `pulumi preview --json`.
 */
import { isDeepStrictEqual } from "util";
import { FORCE_NEW, REGION_INPUT, SET_INPUTS, USER_HOLDING_TYPES } from "./forceNew";
import type { Plan, PlannedResource } from "./plan";
import { PreviewDocument, UNKNOWN_SHOWN, isUnknownValue, resourceChanges } from "./previewDocument";

/** What happens to one resource. */
export type Op = "same" | "create" | "update" | "replace" | "delete";

/** The resource options a step reports when they change. */
const TRACKED_OPTIONS = ["protect", "retainOnDelete", "import", "ignoreChanges", "deleteBeforeReplace", "replaceOnChanges", "replacementTrigger"] as const;

/** One resource's step, in the shape of a `pulumi preview --json` step where it can be. */
export interface Step {
    readonly op: Op;
    readonly urn: string;
    readonly type: string;
    /** The logical name, the last part of the URN. */
    readonly name: string;
    /** The top-level inputs that change (`pulumi preview`'s `diffReasons`). */
    readonly diffs: readonly string[];
    /** The inputs that force the replacement, as paths (`usernameConfiguration.caseSensitive`). */
    readonly replaceReasons: readonly string[];
    /** Resource options that change, such as `protect`, with their old and new values. */
    readonly optionChanges: Readonly<Record<string, { readonly from: unknown; readonly to: unknown }>>;
    /** The inputs before the change, when known. */
    readonly oldInputs?: Readonly<Record<string, unknown>>;
    /** The inputs after the change, when known. */
    readonly newInputs?: Readonly<Record<string, unknown>>;
    /** The options before the change (`protect`, `retainOnDelete`), when known. */
    readonly oldOptions?: Readonly<Record<string, unknown>>;
    /**
     * The user pool the resource was in before the change (a pool's is the pool itself): the pool's
     * id in a preview, its logical name in an offline plan (where no other resource of the baseline
     * has that name). Unset where the source does not say: a user whose pool is unknown follows no pool.
     */
    readonly pool?: string;
}

/** The value at a dotted path, or `undefined`. */
function valueAt(value: unknown, path: string): unknown {
    return path.split(".").reduce<unknown>((at, key) => (typeof at === "object" && at !== null ? (at as Record<string, unknown>)[key] : undefined), value);
}

/**
 * Two values of the input `key` of a `type` are the same, with sets compared without regard to
 * order. A region on one side only is no change: the AWS provider does not replace a resource
 * whose recorded region is empty and whose planned one is the provider's, or the other way round
 * (`forceNewIfRegionChanges`, see forceNew.ts), and a plan from before the region was modelled
 * has none.
 */
function sameValue(type: string, key: string, a: unknown, b: unknown): boolean {
    if (key === REGION_INPUT && (a === undefined || b === undefined)) return true;
    if (SET_INPUTS[type]?.includes(key) && Array.isArray(a) && Array.isArray(b)) {
        return isDeepStrictEqual(a.map(String).sort(), b.map(String).sort());
    }
    return isDeepStrictEqual(a, b);
}

/** The top-level inputs that differ, plus those that `renewed` resources feed (their values will change). */
function changedInputs(
    type: string,
    before: Readonly<Record<string, unknown>>,
    after: Readonly<Record<string, unknown>>,
    fedBy: Readonly<Record<string, readonly string[]>>,
    renewed: ReadonlySet<string>,
): string[] {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.filter((key) => !sameValue(type, key, before[key], after[key]) || fedBy[key]?.some((name) => renewed.has(name)));
}

/**
 * Of the changed inputs, the paths that force a new resource: the provider's force-new inputs of
 * `type`, and the resource's own `replaceOnChanges` option (`triggers[*]`, or `*` for any input).
 */
export function replaceReasonsOf(
    type: string,
    before: Readonly<Record<string, unknown>>,
    after: Readonly<Record<string, unknown>>,
    changed: readonly string[],
    replaceOnChanges?: readonly string[],
): string[] {
    const byOption = replaceOnChanges?.filter((path) => (path === "*" ? changed.length > 0 : changed.includes(path.split(/[.[]/)[0]))) ?? [];
    const forceNew = FORCE_NEW[type];
    if (forceNew === undefined) return byOption;
    if (forceNew === "every input") return [...changed];
    return forceNew
        .filter((path) => {
            const top = path.split(".")[0];
            if (!changed.includes(top)) return false;
            // Changed although equal in text: a replaced resource feeds it, so its value will change.
            const fedByRenewed = isDeepStrictEqual(before[top], after[top]);
            return fedByRenewed || !isDeepStrictEqual(valueAt(before, path), valueAt(after, path));
        })
        .concat(byOption);
}

/**
 * Whether a `replacementTrigger` going from `before` to `after` replaces its resource, as the
 * Pulumi engine decides (shouldTriggerReplace in pkg/resource/deploy/step_generator.go) for the
 * text labels this program sends: only when both are set and differ. Setting one the first time,
 * or removing it, replaces nothing. (The engine also replaces on an unknown value, which a label
 * from config never is.)
 */
export function triggersReplacement(before: unknown, after: unknown): boolean {
    return before !== undefined && after !== undefined && !isDeepStrictEqual(before, after);
}

function optionChanges(before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>): Step["optionChanges"] {
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const option of TRACKED_OPTIONS) {
        if (!isDeepStrictEqual(before[option], after[option])) changes[option] = { from: before[option], to: after[option] };
    }
    return changes;
}

/**
 * The steps that take `baseline` (a committed plan; `undefined` for a stack that has none) to
 * `current`, in `current`'s order, then the deletions. A resource fed by one that is replaced or
 * created anew sees those inputs change: a replaced pool replaces its app client and users.
 */
export function planSteps(baseline: Plan | undefined, current: Plan): Step[] {
    const before = new Map(baseline?.resources.map((r) => [r.urn, r]));
    const poolOf = plannedPools(baseline);
    const nowUrns = new Set(current.resources.map((r) => r.urn));
    const renewed = new Set<string>();
    const steps: Step[] = [];
    for (const resource of current.resources) {
        const old = before.get(resource.urn);
        if (!old) {
            renewed.add(resource.name);
            steps.push({ ...stepBase("create", resource), newInputs: resource.inputs });
            continue;
        }
        const diffs = changedInputs(resource.type, old.inputs, resource.inputs, resource.inputDependencies ?? {}, renewed);
        const replaceReasons = [
            ...replaceReasonsOf(resource.type, old.inputs, resource.inputs, diffs, resource.options.replaceOnChanges as string[] | undefined),
            ...(triggersReplacement(old.options.replacementTrigger, resource.options.replacementTrigger) ? ["replacementTrigger"] : []),
        ];
        const op: Op = replaceReasons.length > 0 ? "replace" : diffs.length > 0 ? "update" : "same";
        if (op === "replace") renewed.add(resource.name);
        steps.push({
            ...stepBase(op, resource),
            diffs,
            replaceReasons,
            optionChanges: optionChanges(old.options, resource.options),
            oldInputs: old.inputs,
            newInputs: resource.inputs,
            oldOptions: old.options,
            ...poolOf(old),
        });
    }
    for (const old of baseline?.resources ?? []) {
        if (!nowUrns.has(old.urn)) steps.push({ ...stepBase("delete", old), oldInputs: old.inputs, oldOptions: old.options, ...poolOf(old) });
    }
    return steps;
}

/**
 * A baseline resource's {@link Step.pool}, as a field to spread: a pool's own logical name, or the
 * one resource a user's userPoolId takes its value from; none where that name is not one
 * resource's alone in `baseline` (two of one name under different parents), since a plan's
 * dependencies name resources by logical name.
 */
function plannedPools(baseline: Plan | undefined): (old: PlannedResource) => { pool?: string } {
    const counts = new Map<string, number>();
    for (const resource of baseline?.resources ?? []) counts.set(resource.name, (counts.get(resource.name) ?? 0) + 1);
    return (old) => {
        const sources = old.type === USER_HOLDING_TYPES.userPool ? [old.name] : (old.inputDependencies?.userPoolId ?? []);
        return sources.length === 1 && counts.get(sources[0]) === 1 ? { pool: sources[0] } : {};
    };
}

function stepBase(op: Op, resource: PlannedResource): Step {
    return { op, urn: resource.urn, type: resource.type, name: resource.name, diffs: [], replaceReasons: [], optionChanges: {} };
}

/** The ops of a resource that an unchanged or updated resource can show in a preview, by precedence. */
const KEPT_OPS: readonly [string, Op][] = [
    ["update", "update"],
    ["create", "create"],
    ["import", "create"],
];

/**
 * The steps of a checked `pulumi preview --json` document, one per resource: each URN's op is
 * the worst that its steps do to it (see {@link resourceChanges}). A replacement's reasons are
 * the engine's, plus `replacementTrigger` where its trigger forced it (the engine names no input
 * then).
 */
export function previewSteps(document: PreviewDocument): Step[] {
    return resourceChanges(document).map((change) => {
        const { steps } = change;
        const op: Op =
            change.effect === "replaces"
                ? "replace"
                : change.effect === "deletes"
                  ? "delete"
                  : (KEPT_OPS.find(([previewOp]) => steps.some((step) => step.op === previewOp))?.[1] ?? "same");
        const oldState = steps.find((step) => step.oldState && step.op !== "same")?.oldState ?? steps.find((step) => step.oldState)?.oldState;
        const newState = steps.find((step) => step.newState)?.newState;
        const triggered = steps.some(
            (step) => step.op === "replace" && triggersReplacement(step.oldState?.replacementTrigger, step.newState?.replacementTrigger),
        );
        const unique = (lists: readonly (readonly string[])[]) => [...new Set(lists.flat())];
        const pool = change.type === USER_HOLDING_TYPES.userPool ? oldState?.id : oldState?.inputs.userPoolId;
        return {
            op,
            urn: change.urn,
            type: change.type,
            name: change.name,
            diffs: unique(steps.map((step) => step.diffReasons)),
            replaceReasons: op === "replace" ? unique([...steps.map((step) => step.replaceReasons), triggered ? ["replacementTrigger"] : []]) : [],
            optionChanges: {},
            oldInputs: oldState?.inputs,
            newInputs: newState?.inputs,
            oldOptions: oldState ? { protect: oldState.protect, retainOnDelete: oldState.retainOnDelete } : undefined,
            ...(typeof pool === "string" && !isUnknownValue(pool) ? { pool } : {}),
        };
    });
}

/** A change accepted on purpose, from `plans/accepted-changes.yaml`. */
export interface AcceptedChange {
    /** The stack. */
    readonly stack: string;
    /** The resource's logical name, such as `cognito-user-pool`. */
    readonly resource: string;
    /** `replace` or `delete`. */
    readonly op: "replace" | "delete";
    /** For a replacement, exactly its reasons: the top-level inputs that force it. */
    readonly reasons?: readonly string[];
    /** Why losing these users is intended: a reviewer reads it. */
    readonly why: string;
}

/** The `why` of an entry still to be written: the acceptance file refuses an entry that still holds it. */
export const WHY_PLACEHOLDER = "<why losing these users is intended>";

/** A step that loses users, in words, and whether it was accepted on purpose. */
export interface UserLoss {
    readonly step: Step;
    /** What is lost, and why, in one paragraph. */
    readonly what: string;
    /** The entry that accepts it, or `undefined`. */
    readonly acceptedBy?: AcceptedChange;
    /** A spent entry that matches it: it accepted an earlier change of this shape, and accepts nothing now. */
    readonly spentBy?: AcceptedChange;
    /** The entry that would accept it, to copy into the acceptance file (its `why` still to be written). */
    readonly acceptance: AcceptedChange;
}

/** A value as people read it: JSON, with Pulumi's unknown-value placeholder shown as {@link UNKNOWN_SHOWN}. */
export function shown(value: unknown): string {
    if (value === undefined) return "unset";
    if (isUnknownValue(value)) return UNKNOWN_SHOWN;
    return JSON.stringify(value, (_, item: unknown) => (isUnknownValue(item) ? UNKNOWN_SHOWN : item));
}

function describeChange(step: Step): string {
    const changes = step.replaceReasons.map((path) => {
        if (path === "replacementTrigger") return "its recreate label (replacementTrigger)";
        const from = valueAt(step.oldInputs, path);
        const to = valueAt(step.newInputs, path);
        if (isDeepStrictEqual(from, to)) return `${path} (whose source is replaced)`;
        return `${path} ${shown(from)} → ${shown(to)}`;
    });
    return changes.join(", ");
}

/** Whether a step is a user pool's. */
function isPoolStep(step: Step): boolean {
    return step.type === USER_HOLDING_TYPES.userPool;
}

/** The pool steps of `steps` by their {@link Step.pool} (`undefined` for those whose pool is unknown, which no user follows). */
function poolsBy(steps: readonly Step[]): Map<string | undefined, Step> {
    return new Map(steps.filter(isPoolStep).map((step) => [step.pool, step]));
}

/**
 * The pool step of `pools` (see {@link poolsBy}) that `step` follows: `step` is replaced only
 * because its pool is (forced by userPoolId alone; of the steps that lose users, only a user's can
 * be, as a pool has no userPoolId), and that pool, the one it was in ({@link Step.pool}), is in
 * `pools`. Its users are lost with it, replaced or deleted. `undefined` for any other step.
 */
function followedPool(step: Step, pools: ReadonlyMap<string | undefined, Step>): Step | undefined {
    const onlyForItsPool = step.replaceReasons.length === 1 && step.replaceReasons[0] === "userPoolId";
    return onlyForItsPool && step.pool !== undefined ? pools.get(step.pool) : undefined;
}

/**
 * The steps that would lose users, in their order: a replaced or deleted user pool (all of its
 * users and their TOTP enrolments), or a replaced or deleted user (that user and its enrolment).
 * `usable` are the entries that may accept a loss, each one loss, the pools' taken first; `spent`
 * those that accepted an earlier change (named on a loss they match, accepting nothing). A user
 * replaced only because its pool is replaced or deleted is covered by the acceptance of that pool,
 * the one it was in, wherever the steps list it, and by no other pool's.
 */
export function userLosses(steps: readonly Step[], stack: string, usable: readonly AcceptedChange[], spent: readonly AcceptedChange[] = []): UserLoss[] {
    const losing = steps.filter(
        (step): step is Step & { readonly op: AcceptedChange["op"] } =>
            (step.op === "replace" || step.op === "delete") && (isPoolStep(step) || step.type === USER_HOLDING_TYPES.user),
    );
    const acceptanceOf = (step: (typeof losing)[number]): AcceptedChange => ({
        stack,
        resource: step.name,
        op: step.op,
        ...(step.op === "replace" ? { reasons: topLevel(step.replaceReasons) } : {}),
        why: WHY_PLACEHOLDER,
    });
    // An entry accepts one loss: two resources of one name (a pool and a user, or two pools under
    // different parents) need an entry each. The pools take theirs first; then the users that no
    // accepted pool covers, so that a covered user takes no entry another user of its name needs.
    const entries = new Map<Step, AcceptedChange | undefined>();
    let unused = usable;
    const take = (step: (typeof losing)[number]) => {
        const acceptance = acceptanceOf(step);
        const match = unused.find((candidate) => acceptsChange(candidate, acceptance));
        unused = unused.filter((candidate) => candidate !== match);
        entries.set(step, match);
    };
    losing.filter(isPoolStep).forEach(take);
    const acceptedPools = poolsBy(losing.filter((step) => entries.get(step) !== undefined));
    losing.filter((step) => !isPoolStep(step) && !followedPool(step, acceptedPools)).forEach(take);
    return losing.map((step) => {
        const acceptance = acceptanceOf(step);
        const followed = followedPool(step, acceptedPools);
        const acceptedBy =
            entries.get(step) ??
            (followed ? { ...acceptance, why: `follows the accepted ${followed.op === "delete" ? "deletion" : "replacement"} of ${followed.name}` } : undefined);
        const spentBy = acceptedBy ? undefined : spent.find((entry) => acceptsChange(entry, acceptance));
        return { step, what: lossSentence(step, isPoolStep(step)), acceptedBy, ...(spentBy ? { spentBy } : {}), acceptance };
    });
}

/**
 * The top-level inputs of reasons, sorted and without repeats: `pulumi preview` names
 * `usernameConfiguration` where the offline diff names `usernameConfiguration.caseSensitive`, and
 * one acceptance must match both.
 */
function topLevel(reasons: readonly string[]): string[] {
    return [...new Set(reasons.map((reason) => reason.split(/[.[]/)[0]))].sort();
}

/** Whether `entry` is of the shape of `change`: the same stack, resource, op and top-level reasons. */
function acceptsChange(entry: AcceptedChange, change: AcceptedChange): boolean {
    return (
        entry.stack === change.stack &&
        entry.resource === change.resource &&
        entry.op === change.op &&
        isDeepStrictEqual(topLevel(entry.reasons ?? []), topLevel(change.reasons ?? []))
    );
}

/**
 * Whether two entries are the same entry: the same shape and the same `why` as read, compared in
 * Unicode's compatibility form (NFKC: a full-width letter is its letter) with each run of spaces
 * of any kind (a no-break space among them) as one space, so that no edit a reader cannot see
 * makes a spent entry new.
 */
export function sameEntry(a: AcceptedChange, b: AcceptedChange): boolean {
    const read = (why: string) => why.normalize("NFKC").replace(/\s+/gu, " ").trim();
    return acceptsChange(a, b) && read(a.why) === read(b.why);
}

function lossSentence(step: Step, isPool: boolean): string {
    const label = isPool
        ? `user pool ${step.name}${typeof step.oldInputs?.name === "string" ? ` (${step.oldInputs.name})` : ""}`
        : `user ${step.name}${typeof step.oldInputs?.username === "string" ? ` (${step.oldInputs.username})` : ""}`;
    const protect = step.oldOptions?.protect === true;
    const retained = step.oldOptions?.retainOnDelete === true;
    // Deletion protection matters only when Pulumi would call delete: not past protect or retainOnDelete.
    const guarded =
        isPool && !protect && !retained && step.oldInputs?.deletionProtection === "ACTIVE"
            ? step.op === "delete"
                ? " Its deletion protection is ACTIVE, so Cognito refuses the delete and `pulumi up` fails there."
                : " Its deletion protection is ACTIVE, so the delete half fails after the new pool exists, leaving the stack half-way."
            : "";
    const fate = protect
        ? " It is protected (protect), so `pulumi up` fails on it before anything is deleted."
        : retained
          ? " retainOnDelete is set, so the old one is left in AWS, unmanaged, instead of deleted."
          : "";
    if (step.op === "delete") {
        return isPool
            ? `${label} would be DELETED: every user in it, with every TOTP enrolment, is lost.${fate}${guarded}`
            : `${label} would be DELETED, with its TOTP enrolment.${fate}`;
    }
    const because = step.replaceReasons.length ? ` because ${describeChange(step)} forces a new one` : "";
    return isPool
        ? `${label} would be REPLACED${because}: a new, empty pool is created, and every user of the old pool, with every TOTP enrolment, is lost to the apps.${fate}${guarded}`
        : `${label} would be REPLACED${because}: the user is deleted and created again, with a new sub; its TOTP enrolment is lost and its first sign-in starts over.${fate}`;
}

/** The exit status when a change would lose users that no acceptance covers. */
export const EXIT_USERS_LOST = 3;

/** What is said of an entry that accepted an earlier change. */
export function spentNote(entry: AcceptedChange, acceptanceFile: string): string {
    const shape = `${entry.stack} ${entry.resource} ${entry.op}${entry.reasons ? ` [${entry.reasons.join(", ")}]` : ""}`;
    return `${acceptanceFile}: the entry for ${shape} (why: ${JSON.stringify(entry.why)}) accepted an earlier change; it accepts nothing now: remove it.`;
}

/**
 * The text that a reviewer cannot miss, for the losses; empty when there are none. An entry to
 * copy is dated `today` (YYYY-MM-DD, default the current date), so that its `why` is new, unlike
 * any spent entry's.
 */
export function userLossText(losses: readonly UserLoss[], acceptanceFile: string, today = new Date().toISOString().slice(0, 10)): string[] {
    if (losses.length === 0) return [];
    const open = losses.filter((loss) => !loss.acceptedBy);
    const lines = [
        "",
        open.length > 0
            ? "!!! THIS CHANGE WOULD LOSE USERS. Read every line below before you merge or run `pulumi up`. !!!"
            : "This change loses users, and every loss is accepted on purpose:",
    ];
    for (const loss of losses) {
        lines.push(`  - ${loss.what}`);
        if (loss.acceptedBy) lines.push(`    accepted on purpose: ${loss.acceptedBy.why}`);
        if (loss.spentBy) lines.push(`    not accepted: ${spentNote(loss.spentBy, acceptanceFile)}`);
    }
    if (open.length > 0) {
        // Accepting a pool's loss covers the users replaced only because of it, those that were in it.
        const openPools = poolsBy(open.map((loss) => loss.step));
        const toAccept = open.filter((loss) => !followedPool(loss.step, openPools));
        lines.push(
            "",
            "If this is intended, accept it on purpose, for this stack and this change only, by adding",
            `to ${acceptanceFile} in the same pull request (write the why; an entry accepts the one change of the pull request that adds it):`,
            ...toAccept.flatMap((loss) => acceptanceYaml({ ...loss.acceptance, why: `${today}: ${WHY_PLACEHOLDER}` }).map((line) => `  ${line}`)),
        );
    }
    return lines;
}

/** One acceptance entry as YAML list lines. */
export function acceptanceYaml(entry: AcceptedChange): string[] {
    return [
        `- stack: ${entry.stack}`,
        `  resource: ${entry.resource}`,
        `  op: ${entry.op}`,
        ...(entry.reasons ? [`  reasons: [${entry.reasons.join(", ")}]`] : []),
        `  why: ${JSON.stringify(entry.why)}`,
    ];
}

/** How many resources each op touches, `pulumi preview`'s `changeSummary`. */
export function changeSummary(steps: readonly Step[]): Record<string, number> {
    const summary: Record<string, number> = {};
    for (const step of steps) summary[step.op] = (summary[step.op] ?? 0) + 1;
    return summary;
}

/** The impact as JSON, shaped like `pulumi preview --json`: `steps`, `changeSummary`, plus `userLosses` (with the spent entry that matches a loss, if any). */
export function impactJson(steps: readonly Step[], losses: readonly UserLoss[]): Record<string, unknown> {
    return {
        steps: steps.map((step) => ({
            op: step.op,
            urn: step.urn,
            type: step.type,
            name: step.name,
            diffs: step.diffs,
            replaceReasons: step.replaceReasons,
            ...(Object.keys(step.optionChanges).length ? { optionChanges: step.optionChanges } : {}),
        })),
        changeSummary: changeSummary(steps),
        userLosses: losses.map((loss) => ({
            urn: loss.step.urn,
            op: loss.step.op,
            what: loss.what,
            accepted: loss.acceptedBy ? loss.acceptedBy.why : null,
            ...(loss.spentBy ? { spentEntry: loss.spentBy } : {}),
        })),
    };
}
