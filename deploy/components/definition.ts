/**
 * The vocabulary of the component's definition (deploy/components/settings.ts): what one setting
 * says about itself. A setting has a name (its key in the args), a kind (text, number, true/false,
 * one of a closed set, a list, a map or an object of further settings), a one-line doc, a default
 * (a JSON value, one derived from other settings, or none), the feature plan it needs, and what a
 * change to it replaces. Everything else (the TypeScript args, the package schema, the type
 * checks, the defaults, the stack config keys, the configuration reference) is derived from it.
 */

/** A closed set of text values; the package schema gives it as an enum type. */
export interface EnumType {
    /** Its name in the TypeScript args and in the package schema, such as `FeaturePlan`. */
    readonly name: string;
    /** What it is, in one line. */
    readonly doc: string;
    /** Every value, in order, with what it means. */
    readonly values: readonly { readonly value: string; readonly doc: string }[];
}

/** The values of an enum type. */
export function valuesOf(type: EnumType): string[] {
    return type.values.map((member) => member.value);
}

/** What a change to a setting replaces or deletes, in the configuration reference's words. */
export type Replaces =
    | "no"
    | "pool"
    | "app client"
    | "admin user, group membership"
    | "group, group membership"
    | "group membership"
    | "n/a (new stacks only)";

/** A setting that needs more than Cognito's LITE feature plan, under a condition. */
export interface PlanRequirement {
    /** The plans that have it. */
    readonly needs: readonly string[];
    /** When the setting needs them, in words: `above 0`. */
    readonly when: string;
    /** Whether a (valid) value needs them. */
    readonly applies: (value: never) => boolean;
    /** The AWS page that says so, and its words. */
    readonly source: string;
}

/** A setting's default: a JSON value, a value derived from other settings, or none at all. */
export type Default =
    | { readonly kind: "value"; readonly value: unknown }
    | {
          readonly kind: "derived";
          /** The default in words, for the docs: `<poolName>-client`. */
          readonly text: string;
          /** The value, from the args with their plain defaults filled in (`root`) and the object that holds the setting. */
          readonly from: (root: never, parent: never) => unknown;
          /** What to do when the derived value breaks the setting's rule, appended to that rule. */
          readonly remedy?: string;
      }
    | { readonly kind: "none"; readonly text: string };

/** A default that is this JSON value. */
export function value(value: unknown): Default {
    return { kind: "value", value };
}

/** A default derived from other settings, described as `text`. */
export function derived<Root, Parent>(text: string, from: (root: Root, parent: Parent) => unknown, remedy?: string): Default {
    return { kind: "derived", text, from: from as (root: never, parent: never) => unknown, remedy };
}

/** No default: the setting is not sent unless given; `text` says what that means (`none`, `not sent`). */
export function none(text = "none"): Default {
    return { kind: "none", text };
}

/** What every setting says about itself. */
interface Common {
    /** What it does, in one line, for the args, the package schema and the docs. */
    readonly doc: string;
    /** Further sentences, where one line is not enough. */
    readonly more?: string;
    /** It must be given. */
    readonly required: boolean;
    /** Its default; `undefined` only when it is required. */
    readonly default: Default | undefined;
    /** The feature plan it needs, and when. */
    readonly plan?: PlanRequirement;
    /** What a change to it replaces or deletes. */
    readonly replaces: Replaces;
}

/** One setting of the component. */
export type Setting =
    | (Common & {
          readonly kind: "text";
          /** A secret: never shown, sent only as a secret. */
          readonly secret: boolean;
          /** It may be an Output (`pulumi.Input<string>`), checked once known. */
          readonly input: boolean;
          /** Its own rule (Cognito's), for a value that is text. */
          readonly rule?: (text: string) => string | undefined;
      })
    | (Common & { readonly kind: "number"; readonly min: number; readonly max: number; readonly unit: string })
    | (Common & { readonly kind: "boolean" })
    | (Common & { readonly kind: "enum"; readonly type: EnumType })
    | (Common & {
          readonly kind: "enumList";
          readonly type: EnumType;
          /** Its own rule for the list; without one, a list of one or more of the type's values, without repeats. */
          readonly rule?: (list: readonly unknown[]) => string | undefined;
      })
    | (Common & { readonly kind: "textList" })
    | (Common & {
          readonly kind: "textMap";
          /** Its own rule, for a map of text at `path`: the problems, each with its full path. */
          readonly rule?: (map: Readonly<Record<string, string>>, path: string) => { path: string; rule: string; value: unknown }[];
      })
    | (Common & {
          readonly kind: "object";
          readonly type: ObjectType;
          /** In the stack config, its fields are flat keys with this prefix (`admin` + `Username`). */
          readonly configPrefix?: string;
      })
    | (Common & { readonly kind: "objectList"; readonly type: ObjectType });

