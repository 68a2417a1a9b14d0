/**
 * The real-account integration run, as a function over a workspace: create an ephemeral stack
 * from a stack file, `up` it (the post-deploy sign-in check runs inside), preview it expecting no
 * changes, check the admin users, and always destroy and remove it. The Automation API adapter
 * (`automation.ts`) and the tests' fake workspace implement the same {@link E2EWorkspace}.
 * It prints one line per step and never a stack output: the generated temporary password is one.
 */
import { EXIT, withoutSecrets } from "../../deploy/commandLine";
import { PoolAdminStatus, findings } from "../admin/status";
import { StackFile, configText } from "../mock/stackFile";

/** Exit statuses of `npm run e2e`: the shared ones, plus two of its own. */
export const E2E_EXIT = {
    ...EXIT,
    /** The Pulumi CLI or AWS credentials are missing: nothing was run. */
    prerequisitesMissing: 4,
    /** Destroying or removing the stack failed: something may be left, and the output says what. */
    cleanupFailed: 5,
} as const;

/** A stack output as the Automation API returns it: its value, and whether it is a secret. */
export interface StackOutput {
    /** The value; a secret's is plain text in memory, and is never printed. */
    readonly value: unknown;
    /** Whether the output is a secret. */
    readonly secret: boolean;
}

/** A stack's outputs by name. */
export type StackOutputs = Readonly<Record<string, StackOutput>>;

/** One step of a preview: what would happen to which resource, and which properties differ. */
export interface PreviewStep {
    /** The operation, such as `same`, `update` or `replace`. */
    readonly op: string;
    /** The resource's URN. */
    readonly urn: string;
    /** The names (never the values) of the properties that differ. */
    readonly diffs: readonly string[];
}

/** What a preview would do. */
export interface PreviewChanges {
    /** How many resources each operation touches, as the engine's summary counts them (`same` too). */
    readonly changes: Readonly<Record<string, number>>;
    /** Each resource's step, when the engine reported them. */
    readonly steps: readonly PreviewStep[];
}

/** A stack the run created, and the operations it runs on it. */
export interface E2EStack {
    /** The stack's name. */
    readonly name: string;
    /**
     * Sets every config value, in plain text (`pulumi config set-all --plaintext`).
     * @param config The values by full key (`aws:region`, `cognito-totp:poolName`).
     */
    setAllConfig(config: Readonly<Record<string, string>>): Promise<void>;
    /** `pulumi up`; resolves to the stack's outputs, secrets included (never print them). */
    up(): Promise<StackOutputs>;
    /**
     * `pulumi preview --expect-no-changes`; resolves to what the preview would change, also when
     * the CLI failed because there were changes. Rejects on any other failure.
     */
    previewExpectingNoChanges(): Promise<PreviewChanges>;
    /** `pulumi cancel`: ends the update that holds the stack's lock (one a killed run left). */
    cancel(): Promise<void>;
    /** `pulumi destroy`: deletes every resource of the stack. */
    destroy(): Promise<void>;
    /** `pulumi stack rm`: removes the (empty) stack and its config file. */
    remove(): Promise<void>;
}

/** A stack of the project, as `pulumi stack ls` lists it. */
export interface StackListing {
    /** The stack's name. */
    readonly name: string;
    /** An operation holds the stack's lock: under way, or killed before it could let go. */
    readonly updateInProgress: boolean;
}

/** The Pulumi project the stacks are created in. */
export interface E2EWorkspace {
    /**
     * `pulumi stack init <name>`: creates a new, empty stack.
     * @param name The stack's name.
     */
    createStack(name: string): Promise<E2EStack>;
    /** `pulumi stack ls`: the project's stacks in the backend. */
    listStacks(): Promise<readonly StackListing[]>;
    /**
     * `pulumi stack select <name>`: an existing stack.
     * @param name The stack's name.
     */
    selectStack(name: string): Promise<E2EStack>;
}

