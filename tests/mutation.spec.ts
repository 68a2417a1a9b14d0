import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { SURVIVORS_FILE, main, sourcesChangedSinceRecorded } from "../tools/mutation/cli";
import { IncrementalFile, committedText, staleSources } from "../tools/mutation/incremental";
import { MutationReport, parseSurvivorList, resultsToReuse, scoreTable, summarize, survivorEntry, withoutUndetected } from "../tools/mutation/score";
import { ROOT, runInProcess } from "./support";

const SOURCE = ["export function limit(n: number) {", "    return n >= 8 && n <= 99;", "}"].join("\n");

/** A report of one file: `>=` survives as `>`, `&&` is killed, `99` times out, one mutant runs under no test. */
const REPORT: MutationReport = {
    files: {
        "deploy/limit.ts": {
            source: SOURCE,
            mutants: [
                { mutatorName: "EqualityOperator", replacement: "n > 8", status: "Survived", location: { start: { line: 2, column: 12 }, end: { line: 2, column: 18 } } },
                { mutatorName: "LogicalOperator", replacement: "n >= 8 || n <= 99", status: "Killed", location: { start: { line: 2, column: 12 }, end: { line: 2, column: 29 } } },
                { mutatorName: "EqualityOperator", replacement: "n < 99", status: "Timeout", location: { start: { line: 2, column: 22 }, end: { line: 2, column: 29 } } },
                { mutatorName: "BlockStatement", replacement: "{}", status: "NoCoverage", location: { start: { line: 1, column: 34 }, end: { line: 3, column: 2 } } },
                { mutatorName: "StringLiteral", replacement: '""', status: "Ignored", location: { start: { line: 1, column: 1 }, end: { line: 1, column: 2 } } },
            ],
        },
    },
};

const LISTED = {
    file: "deploy/limit.ts",
    mutator: "EqualityOperator",
    original: "n >= 8",
    replacement: "n > 8",
    reason: "8 is refused elsewhere first",
};

