/**
 * `npm run plan`: what a stack declares, offline; with `--diff`, what a change does to it
 * against a baseline plan, and whether it loses users. `npm run plan:update` rewrites the
 * committed plans.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { CommandSpec, EXIT, UsageError, checkStackName, npmBannerNote, runCommand, runMain } from "../../deploy/commandLine";
import { MockRuntime } from "../mock/mockRuntime";
import { projectName, readStackFile, stackFilePaths } from "../mock/stackFile";
import { ACCEPTANCE_FILE, readAcceptedChanges } from "./acceptance";
import {
    EXIT_USERS_LOST,
    Step,
    changeSummary,
    impactJson,
    planSteps,
    userLossText,
    userLosses,
} from "./impact";
import { PLANS_DIR, Plan, planStack, renderJson, renderSummary, renderText, renderTree } from "./plan";

const ROOT = path.resolve(__dirname, "..", "..");

export const PLAN_COMMAND: CommandSpec = {
    name: "npm run plan --",
    summary: "Prints what a stack declares, offline: no Pulumi CLI, no cloud, no credentials. With --diff, what a change does to each resource, and whether it loses users.",
    usage: ["--stack <name> [--json]", "--stack <name> --diff [BASELINE.json] [--base-ref <git-ref>] [--json]", "--update"],
    options: {
        stack: { type: "string", short: "s", value: "<name>", description: "The stack: its Pulumi.<name>.yaml is read." },
        json: { type: "boolean", description: "Print JSON only (run through `npm run --silent` to keep npm's banner out)." },
        diff: {
            type: "boolean",
            description: `Compare with a baseline plan: BASELINE.json, or else ${PLANS_DIR}/<stack>.json as committed at --base-ref.`,
        },
        "base-ref": { type: "string", value: "<git-ref>", description: "The git commit or branch whose committed plan is the baseline. Default: HEAD." },
        update: { type: "boolean", description: `Rewrite ${PLANS_DIR}/<stack>.json for every Pulumi.<stack>.yaml (npm run plan:update).` },
    },
    positionals: { max: 1, name: "baseline file" },
    footer: [
        "Exit status: 0 done; 1 failed (bad config, unreadable baseline); 2 usage error;",
        `3 (--diff) the change would replace or delete a user pool or user, and ${ACCEPTANCE_FILE}`,
        "does not accept it on purpose.",
    ].join("\n"),
};

export async function main(argv: readonly string[]): Promise<number> {
    return runCommand(PLAN_COMMAND, argv, async ({ values, positionals }) => {
        const files = stackFilePaths(ROOT);
        if (values.update) {
            if (values.stack !== undefined || values.diff || values.json) throw new UsageError("--update rewrites every stack's plan: give it alone");
            return updatePlans(files);
        }
        if (typeof values.stack !== "string") throw new UsageError("give --stack <name> (or --update)");
        if (!values.diff && (positionals.length > 0 || values["base-ref"] !== undefined)) {
            throw new UsageError("a baseline and --base-ref go with --diff");
        }
        if (positionals.length > 0 && values["base-ref"] !== undefined) throw new UsageError("give a baseline file or --base-ref, not both");
        const stack = checkStackName(values.stack);
        const file = Object.prototype.hasOwnProperty.call(files, stack) ? files[stack] : undefined;
        if (!file) {
            throw new UsageError(`there is no Pulumi.${stack}.yaml; the stacks are ${Object.keys(files).join(", ") || "none"}`);
        }
        const runtime = await MockRuntime.create(projectName(ROOT), stack, "unknown");
        const plan = await planStack(runtime, path.join(ROOT, "index.ts"), readStackFile(file));
        if (values.json) {
            const note = npmBannerNote(`plan -- --stack ${stack}${values.diff ? " --diff" : ""} --json`);
            if (note) process.stderr.write(note + "\n");
        }
        if (!values.diff) {
            process.stdout.write(values.json ? renderJson(plan) : renderText(plan));
            return EXIT.ok;
        }
        const baseline = positionals[0] !== undefined
            ? { plan: readBaselineFile(positionals[0]), from: positionals[0] }
            : readCommittedPlan(stack, typeof values["base-ref"] === "string" ? values["base-ref"] : "HEAD");
        return printImpact(plan, baseline, values.json === true);
    });
}

/** Rewrites every stack's committed plan, and removes the plans of stacks that no longer have a file. */
async function updatePlans(files: Readonly<Record<string, string>>): Promise<number> {
    const runtime = await MockRuntime.create(projectName(ROOT), "plan", "unknown");
    const dir = path.join(ROOT, PLANS_DIR);
    fs.mkdirSync(dir, { recursive: true });
    for (const [stack, file] of Object.entries(files)) {
        const plan = await planStack(runtime, path.join(ROOT, "index.ts"), readStackFile(file));
        fs.writeFileSync(path.join(dir, `${stack}.json`), renderJson(plan));
        console.log(`wrote ${PLANS_DIR}/${stack}.json`);
    }
    for (const name of fs.readdirSync(dir)) {
        const stack = /^(.+)\.json$/.exec(name)?.[1];
        if (stack && !(stack in files)) {
            fs.rmSync(path.join(dir, name));
            console.log(`removed ${PLANS_DIR}/${name}: there is no Pulumi.${stack}.yaml`);
        }
    }
    return EXIT.ok;
}

