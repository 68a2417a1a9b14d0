/**
 * The checks and defaults that every setting gets from its definition alone: its type (text, a
 * number in range, true/false, one of a closed set, a list, a map, an object with no unknown keys),
 * its own rule, whether it is required, its default, and the feature plan it needs. Rules that read
 * several settings are the areas' (areaChecks.ts); they read only what passed here.
 */
import * as pulumi from "@pulumi/pulumi";
import { checkFeaturePlan, checkOneOf, checkSubset, checkWholeNumber } from "./cognitoRules";
import { ObjectType, Setting, canHoldSecret, valuesOf } from "./definition";
import { Problem } from "./problems";

/** How the messages name a value of the wrong shape and a value left out: component args and stack config differ. */
export interface Vocabulary {
    /** The rule for a value that must be an object. */
    readonly object: string;
    /** The rule for a required value left out, by its path in the args. */
    readonly required: (path: string) => string;
}

/** The component args' words. */
export const ARGS_VOCABULARY: Vocabulary = { object: "must be an object", required: () => "is required" };

/** A value that broke its setting's type or rule: later checks do not read it, and it gets no default. */
const INVALID = Symbol("invalid");
/** A value left out whose default is derived from other settings, filled in once those are known. */
const DERIVED = Symbol("derived");

/** The args checked against the definition: problems, and the args with defaults, where only valid values remain. */
export interface CheckedSettings {
    /** Every problem, in the order of the settings. */
    readonly problems: Problem[];
    /**
     * The args with every default filled in. A value that broke a rule is `null`, and so is a default
     * derived from one; a value left out that has no default is `undefined`.
     */
    readonly resolved: Record<string, unknown>;
}

/** Checks `args` against `type` and fills in the defaults. Pure: it declares nothing. */
export function checkSettings(type: ObjectType, args: unknown, vocabulary: Vocabulary): CheckedSettings {
    const problems: Problem[] = [];
    const checked = isPlainObject(args) ? checkObject(type, args, "", { problems, vocabulary }, false) : {};
    if (!isPlainObject(args)) problems.push({ path: "", rule: vocabulary.object, value: undefined, hideValue: true });
    const plain = strip(checked) as Record<string, unknown>;
    const resolved = fill(type, checked, plain, plain, "", { problems, vocabulary });
    return { problems: sortProblems(type, problems), resolved };
}

interface Context {
    readonly problems: Problem[];
    readonly vocabulary: Vocabulary;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value) && !isEventual(value);
}

/** An Output or a Promise: a value known only once the program runs. */
function isEventual(value: unknown): boolean {
    return pulumi.Output.isInstance(value) || value instanceof Promise;
}

function join(path: string, key: string): string {
    return path ? `${path}.${key}` : key;
}

/**
 * A problem with a value. Its value is shown only where no secret can be: never a secret's, never
 * one of a setting that can hold one (`adminUsers`), never one of the wrong shape given to a list,
 * a map or an object (where a misplaced line of YAML may have put a password), and never a list or
 * an object where a single value belongs.
 */
function report(ctx: Context, path: string, rule: string, value: unknown, setting: Setting, underSecret: boolean, wrongShape = false): typeof INVALID {
    const secret = setting.kind === "text" && setting.secret;
    const structure = typeof value === "object" && value !== null;
    const structured = setting.kind !== "text" && setting.kind !== "number" && setting.kind !== "boolean" && setting.kind !== "enum";
    const mayHoldSecret = !secret && (canHoldSecret(setting) || (wrongShape && structured) || ((underSecret || wrongShape) && structure));
    ctx.problems.push({ path, rule, value, ...(secret ? { secret } : {}), ...(mayHoldSecret ? { mayHoldSecret } : {}) });
    return INVALID;
}

function checkObject(type: ObjectType, value: Record<string, unknown>, path: string, ctx: Context, underSecret: boolean): Record<string, unknown> {
    for (const key of Object.keys(value)) {
        // A key named __proto__ is never read: the stack config refuses it (stackConfig.ts), and TypeScript cannot make one.
        if (key !== "__proto__" && !Object.prototype.hasOwnProperty.call(type.fields, key)) {
            // Its value is never shown: a mistyped key may hold a password.
            ctx.problems.push({ path: join(path, key), rule: `is not a known key${path ? ` of ${path}` : ""}`, value: undefined, hideValue: true });
        }
    }
    const result: Record<string, unknown> = {};
    for (const [key, setting] of Object.entries(type.fields)) {
        const given = Object.prototype.hasOwnProperty.call(value, key) ? value[key] : undefined;
        result[key] = check(setting, given, join(path, key), ctx, underSecret);
    }
    return result;
}