describe("npm run mutation's reading of a Stryker report", () => {
    it("scores each file and all of them as Stryker does: killed and timed out over all but ignored", () => {
        const summary = summarize(REPORT, [LISTED]);
        const expected = { file: "deploy/limit.ts", killed: 1, timeout: 1, survived: 1, noCoverage: 1, score: 50 };
        assert.deepStrictEqual(summary.files, [expected]);
        assert.deepStrictEqual(summary.overall, { ...expected, file: "All files" });
        assert.deepStrictEqual(scoreTable(summary), [
            "File             Score %  Killed  Timeout  Survived  No coverage",
            "deploy/limit.ts    50.00       1        1         1            1",
            "---------------  -------  ------  -------  --------  -----------",
            "All files          50.00       1        1         1            1",
        ]);
    });

    it("names survivors by file, mutator, original code and replacement, never by line, and finds those not listed", () => {
        const summary = summarize(REPORT, [LISTED]);
        assert.deepStrictEqual(summary.unlisted, [
            {
                file: "deploy/limit.ts",
                mutator: "BlockStatement",
                original: SOURCE.slice(SOURCE.indexOf("{")),
                replacement: "{}",
                line: 1,
                context: "export function limit(n: number) {",
                status: "NoCoverage",
            },
        ]);
        assert.deepStrictEqual([summary.stale, summary.ambiguous], [[], []]);
        assert.strictEqual(
            survivorEntry(summary.unlisted[0]),
            [
                "- file: deploy/limit.ts  # line 1, NoCoverage",
                "  mutator: BlockStatement",
                `  original: ${JSON.stringify(SOURCE.slice(SOURCE.indexOf("{")))}`,
                '  replacement: "{}"',
                '  context: "export function limit(n: number) {"',
                "  reason: <why no behaviour differs, or write a test instead>",
            ].join("\n"),
        );
    });

    it("needs a context for an entry that fits the same change on two lines, and then explains only the survivor on its line", () => {
        const source = ["const a = [];", "const b = [];"].join("\n");
        const at = (line: number, status: string) => ({ mutatorName: "ArrayDeclaration", replacement: '["x"]', status, location: { start: { line, column: 11 }, end: { line, column: 13 } } });
        const report = { files: { "deploy/two.ts": { source, mutants: [at(1, "Survived"), at(2, "Killed")] } } };
        const entry = { file: "deploy/two.ts", mutator: "ArrayDeclaration", original: "[]", replacement: '["x"]', reason: "a is never read" };
        const plain = summarize(report, [entry]);
        assert.deepStrictEqual([plain.ambiguous, plain.unlisted, plain.stale], [[entry], [], []]);
        const onA = summarize(report, [{ ...entry, context: "const a" }]);
        assert.deepStrictEqual([onA.ambiguous, onA.unlisted, onA.stale], [[], [], []]);
        const bSurvives = { files: { "deploy/two.ts": { source, mutants: [at(1, "Survived"), at(2, "Survived")] } } };
        assert.deepStrictEqual(summarize(bSurvives, [{ ...entry, context: "const a" }]).unlisted.map((survivor) => survivor.line), [2]);
        assert.deepStrictEqual(summarize(report, [{ ...entry, context: "const b" }]).stale, [{ ...entry, context: "const b" }]);
    });

    it("reports a listed survivor that a test now kills as stale", () => {
        const killed = { ...REPORT.files["deploy/limit.ts"], mutants: REPORT.files["deploy/limit.ts"].mutants.map((m) => ({ ...m, status: m.status === "Survived" ? "Killed" : m.status })) };
        assert.deepStrictEqual(summarize({ files: { "deploy/limit.ts": killed } }, [LISTED]).stale, [LISTED]);
    });

    it("refuses a list entry without a reason, or with the placeholder reason", () => {
        assert.throws(() => parseSurvivorList([{ ...LISTED, reason: "" }], "list.yaml"), { message: "list.yaml: entry 0.reason: Too small: expected string to have >=1 characters" });
        assert.throws(() => parseSurvivorList([{ ...LISTED, reason: "<why>" }], "list.yaml"), {
            message: 'list.yaml: the entry for deploy/limit.ts EqualityOperator "n >= 8" must say why it is equivalent',
        });
    });

    it("keeps only detected mutants in the incremental file, so that every survivor runs again", () => {
        const kept = withoutUndetected({ schemaVersion: "2", files: REPORT.files, testFiles: {} });
        assert.deepStrictEqual(kept.files["deploy/limit.ts"].mutants.map((m) => m.status), ["Killed", "Timeout"]);
        assert.deepStrictEqual([kept.schemaVersion, kept.testFiles, kept.files["deploy/limit.ts"].source], ["2", {}, SOURCE]);
        const errors = { files: { f: { mutants: ["CompileError", "RuntimeError", "Pending"].map((status) => ({ status })) } } };
        assert.deepStrictEqual(withoutUndetected(errors).files.f.mutants, [{ status: "CompileError" }, { status: "RuntimeError" }]);
    });

    it("reuses every result when nothing changed, and tests the undetected again after a change or when asked", () => {
        const incremental = { files: REPORT.files };
        assert.strictEqual(resultsToReuse(incremental, [], false), incremental);
        const detected = ["Killed", "Timeout"];
        assert.deepStrictEqual(resultsToReuse(incremental, [{ file: "tests/a.spec.ts", why: "changed" }], false).files["deploy/limit.ts"].mutants.map((m) => m.status), detected);
        assert.deepStrictEqual(resultsToReuse(incremental, [], true).files["deploy/limit.ts"].mutants.map((m) => m.status), detected);
    });

    it("refuses --survivors with --force or --report, before running anything", async () => {
        for (const other of [["--force"], ["--report", "reports/none.json"]]) {
            const run = await runInProcess(main, ["--survivors", ...other]);
            assert.strictEqual(run.status, 2);
            assert.match(run.stderr, /--survivors goes with neither --force \(which tests every mutant\) nor --report \(which runs nothing\)/);
        }
    });

    it("reads the committed list, in which every entry has a reason", () => {
        const listed = parseSurvivorList(parse(fs.readFileSync(path.join(ROOT, SURVIVORS_FILE), "utf8")), SURVIVORS_FILE);
        assert.ok(listed.every((entry) => entry.reason.length > 0));
    });
});