/** Everything the run touches outside itself: the seams that tests replace. */
export interface E2EDeps {
    /**
     * Opens the Pulumi workspace of the project. Rejects with the Automation API's CommandError
     * (`spawn pulumi ENOENT`) when the Pulumi CLI is not installed.
     */
    readonly openWorkspace: () => Promise<E2EWorkspace>;
    /** Whether the AWS SDK's default credential chain finds credentials. */
    readonly findAwsCredentials: () => Promise<boolean>;
    /** Reads the state of the admin users `usernames` of the user pool `userPoolId`. */
    readonly readAdminStatus: (userPoolId: string, usernames: readonly string[]) => Promise<PoolAdminStatus>;
    /** The clock, for the stack's name. */
    readonly now: () => Date;
    /** Six random hexadecimal digits, for the stack's name. */
    readonly randomHex: () => string;
    /** Prints one line of the run's report. */
    readonly print: (line: string) => void;
}

/** The longest stack name Pulumi accepts. */
const MAX_STACK_NAME = 100;
/** The longest user pool name for which the default app client name, `<poolName>-client`, fits Cognito's 128 characters too. */
const MAX_POOL_NAME = 128 - "-client".length;
/** Preview operations that change nothing: the engine's own list (`ResourceChanges.HasChanges`). */
const NO_CHANGE_OPS: ReadonlySet<string> = new Set(["same", "read", "discard", "read-replacement"]);

/** What an ephemeral stack is called, and what its user pool's name ends with. */
export interface EphemeralName {
    /** The stack's name: `e2e-<template>-<yyyymmddhhmm>-<6 hex>`. */
    readonly stack: string;
    /** The unique part, `e2e-<yyyymmddhhmm>-<6 hex>`, which the user pool's name ends with too. */
    readonly suffix: string;
}

/**
 * How old, in minutes, an ephemeral stack must be for a run to take it for a leftover: twice the
 * 60 minutes after which e2e.yml cancels its job, so that no run can still be using it.
 */
export const LEFTOVER_AFTER_MINUTES = 120;

/** An ephemeral stack's name ({@link ephemeralName}): its minute of creation, UTC, in its parts. */
const EPHEMERAL_STACK = /^e2e-[^/]+-(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})-[0-9a-f]{6}$/;

/**
 * When the ephemeral stack `stack` was created, to the minute, read from its name; `undefined`
 * for a name {@link ephemeralName} does not make, such as one with an organization
 * (`<organization>/<stack>`, how `pulumi stack ls` names a stack of an organization other than
 * the default one, where runs create theirs).
 * @param stack A stack's name.
 */
export function ephemeralCreatedAt(stack: string): Date | undefined {
    const parts = EPHEMERAL_STACK.exec(stack)?.slice(1).map(Number);
    if (!parts) return undefined;
    const [year, month, day, hour, minute] = parts;
    const date = new Date(Date.UTC(year, month - 1, day, hour, minute));
    // A minute that is not one (such as month 13) would roll over into another date.
    return date.getUTCMonth() === month - 1 && date.getUTCDate() === day && date.getUTCHours() === hour && date.getUTCMinutes() === minute ? date : undefined;
}

/**
 * The name of an ephemeral stack made from the stack file `template`, unique by the UTC minute
 * and six random hex digits; the template's part is cut short to fit Pulumi's 100 characters.
 * @param template The template stack's name.
 * @param now The current time.
 * @param hex Six random hexadecimal digits.
 */
export function ephemeralName(template: string, now: Date, hex: string): EphemeralName {
    const unique = `${now.toISOString().replace(/\D/g, "").slice(0, 12)}-${hex}`;
    const room = MAX_STACK_NAME - `e2e--${unique}`.length;
    return { stack: `e2e-${template.slice(0, room)}-${unique}`, suffix: `e2e-${unique}` };
}

/**
 * The config of an ephemeral stack: the template's plain values (a `secure:` value cannot be
 * copied, so it is left out, and a temporary password is generated instead), with what a
 * throw-away stack must have: its own user pool name (the template's, cut short if need be, then
 * `-<suffix>`), nothing kept on destroy, deletion protection off, and the post-deploy sign-in
 * check on. `import` is left out: it would adopt the template's real pool, which the run then
 * destroys.
 * @param template The template's stack file.
 * @param project The project's name: config keys live under it.
 * @param suffix What the user pool's name ends with ({@link EphemeralName.suffix}).
 */
