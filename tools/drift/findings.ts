/**
 * What a `pulumi preview --refresh --json --show-replacement-steps` document says has drifted:
 * each resource whose state in AWS is not what the stack declares, each drifted input with its
 * value in AWS and its declared value, and the class of each (classify.ts).
 *
 * How such a preview reads (pulumi/pulumi v3.259.0; see tests/fixtures/drift/README.md): the
 * engine first refreshes every resource of the state, each printed as a `refresh` step that
 * carries no diff (pkg/resource/deploy/step.go `NewRefreshStep`; pkg/backend/display/json.go
 * rewrites a refresh step only when the op is `refresh` for `pulumi refresh`), then runs the
 * program against the refreshed state. So the drift is in the steps that follow:
 * - `update` or `replace`: its `oldState.outputs` are what AWS has now, its `newState.inputs` what
 *   the stack declares; `detailedDiff` names the drifted paths, and where it is `null` (the
 *   plugin-framework app client, unless the provider turns on its accurate preview) the
 *   top-level `diffReasons` do, and the two values are compared here;
 * - `create` of a URN that was refreshed: the resource was deleted out of band (its refresh
 *   found it gone, pkg/resource/deploy/deployment_executor.go `rebuildBaseState`); `create`
 *   or `import` of one that was not: it is declared but was never deployed;
 * - `delete`: in the state but no longer declared; `delete-replaced` alone: left pending
 *   deletion by an earlier failed replacement.
 * A preview without any `refresh` step (made without `--refresh`), or with an update, replacement
 * or deletion of a resource it did not refresh (`pulumi refresh --preview-only` prints its own
 * findings as such steps, with the diff inverted), is refused: it does not compare with AWS as
 * this reads it. So are read steps, which this program never makes.
 */
import { isDeepStrictEqual } from "util";
import { SET_INPUTS } from "../plan/forceNew";
import { Op, previewSteps } from "../plan/impact";
import { PreviewDocument, PreviewError, PreviewStep, resourceChanges } from "../plan/previewDocument";
import { DriftClass, PathSegments, Values, Verdict, classifyDeleted, classifyInput, valueAt } from "./classify";

/** What a finding is about. */
export type FindingKind =
    /** An input whose value in AWS is not the declared one. */
    | "input"
    /** The resource was deleted out of band: the stack had it, AWS no longer does. */
    | "deleted"
    /** The stack declares it, but it was never deployed. */
    | "not-deployed"
    /** It is in the stack's state, but the stack no longer declares it. */
    | "undeclared"
    /** An old copy left by an earlier failed replacement, pending deletion. */
    | "pending-delete";

/** One drifted input, or a resource drifted as a whole. */
export interface Finding extends Verdict {
    readonly kind: FindingKind;
    /** The input's path, such as `passwordPolicy.minimumLength`; `undefined` for the resource as a whole. */
    readonly path?: string;
    /** Its value in AWS, as the refreshed state has it; `undefined` when unset. */
    readonly cloud?: unknown;
    /** Its declared value; `undefined` when unset. */
    readonly declared?: unknown;
}

/** One resource that drifted. */
export interface ResourceDrift {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** What `pulumi up` would do to it. */
    readonly op: Op;
    /** `security` when any of its findings is. */
    readonly class: DriftClass;
    readonly findings: readonly Finding[];
}

/** A preview's drift. */
export interface DriftReport {
    /** How many resources the preview refreshed. */
    readonly refreshed: number;
    /** The resources that drifted, in the preview's order. */
    readonly resources: readonly ResourceDrift[];
}

/** What each op of the engine means here: see the module's comment. Every op of STEP_OPS but those never printed. */
export const DRIFT_OPS: Readonly<Record<string, "no drift" | "input drift" | "part of a replacement" | "created" | "deleted" | "not judged">> = {
    same: "no drift",
    refresh: "no drift",
    update: "input drift",
    replace: "input drift",
    "create-replacement": "part of a replacement",
    "import-replacement": "part of a replacement",
    "delete-replaced": "part of a replacement",
    create: "created",
    import: "created",
    delete: "deleted",
    read: "not judged",
    "read-replacement": "not judged",
    discard: "not judged",
    "discard-replaced": "not judged",
};

