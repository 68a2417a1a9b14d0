import * as assert from "assert";
import { ARGS_VOCABULARY, checkSettings, planProblems, sortProblems } from "../deploy/components/checkSettings";
import { EnumType, ObjectType, derived, listOf, object, objectList, text, textMap, wholeNumber } from "../deploy/components/definition";
import { Problem } from "../deploy/components/problems";
import { TOTP_USER_POOL } from "../deploy/components/settings";

/** A closed set for the definitions below. */
const CODE: EnumType = { name: "Code", doc: "A code.", values: [{ value: "A", doc: "A." }, { value: "B", doc: "B." }] };

/** What a derived default saw of the other settings: each value's JavaScript type, `null` shown as such. */
const seen = (value: unknown): unknown =>
    value === null ? "null" : Array.isArray(value) ? value.map(seen) : typeof value === "object" ? Object.fromEntries(Object.entries(value).map(([key, item]) => [key, seen(item)])) : typeof value;

/** An item of a list: a required name, and a note whose default is derived. */
const ENTRY: ObjectType = {
    name: "Entry",
    doc: "An entry.",
    fields: {
        name: text("Its name.", { required: true }),
        note: text("Its note.", { default: derived("`<name>!`", (_root: unknown, entry: { name: string | null }) => (entry.name === null ? null : `${entry.name}!`)) }),
    },
};

/**
 * Settings whose derived default reports what it saw of the others: a setting left out (derived
 * too) and a list of entries; and a map with a rule of its own.
 */
const LEDGER: ObjectType = {
    name: "Ledger",
    doc: "A ledger.",
    fields: {
        first: text("Derived first: what it saw of `second` and `entries`.", {
            default: derived("what it saw", (root: { second: unknown; entries: unknown }) => JSON.stringify({ second: seen(root.second), entries: seen(root.entries) })),
        }),
        second: text("Derived from nothing.", { default: derived("`second`", () => "second") }),
        entries: objectList(ENTRY, "The entries."),
        labels: textMap("Labels, each at most 3 characters.", {
            rule: (map, path) => Object.entries(map).flatMap(([key, value]) => (value.length > 3 ? [{ path: `${path}.${key}`, rule: "must be at most 3 characters", value }] : [])),
        }),
    },
};

/** A list of codes whose derived default breaks its rule: a repeat. */
const REPEATS: ObjectType = {
    name: "Repeats",
    doc: "Repeats.",
    fields: { codes: listOf(CODE, "Codes, derived as a repeat.", { default: derived("`[A, A]`", () => ["A", "A"]) }) },
};

/** An object whose first field is itself an object: its problems sort by the fields of both. */
const NESTED: ObjectType = {
    name: "Nested",
    doc: "Nested.",
    fields: {
        inner: object({ name: "Inner", doc: "Inner.", fields: { low: wholeNumber("Low.", { min: 0, max: 9 }), high: wholeNumber("High.", { min: 0, max: 9 }) } }, "Inner."),
        size: wholeNumber("Size.", { min: 0, max: 9 }),
    },
};

/** A problem at `path` breaking `rule`. */
const at = (path: string, rule = "is wrong"): Problem => ({ path, rule, value: 1 });

describe("what the definition's checks resolve, and what derived defaults read", () => {
    it("shows a derived default another one left out as undefined, and an invalid list item as null, never an internal marker", () => {
        const { resolved } = checkSettings(LEDGER, { entries: [{ name: "a" }, 5] }, ARGS_VOCABULARY);
        assert.deepStrictEqual(JSON.parse(resolved.first as string), { second: "undefined", entries: [{ name: "string", note: "undefined" }, "null"] });
        assert.deepStrictEqual(resolved.entries, [{ name: "a", note: "a!" }, null]);
    });

    it("resolves a map that breaks its own rule to null, like any invalid value, and keeps a valid one", () => {
        const broken = checkSettings(LEDGER, { labels: { a: "long" } }, ARGS_VOCABULARY);
        assert.deepStrictEqual(broken.problems, [{ path: "labels.a", rule: "must be at most 3 characters", value: "long" }]);
        assert.strictEqual(broken.resolved.labels, null);
        assert.deepStrictEqual(checkSettings(LEDGER, { labels: { a: "ok" } }, ARGS_VOCABULARY).resolved.labels, { a: "ok" });
    });

    it("shows a derived list that breaks its rule: a default holds no secret", () => {
        const { problems, resolved } = checkSettings(REPEATS, {}, ARGS_VOCABULARY);
        assert.deepStrictEqual(problems, [{ path: "codes", rule: "must be a list of one or more of A, B, without repeats", value: ["A", "A"] }]);
        assert.strictEqual(resolved.codes, null);
    });

    it("finds no feature plan problem when no plan is known", () => {
        const resolved = { ...checkSettings(TOTP_USER_POOL, { poolName: "users", adminUser: { username: "admin" } }, ARGS_VOCABULARY).resolved, threatProtection: "AUDIT" };
        assert.deepStrictEqual(planProblems(TOTP_USER_POOL, resolved, undefined), []);
        assert.deepStrictEqual(planProblems(TOTP_USER_POOL, resolved, null), []);
        assert.deepStrictEqual(planProblems(TOTP_USER_POOL, resolved, "LITE"), [
            { path: "threatProtection", rule: "needs the PLUS feature plan (featurePlan is LITE)", value: "AUDIT" },
        ]);
    });

    describe("the order of the problems", () => {
        it("puts the items of a list in the order of their numbers, 10 and above included", () => {
            const found = ["groups[12].name", "groups[5].name", "groups[1].name", "groups[0].name"].map((path) => at(path));
            assert.deepStrictEqual(
                sortProblems(TOTP_USER_POOL, found).map((problem) => problem.path),
                ["groups[0].name", "groups[1].name", "groups[5].name", "groups[12].name"],
            );
        });

        it("follows the fields of an object that is the first field of its own", () => {
            const found = [at("size"), at("inner.high"), at("inner.low")];
            assert.deepStrictEqual(
                sortProblems(NESTED, found).map((problem) => problem.path),
                ["inner.low", "inner.high", "size"],
            );
        });

        it("keeps problems at the same place in the order they were found", () => {
            const found = [at("size", "first"), at("inner.low"), at("size", "second"), at("size", "third")];
            assert.deepStrictEqual(
                sortProblems(NESTED, found).map((problem) => `${problem.path} ${problem.rule}`),
                ["inner.low is wrong", "size first", "size second", "size third"],
            );
        });
    });
});