export function ephemeralConfig(template: StackFile, project: string, suffix: string): Record<string, string> {
    const key = (name: string) => `${project}:${name}`;
    const config: Record<string, string> = { ...template.values };
    for (const encryptedKey of template.encryptedKeys) {
        const kept = withoutCiphertext(template.encrypted[encryptedKey]);
        if (kept !== undefined) config[encryptedKey] = configText(kept);
    }
    delete config[key("import")];
    const base = (config[key("poolName")] ?? template.stack).slice(0, MAX_POOL_NAME - suffix.length - 1);
    return {
        ...config,
        [key("poolName")]: `${base}-${suffix}`,
        [key("production")]: "false",
        [key("protect")]: "false",
        [key("retainOnDelete")]: "false",
        [key("deletionProtection")]: "INACTIVE",
        [key("verifySignIn")]: "true",
    };
}

/**
 * `value` with each `{ secure: ... }` in it made `undefined`, at any depth: dropped from lists
 * here, and from objects by JSON ({@link configText}).
 */
function withoutCiphertext(value: unknown): unknown {
    if (isCiphertext(value)) return undefined;
    if (Array.isArray(value)) return value.map(withoutCiphertext).filter((item) => item !== undefined);
    if (typeof value !== "object" || value === null) return value;
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, withoutCiphertext(item)]));
}

/** Whether `value` is a `{ secure: ... }` value of a stack file. */
function isCiphertext(value: unknown): boolean {
    return typeof value === "object" && value !== null && "secure" in value && Object.keys(value).length === 1;
}

/**
 * The operations of a preview's summary that change something, with their counts: every
 * operation but `same` and reads, as `--expect-no-changes` counts them.
 * @param summary The preview's change summary.
 */
export function changedOps(summary: Readonly<Record<string, number>>): Record<string, number> {
    return Object.fromEntries(Object.entries(summary).filter(([op, count]) => !NO_CHANGE_OPS.has(op) && count > 0));
}

/**
 * What a preview that should change nothing would change, as lines: a summary, then one line per
 * changed resource (its operation, type, name and the properties that differ). Empty when it
 * changes nothing.
 * @param preview What the preview would do.
 */
function perpetualDiffText(preview: PreviewChanges): string[] {
    const ops = changedOps(preview.changes);
    const total = Object.values(ops).reduce((sum, count) => sum + count, 0);
    if (total === 0) return [];
    const counts = Object.entries(ops).map(([op, count]) => `${op}: ${count}`).join(", ");
    const steps = preview.steps
        .filter((step) => !NO_CHANGE_OPS.has(step.op))
        .map((step) => {
            const [type, name] = step.urn.split("::").slice(-2);
            const diffs = step.diffs.length > 0 ? ` (differs: ${step.diffs.join(", ")})` : "";
            return `${step.op} ${type.split("$").pop()} ${name}${diffs}`;
        });
    return [`${total} change${total === 1 ? "" : "s"} (${counts}) — a perpetual diff`, ...steps];
}

/**
 * Whether `error` is the Automation API's CommandError for a Pulumi CLI that is not installed:
 * `spawn pulumi ENOENT` while it runs `pulumi version`.
 * @param error What opening the workspace threw.
 */
function isMissingPulumiCli(error: unknown): boolean {
    return error instanceof Error && error.name === "CommandError" && /ENOENT/.test(error.message);
}

/** What to tell someone who lacks the Pulumi CLI. */
export const MISSING_PULUMI_CLI =
    "the Pulumi CLI is not installed (no `pulumi` on PATH). Install the version in .pulumi.version: " +
    "https://www.pulumi.com/docs/install/ (in GitHub Actions, pulumi/actions with pulumi-version-file does it).";

/** What to tell someone who lacks AWS credentials. */
export const MISSING_AWS_CREDENTIALS =
    "no AWS credentials: the AWS SDK's default chain (environment, SSO, shared config and credentials files, web identity, " +
    "instance metadata) found none. Sign in with `aws sso login --profile <profile>` and set AWS_PROFILE, or export keys " +
    "(in GitHub Actions, aws-actions/configure-aws-credentials with an OIDC role).";