/** A baseline plan from a file. */
function readBaselineFile(file: string): Plan {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (error) {
        throw new Error(`cannot read the baseline plan ${file}: ${(error as Error).message}`);
    }
    return parsePlan(text, file);
}

/** The stack's plan as committed at `ref`; `undefined` when the stack had none there (a new stack). */
function readCommittedPlan(stack: string, ref: string): { plan: Plan | undefined; from: string } {
    const where = `${ref}:${PLANS_DIR}/${stack}.json`;
    let text: string;
    try {
        text = execFileSync("git", ["show", where], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch (error) {
        const stderr = String((error as { stderr?: string }).stderr ?? "");
        if (/does not exist in|exists on disk, but not in/.test(stderr)) return { plan: undefined, from: `${where} (none: a new stack)` };
        throw new Error(`cannot read the baseline ${where} with git: ${stderr.trim() || (error as Error).message}`);
    }
    return { plan: parsePlan(text, where), from: where };
}

function parsePlan(text: string, where: string): Plan {
    let plan: Partial<Plan>;
    try {
        plan = JSON.parse(text) as Partial<Plan>;
    } catch (error) {
        throw new Error(`the baseline plan ${where} is not JSON: ${(error as Error).message}`);
    }
    if (!Array.isArray(plan.resources)) throw new Error(`the baseline plan ${where} has no resources list: is it a plan from npm run plan -- --json?`);
    return plan as Plan;
}

/** Prints the impact of the change from `baseline` to `plan`; exit 3 when it loses users that nobody accepted. */
function printImpact(plan: Plan, baseline: { plan: Plan | undefined; from: string }, json: boolean): number {
    const steps = planSteps(baseline.plan, plan);
    const accepted = readAcceptedChanges();
    const losses = userLosses(steps, plan.stack, accepted);
    const status = losses.some((loss) => !loss.acceptedBy) ? EXIT_USERS_LOST : EXIT.ok;
    if (json) {
        process.stdout.write(JSON.stringify({ project: plan.project, stack: plan.stack, baseline: baseline.from, ...impactJson(steps, losses) }, null, 2) + "\n");
        return status;
    }
    const lines = [
        `Change impact for stack ${plan.stack} (project ${plan.project}), against ${baseline.from}`,
        "  Offline: declared inputs compared, not what is deployed. A secret's change cannot be seen here;",
        "  the pull request's `pulumi preview` shows it.",
        "",
        ...renderTree(steps.map((step) => ({ resource: resourceOf(step, plan, baseline.plan), op: step.op, info: stepInfo(step) }))),
        ...changeDetails(steps),
        "",
        ...renderSummary(changeSummary(steps)),
        ...userLossText(losses, ACCEPTANCE_FILE),
    ];
    const stale = accepted.filter(
        (entry) => entry.stack === plan.stack && !losses.some((loss) => loss.acceptedBy === entry),
    );
    for (const entry of stale) {
        lines.push("", `note: ${ACCEPTANCE_FILE} accepts ${entry.op} of ${entry.resource} in ${entry.stack}, which this change does not do; remove that entry once it has deployed.`);
    }
    process.stdout.write(lines.join("\n") + "\n");
    return status;
}

function resourceOf(step: Step, plan: Plan, baseline: Plan | undefined) {
    const found = plan.resources.find((r) => r.urn === step.urn) ?? baseline?.resources.find((r) => r.urn === step.urn);
    return found as Plan["resources"][number];
}

function stepInfo(step: Step): string {
    const parts: string[] = [];
    if (step.diffs.length) parts.push(`diff: ${step.diffs.map((d) => `~${d}`).join(" ")}`);
    if (step.replaceReasons.length) parts.push(`replace: ${step.replaceReasons.join(", ")}`);
    for (const [option, change] of Object.entries(step.optionChanges)) {
        parts.push(`${option}: ${JSON.stringify(change.from) ?? "unset"} → ${JSON.stringify(change.to) ?? "unset"}`);
    }
    return parts.length ? `[${parts.join("; ")}]` : "";
}

/** For each updated or replaced resource, each changed input, old → new. */
function changeDetails(steps: readonly Step[]): string[] {
    const lines: string[] = [];
    for (const step of steps.filter((s) => s.op === "update" || s.op === "replace")) {
        lines.push("", `${step.op === "replace" ? "+-" : "~"} ${step.name} (${step.type})`);
        for (const input of step.diffs) {
            const from = JSON.stringify(step.oldInputs?.[input]) ?? "unset";
            const to = JSON.stringify(step.newInputs?.[input]) ?? "unset";
            lines.push(`    ${input}: ${from === to ? `${to} (its source is new)` : `${from} → ${to}`}`);
        }
    }
    return lines;
}

if (require.main === module) runMain(main);
