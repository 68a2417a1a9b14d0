/**
 * `npm run mutation`: StrykerJS over the validation core (stryker.config.json), incremental
 * (tests/mutation/incremental.json, committed: detected mutants are reused until their code changes;
 * survivors are tested again whenever a mutated file or a spec differs from what the file recorded,
 * and reused when none does). It prints the score per file and overall, then
 * checks the survivors against tests/mutation/survivors.yaml, where each one left has the reason
 * it is equivalent. It fails below the config's break threshold, and on any survivor the list
 * does not explain or any entry that no longer survives.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { CommandSpec, EXIT, UsageError, runCommand, runMain } from "../../deploy/commandLine";
import { IncrementalFile, StaleSource, committedText, staleSources } from "./incremental";
import { MutationReport, parseSurvivorList, resultsToReuse, scoreTable, summarize, survivorEntry } from "./score";

const ROOT = path.resolve(__dirname, "..", "..");
/** Stryker's config: what is mutated, which specs run, the thresholds. */
export const STRYKER_CONFIG = "stryker.config.json";
/** Where Stryker reads and writes the incremental results during a run (reports/ is not committed). */
export const WORKING_INCREMENTAL_FILE = "reports/mutation/incremental.json";
/** The survivors that no test can kill, each with its reason. */
export const SURVIVORS_FILE = "tests/mutation/survivors.yaml";

export const MUTATION_COMMAND: CommandSpec = {
    name: "npm run mutation --",
    summary: "Mutation testing of the validation core with StrykerJS: the score per file and overall, and the survivors left unexplained.",
    usage: ["[--force | --survivors]", "--report <mutation.json>"],
    options: {
        force: { type: "boolean", description: "Test every mutant again, ignoring the incremental file (a full run: up to an hour on 2 cores)." },
        survivors: {
            type: "boolean",
            description: "Test the undetected mutants again though no mutated file or spec changed (after a change to a helper the specs import).",
        },
        report: { type: "string", value: "<file>", description: "Read this Stryker JSON report instead of running Stryker." },
    },
    footer: [
        `Exit status: 0 the score is at least the break threshold of ${STRYKER_CONFIG} and every survivor is in ${SURVIVORS_FILE};`,
        "1 it is not, or Stryker failed; 2 usage error.",
    ].join("\n"),
};

interface StrykerConfig {
    readonly mutate: readonly string[];
    readonly mochaOptions: { readonly spec: readonly string[] };
    readonly incrementalFile: string;
    readonly thresholds: { readonly break: number };
    readonly jsonReporter: { readonly fileName: string };
}

/** The files `config` has Stryker mutate and run whose source in `root` is not what `incremental` recorded. */
function changedSince(config: StrykerConfig, incremental: IncrementalFile, root: string): StaleSource[] {
    const read = (file: string) => (fs.existsSync(path.join(root, file)) ? fs.readFileSync(path.join(root, file), "utf8") : undefined);
    return staleSources({ mutate: config.mutate, specs: config.mochaOptions.spec }, incremental, read);
}

/** The files Stryker mutates and runs whose source is not what the committed incremental file recorded, read from this checkout. */
export function sourcesChangedSinceRecorded(root: string = ROOT): StaleSource[] {
    const config = JSON.parse(fs.readFileSync(path.join(root, STRYKER_CONFIG), "utf8")) as StrykerConfig;
    return changedSince(config, JSON.parse(fs.readFileSync(path.join(root, config.incrementalFile), "utf8")) as IncrementalFile, root);
}