/** A failed step: its report line is printed, and the run goes on to the cleanup. */
class StepFailed extends Error {}

/**
 * Runs one step and prints its line; a failure prints `✘` and throws {@link StepFailed}.
 * @param name The step's name, as printed.
 * @param run The step; it fails by throwing, with a message to print.
 * @param done What to print after `✔ <name>: ` when it passed, from its result.
 */
type Step = <T>(name: string, run: () => Promise<T>, done?: (value: T) => string | undefined) => Promise<T>;

/**
 * The {@link Step} that prints through `print`.
 * @param print Prints one line of the report.
 */
function stepper(print: (line: string) => void): Step {
    return async (name, run, done = () => undefined) => {
        let value;
        try {
            value = await run();
        } catch (error) {
            printFailure(print, name, error);
            throw new StepFailed(name);
        }
        const detail = done(value);
        print(`✔ ${name}${detail ? `: ${detail}` : ""}`);
        return value;
    };
}

/**
 * Prints the failure of a step: `✘ <name>: ` and the first line of its message, then each other line indented.
 * @param print Prints one line of the report.
 * @param name The step's name.
 * @param error What it threw.
 */
function printFailure(print: (line: string) => void, name: string, error: unknown): void {
    const [first, ...rest] = (error instanceof Error ? error.message : String(error)).trim().split("\n");
    print(`✘ ${name}: ${first}`);
    for (const line of rest) print(`    ${line}`);
}

/**
 * The workspace, once the Pulumi CLI and AWS credentials are both there; otherwise `undefined`,
 * with a line printed for each that is missing, and then `notRun`.
 * @param deps The workspace and AWS.
 * @param print Prints one line of the report.
 * @param notRun The last line when something is missing.
 */
async function openWithPrerequisites(deps: E2EDeps, print: (line: string) => void, notRun: string): Promise<E2EWorkspace | undefined> {
    const missing: string[] = [];
    let workspace: E2EWorkspace | undefined;
    try {
        workspace = await deps.openWorkspace();
    } catch (error) {
        if (!isMissingPulumiCli(error)) throw error;
        missing.push(MISSING_PULUMI_CLI);
    }
    if (!(await deps.findAwsCredentials())) missing.push(MISSING_AWS_CREDENTIALS);
    if (!workspace || missing.length > 0) {
        for (const message of missing) print(`✘ prerequisite missing: ${message}`);
        print(notRun);
        return undefined;
    }
    return workspace;
}

/**
 * The line that says how to clean up the ephemeral stack `stack` by hand; for one a lock holds
 * (`locked`), once no run uses it, cancelling that lock first.
 */
function byHand(stack: string, locked = false): string {
    const first = locked ? `, once no run uses it (pulumi cancel --stack ${stack} --yes)` : "";
    return `    Clean up by hand${first}: pulumi destroy --stack ${stack} --yes && pulumi stack rm ${stack} --yes`;
}

/** Whether a failed destroy says that a lock holds the stack (Pulumi's "the stack is currently locked by N lock(s)"). */
function lockedOut(error: unknown): boolean {
    return error instanceof Error && /currently locked/.test(error.message);
}

/**
 * Destroys and removes every ephemeral stack of the project created at least `olderThanMinutes`
 * before `now`: those of runs cancelled or killed before their own cleanup. A stack `pulumi stack
 * ls` names with an organization (`<organization>/<stack>`) is another organization's than the one
 * runs create theirs in, and is never touched. The update that holds a stack's lock is cancelled
 * where the stack is {@link LEFTOVER_AFTER_MINUTES} old or more, since no run lasts that long:
 * first where `pulumi stack ls` says so (Pulumi Cloud), else once a destroy says the stack is
 * locked (a self-managed backend, whose listing never does); a younger locked stack is left
 * alone. Prints a line for each step on a stack (nothing when there is none); one it cannot remove
 * gets the commands to remove it by hand. Resolves to whether none is left.
 * @param workspace The project's workspace.
 * @param now The current time.
 * @param olderThanMinutes How old a stack must be to be swept.
 * @param step Runs and reports one step.
 * @param print Prints one line of the report.
 */