/** An object of settings: the args, or one of their structured settings. */
export interface ObjectType {
    /** Its name in the TypeScript args and in the package schema, such as `AppClientArgs`. */
    readonly name: string;
    /** What it is, in one line. */
    readonly doc: string;
    /** Its settings, in the order the args, the checks' messages and the docs give them. */
    readonly fields: Readonly<Record<string, Setting>>;
}

/** The parts every constructor takes. */
type Options = Partial<Omit<Common, "doc">> & { readonly more?: string };

function common(doc: string, options: Options): Common {
    const required = options.required ?? false;
    return {
        doc,
        more: options.more,
        required,
        default: required ? undefined : options.default ?? none(),
        plan: options.plan,
        replaces: options.replaces ?? "no",
    };
}

/** A text setting. */
export function text(doc: string, options: Options & { secret?: boolean; input?: boolean; rule?: (text: string) => string | undefined } = {}): Setting {
    return { ...common(doc, options), kind: "text", secret: options.secret ?? false, input: options.input ?? false, rule: options.rule };
}

/** A whole number from `min` to `max`, in `unit`. */
export function wholeNumber(doc: string, range: { min: number; max: number; unit?: string }, options: Options = {}): Setting {
    return { ...common(doc, options), kind: "number", min: range.min, max: range.max, unit: range.unit ?? "" };
}

/** A true/false setting. */
export function flag(doc: string, options: Options = {}): Setting {
    return { ...common(doc, options), kind: "boolean" };
}

/** One value of `type`. */
export function oneOf(type: EnumType, doc: string, options: Options = {}): Setting {
    return { ...common(doc, options), kind: "enum", type };
}

/** A list of values of `type`. */
export function listOf(type: EnumType, doc: string, options: Options & { rule?: (list: readonly unknown[]) => string | undefined } = {}): Setting {
    return { ...common(doc, options), kind: "enumList", type, rule: options.rule };
}

/** A list of text. */
export function textList(doc: string, options: Options = {}): Setting {
    return { ...common(doc, options), kind: "textList" };
}

/** A map of text to text. */
export function textMap(
    doc: string,
    options: Options & { rule?: (map: Readonly<Record<string, string>>, path: string) => { path: string; rule: string; value: unknown }[] } = {},
): Setting {
    return { ...common(doc, options), kind: "textMap", rule: options.rule };
}

/** An object of the settings of `type`. */
export function object(type: ObjectType, doc: string, options: Options & { configPrefix?: string } = {}): Setting {
    return { ...common(doc, options), kind: "object", type, configPrefix: options.configPrefix };
}

/** A list of objects of the settings of `type`. */
export function objectList(type: ObjectType, doc: string, options: Options = {}): Setting {
    return { ...common(doc, options), kind: "objectList", type };
}

/** Whether a value of `setting` can hold a secret: it is one, or holds a setting that is. */
export function canHoldSecret(setting: Setting): boolean {
    if (setting.kind === "text") return setting.secret;
    if (setting.kind === "object" || setting.kind === "objectList") return Object.values(setting.type.fields).some(canHoldSecret);
    return false;
}

/** One setting, with its path in the args as the docs write it (`adminUsers[].username`). */
export interface SettingAt {
    readonly path: string;
    readonly setting: Setting;
}

/** Every setting of `type`, nested ones after their object, in order, with their paths. */
export function settingsOf(type: ObjectType, prefix = ""): SettingAt[] {
    return Object.entries(type.fields).flatMap(([key, setting]) => {
        const path = prefix + key;
        const nested =
            setting.kind === "object" ? settingsOf(setting.type, `${path}.`) : setting.kind === "objectList" ? settingsOf(setting.type, `${path}[].`) : [];
        return [{ path, setting }, ...nested];
    });
}

/** The setting at a path of `type`, in either spelling (`adminUsers[0].username` or `adminUsers[].username`). */
export function settingAt(type: ObjectType, path: string): Setting | undefined {
    let fields: Readonly<Record<string, Setting>> | undefined = type.fields;
    let found: Setting | undefined;
    for (const step of path.replace(/\[\d*\]/g, "").split(".")) {
        found = fields && Object.prototype.hasOwnProperty.call(fields, step) ? fields[step] : undefined;
        fields = found && (found.kind === "object" || found.kind === "objectList") ? found.type.fields : undefined;
    }
    return found;
}
