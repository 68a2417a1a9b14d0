import * as assert from "assert";
import { ValidationError, formatProblem } from "../deploy/components/problems";
import { TotpUserPool } from "../deploy/components/totpUserPool";
import { TotpUserPoolArgs, resolveTotpUserPoolArgs, totpUserPoolProblems, totpUserPoolShapeProblems } from "../deploy/components/totpUserPoolArgs";
import { STACK_CONFIG_KEYS, parseStackConfig } from "../deploy/stack/stackConfig";
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

/** Every arg path of the component, nested ones included (`adminUsers[0].groups`). */
const ARG_PATHS = [
    ...["poolName", "featurePlan", "threatProtection", "accountRecovery", "passwordPolicy", "selfSignUp", "mfaConfiguration", "softwareTokenMfa"],
    ...["usernameCaseSensitive", "usernameAttributes", "aliasAttributes", "appClient", "adminUser", "adminUsers", "groups", "adminPasswordRotation"],
    ...["deletionProtection", "tags", "production", "protect", "retainOnDelete", "import"],
    ...["minimumLength", "requireLowercase", "requireUppercase", "requireNumbers", "requireSymbols", "temporaryPasswordValidityDays", "passwordHistorySize"].map(
        (key) => `passwordPolicy.${key}`,
    ),
    ...["name", "refreshTokenValidityDays", "accessTokenValidityMinutes", "idTokenValidityMinutes", "explicitAuthFlows", "refreshTokenRotation", "generateSecret"].map(
        (key) => `appClient.${key}`,
    ),
    "appClient.refreshTokenRotation.enabled",
    "appClient.refreshTokenRotation.retryGracePeriodSeconds",
    ...["username", "temporaryPassword", "email", "groups", "passwordReissue", "recreate"].flatMap((key) => [`adminUser.${key}`, `adminUsers.0.${key}`]),
    ...["name", "description", "precedence"].map((key) => `groups.0.${key}`),
    ...["userPoolId", "clientId", "adminUser"].map((key) => `import.${key}`),
    "tags.team",
];