async function sweepLeftovers(workspace: E2EWorkspace, now: Date, olderThanMinutes: number, step: Step, print: (line: string) => void): Promise<boolean> {
    let listed: readonly StackListing[];
    try {
        listed = await workspace.listStacks();
    } catch (error) {
        printFailure(print, "list the project's stacks, for leftovers of earlier runs", error);
        print("    List them with `pulumi stack ls`, and remove each e2e-<template>-<yyyymmddhhmm>-<6 hex> stack of a run that has ended.");
        return false;
    }
    let left = 0;
    for (const { name, updateInProgress } of listed) {
        const created = ephemeralCreatedAt(name);
        const age = created ? now.getTime() - created.getTime() : 0;
        if (!created || age < olderThanMinutes * 60_000) continue;
        const what = `leftover stack ${name} (created ${created.toISOString().slice(0, 16)}Z)`;
        const stale = age >= LEFTOVER_AFTER_MINUTES * 60_000;
        let locked = false;
        if (updateInProgress && !stale) {
            print(`✘ ${what}: an update holds its lock, and it is younger than any run can last, so it is left alone`);
            print(byHand(name, true));
            left++;
            continue;
        }
        try {
            const stack = await step(`select ${what}`, () => workspace.selectStack(name));
            if (updateInProgress) await step(`cancel the update that holds ${what}`, () => stack.cancel());
            await step(
                `destroy ${what}`,
                async () => {
                    try {
                        await stack.destroy();
                        return undefined;
                    } catch (error) {
                        locked = lockedOut(error);
                        if (!stale || !locked) throw error;
                        await stack.cancel();
                        await stack.destroy();
                        return "after cancelling the update a killed run left holding its lock";
                    }
                },
                (note) => note,
            );
            await step(`remove ${what}`, () => stack.remove());
        } catch {
            print(byHand(name, locked && !stale));
            left++;
        }
    }
    return left === 0;
}

/**
 * Runs the integration test of the stack file `template` in a real account: sweep the leftovers
 * of earlier runs (see {@link sweepLeftovers}, {@link LEFTOVER_AFTER_MINUTES}), create an
 * ephemeral stack, set its config, `up`, preview expecting no changes, check the admin users; then,
 * whatever happened, destroy the stack and remove it. Returns the exit status ({@link E2E_EXIT}).
 * @param template The template's stack file.
 * @param project The project's name: config keys live under it.
 * @param deps The workspace, AWS and the clock.
 */
