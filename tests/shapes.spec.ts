import * as assert from "assert";
import { isDeepStrictEqual } from "util";
import { validateTotpUserPoolArgs } from "../deploy/components/areaChecks";
import { Setting, canHoldSecret, settingsOf } from "../deploy/components/definition";
import { ValidationError, formatProblem } from "../deploy/components/problems";
import { TOTP_USER_POOL } from "../deploy/components/settings";
import { TotpUserPool } from "../deploy/components/totpUserPool";
import { TotpUserPoolArgs } from "../deploy/components/totpUserPoolArgs";
import { CONFIG_KEYS, STACK_CONFIG_KEYS, parseStackConfig } from "../deploy/stack/stackConfig";
import { PROJECT, TEST_PASSWORD, mockRuntime, seedConfig } from "./support";

/** A value of every JSON shape, for a key that wants another one. */
const WRONG_SHAPES: readonly unknown[] = ["text", 7, true, null, [], {}, ["x"], [null], [7], [{}], { a: 1 }];

/** Valid component args in which every structured arg is present, so that every nested path exists. */
const BASE_ARGS = {
    poolName: "pool",
    passwordPolicy: { minimumLength: 8 },
    appClient: { name: "client", refreshTokenRotation: { enabled: false } },
    adminUser: { username: "admin", groups: ["g"] },
    adminUsers: [{ username: "ops", groups: ["g"] }],
    groups: [{ name: "g", description: "d", precedence: 1 }],
    tags: { team: "identity" },
} as const;

/** The JSON type a setting's value has. */
function jsonTypeOf(setting: Setting): "text" | "number" | "boolean" | "list" | "object" {
    switch (setting.kind) {
        case "text":
        case "enum":
            return "text";
        case "number":
            return "number";
        case "boolean":
            return "boolean";
        case "enumList":
        case "textList":
        case "objectList":
            return "list";
        case "textMap":
        case "object":
            return "object";
    }
}

/** Every arg path of the component, from its definition, with the JSON type of its value (`adminUsers.0.groups`: a list; `tags.team`: text). */
const ARG_TYPES: ReadonlyMap<string, string> = new Map(
    settingsOf(TOTP_USER_POOL).flatMap(({ path, setting }) => {
        const dotted = path.replace(/\[\]/g, ".0");
        return setting.kind === "textMap" ? [[dotted, "object"] as const, [`${dotted}.team`, "text"] as const] : [[dotted, jsonTypeOf(setting)] as const];
    }),
);
const ARG_PATHS = [...ARG_TYPES.keys()];

/** A value's JSON type, in the words of ARG_TYPES. */
function jsonType(value: unknown): string {
    if (Array.isArray(value)) return "list";
    if (typeof value === "string") return "text";
    return typeof value;
}

/** How `pulumi config set --path` and this program's errors spell a dotted path: `adminUsers[0].groups`. */
const spelled = (path: string) => path.replace(/\.(\d+)/g, "[$1]");

/** A deep copy of `base` with the value at a dotted path (`adminUsers.0.groups`) set. */
function withPath(base: unknown, path: string, value: unknown): Record<string, unknown> {
    const copy = structuredClone(base) as Record<string, unknown>;
    const keys = path.split(".");
    let at = copy as Record<string, unknown>;
    for (const key of keys.slice(0, -1)) {
        at[key] ??= {};
        at = at[key] as Record<string, unknown>;
    }
    at[keys[keys.length - 1]] = value;
    return copy;
}

