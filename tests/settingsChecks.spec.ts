import * as assert from "assert";
import { validateTotpUserPoolArgs } from "../deploy/components/areaChecks";
import { ARGS_VOCABULARY, checkSettings, planProblems, sortProblems } from "../deploy/components/checkSettings";
import { EnumType, ObjectType, canHoldSecret, derived, listOf, object, objectList, settingAt, text, textMap, wholeNumber } from "../deploy/components/definition";
import { Problem, formatProblem } from "../deploy/components/problems";
import { TOTP_USER_POOL } from "../deploy/components/settings";
import { TotpUserPoolArgs } from "../deploy/components/totpUserPoolArgs";

/** Every problem the component finds in `args`, which may be of any shape. */
const problemsOf = (args: unknown): readonly Problem[] => validateTotpUserPoolArgs(args as TotpUserPoolArgs).problems;

/** The args checked against the definition alone, with their defaults filled in. */
const resolvedOf = (args: unknown): Record<string, unknown> => checkSettings(TOTP_USER_POOL, args, ARGS_VOCABULARY).resolved;

/** The message lines a user reads for `problems`. */
const linesOf = (problems: readonly Problem[]): string[] => problems.map((problem) => formatProblem(problem.path, problem));

/** The smallest valid args, with `changes` made. */
const args = (changes: Record<string, unknown>): Record<string, unknown> => ({ poolName: "users", adminUser: { username: "admin" }, ...changes });

const NAME_RULE = "must be 1 to 128 characters, each a letter, digit, space or one of + = , . @ _ -";

/** A closed set for the definitions below. */
const CODE: EnumType = { name: "Code", doc: "A code.", values: [{ value: "A", doc: "A." }, { value: "B", doc: "B." }] };

/** An object that holds a secret, and a list of codes beside it. */
const VAULT: ObjectType = {
    name: "Vault",
    doc: "A secret and its codes.",
    fields: {
        password: text("A password.", { secret: true }),
        codes: listOf(CODE, "Codes."),
    },
};

/** An item of a list whose label defaults to its name, and whose size needs a plan above 0. */
const ITEM: ObjectType = {
    name: "Item",
    doc: "An item.",
    fields: {
        name: text("Its name.", { required: true }),
        label: text("Its label, up to 5 characters.", {
            default: derived("`<name>-x`", (_root: unknown, item: { name: string | null }) => (item.name === null ? null : `${item.name}-x`), "shorten name"),
            rule: (label) => (label.length > 5 ? "must be at most 5 characters" : undefined),
        }),
        size: wholeNumber("Its size.", { min: 0, max: 9 }, {
            plan: { needs: ["PLUS"], when: "above 0", applies: (size: number) => size > 0, source: "a test" },
        }),
    },
};

/** Args of a vault, a list of items and a map of labels without a rule of its own. */
const STORE: ObjectType = {
    name: "Store",
    doc: "A store.",
    fields: {
        vault: object(VAULT, "The vault."),
        items: objectList(ITEM, "The items."),
        labels: textMap("Labels."),
    },
};