/** The checked value, with its plain default when left out: INVALID when it broke a rule, DERIVED when its default waits for others. */
function check(setting: Setting, given: unknown, path: string, ctx: Context, underSecret: boolean): unknown {
    const fail = (rule: string) => report(ctx, path, rule, given, setting, underSecret);
    const wrongShape = (rule: string) => report(ctx, path, rule, given, setting, underSecret, true);
    const inner = underSecret || canHoldSecret(setting);
    // Empty is missing: null (a YAML `~`), and for required text, "" (a YAML key left empty).
    if (given === undefined || given === null || (setting.kind === "text" && setting.required && given === "")) {
        if (setting.required) {
            ctx.problems.push({ path, rule: ctx.vocabulary.required(path), value: given === "" ? "" : undefined });
            return INVALID;
        }
        const fallback = setting.default;
        if (fallback?.kind === "derived") return DERIVED;
        if (fallback?.kind !== "value") return undefined;
        return check(setting, JSON.parse(JSON.stringify(fallback.value)), path, ctx, underSecret);
    }
    if (isEventual(given)) {
        if (setting.kind === "text" && setting.input) return given;
        ctx.problems.push({ path, rule: "must be known while the program is built, not an Output", value: undefined, hideValue: true });
        return INVALID;
    }
    switch (setting.kind) {
        case "text": {
            if (typeof given !== "string") return wrongShape("must be text");
            const rule = setting.rule?.(given);
            return rule ? fail(rule) : given;
        }
        case "number":
            if (typeof given !== "number") return wrongShape("must be a number");
            return checkWholeNumber(given, setting.min, setting.max, setting.unit) ? fail(checkWholeNumber(given, setting.min, setting.max, setting.unit)!) : given;
        case "boolean":
            return typeof given === "boolean" ? given : wrongShape("must be true or false");
        case "enum": {
            const rule = checkOneOf(given, valuesOf(setting.type));
            return rule ? (typeof given === "string" ? fail(rule) : wrongShape(rule)) : given;
        }
        case "enumList": {
            if (!Array.isArray(given)) return wrongShape("must be a list");
            const rule = setting.rule ? setting.rule(given) : checkSubset(given, valuesOf(setting.type));
            // A list with more than text in it is of the wrong shape, whatever its rule says.
            return rule ? (given.every((item) => typeof item === "string") ? fail(rule) : wrongShape(rule)) : given;
        }
        case "textList": {
            if (!Array.isArray(given)) return wrongShape("must be a list");
            const wrong = given.flatMap((item, index) => (typeof item === "string" ? [] : [report(ctx, `${path}[${index}]`, "must be text", item, setting, inner, true)]));
            return wrong.length > 0 ? INVALID : given;
        }
        case "textMap": {
            if (!isPlainObject(given)) return wrongShape(ctx.vocabulary.object);
            const keys = Object.keys(given).filter((key) => key !== "__proto__");
            const wrong = keys.flatMap((key) => (typeof given[key] === "string" ? [] : [report(ctx, join(path, key), "must be text", given[key], setting, inner, true)]));
            if (wrong.length > 0) return INVALID;
            const map = Object.fromEntries(keys.map((key) => [key, given[key] as string]));
            const broken = setting.rule?.(map, path) ?? [];
            for (const problem of broken) report(ctx, problem.path, problem.rule, problem.value, setting, inner);
            return broken.length > 0 ? INVALID : map;
        }
        case "object":
            return isPlainObject(given) ? checkObject(setting.type, given, path, ctx, inner) : wrongShape(ctx.vocabulary.object);
        case "objectList":
            if (!Array.isArray(given)) return wrongShape("must be a list");
            return given.map((item, index) =>
                isPlainObject(item) ? checkObject(setting.type, item, `${path}[${index}]`, ctx, inner) : report(ctx, `${path}[${index}]`, ctx.vocabulary.object, item, setting, inner, true),
            );
    }
}

/** A checked value with INVALID made `null` and DERIVED `undefined`: what derived defaults read. */
function strip(value: unknown): unknown {
    if (value === INVALID) return null;
    if (value === DERIVED) return undefined;
    if (Array.isArray(value)) return value.map(strip);
    if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, strip(item)]));
    return value;
}

