/**
 * Reading a StrykerJS mutation report: the score per file and overall, and the survivors set
 * against the committed list of equivalent ones (tests/mutation/survivors.yaml), each with its
 * reason. Pure: the command (cli.ts) runs Stryker and prints.
 */
import { z } from "zod";
import { StaleSource } from "./incremental";

/** One mutant, as Stryker's JSON report (mutation-testing-report-schema) holds it. */
export interface ReportMutant {
    /** The mutator, such as `ConditionalExpression`. */
    readonly mutatorName: string;
    /** The code that replaced the original. */
    readonly replacement?: string;
    /** Where the original code is; lines and columns start at 1. */
    readonly location: { readonly start: { readonly line: number; readonly column: number }; readonly end: { readonly line: number; readonly column: number } };
    /** `Killed`, `Survived`, `NoCoverage`, `Timeout`, `CompileError`, `RuntimeError`, `Ignored` or `Pending`. */
    readonly status: string;
}

/** The part of Stryker's JSON report this module reads. */
export interface MutationReport {
    /** Each mutated file by its path relative to the repository's root, with its source. */
    readonly files: Readonly<Record<string, { readonly source: string; readonly mutants: readonly ReportMutant[] }>>;
}

/** A mutant and what it changes, as the list names it (with no line number): a survivor when its status is `Survived` or `NoCoverage`. */
export interface Survivor {
    /** The file, relative to the repository's root. */
    readonly file: string;
    /** The mutator. */
    readonly mutator: string;
    /** The original code. */
    readonly original: string;
    /** The code that replaced it. */
    readonly replacement: string;
    /** The line it is on today, for people; not part of its identity. */
    readonly line: number;
    /** That line's text, trimmed: what tells apart the same change made on two lines. */
    readonly context: string;
    /** `Survived`, or `NoCoverage` when no test runs that code at all. */
    readonly status: string;
}

/** One entry of the committed list: a survivor, and why it is equivalent (no behaviour differs). */
export interface ListedSurvivor {
    readonly file: string;
    readonly mutator: string;
    readonly original: string;
    readonly replacement: string;
    /**
     * Part of the text of its line. Required where file, mutator, original and replacement alone fit
     * more than one mutant of the report, killed ones included: without it the entry would explain a
     * survivor that shows up later at another place.
     */
    readonly context?: string;
    /** Why no test can kill it: the mutant behaves exactly like the original. */
    readonly reason: string;
}

/** The score of one file, or of all of them. */
export interface FileScore {
    readonly file: string;
    readonly killed: number;
    readonly timeout: number;
    readonly survived: number;
    readonly noCoverage: number;
    /** Detected (killed or timed out) over detected and undetected, in percent; Stryker's "mutation score". */
    readonly score: number;
}

/** What a report says, read against the list. */
export interface MutationSummary {
    readonly files: readonly FileScore[];
    readonly overall: FileScore;
    /** Survivors the list does not explain: each needs a test, or an entry with its reason. */
    readonly unlisted: readonly Survivor[];
    /** Entries that no longer match a survivor: a test kills it now, or the code moved on. */
    readonly stale: readonly ListedSurvivor[];
    /** Entries without a context that fit more than one mutant: each needs its `context`. */
    readonly ambiguous: readonly ListedSurvivor[];
}

const listSchema = z.array(
    z.strictObject({
        file: z.string().min(1),
        mutator: z.string().min(1),
        original: z.string(),
        replacement: z.string(),
        context: z.string().min(1).optional(),
        reason: z.string().min(1),
    }),
);

/** Checks the parsed survivors list; throws naming the first bad entry. */
export function parseSurvivorList(document: unknown, name: string): ListedSurvivor[] {
    const parsed = listSchema.safeParse(document ?? []);
    if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(`${name}: entry ${issue.path.join(".")}: ${issue.message}`);
    }
    const unexplained = parsed.data.find((entry) => entry.reason.startsWith("<"));
    if (unexplained) throw new Error(`${name}: the entry for ${unexplained.file} ${unexplained.mutator} ${JSON.stringify(unexplained.original)} must say why it is equivalent`);
    return parsed.data;
}

/** The code between two report positions (1-based lines and columns). */
function sourceAt(source: string, location: ReportMutant["location"]): string {
    const lines = source.split("\n");
    const offset = (position: { line: number; column: number }) =>
        lines.slice(0, position.line - 1).reduce((sum, line) => sum + line.length + 1, 0) + position.column - 1;
    return source.slice(offset(location.start), offset(location.end));
}

const key = (entry: { file: string; mutator: string; original: string; replacement: string }) =>
    JSON.stringify([entry.file, entry.mutator, entry.original, entry.replacement]);

/** Whether `entry` explains `survivor`: the same change, on a line holding the entry's context if it has one. */
const explains = (entry: ListedSurvivor, survivor: Survivor) => key(entry) === key(survivor) && (entry.context === undefined || survivor.context.includes(entry.context));