describe("the committed incremental file (tests/mutation/incremental.json)", () => {
    const SCOPE = { mutate: ["deploy/a.ts", "deploy/b.ts"], specs: ["tests/a.spec.ts"] };
    const NOW: Record<string, string> = { "deploy/a.ts": "a", "deploy/b.ts": "b", "tests/a.spec.ts": "spec" };
    const RECORDED: IncrementalFile = {
        files: { "deploy/a.ts": { source: "a" }, "deploy/b.ts": { source: "b" } },
        testFiles: { "tests/a.spec.ts": { source: "spec" } },
    };
    const read = (files: Record<string, string>) => (file: string) => files[file];

    it("is current when every mutated file and spec is as recorded", () => {
        assert.deepStrictEqual(staleSources(SCOPE, RECORDED, read(NOW)), []);
    });

    it("is stale when a mutated file or a spec changed, is new, is gone, or left the scope", () => {
        assert.deepStrictEqual(staleSources(SCOPE, RECORDED, read({ ...NOW, "deploy/b.ts": "b2", "tests/a.spec.ts": "spec2" })), [
            { file: "deploy/b.ts", why: "changed" },
            { file: "tests/a.spec.ts", why: "changed" },
        ]);
        assert.deepStrictEqual(staleSources({ ...SCOPE, specs: ["tests/a.spec.ts", "tests/b.spec.ts"] }, RECORDED, read({ ...NOW, "tests/b.spec.ts": "" })), [
            { file: "tests/b.spec.ts", why: "not recorded" },
        ]);
        assert.deepStrictEqual(staleSources(SCOPE, RECORDED, read({ "deploy/a.ts": "a", "tests/a.spec.ts": "spec" })), [{ file: "deploy/b.ts", why: "removed" }]);
        assert.deepStrictEqual(staleSources({ ...SCOPE, mutate: ["deploy/a.ts"] }, RECORDED, read(NOW)), [{ file: "deploy/b.ts", why: "out of scope" }]);
        assert.deepStrictEqual(staleSources(SCOPE, { files: RECORDED.files }, read(NOW)), [{ file: "tests/a.spec.ts", why: "not recorded" }]);
    });

    it("is committed without what differs between checkouts (projectRoot, config, framework), keys in order, ending with a line break", () => {
        const tested = { status: "Killed", static: true, testsCompleted: 1, killedBy: ["0", "1"] };
        const reused = { killedBy: ["0", "1"], testsCompleted: 1, status: "Killed", static: true };
        const report = { files: { f: { source: "x", mutants: [tested] } }, schemaVersion: "1.0", thresholds: { high: 97 }, testFiles: {}, projectRoot: "/work/main", config: { incrementalFile: "/tmp/x.json" }, framework: { name: "StrykerJS" } };
        const text = committedText(report);
        assert.strictEqual(
            text,
            `${JSON.stringify({ files: { f: { mutants: [{ killedBy: ["0", "1"], static: true, status: "Killed", testsCompleted: 1 }], source: "x" } }, schemaVersion: "1.0", testFiles: {}, thresholds: { high: 97 } }, null, 2)}\n`,
        );
        assert.strictEqual(committedText({ ...report, projectRoot: "/tmp/fresh-clone", files: { f: { source: "x", mutants: [reused] } } }), text, "the same results give the same text anywhere");
    });

    it("gives a survivor the same text whether Stryker wrote it with an empty killedBy or without one", () => {
        const survivor = { status: "Survived", static: true, testsCompleted: 674, coveredBy: [] };
        const text = (mutant: object) => committedText({ files: { f: { source: "x", mutants: [mutant] } } });
        assert.strictEqual(text({ ...survivor, killedBy: [] }), text(survivor));
        assert.match(text({ ...survivor, status: "Killed", killedBy: ["3"] }), /"killedBy": \[\n\s+"3"\n\s+\]/);
    });

    it("lists each file's mutants in source order, whatever order Stryker wrote them in", () => {
        const at = (line: number, column: number, mutatorName: string) => ({ mutatorName, location: { start: { line, column }, end: { line, column: column + 1 } } });
        const mutants = [at(3, 1, "A"), at(1, 9, "B"), at(1, 2, "C"), at(1, 2, "A")];
        const order = (text: string) => (JSON.parse(text) as { files: { f: { mutants: { mutatorName: string }[] } } }).files.f.mutants.map((m) => m.mutatorName);
        assert.deepStrictEqual(order(committedText({ files: { f: { source: "", mutants } } })), ["A", "C", "B", "A"]);
        assert.strictEqual(committedText({ files: { f: { source: "", mutants } } }), committedText({ files: { f: { source: "", mutants: [...mutants].reverse() } } }));
    });

    it("records the sources of exactly the files Stryker mutates and the specs it runs, as they are now (else run npm run mutation and commit it)", () => {
        const stale = sourcesChangedSinceRecorded(ROOT);
        assert.deepStrictEqual(
            stale,
            [],
            `tests/mutation/incremental.json lags behind ${stale.map(({ file, why }) => `${file} (${why})`).join(", ")}: ` +
                "`npm run mutation` would test again every mutant they touch. Run it, and commit the file it rewrites with the change.",
        );
    });
});