/** The checked object with INVALID as `null` and each DERIVED default computed (and checked) from `root`. */
function fill(type: ObjectType, checked: Record<string, unknown>, parent: Record<string, unknown>, root: Record<string, unknown>, path: string, ctx: Context): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (const [key, setting] of Object.entries(type.fields)) {
        const value = checked[key];
        const at = join(path, key);
        if (value === DERIVED && setting.default?.kind === "derived") {
            result[key] = derive(setting, setting.default.from(root as never, parent as never), setting.default.remedy, at, ctx);
        } else if (setting.kind === "object" && isPlainObject(value)) {
            result[key] = fill(setting.type, value, parent[key] as Record<string, unknown>, root, at, ctx);
        } else if (setting.kind === "objectList" && Array.isArray(value)) {
            const items = parent[key] as Record<string, unknown>[];
            result[key] = value.map((item, index) => (isPlainObject(item) ? fill(setting.type, item, items[index], root, `${at}[${index}]`, ctx) : null));
        } else {
            result[key] = strip(value);
        }
    }
    return result;
}

/** A derived default, checked like a given value: a broken rule names the remedy too. `null` (from an invalid value) stays. */
function derive(setting: Setting, derivedValue: unknown, remedy: string | undefined, path: string, ctx: Context): unknown {
    if (derivedValue === undefined || derivedValue === null) return derivedValue;
    const own: Problem[] = [];
    const checked = check(setting, derivedValue, path, { ...ctx, problems: own }, false);
    ctx.problems.push(...own.map((problem) => ({ ...problem, rule: remedy ? `${problem.rule}; ${remedy}` : problem.rule })));
    return strip(checked);
}

/**
 * The settings that need more than the feature plan `plan` (`featurePlan`, when valid): each
 * setting's own requirement, from its definition, read on its resolved value.
 */
export function planProblems(type: ObjectType, resolved: Record<string, unknown>, plan: string | null | undefined, path = ""): Problem[] {
    if (plan === undefined || plan === null) return [];
    return Object.entries(type.fields).flatMap(([key, setting]) => {
        const value = resolved[key];
        const at = join(path, key);
        const rule = setting.plan && value !== undefined && value !== null && setting.plan.applies(value as never) ? checkFeaturePlan(setting.plan.needs, plan) : undefined;
        // An object's value is not shown: its fields say more, each at its own path.
        const own: Problem[] = rule ? [{ path: at, rule, value, ...(setting.kind === "object" ? { hideValue: true } : {}) }] : [];
        const nested =
            setting.kind === "object" && isPlainObject(value)
                ? planProblems(setting.type, value, plan, at)
                : setting.kind === "objectList" && Array.isArray(value)
                  ? value.flatMap((item, index) => (isPlainObject(item) ? planProblems(setting.type, item, plan, `${at}[${index}]`) : []))
                  : [];
        return [...own, ...nested];
    });
}

/**
 * Problems in the order of the settings they are about (then in the order they were found), so
 * that the order of the checks never shows: `groups[0].name` before `groups[2].name` before
 * `groups[3].precedence`, whichever area found each.
 */
export function sortProblems(type: ObjectType, problems: readonly Problem[]): Problem[] {
    const position = (path: string): number[] => {
        const steps: number[] = [];
        let fields: Readonly<Record<string, Setting>> | undefined = type.fields;
        for (const token of path.match(/[^.[\]]+|\[\d+\]/g) ?? []) {
            if (token.startsWith("[")) {
                steps.push(Number(token.slice(1, -1)));
                continue;
            }
            const keys: string[] = Object.keys(fields ?? {});
            const index: number = keys.indexOf(token);
            steps.push(index < 0 ? keys.length : index);
            const setting: Setting | undefined = index < 0 ? undefined : fields![token];
            fields = setting && (setting.kind === "object" || setting.kind === "objectList") ? setting.type.fields : undefined;
        }
        return steps;
    };
    const compare = (a: number[], b: number[]) => {
        for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
        return a.length - b.length;
    };
    // Array.prototype.sort is stable: problems at the same place keep the order they were found in.
    return problems
        .map((problem) => ({ problem, at: position(problem.path) }))
        .sort((x, y) => compare(x.at, y.at))
        .map(({ problem }) => problem);
}
