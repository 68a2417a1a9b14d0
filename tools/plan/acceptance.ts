/**
 * Changes that lose users, accepted on purpose: `plans/accepted-changes.yaml`, committed in the
 * pull request that makes the change, so that a reviewer reads the reason.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { z } from "zod";
import { AcceptedChange } from "./impact";
import { PLANS_DIR } from "./plan";

/** The acceptance file, relative to the repository's root. */
export const ACCEPTANCE_FILE = `${PLANS_DIR}/accepted-changes.yaml`;

/** The acceptance file of this repository, as a full path. */
export const ACCEPTANCE_PATH = path.resolve(__dirname, "..", "..", ACCEPTANCE_FILE);

const acceptanceSchema = z.array(
    z.strictObject({
        stack: z.string().min(1),
        resource: z.string().min(1),
        op: z.enum(["replace", "delete"]),
        reasons: z.array(z.string()).optional(),
        why: z.string().min(1),
    }),
);

/** The changes accepted on purpose, from {@link ACCEPTANCE_FILE}; none when it does not exist. */
export function readAcceptedChanges(file = ACCEPTANCE_PATH): AcceptedChange[] {
    if (!fs.existsSync(file)) return [];
    let document: unknown;
    try {
        document = parse(fs.readFileSync(file, "utf8")) ?? [];
    } catch (error) {
        throw new Error(`${ACCEPTANCE_FILE}: ${(error as Error).message}`);
    }
    const parsed = acceptanceSchema.safeParse(document);
    if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(`${ACCEPTANCE_FILE}: entry ${issue.path.join(".")}: ${issue.message}`);
    }
    for (const entry of parsed.data) {
        if (entry.why.startsWith("<")) throw new Error(`${ACCEPTANCE_FILE}: the entry for ${entry.stack} ${entry.resource} must say why, not ${JSON.stringify(entry.why)}`);
    }
    return parsed.data;
}