export async function runE2E(template: StackFile, project: string, deps: E2EDeps): Promise<number> {
    const secrets: string[] = [];
    const print = (line: string) => deps.print(withoutSecrets(line, secrets));
    const step = stepper(print);

    const workspace = await openWithPrerequisites(deps, print, `e2e not run: nothing was created (exit ${E2E_EXIT.prerequisitesMissing}).`);
    if (!workspace) return E2E_EXIT.prerequisitesMissing;
    const swept = await sweepLeftovers(workspace, deps.now(), LEFTOVER_AFTER_MINUTES, step, print);

    const name = ephemeralName(template.stack, deps.now(), deps.randomHex());
    const config = ephemeralConfig(template, project, name.suffix);
    const leftoverNote = swept ? "" : "; leftovers of earlier runs are left, as said above";
    let stack: E2EStack;
    try {
        stack = await step(`create stack ${name.stack}`, () => workspace.createStack(name.stack));
    } catch {
        const status = swept ? E2E_EXIT.failed : E2E_EXIT.cleanupFailed;
        print(`e2e failed at creating the stack: nothing to clean up${leftoverNote} (exit ${status}).`);
        return status;
    }

    let failedAt: string | undefined;
    try {
        const left = template.encryptedKeys.length > 0 ? `; left out: the secure: values of ${template.encryptedKeys.join(", ")}` : "";
        await step("config", () => stack.setAllConfig(config), () => `Pulumi.${template.stack}.yaml, pool ${config[`${project}:poolName`]}${left}`);
        const outputs = await step("up", async () => {
            const up = await stack.up();
            secrets.push(...secretTexts(up));
            return up;
        });
        await step("preview", async () => {
            const diff = perpetualDiffText(await stack.previewExpectingNoChanges());
            if (diff.length > 0) throw new Error(diff.join("\n"));
        }, () => "no changes");
        await step("admin status", async () => {
            const userPoolId = outputs.userPoolId?.value;
            const usernames = outputs.adminUsernames?.value;
            if (typeof userPoolId !== "string") throw new Error("the stack has no output userPoolId");
            if (!Array.isArray(usernames) || usernames.some((username) => typeof username !== "string")) {
                throw new Error("the stack has no output adminUsernames (a list of usernames)");
            }
            const status = { ...(await deps.readAdminStatus(userPoolId, usernames as string[])), stack: name.stack };
            const { problems } = findings(status, (username) => ({ username, stack: name.stack }));
            if (problems.length > 0) throw new Error(problems.join("\n"));
            return usernames.length;
        }, (count) => `${count} admin user${count === 1 ? "" : "s"} fine`);
    } catch (error) {
        failedAt = error instanceof StepFailed ? error.message : String(error);
    }

    let destroyed = false;
    try {
        await step("destroy", () => stack.destroy());
        destroyed = true;
        await step("remove stack", () => stack.remove());
    } catch {
        const left = destroyed
            ? `stack ${name.stack} is empty but still exists`
            : `stack ${name.stack} may still hold resources (a user pool named ${config[`${project}:poolName`]})`;
        print(`✘ cleanup failed: ${left}, and its config file Pulumi.${name.stack}.yaml may be left in the project.`);
        print(byHand(name.stack));
        print(`e2e ${failedAt ? `failed at ${failedAt}, and ` : ""}could not clean up${leftoverNote} (exit ${E2E_EXIT.cleanupFailed}).`);
        return E2E_EXIT.cleanupFailed;
    }
    const status = !swept ? E2E_EXIT.cleanupFailed : failedAt ? E2E_EXIT.failed : E2E_EXIT.ok;
    if (failedAt) {
        print(`e2e failed at ${failedAt}; stack ${name.stack} was destroyed and removed${leftoverNote} (exit ${status}).`);
    } else {
        print(`e2e passed: stack ${name.stack} was deployed, checked, destroyed and removed${leftoverNote}${status === E2E_EXIT.ok ? "." : ` (exit ${status}).`}`);
    }
    return status;
}

/**
 * Only sweeps: destroys and removes the project's ephemeral stacks created at least
 * `olderThanMinutes` ago (see {@link sweepLeftovers}); for a run cancelled before its cleanup,
 * and by hand. Returns the exit status: {@link E2E_EXIT.ok} when none is left,
 * {@link E2E_EXIT.cleanupFailed} when some could not be removed.
 * @param olderThanMinutes How old a stack must be to be swept.
 * @param deps The workspace, AWS and the clock.
 */
export async function sweepE2E(olderThanMinutes: number, deps: E2EDeps): Promise<number> {
    const workspace = await openWithPrerequisites(deps, deps.print, `sweep not run (exit ${E2E_EXIT.prerequisitesMissing}).`);
    if (!workspace) return E2E_EXIT.prerequisitesMissing;
    const age = `created ${olderThanMinutes} minute${olderThanMinutes === 1 ? "" : "s"} ago or earlier`;
    if (!(await sweepLeftovers(workspace, deps.now(), olderThanMinutes, stepper(deps.print), deps.print))) {
        deps.print(`sweep: ephemeral stacks ${age} are left, as said above (exit ${E2E_EXIT.cleanupFailed}).`);
        return E2E_EXIT.cleanupFailed;
    }
    deps.print(`sweep: no ephemeral stack ${age} is left.`);
    return E2E_EXIT.ok;
}

/**
 * The text of every secret output (each string inside it), to keep it out of what is printed.
 * @param outputs The stack's outputs.
 */
function secretTexts(outputs: StackOutputs): string[] {
    const texts: string[] = [];
    const collect = (value: unknown): void => {
        if (typeof value === "string" && value !== "") texts.push(value);
        else if (typeof value === "object" && value !== null) Object.values(value).forEach(collect);
    };
    for (const output of Object.values(outputs)) if (output.secret) collect(output.value);
    return texts;
}