function score(file: string, mutants: readonly ReportMutant[]): FileScore {
    const count = (status: string) => mutants.filter((mutant) => mutant.status === status).length;
    const [killed, timeout, survived, noCoverage] = ["Killed", "Timeout", "Survived", "NoCoverage"].map(count);
    const detected = killed + timeout;
    const valid = detected + survived + noCoverage;
    return { file, killed, timeout, survived, noCoverage, score: valid === 0 ? 100 : (detected / valid) * 100 };
}

/**
 * The report's scores, and its survivors against `listed`. An entry explains every survivor with
 * the same file, mutator, original and replacement on a line holding its context, if it has one;
 * an entry without one that fits more than one mutant of the report is ambiguous.
 */
export function summarize(report: MutationReport, listed: readonly ListedSurvivor[]): MutationSummary {
    const files = Object.keys(report.files).sort();
    const mutants = files.flatMap((file) => {
        const { source, mutants: reported } = report.files[file];
        const lines = source.split("\n");
        return reported.map((mutant): Survivor => ({
            file,
            mutator: mutant.mutatorName,
            original: sourceAt(source, mutant.location),
            replacement: mutant.replacement ?? "",
            line: mutant.location.start.line,
            context: lines[mutant.location.start.line - 1].trim(),
            status: mutant.status,
        }));
    });
    const survivors = mutants.filter((mutant) => mutant.status === "Survived" || mutant.status === "NoCoverage");
    const mutantsOfChange = new Map<string, number>();
    for (const mutant of mutants) mutantsOfChange.set(key(mutant), (mutantsOfChange.get(key(mutant)) ?? 0) + 1);
    return {
        files: files.map((file) => score(file, report.files[file].mutants)),
        overall: score("All files", files.flatMap((file) => report.files[file].mutants)),
        unlisted: survivors.filter((survivor) => !listed.some((entry) => explains(entry, survivor))),
        stale: listed.filter((entry) => !survivors.some((survivor) => explains(entry, survivor))),
        ambiguous: listed.filter((entry) => entry.context === undefined && (mutantsOfChange.get(key(entry)) ?? 0) > 1),
    };
}

/** The score table, as the command prints it. */
export function scoreTable(summary: MutationSummary): string[] {
    const rows = [...summary.files, summary.overall].map((row) => [
        row.file,
        row.score.toFixed(2),
        String(row.killed),
        String(row.timeout),
        String(row.survived),
        String(row.noCoverage),
    ]);
    const header = ["File", "Score %", "Killed", "Timeout", "Survived", "No coverage"];
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
    const line = (cells: string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join("  ");
    return [line(header), ...rows.slice(0, -1).map(line), widths.map((width) => "-".repeat(width)).join("  "), line(rows[rows.length - 1])];
}

/** A survivor as a YAML entry to paste into the list, with the reason left for a person to write. */
export function survivorEntry(survivor: Survivor): string {
    return [
        `- file: ${survivor.file}  # line ${survivor.line}, ${survivor.status}`,
        `  mutator: ${survivor.mutator}`,
        `  original: ${JSON.stringify(survivor.original)}`,
        `  replacement: ${JSON.stringify(survivor.replacement)}`,
        `  context: ${JSON.stringify(survivor.context)}`,
        `  reason: <why no behaviour differs, or write a test instead>`,
    ].join("\n");
}

/** The statuses whose result a later run may reuse: the mutant was detected. */
const DETECTED = new Set(["Killed", "Timeout", "CompileError", "RuntimeError"]);

/**
 * The incremental file without its undetected mutants, so that the next run tests each of them
 * again. Under `coverageAnalysis: "all"` Stryker 9 knows no test's coverage, so it reuses every
 * result whose code did not change: a survivor would stay a survivor after the test that kills it
 * is added. A detected mutant stays detected until its code changes (`--force` tests all).
 */
export function withoutUndetected<T extends { readonly files: Readonly<Record<string, { readonly mutants: readonly { readonly status: string }[] }>> }>(incremental: T): T {
    const files = Object.fromEntries(
        Object.entries(incremental.files).map(([name, file]) => [name, { ...file, mutants: file.mutants.filter((mutant) => DETECTED.has(mutant.status)) }]),
    );
    return { ...incremental, files };
}

/**
 * What the next run starts from: the incremental file whole when nothing it records changed and no
 * survivor is to be tested again by request; without its undetected mutants otherwise, since
 * Stryker itself would keep a survivor after the test that kills it is added.
 */
export function resultsToReuse<T extends { readonly files: Readonly<Record<string, { readonly mutants: readonly { readonly status: string }[] }>> }>(
    incremental: T,
    changed: readonly StaleSource[],
    retestSurvivors: boolean,
): T {
    return retestSurvivors || changed.length > 0 ? withoutUndetected(incremental) : incremental;
}
