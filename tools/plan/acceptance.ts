/**
 * Changes that lose users, accepted on purpose: `plans/accepted-changes.yaml`, committed in the
 * pull request that makes the change, so that a reviewer reads the reason.
 *
 * An entry accepts only the change of the commits that add it. Against a base commit (the pull
 * request's base, or at deploy time the commit main had before the push), an entry that the base's
 * acceptance file already holds, the same in every field, why included, is spent: it accepted an
 * earlier change and accepts nothing now. A later loss of the same resource needs a new entry,
 * with a new why.
 */
import * as path from "path";
import { z } from "zod";
import { AcceptedChange, WHY_PLACEHOLDER, sameEntry } from "./impact";
import { YAML_LIMIT, parseYaml, readCommittedFile, readInputFile } from "./inputFiles";
import { PLANS_DIR } from "./plan";

/** The acceptance file, relative to the project's directory. */
export const ACCEPTANCE_FILE = `${PLANS_DIR}/accepted-changes.yaml`;

/** The acceptance file of the project in `projectDir`, as a full path. */
export function acceptancePath(projectDir: string): string {
    return path.join(projectDir, ACCEPTANCE_FILE);
}

const acceptanceSchema = z.array(
    z.strictObject({
        stack: z.string().min(1),
        resource: z.string().min(1),
        op: z.enum(["replace", "delete"]),
        reasons: z.array(z.string()).optional(),
        why: z.string(),
    }),
);

/**
 * A character no reader sees: a control character but the line break and the tab, a format
 * character (U+200B ZERO WIDTH SPACE, U+202E RIGHT-TO-LEFT OVERRIDE), a surrogate, a private-use
 * or unassigned code point, a line or paragraph separator, a character Unicode says to draw as
 * nothing (Default_Ignorable_Code_Point: variation selectors, U+034F, the Hangul fillers U+115F
 * and U+3164), and U+2800 BRAILLE PATTERN BLANK, drawn as a blank that is not a space. An entry
 * holding one could differ, unseen, from the spent entry a reviewer takes it for.
 */
const INVISIBLE = /[^\P{C}\n\t]|[\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\u2800]/u;

/** The entries of an acceptance file's text; `where` names it in errors. */
export function parseAcceptedChanges(text: string, where: string): AcceptedChange[] {
    const document = parseYaml(text, where) ?? [];
    const parsed = acceptanceSchema.safeParse(document);
    if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(`${where}: entry ${issue.path.join(".")}: ${issue.message}`);
    }
    parsed.data.forEach((entry, index) => {
        const named = `${where}: entry ${index} (${entry.stack} ${entry.resource})`;
        const fields: [string, string][] = [["stack", entry.stack], ["resource", entry.resource], ["why", entry.why]];
        entry.reasons?.forEach((reason, at) => fields.push([`reasons[${at}]`, reason]));
        for (const [field, text] of fields) {
            const invisible = INVISIBLE.exec(text);
            if (invisible) {
                const code = `U+${invisible[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
                throw new Error(`${named}: ${field} holds a character no reader sees (${code}, at ${invisible.index}): write it without one`);
            }
        }
        if (entry.why.trim() === "") {
            throw new Error(`${named}: why is empty: write why losing these users is intended, and when (each change needs a why of its own)`);
        }
        if (entry.why.includes(WHY_PLACEHOLDER)) throw new Error(`${named}: must say why, not ${JSON.stringify(entry.why)}`);
    });
    return parsed.data;
}

/** The changes accepted on purpose in `file` (at most 1 MiB of YAML); none when it does not exist. */
export function readAcceptedChanges(file: string, where = ACCEPTANCE_FILE): AcceptedChange[] {
    let text: string;
    try {
        text = readInputFile(file, YAML_LIMIT);
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
        throw error;
    }
    return parseAcceptedChanges(text, where);
}

/** The changes the acceptance file accepted as committed at `ref` in the git repository at `projectDir`; none where it had no file. */
export function committedAcceptedChanges(projectDir: string, ref: string): AcceptedChange[] {
    const text = readCommittedFile(projectDir, ref, ACCEPTANCE_FILE, YAML_LIMIT);
    return text === undefined ? [] : parseAcceptedChanges(text, `${ref}:${ACCEPTANCE_FILE}`);
}

/** The entries of the acceptance file, split into those that may accept a change and those spent. */
export interface Acceptances {
    /** Entries the base did not hold: they accept the change they were written for. */
    readonly usable: readonly AcceptedChange[];
    /** Entries the base already held: they accepted an earlier change, and accept nothing now. */
    readonly spent: readonly AcceptedChange[];
}

/** `current`'s entries, those the `base` file already held spent. */
export function splitSpent(current: readonly AcceptedChange[], base: readonly AcceptedChange[]): Acceptances {
    const isSpent = (entry: AcceptedChange) => base.some((old) => sameEntry(old, entry));
    return { usable: current.filter((entry) => !isSpent(entry)), spent: current.filter(isSpent) };
}

/** The acceptances of the project in `projectDir`: its acceptance file, against the one committed at `baseRef`. */
export function readAcceptances(projectDir: string, baseRef: string): Acceptances {
    return splitSpent(readAcceptedChanges(acceptancePath(projectDir)), committedAcceptedChanges(projectDir, baseRef));
}