/** A config value as the program reads it: JSON, or else text. */
function parseJson(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

/** Values of the right shape that the seed's other settings refuse, each with the line that refuses it. */
const VALID_BUT_REFUSED: Readonly<Record<string, string>> = {
    production: `${PROJECT}:deletionProtection: must be ACTIVE while production is true; set production to false first, in a change of its own, to take this pool down on purpose (got "INACTIVE")`,
};

describe("every key gives a clean error for every wrong shape, never a crash", () => {
    it("names the shape each structured arg must have, never showing a value of the wrong shape there, and that adminUser is required", () => {
        const admin = { username: "admin" };
        const rows: readonly [Record<string, unknown>, string, string, string][] = [
            [{ passwordPolicy: [] }, "passwordPolicy", "must be an object", "value not shown: it may hold a secret"],
            [{ accountRecovery: "admin_only" }, "accountRecovery", "must be a list", "value not shown: it may hold a secret"],
            [{ usernameAttributes: {} }, "usernameAttributes", "must be a list", "value not shown: it may hold a secret"],
            [{ aliasAttributes: 1 }, "aliasAttributes", "must be a list", "value not shown: it may hold a secret"],
            [{ appClient: [] }, "appClient", "must be an object", "value not shown: it may hold a secret"],
            [{ appClient: { explicitAuthFlows: "ALLOW_USER_SRP_AUTH" } }, "appClient.explicitAuthFlows", "must be a list", "value not shown: it may hold a secret"],
            [{ appClient: { refreshTokenRotation: true } }, "appClient.refreshTokenRotation", "must be an object", "value not shown: it may hold a secret"],
            [{ adminUser: "admin" }, "adminUser", "must be an object", "value not shown: it may hold a secret"],
            [{ adminUser: { ...admin, groups: ["g", 1] } }, "adminUser.groups[1]", "must be text", "value not shown: it may hold a secret"],
            [{ adminUsers: [{ username: "ops" }, "ops2"] }, "adminUsers[1]", "must be an object", "value not shown: it may hold a secret"],
            [{ adminUsers: [{ username: "ops", groups: "g" }] }, "adminUsers[0].groups", "must be a list", "value not shown: it may hold a secret"],
            [{ groups: ["admins"] }, "groups[0]", "must be an object", "value not shown: it may hold a secret"],
            [{ groups: [["admins"]] }, "groups[0]", "must be an object", "value not shown: it may hold a secret"],
            [{ tags: [] }, "tags", "must be an object", "value not shown: it may hold a secret"],
            [{ import: "us-east-1_Abc" }, "import", "must be an object", "value not shown: it may hold a secret"],
        ];
        for (const [change, path, rule, shown] of rows) {
            const problems = validateTotpUserPoolArgs({ poolName: "p", adminUser: admin, ...change } as TotpUserPoolArgs).problems;
            assert.deepStrictEqual(
                problems.map((problem) => formatProblem(problem.path, problem)),
                [`${path}: ${rule} (${shown})`],
                path,
            );
        }
        assert.deepStrictEqual(validateTotpUserPoolArgs({ poolName: "p" } as TotpUserPoolArgs).problems, [{ path: "adminUser", rule: "is required", value: undefined }]);
    });

    it("knows the JSON type of every arg path, from the definition", () => {
        for (const at of ["poolName", "adminUsers.0.recreate", "tags.team", "appClient.refreshTokenRotation.enabled", "import.userPoolId"]) assert.ok(ARG_TYPES.has(at), at);
        assert.deepStrictEqual([ARG_TYPES.get("adminUsers"), ARG_TYPES.get("adminUsers.0.groups"), ARG_TYPES.get("passwordPolicy"), ARG_TYPES.get("featurePlan")], ["list", "list", "object", "text"]);
    });

    it("component args: each arg path with each JSON shape is declared, or refused naming that arg, always when of the wrong type", async () => {
        const outcomes: string[] = [];
        /**
         * The accepted args to declare, one for each distinct resolved value: the component declares
         * from validateTotpUserPoolArgs's `resolved` alone, so args that resolve alike declare alike.
         */
        const accepted: { args: TotpUserPoolArgs; resolved: unknown }[] = [];
        for (const path of ARG_PATHS) {
            for (const value of WRONG_SHAPES) {
                const args = withPath(BASE_ARGS, path, value) as unknown as TotpUserPoolArgs;
                let validation: ReturnType<typeof validateTotpUserPoolArgs>;
                try {
                    validation = validateTotpUserPoolArgs(args);
                } catch (error) {
                    outcomes.push(`${path} = ${JSON.stringify(value)}: ${String(error)}`);
                    continue;
                }
                const lines = validation.problems.map((problem) => formatProblem(`args.${problem.path}`, problem));
                if (lines.length === 0) {
                    // Accepted text, numbers and booleans are declared by every other test; null, lists and objects are not.
                    const { resolved } = validation;
                    if (typeof value === "object" && !accepted.some((other) => isDeepStrictEqual(other.resolved, resolved))) accepted.push({ args, resolved });
                    continue;
                }
                if (value !== null && jsonType(value) !== ARG_TYPES.get(path) && !lines.some((line) => line.startsWith(`args.${spelled(path)}`))) {
                    outcomes.push(`${path} = ${JSON.stringify(value)}: not refused as a ${ARG_TYPES.get(path)}: ${lines.join("; ")}`);
                }
                // Groups of the right shape but without "g" leave the admins' memberships naming a missing group.
                const named =
                    lines.some((line) => line.startsWith(`args.${path.split(".")[0]}`)) ||
                    (path.startsWith("groups") && lines.every((line) => line.includes("must name groups declared in groups")));
                if (!named) outcomes.push(`${path} = ${JSON.stringify(value)}: ${lines.join("; ")}`);
            }
        }
        // What the checks accept, the component declares without a throw (under mocks, where a throw would show).
        const runtime = await mockRuntime();
        await runtime.run({ values: {}, secretKeys: [] }, () =>
            accepted.forEach(({ args }, index) => {
                try {
                    new TotpUserPool(`accepted-${index}`, args);
                } catch (error) {
                    outcomes.push(`${JSON.stringify(args)}: ${String(error)}`);
                }
            }),
        );
        assert.deepStrictEqual(outcomes, []);
        assert.ok(accepted.length > 0 && accepted.length < ARG_PATHS.length * WRONG_SHAPES.length, `${accepted.length} accepted`);
    });

    it("stack config: each key and nested key with each JSON shape plans, or is refused naming that key", () => {
        const seed = seedConfig();
        const paths = [...STACK_CONFIG_KEYS, ...ARG_PATHS.filter((path) => path.includes(".") && !path.startsWith("adminUser."))];
        const outcomes: string[] = [];
        for (const path of paths) {
            for (const value of WRONG_SHAPES) {
                const [key, ...rest] = path.split(".");
                const fullKey = `${PROJECT}:${key}`;
                const current = seed.values[fullKey] === undefined ? BASE_ARGS[key as keyof typeof BASE_ARGS] ?? {} : parseJson(seed.values[fullKey]);
                const text = JSON.stringify(rest.length === 0 ? value : withPath(current, rest.join("."), value));
                const secret = key === "adminTemporaryPassword" || key === "adminUsers";
                try {
                    parseStackConfig({
                        project: PROJECT,
                        stack: "dev",
                        values: { ...seed.values, [fullKey]: text },
                        secretKeys: new Set(secret ? [...seed.secretKeys, fullKey] : seed.secretKeys),
                    });
                } catch (error) {
                    const named = error instanceof ValidationError && error.lines.some((line) => line.startsWith(fullKey) || VALID_BUT_REFUSED[path] === line);
                    if (!named) outcomes.push(`${path} = ${text}: ${String(error)}`);
                    if (String(error).includes(TEST_PASSWORD)) outcomes.push(`${path} = ${text}: shows the secret`);
                }
            }
        }
        assert.deepStrictEqual(outcomes, []);
    });
});

describe("a secret in a wrong shape is never shown", () => {
    /** A password, as one would type it. */
    const SECRET = "Zz9!kept-Passw0rd";

    /** Wrong shapes with the secret inside: an object where a list belongs, a list where an object does, nested lists, `user:password` text, and the like. */
    const SECRET_SHAPES: readonly unknown[] = [
        { username: "b", temporaryPassword: SECRET },
        { temporaryPassword: SECRET },
        [SECRET],
        [[SECRET]],
        [["b", SECRET]],
        [`b:${SECRET}`],
        [{ username: "b", temporaryPassword: [SECRET] }],
        [{ username: "b", temporaryPassword: { value: SECRET } }],
        [{ username: ["b", SECRET] }],
        [{ username: { temporaryPassword: SECRET } }],
        [{ username: "b", temporaryPasword: SECRET }],
        [{ username: "b", groups: [SECRET, { temporaryPassword: SECRET }] }],
        [{ name: { temporaryPassword: SECRET } }],
        { team: { temporaryPassword: SECRET } },
        { minimumLength: [SECRET], explicitAuthFlows: { temporaryPassword: SECRET } },
        { refreshTokenRotation: [SECRET], userPoolId: [SECRET] },
    ];

    /**
     * Whether a value has the shape its setting wants, all the way down (a key the setting does not
     * know is any shape: its value is never shown). A secret in a value of the right shape is a
     * wrong value, not a wrong shape: shown where the setting cannot hold a secret.
     */
    function rightShape(setting: Setting, value: unknown): boolean {
        const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
        switch (setting.kind) {
            case "text":
            case "enum":
                return typeof value === "string";
            case "number":
                return typeof value === "number";
            case "boolean":
                return typeof value === "boolean";
            case "enumList":
            case "textList":
                return Array.isArray(value) && value.every((item) => typeof item === "string");
            case "textMap":
                return isObject(value) && Object.values(value).every((item) => typeof item === "string");
            case "object":
                return isObject(value) && Object.entries(setting.type.fields).every(([field, inner]) => value[field] === undefined || rightShape(inner, value[field]));
            case "objectList":
                return Array.isArray(value) && value.every((item) => rightShape({ ...setting, kind: "object" }, item));
        }
    }

    /** The structured keys of the stack config. */
    const STRUCTURED = CONFIG_KEYS.filter(({ setting }) => setting.kind !== "text" && setting.kind !== "enum" && setting.kind !== "boolean" && setting.kind !== "number");

    it("covers every structured key of the stack config", () => {
        assert.deepStrictEqual(STRUCTURED.map(({ key }) => key).sort(), ["accountRecovery", "adminGroups", "adminUsers", "aliasAttributes", "appClient", "groups", "import", "passwordPolicy", "tags", "usernameAttributes"]);
    });

    for (const { key, setting } of STRUCTURED) {
        it(`${key}: no wrong shape with a secret inside shows it${canHoldSecret(setting) ? ", nor does user:password text" : ""}`, () => {
            const shapes = [...SECRET_SHAPES.filter((shape) => !rightShape(setting, shape)), ...(canHoldSecret(setting) ? [`b:${SECRET}`] : [])];
            for (const shape of shapes) {
                const text = typeof shape === "string" ? shape : JSON.stringify(shape);
                const seed = seedConfig();
                let message = "";
                try {
                    parseStackConfig({ project: PROJECT, stack: "dev", values: { ...seed.values, [`${PROJECT}:${key}`]: text }, secretKeys: new Set(seed.secretKeys) });
                } catch (error) {
                    message = String(error);
                }
                assert.ok(message.includes(`${PROJECT}:${key}`), `${key} = ${text} is refused, naming the key: ${message}`);
                assert.strictEqual(message.includes(SECRET), false, `${key} = ${text} shows the secret: ${message}`);
            }
        });
    }

    it("nor does the component, for any arg of the same shapes", () => {
        for (const [arg, setting] of Object.entries(TOTP_USER_POOL.fields)) {
            for (const shape of SECRET_SHAPES.filter((candidate) => !rightShape(setting, candidate))) {
                const problems = validateTotpUserPoolArgs(withPath(BASE_ARGS, arg, shape) as unknown as TotpUserPoolArgs).problems;
                const lines = problems.map((problem) => formatProblem(problem.path, problem)).join("\n");
                assert.strictEqual(lines.includes(SECRET), false, `${arg} = ${JSON.stringify(shape)}: ${lines}`);
            }
        }
    });
});