export async function main(argv: readonly string[]): Promise<number> {
    return runCommand(MUTATION_COMMAND, argv, async ({ values }) => {
        if (values.survivors === true && (values.force === true || typeof values.report === "string")) {
            throw new UsageError("--survivors goes with neither --force (which tests every mutant) nor --report (which runs nothing)");
        }
        const config = JSON.parse(fs.readFileSync(path.join(ROOT, STRYKER_CONFIG), "utf8")) as StrykerConfig;
        const reportFile = typeof values.report === "string" ? path.resolve(values.report) : path.join(ROOT, config.jsonReporter.fileName);
        if (typeof values.report !== "string") {
            // An old report must not pass for this run's.
            fs.rmSync(reportFile, { force: true });
            // Stryker reads and writes a working copy: the committed file changes only when a result does.
            const committed = path.join(ROOT, config.incrementalFile);
            const working = path.join(ROOT, WORKING_INCREMENTAL_FILE);
            fs.rmSync(working, { force: true });
            if (!values.force && fs.existsSync(committed)) {
                const incremental = JSON.parse(fs.readFileSync(committed, "utf8")) as MutationReport & IncrementalFile;
                const changed = changedSince(config, incremental, ROOT);
                const retest = values.survivors === true;
                process.stdout.write(
                    changed.length > 0
                        ? `Changed since ${config.incrementalFile}: ${changed.map(({ file, why }) => `${file} (${why})`).join(", ")}; the undetected mutants run again.\n`
                        : retest
                          ? "--survivors: the undetected mutants run again.\n"
                          : `No mutated file or spec changed since ${config.incrementalFile}: every result is reused.\n`,
                );
                fs.mkdirSync(path.dirname(working), { recursive: true });
                fs.writeFileSync(working, JSON.stringify(resultsToReuse(incremental, changed, retest)));
            }
            const stryker = path.join(ROOT, "node_modules", ".bin", "stryker");
            const run = spawnSync(stryker, ["run", "--incrementalFile", working, ...(values.force ? ["--force"] : [])], { cwd: ROOT, stdio: "inherit" });
            // Below the break threshold Stryker exits 1 too; the report says which.
            if (!fs.existsSync(reportFile) || !fs.existsSync(working) || run.error) {
                process.stderr.write(`error: Stryker did not write ${path.relative(ROOT, reportFile)} (exit ${run.status ?? run.error?.message})\n`);
                return EXIT.failed;
            }
            const text = committedText(JSON.parse(fs.readFileSync(working, "utf8")) as Record<string, unknown>);
            const before = fs.existsSync(committed) ? fs.readFileSync(committed, "utf8") : undefined;
            if (text !== before) {
                fs.writeFileSync(committed, text);
                process.stdout.write(`\nResults changed: ${config.incrementalFile} rewritten; commit it with the change that caused it.\n`);
            } else {
                process.stdout.write(`\nNo result changed: ${config.incrementalFile} is as committed.\n`);
            }
        }
        const report = JSON.parse(fs.readFileSync(reportFile, "utf8")) as MutationReport;
        const listed = parseSurvivorList(parse(fs.readFileSync(path.join(ROOT, SURVIVORS_FILE), "utf8")), SURVIVORS_FILE);
        const summary = summarize(report, listed);
        const lines = ["", "Mutation score of the validation core:", "", ...scoreTable(summary), ""];
        const low = summary.overall.score < config.thresholds.break;
        lines.push(
            low
                ? `FAILED: ${summary.overall.score.toFixed(2)}% is below the break threshold of ${config.thresholds.break}% (${STRYKER_CONFIG}).`
                : `The score, ${summary.overall.score.toFixed(2)}%, is at least the break threshold of ${config.thresholds.break}%.`,
        );
        const explained = summary.overall.survived + summary.overall.noCoverage - summary.unlisted.length;
        lines.push(`${explained} survivors are equivalent mutants, each with its reason in ${SURVIVORS_FILE}.`);
        if (summary.unlisted.length > 0) {
            lines.push(
                "",
                `FAILED: ${summary.unlisted.length} survivors are not in ${SURVIVORS_FILE}. Kill each with a test of behaviour,`,
                "or, if no behaviour differs, add it with the reason:",
                "",
                ...summary.unlisted.map(survivorEntry),
            );
        }
        if (summary.ambiguous.length > 0) {
            lines.push("", `FAILED: ${summary.ambiguous.length} entries of ${SURVIVORS_FILE} fit more than one mutant; give each a context, part of the text of its line:`);
            lines.push(...summary.ambiguous.map((entry) => `  - ${entry.file} ${entry.mutator} ${JSON.stringify(entry.original)} → ${JSON.stringify(entry.replacement)}`));
        }
        if (summary.stale.length > 0) {
            lines.push("", `FAILED: ${summary.stale.length} entries of ${SURVIVORS_FILE} no longer survive; remove them:`);
            lines.push(...summary.stale.map((entry) => `  - ${entry.file} ${entry.mutator} ${JSON.stringify(entry.original)} → ${JSON.stringify(entry.replacement)}`));
        }
        process.stdout.write(lines.join("\n") + "\n");
        return low || summary.unlisted.length > 0 || summary.stale.length > 0 || summary.ambiguous.length > 0 ? EXIT.failed : EXIT.ok;
    });
}

if (require.main === module) runMain(main);