/** The ops whose resource must have been refreshed first, in a refresh preview. */
const REFRESHED_FIRST = new Set(["update", "replace", "delete"]);

/**
 * A property path as Pulumi prints it (`resource.PropertyPath.String()`,
 * sdk/go/common/resource/properties_path.go): names of letters, digits and `_` joined by `.`,
 * list indexes as `[2]`, and other names quoted as `["aws:x"]` with `"` escaped as `\"`.
 */
export function parsePropertyPath(path: string): PathSegments {
    const segments: (string | number)[] = [];
    const pattern = /(?:^|\.)([A-Za-z0-9_]+)|\[(\d+)\]|\["((?:[^"\\]|\\"|\\(?!"))*)"\]/y;
    let offset = 0;
    while (offset < path.length) {
        pattern.lastIndex = offset;
        const match = pattern.exec(path);
        if (!match || (match[1] !== undefined && match[0].startsWith(".") === (offset === 0))) {
            throw new PreviewError(`has the detailedDiff key ${JSON.stringify(path)}, which is not a Pulumi property path (name.name[0]["quoted name"])`);
        }
        segments.push(match[1] ?? (match[2] !== undefined ? Number(match[2]) : match[3].replace(/\\"/g, '"')));
        offset = pattern.lastIndex;
    }
    if (segments.length === 0) throw new PreviewError("has an empty detailedDiff key, which is not a Pulumi property path");
    return segments;
}

/** A path in Pulumi's own form, for people. */
function pathText(path: PathSegments): string {
    return path.map((segment, index) => (typeof segment === "number" ? `[${segment}]` : /^[A-Za-z0-9_]+$/.test(segment) ? `${index ? "." : ""}${segment}` : `[${JSON.stringify(segment)}]`)).join("");
}

/** Whether two values of a `type`'s input `top` are the same, a set input's members in any order. */
function sameValue(type: string, top: string, a: unknown, b: unknown): boolean {
    if (SET_INPUTS[type]?.includes(top) && Array.isArray(a) && Array.isArray(b)) {
        const sorted = (list: unknown[]) => list.map((item) => JSON.stringify(item)).sort();
        return isDeepStrictEqual(sorted(a), sorted(b));
    }
    return isDeepStrictEqual(a ?? null, b ?? null);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The paths under `path` where `cloud` and `declared` differ: objects are compared key by key, anything else whole. */
function differences(type: string, path: PathSegments, cloud: unknown, declared: unknown): PathSegments[] {
    if (sameValue(type, String(path[0]), cloud, declared)) return [];
    if (!isPlainObject(cloud) || !isPlainObject(declared)) return [path];
    const keys = [...new Set([...Object.keys(cloud), ...Object.keys(declared)])].sort();
    const found = keys.flatMap((key) => differences(type, [...path, key], cloud[key], declared[key]));
    return found.length > 0 ? found : [path];
}

/** The drifted paths of an update or replacement, with their values in AWS and declared. */
function inputFindings(step: PreviewStep, type: string): Finding[] {
    if (!step.oldState || !step.newState) {
        throw new PreviewError(`has an ${step.op} of ${step.urn} without its ${step.oldState ? "newState" : "oldState"}: it cannot say what AWS has and what is declared`);
    }
    const cloud: Values = step.oldState.outputs;
    const declared: Values = step.newState.inputs;
    /** A finding at `path`, with the values of the sides that have one. */
    const finding = (path: PathSegments, sides: { cloud: boolean; declared: boolean }): Finding => {
        const [now, wanted] = [sides.cloud ? valueAt(cloud, path) : undefined, sides.declared ? valueAt(declared, path) : undefined];
        return {
            kind: "input",
            path: pathText(path),
            ...(now === undefined ? {} : { cloud: now }),
            ...(wanted === undefined ? {} : { declared: wanted }),
            ...classifyInput(type, path, cloud, declared),
        };
    };
    const diffs = Object.entries(step.detailedDiff ?? {});
    if (diffs.length > 0) {
        return diffs.map(([key, diff]) => {
            // The kind says what `pulumi up` would do: `add` what AWS lacks, `delete` what AWS has and the stack does not declare.
            const kind = diff.kind.replace("-replace", "");
            return finding(parsePropertyPath(key), { cloud: kind !== "add", declared: kind !== "delete" });
        });
    }
    const keys = [...step.diffReasons, ...step.replaceReasons.filter((key) => !step.diffReasons.includes(key))];
    if (keys.length === 0) return [{ kind: "input", class: "other", why: `pulumi preview plans ${step.op === "update" ? "an update" : "a replacement"} but names no input` }];
    // No detailed diff: every input Pulumi names is compared here, and reported whole where no part of it differs.
    return keys.flatMap((key) => {
        const paths = differences(type, [key], cloud[key], declared[key]);
        return (paths.length > 0 ? paths : [[key]]).map((path) => finding(path, { cloud: true, declared: true }));
    });
}

function wholeFinding(kind: Exclude<FindingKind, "input">, verdict: Verdict): Finding {
    return { kind, ...verdict };
}

/**
 * The drift in a checked refresh preview: every resource whose steps are more than `refresh` and
 * `same`, with its findings. Throws a {@link PreviewError} for a preview it cannot read as a
 * refresh preview (see the module's comment).
 */
export function driftOf(document: PreviewDocument): DriftReport {
    const changes = resourceChanges(document);
    if (!changes.some((change) => change.steps.some((step) => step.op === "refresh"))) {
        throw new PreviewError(
            "has no refresh step: it was made without --refresh, so it compares the program with the state of the last deploy, not with AWS. " +
                "Run pulumi preview --refresh --expect-no-changes --json --show-replacement-steps",
        );
    }
    const ops = new Map(previewSteps(document).map((step) => [step.urn, step.op]));
    const resources: ResourceDrift[] = [];
    for (const change of changes) {
        const refreshed = change.steps.some((step) => step.op === "refresh");
        const replaced = change.steps.some((step) => step.op === "replace");
        const findings: Finding[] = [];
        for (const step of change.steps) {
            const meaning = Object.prototype.hasOwnProperty.call(DRIFT_OPS, step.op) ? DRIFT_OPS[step.op] : undefined;
            if (meaning === undefined) throw new PreviewError(`has the op ${step.op} for ${step.urn}, which check:drift does not know: judge it in DRIFT_OPS (tools/drift/findings.ts)`);
            if (meaning === "not judged") {
                throw new PreviewError(`has the op ${step.op} for ${step.urn}, which check:drift does not judge: this program declares no resource that Pulumi reads or discards`);
            }
            if (REFRESHED_FIRST.has(step.op) && !refreshed) {
                throw new PreviewError(
                    `has the op ${step.op} for ${step.urn} but no refresh step for it: this is not pulumi preview --refresh, where every resource of the state is refreshed first ` +
                        "(pulumi refresh --preview-only prints what it finds as such steps, its diff the other way round)",
                );
            }
            if (meaning === "input drift") findings.push(...inputFindings(step, change.type));
            else if (meaning === "created") findings.push(refreshed ? wholeFinding("deleted", classifyDeleted(change.type)) : wholeFinding("not-deployed", { class: "other", why: "declared, but never deployed" }));
            else if (meaning === "deleted") findings.push(wholeFinding("undeclared", { class: "other", why: "in the stack's state, but no longer declared" }));
            else if (step.op === "delete-replaced" && !replaced) {
                findings.push(wholeFinding("pending-delete", { class: "other", why: "left pending deletion by an earlier failed replacement" }));
            }
        }
        if (findings.length === 0) continue;
        resources.push({
            urn: change.urn,
            type: change.type,
            name: change.name,
            op: ops.get(change.urn) ?? "same",
            class: findings.some((finding) => finding.class === "security") ? "security" : "other",
            findings,
        });
    }
    return { refreshed: changes.filter((change) => change.steps.some((step) => step.op === "refresh")).length, resources };
}
