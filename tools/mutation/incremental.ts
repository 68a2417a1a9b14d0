/**
 * The committed incremental file of the mutation run (tests/mutation/incremental.json): whether it
 * is current, and the form it is committed in. Pure: the command (cli.ts) runs Stryker, and
 * tests/mutation.spec.ts checks the committed file against the sources.
 *
 * Stryker's incremental file records the source of every file it mutated (`files[path].source`) and
 * of every spec file it ran (`testFiles[path].source`). When each equals the file as it is now,
 * `npm run mutation` reuses every result and writes the same file back; when one differs, Stryker
 * tests again the mutants of changed code, those the changed specs killed and every survivor, which
 * takes minutes to an hour, and rewrites the file.
 */

/** The part of Stryker's incremental file this module reads. */
export interface IncrementalFile {
    /** Each mutated file, by its path from the repository's root, with the source Stryker saw. */
    readonly files: Readonly<Record<string, { readonly source: string }>>;
    /** Each spec file Stryker ran, likewise. */
    readonly testFiles?: Readonly<Record<string, { readonly source?: string }>>;
}

/** What Stryker mutates and runs (stryker.config.json's `mutate` and `mochaOptions.spec`). */
export interface MutationScope {
    /** The files Stryker mutates. */
    readonly mutate: readonly string[];
    /** The spec files Stryker runs. */
    readonly specs: readonly string[];
}

/** A file whose recorded source is not the file as it is now. */
export interface StaleSource {
    /** The file, from the repository's root. */
    readonly file: string;
    /** `changed` since the run, `not recorded` (new to the scope, or the run never saw it), `removed`, or `out of scope` (recorded, no longer mutated or run). */
    readonly why: "changed" | "not recorded" | "removed" | "out of scope";
}

/**
 * The files of `scope` whose source differs from what `incremental` recorded, and the recorded
 * files no longer in scope; `read` gives a file's text now, or `undefined` where there is none.
 * Empty when the incremental file is current.
 */
export function staleSources(scope: MutationScope, incremental: IncrementalFile, read: (file: string) => string | undefined): StaleSource[] {
    const stale: StaleSource[] = [];
    const check = (wanted: readonly string[], recorded: Readonly<Record<string, { readonly source?: string }>>) => {
        for (const file of wanted) {
            const now = read(file);
            if (now === undefined) stale.push({ file, why: "removed" });
            else if (recorded[file]?.source === undefined) stale.push({ file, why: "not recorded" });
            else if (recorded[file].source !== now) stale.push({ file, why: "changed" });
        }
        for (const file of Object.keys(recorded)) {
            if (!wanted.includes(file)) stale.push({ file, why: "out of scope" });
        }
    };
    check(scope.mutate, incremental.files);
    check(scope.specs, incremental.testFiles ?? {});
    return stale;
}

/**
 * Stryker's incremental file as it is committed: its results and the sources they hold, without
 * what differs from one checkout or machine to the next (`projectRoot`, the absolute path it ran
 * in; `config`, every option with defaults, the incremental file's own path among them;
 * `framework`, Stryker's name and logo), with every object's keys in order (Stryker writes a
 * reused mutant's keys in another order than a tested one's), no empty `killedBy`, and a final
 * line break. A run that changed no result gives back the same text.
 */
export function committedText(report: Readonly<Record<string, unknown>>): string {
    const kept: Record<string, unknown> = Object.fromEntries(Object.entries(report).filter(([key]) => !MACHINE_KEYS.has(key)));
    const files = kept.files as Record<string, { mutants?: ReportedMutant[] }> | undefined;
    if (files) {
        kept.files = Object.fromEntries(
            Object.entries(files).map(([name, file]) => [name, file.mutants ? { ...file, mutants: file.mutants.map(withoutEmptyKilledBy).sort(byPlace) } : file]),
        );
    }
    return `${JSON.stringify(sortedKeys(kept), null, 2)}\n`;
}

/**
 * A mutant without an empty `killedBy`: Stryker writes `[]` for some survivors it tested again and
 * leaves the key out for others, and both say that no test killed it.
 */
function withoutEmptyKilledBy(mutant: ReportedMutant): ReportedMutant {
    if (!Array.isArray(mutant.killedBy) || mutant.killedBy.length > 0) return mutant;
    const { killedBy: _none, ...rest } = mutant;
    return rest;
}

/** What orders a mutant in the committed file: where it is, then what it does. */
interface ReportedMutant {
    readonly killedBy?: readonly string[];
    readonly location?: { readonly start: { readonly line: number; readonly column: number }; readonly end: { readonly line: number; readonly column: number } };
    readonly mutatorName?: string;
    readonly replacement?: string;
}

/**
 * Mutants in source order: Stryker lists tested mutants in the order their tests ended and reused
 * ones in its own, so the same results would otherwise come out in different orders.
 */
function byPlace(a: ReportedMutant, b: ReportedMutant): number {
    const key = (m: ReportedMutant) => [m.location?.start.line ?? 0, m.location?.start.column ?? 0, m.location?.end.line ?? 0, m.location?.end.column ?? 0] as const;
    const [ka, kb] = [key(a), key(b)];
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] - kb[i];
    return `${a.mutatorName}\0${a.replacement}` < `${b.mutatorName}\0${b.replacement}` ? -1 : `${a.mutatorName}\0${a.replacement}` > `${b.mutatorName}\0${b.replacement}` ? 1 : 0;
}

/** `value` with the keys of every object in it in code-point order; arrays keep theirs. */
function sortedKeys(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(sortedKeys);
    if (value === null || typeof value !== "object") return value;
    return Object.fromEntries(
        Object.keys(value)
            .sort()
            .map((key) => [key, sortedKeys((value as Record<string, unknown>)[key])]),
    );
}

/** The keys of Stryker's report that change with the checkout or machine, not with the results. */
const MACHINE_KEYS = new Set(["projectRoot", "config", "framework"]);