/** The JSON type of each arg path; a value of another type (but null, which means "not set") must be refused. */
const ARG_TYPES: Readonly<Record<string, "text" | "number" | "boolean" | "list" | "object">> = Object.fromEntries([
    ...["poolName", "featurePlan", "threatProtection", "mfaConfiguration", "deletionProtection", "adminPasswordRotation", "appClient.name"].map((p) => [p, "text"]),
    ...["adminUser", "adminUsers.0"].flatMap((a) => ["username", "temporaryPassword", "email", "passwordReissue", "recreate"].map((f) => [`${a}.${f}`, "text"])),
    ...["groups.0.name", "groups.0.description", "import.userPoolId", "import.clientId", "tags.team"].map((p) => [p, "text"]),
    ...["selfSignUp", "softwareTokenMfa", "usernameCaseSensitive", "production", "protect", "retainOnDelete", "import.adminUser"].map((p) => [p, "boolean"]),
    ...["appClient.generateSecret", "appClient.refreshTokenRotation.enabled"].map((p) => [p, "boolean"]),
    ...["requireLowercase", "requireUppercase", "requireNumbers", "requireSymbols"].map((f) => [`passwordPolicy.${f}`, "boolean"]),
    ...["minimumLength", "temporaryPasswordValidityDays", "passwordHistorySize"].map((f) => [`passwordPolicy.${f}`, "number"]),
    ...["refreshTokenValidityDays", "accessTokenValidityMinutes", "idTokenValidityMinutes"].map((f) => [`appClient.${f}`, "number"]),
    ...["appClient.refreshTokenRotation.retryGracePeriodSeconds", "groups.0.precedence"].map((p) => [p, "number"]),
    ...["accountRecovery", "usernameAttributes", "aliasAttributes", "appClient.explicitAuthFlows", "adminUsers", "groups", "adminUser.groups", "adminUsers.0.groups"].map((p) => [p, "list"]),
    ...["passwordPolicy", "appClient", "appClient.refreshTokenRotation", "adminUser", "tags", "import"].map((p) => [p, "object"]),
]);

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
    it("names the shape each structured arg must have, and that adminUser is required", () => {
        const admin = { username: "admin" };
        const rows: readonly [Record<string, unknown>, string, string, unknown][] = [
            [{ passwordPolicy: [] }, "passwordPolicy", "must be an object", []],
            [{ accountRecovery: "admin_only" }, "accountRecovery", "must be a list", "admin_only"],
            [{ usernameAttributes: {} }, "usernameAttributes", "must be a list", {}],
            [{ aliasAttributes: 1 }, "aliasAttributes", "must be a list", 1],
            [{ appClient: [] }, "appClient", "must be an object", []],
            [{ appClient: { explicitAuthFlows: "ALLOW_USER_SRP_AUTH" } }, "appClient.explicitAuthFlows", "must be a list", "ALLOW_USER_SRP_AUTH"],
            [{ appClient: { refreshTokenRotation: true } }, "appClient.refreshTokenRotation", "must be an object", true],
            [{ adminUser: "admin" }, "adminUser", "must be an object", "admin"],
            [{ adminUser: { ...admin, groups: ["g", 1] } }, "adminUser.groups", "must be a list of text", ["g", 1]],
            [{ adminUsers: [admin, "ops"] }, "adminUsers", "must be a list of objects", [admin, "ops"]],
            [{ adminUsers: [{ username: "ops", groups: "g" }] }, "adminUsers[0].groups", "must be a list of text", "g"],
            [{ groups: ["admins"] }, "groups", "must be a list of objects", ["admins"]],
            [{ tags: [] }, "tags", "must be an object", []],
            [{ import: "us-east-1_Abc" }, "import", "must be an object", "us-east-1_Abc"],
        ];
        for (const [change, path, rule, value] of rows) {
            assert.deepStrictEqual(totpUserPoolShapeProblems({ poolName: "p", adminUser: admin, ...change } as TotpUserPoolArgs), [{ path, rule, value }], path);
        }
        // A list's items are the rules' to check, not the shape's.
        assert.deepStrictEqual(totpUserPoolShapeProblems({ poolName: "p", adminUser: admin, accountRecovery: [1] } as unknown as TotpUserPoolArgs), []);
        assert.deepStrictEqual(totpUserPoolShapeProblems({ poolName: "p" } as TotpUserPoolArgs), [{ path: "adminUser", rule: "is required", value: undefined }]);
    });

    it("knows the JSON type of every arg path", () => {
        assert.deepStrictEqual(Object.keys(ARG_TYPES).sort(), [...ARG_PATHS].sort());
    });

    it("component args: each arg path with each JSON shape is declared, or refused naming that arg, always when of the wrong type", async () => {
        const outcomes: string[] = [];
        const accepted: TotpUserPoolArgs[] = [];
        for (const path of ARG_PATHS) {
            for (const value of WRONG_SHAPES) {
                const args = withPath(BASE_ARGS, path, value) as unknown as TotpUserPoolArgs;
                let lines: readonly string[];
                try {
                    const shape = totpUserPoolShapeProblems(args);
                    lines = (shape.length > 0 ? shape : totpUserPoolProblems(resolveTotpUserPoolArgs(args))).map((problem) => formatProblem(`args.${problem.path}`, problem));
                } catch (error) {
                    outcomes.push(`${path} = ${JSON.stringify(value)}: ${String(error)}`);
                    continue;
                }
                if (lines.length === 0) {
                    // Accepted text, numbers and booleans are declared by every other test; null, lists and objects are not.
                    if (typeof value === "object") accepted.push(args);
                    continue;
                }
                if (value !== null && jsonType(value) !== ARG_TYPES[path] && !lines.some((line) => line.startsWith(`args.${spelled(path)}:`))) {
                    outcomes.push(`${path} = ${JSON.stringify(value)}: not refused as a ${ARG_TYPES[path]}: ${lines.join("; ")}`);
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
            accepted.forEach((args, index) => {
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