describe("the checks every setting gets from its definition", () => {
    describe("args that are not an object", () => {
        for (const given of [null, "users", ["users"], 7]) {
            it(`${JSON.stringify(given)}: one problem about the args as a whole, value not shown`, () => {
                const problems = problemsOf(given);
                assert.deepStrictEqual(problems, [{ path: "", rule: "must be an object", value: undefined, hideValue: true }]);
                assert.deepStrictEqual(linesOf(problems), [": must be an object"]);
            });
        }

        it("a problem with the args as a whole comes before any setting's", () => {
            const whole: Problem = { path: "", rule: "must be an object", value: undefined, hideValue: true };
            const name: Problem = { path: "poolName", rule: NAME_RULE, value: "a/b" };
            assert.deepStrictEqual(sortProblems(TOTP_USER_POOL, [name, whole]), [whole, name]);
        });
    });

    describe("a value of the wrong shape where a single value belongs", () => {
        it("shows a number given as a name of text", () => {
            const problems = problemsOf(args({ poolName: 5 }));
            assert.deepStrictEqual(problems, [{ path: "poolName", rule: "must be text", value: 5 }]);
            assert.deepStrictEqual(linesOf(problems), ["poolName: must be text (got 5)"]);
        });

        it("shows a number given as a feature plan", () => {
            const problems = problemsOf(args({ featurePlan: 5 }));
            assert.deepStrictEqual(problems, [{ path: "featurePlan", rule: "must be one of LITE, ESSENTIALS, PLUS", value: 5 }]);
            assert.deepStrictEqual(linesOf(problems), ["featurePlan: must be one of LITE, ESSENTIALS, PLUS (got 5)"]);
        });

        it("says an Output must be known for a setting that is not an input, without showing it", async () => {
            const given = Promise.resolve("users");
            const problems = problemsOf(args({ poolName: given }));
            assert.deepStrictEqual(problems, [{ path: "poolName", rule: "must be known while the program is built, not an Output", value: undefined, hideValue: true }]);
            assert.deepStrictEqual(linesOf(problems), ["poolName: must be known while the program is built, not an Output"]);
            assert.strictEqual(await given, "users");
        });
    });

    describe("empty values", () => {
        it("an empty adminUser is of the wrong shape, not missing, and may hold a secret", () => {
            const problems = problemsOf(args({ adminUser: "" }));
            assert.deepStrictEqual(problems, [{ path: "adminUser", rule: "must be an object", value: "", mayHoldSecret: true }]);
            assert.deepStrictEqual(linesOf(problems), ["adminUser: must be an object (value not shown: it may hold a secret)"]);
        });

        it("an empty refresh token rotation switch must be true or false", () => {
            const problems = problemsOf(args({ appClient: { refreshTokenRotation: { enabled: "" } } }));
            assert.deepStrictEqual(problems, [{ path: "appClient.refreshTokenRotation.enabled", rule: "must be true or false", value: "" }]);
        });
    });

    describe("a map of text", () => {
        it("names a value that is not text, without showing it", () => {
            const problems = problemsOf(args({ tags: { team: "identity", cost: 5 } }));
            assert.deepStrictEqual(problems, [{ path: "tags.cost", rule: "must be text", value: 5, mayHoldSecret: true }]);
            assert.deepStrictEqual(linesOf(problems), ["tags.cost: must be text (value not shown: it may hold a secret)"]);
        });

        it("never reads a key named __proto__ (from args parsed from JSON)", () => {
            const valid = JSON.parse('{"__proto__": "x", "team": "identity"}') as Record<string, unknown>;
            const tags = resolvedOf(args({ tags: valid })).tags as Record<string, unknown>;
            assert.deepStrictEqual(Object.keys(tags), ["team"]);
            const broken = JSON.parse('{"__proto__": 5, "team": "identity"}') as Record<string, unknown>;
            assert.deepStrictEqual(problemsOf(args({ tags: broken })), []);
        });

        it("takes any text when the map has no rule of its own", () => {
            assert.deepStrictEqual(checkSettings(STORE, { labels: { a: "b" } }, ARGS_VOCABULARY), {
                problems: [],
                resolved: { vault: undefined, items: undefined, labels: { a: "b" } },
            });
        });
    });

    describe("values that may hold a secret", () => {
        it("an object holds a secret when one of its fields is one", () => {
            assert.strictEqual(canHoldSecret(TOTP_USER_POOL.fields.adminUser), true);
            assert.strictEqual(canHoldSecret(object(VAULT, "A vault.")), true);
            assert.strictEqual(canHoldSecret(TOTP_USER_POOL.fields.passwordPolicy), false);
        });

        it("a list beside a secret, breaking its rule, is not shown", () => {
            const { problems } = checkSettings(STORE, { vault: { password: "hunter2", codes: ["A", "A"] } }, ARGS_VOCABULARY);
            assert.deepStrictEqual(problems, [{ path: "vault.codes", rule: "must be a list of one or more of A, B, without repeats", value: ["A", "A"], mayHoldSecret: true }]);
        });
    });

    describe("defaults derived from other settings", () => {
        it("are null when what they derive from broke a rule, and no valid-looking guess", () => {
            const resolved = resolvedOf(args({ poolName: 5, mfaConfiguration: "SOMETIMES", production: "yes" }));
            assert.strictEqual((resolved.appClient as Record<string, unknown>).name, null);
            assert.strictEqual(resolved.softwareTokenMfa, null);
            assert.strictEqual(resolved.protect, null);
            assert.strictEqual(resolved.retainOnDelete, null);
        });

        it("leave the auth flows unknown when refresh token rotation is not an object", () => {
            const resolved = resolvedOf(args({ appClient: { refreshTokenRotation: "on" } }));
            assert.strictEqual((resolved.appClient as Record<string, unknown>).explicitAuthFlows, null);
        });

        it("leave the auth flows unknown when rotation's enabled is not true or false", () => {
            const resolved = resolvedOf(args({ appClient: { refreshTokenRotation: { enabled: "yes" } } }));
            assert.strictEqual((resolved.appClient as Record<string, unknown>).explicitAuthFlows, null);
        });

        it("are filled in for each item of a list, and a broken one names the item and the remedy", () => {
            const { problems, resolved } = checkSettings(STORE, { items: [{ name: "a" }, { name: "long" }] }, ARGS_VOCABULARY);
            assert.deepStrictEqual(problems, [{ path: "items[1].label", rule: "must be at most 5 characters; shorten name", value: "long-x" }]);
            assert.deepStrictEqual(resolved.items, [
                { name: "a", label: "a-x", size: undefined },
                { name: "long", label: null, size: undefined },
            ]);
        });
    });

    describe("feature plans", () => {
        it("are checked for the fields of each item of a list", () => {
            const { resolved } = checkSettings(STORE, { items: [{ name: "a", size: 0 }, { name: "b", size: 3 }] }, ARGS_VOCABULARY);
            assert.deepStrictEqual(planProblems(STORE, resolved, "LITE"), [{ path: "items[1].size", rule: "needs the PLUS feature plan (featurePlan is LITE)", value: 3 }]);
        });
    });

    describe("the order of the problems", () => {
        it("follows the fields of a group, whichever check found each", () => {
            const problems = problemsOf(args({ groups: [{ name: "ops" }, { name: "ops", precedence: -1 }] }));
            assert.deepStrictEqual(linesOf(problems), [
                'groups[1].name: must be unique among the groups (got "ops")',
                "groups[1].precedence: must be a whole number from 0 to 2147483647 (got -1)",
            ]);
        });

        it("puts an object's own problem before its fields'", () => {
            const problems = problemsOf(args({ appClient: { refreshTokenRotation: { enabled: true, retryGracePeriodSeconds: 99 } } }));
            assert.deepStrictEqual(linesOf(problems), [
                "appClient.refreshTokenRotation: needs the ESSENTIALS or PLUS feature plan (featurePlan is LITE)",
                "appClient.refreshTokenRotation.retryGracePeriodSeconds: must be a whole number from 0 to 60 seconds (got 99)",
            ]);
        });
    });

    describe("the setting at a path", () => {
        const USERNAME_DOC = "The admin's username: 1 to 128 characters, no spaces.";

        it("is found in an object and in a list, in either spelling", () => {
            assert.strictEqual(settingAt(TOTP_USER_POOL, "adminUser.username")?.doc, USERNAME_DOC);
            assert.strictEqual(settingAt(TOTP_USER_POOL, "adminUsers[].username")?.doc, USERNAME_DOC);
            assert.strictEqual(settingAt(TOTP_USER_POOL, "adminUsers[12].username")?.doc, USERNAME_DOC);
            assert.strictEqual(settingAt(TOTP_USER_POOL, "groups[0].name")?.doc, "The group's name: 1 to 128 characters, no spaces, unique.");
        });

        it("is none under a single value, nor for a name every object has", () => {
            assert.strictEqual(settingAt(TOTP_USER_POOL, "poolName.length"), undefined);
            assert.strictEqual(settingAt(TOTP_USER_POOL, "constructor"), undefined);
            assert.strictEqual(settingAt(TOTP_USER_POOL, "adminUser.toString"), undefined);
        });
    });
});
