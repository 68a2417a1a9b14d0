/**
 * `npm run plan`: what a stack declares, offline; with `--diff`, what a change does to it
 * against a baseline plan, and whether it loses users. `npm run plan:update` rewrites the
 * committed plans.
 */
import * as fs from "fs";
import * as path from "path";
import { CommandSpec, EXIT, UsageError, npmBannerNote, runCommand, runMain } from "../../deploy/commandLine";
import { readStackFile } from "../mock/stackFile";
import { ACCEPTANCE_FILE, Acceptances, readAcceptances } from "./acceptance";
import { EXIT_USERS_LOST, Step, changeSummary, impactJson, planSteps, spentNote, userLossText, userLosses } from "./impact";
import { PLAN_LIMIT, parseJson, readCommittedFile, readInputFile } from "./inputFiles";
import { PLANS_DIR, Plan, planStack, renderJson, renderSummary, renderText, renderTree } from "./plan";
import { BASE_REF_OPTION, PROJECT_DIR_OPTION, Project, baseRefOf, mockRuntimeFor, openProject, stackFileOf } from "./project";

export const PLAN_COMMAND: CommandSpec = {
    name: "npm run plan --",
    summary: "Prints what a stack declares, offline: no Pulumi CLI, no cloud, no credentials. With --diff, what a change does to each resource, and whether it loses users.",
    usage: [
        "--stack <name> [--project-dir <dir>] [--json]",
        "--stack <name> --diff [BASELINE.json] [--base-ref <git-ref>] [--project-dir <dir>] [--json]",
        "--update [--project-dir <dir>]",
    ],
    options: {
        stack: { type: "string", short: "s", value: "<name>", description: "The stack: its Pulumi.<name>.yaml is read." },
        json: { type: "boolean", description: "Print JSON only (run through `npm run --silent` to keep npm's banner out)." },
        diff: {
            type: "boolean",
            description: `Compare with a baseline plan: BASELINE.json, or else ${PLANS_DIR}/<stack>.json as committed at --base-ref.`,
        },
        "base-ref": BASE_REF_OPTION,
        "project-dir": PROJECT_DIR_OPTION,
        update: { type: "boolean", description: `Rewrite ${PLANS_DIR}/<stack>.json for every Pulumi.<stack>.yaml (npm run plan:update).` },
    },
    positionals: { max: 1, name: "baseline file" },
    footer: [
        "Exit status: 0 done; 1 failed (bad config, unreadable baseline or acceptance file); 2 usage error;",
        `3 (--diff) the change would replace or delete a user pool or user, and no unspent entry of ${ACCEPTANCE_FILE}`,
        "accepts it on purpose. The acceptance file is read from the working tree; an entry that the one",
        "committed at --base-ref already holds is spent (it accepted an earlier change), also with BASELINE.json.",
    ].join("\n"),
};

export async function main(argv: readonly string[]): Promise<number> {
    return runCommand(PLAN_COMMAND, argv, async ({ values, positionals }) => {
        if (values.update) {
            if (values.stack !== undefined || values.diff || values.json || values["base-ref"] !== undefined || positionals.length > 0) {
                throw new UsageError("--update rewrites every stack's plan: give it alone (or with --project-dir)");
            }
            return updatePlans(openProject(values["project-dir"] as string | undefined));
        }
        if (typeof values.stack !== "string") throw new UsageError("give --stack <name> (or --update)");
        if (!values.diff && (positionals.length > 0 || values["base-ref"] !== undefined)) {
            throw new UsageError("a baseline and --base-ref go with --diff");
        }
        const baseRef = baseRefOf(values["base-ref"]);
        const project = openProject(values["project-dir"] as string | undefined);
        const file = stackFileOf(project, values.stack);
        const stack = values.stack;
        const plan = await planStack(await mockRuntimeFor(project, stack), project.program, readStackFile(file));
        if (values.json) {
            const note = npmBannerNote(`plan -- --stack ${stack}${values.diff ? " --diff" : ""} --json`);
            if (note) process.stderr.write(note + "\n");
        }
        if (!values.diff) {
            process.stdout.write(values.json ? renderJson(plan) : renderText(plan));
            return EXIT.ok;
        }
        const baseline = positionals[0] !== undefined ? { plan: readBaselineFile(positionals[0]), from: positionals[0] } : readCommittedPlan(project, stack, baseRef);
        return printImpact(plan, baseline, readAcceptances(project.dir, baseRef), values.json === true);
    });
}

/** Rewrites every stack's committed plan, and removes the plans of stacks that no longer have a file. */
async function updatePlans(project: Project): Promise<number> {
    const stacks = Object.entries(project.stackFiles);
    const runtime = await mockRuntimeFor(project, stacks[0]?.[0] ?? "plan");
    const dir = path.join(project.dir, PLANS_DIR);
    fs.mkdirSync(dir, { recursive: true });
    for (const [stack, file] of stacks) {
        const plan = await planStack(runtime, project.program, readStackFile(file));
        fs.writeFileSync(path.join(dir, `${stack}.json`), renderJson(plan));
        console.log(`wrote ${PLANS_DIR}/${stack}.json`);
    }
    for (const name of fs.readdirSync(dir)) {
        const stack = /^(.+)\.json$/.exec(name)?.[1];
        if (stack && !(stack in project.stackFiles)) {
            fs.rmSync(path.join(dir, name));
            console.log(`removed ${PLANS_DIR}/${name}: there is no Pulumi.${stack}.yaml`);
        }
    }
    return EXIT.ok;
}

/** A baseline plan from a file. */
function readBaselineFile(file: string): Plan {
    return parsePlan(readInputFile(file, PLAN_LIMIT), file);
}

/** The stack's plan as committed at `ref`; `undefined` when the stack had none there (a new stack). */
function readCommittedPlan(project: Project, stack: string, ref: string): { plan: Plan | undefined; from: string } {
    const where = `${ref}:${PLANS_DIR}/${stack}.json`;
    const text = readCommittedFile(project.dir, ref, `${PLANS_DIR}/${stack}.json`, PLAN_LIMIT);
    return text === undefined ? { plan: undefined, from: `${where} (none: a new stack)` } : { plan: parsePlan(text, where), from: where };
}

function parsePlan(text: string, where: string): Plan {
    const plan = parseJson(text, `the baseline plan ${where}`) as Partial<Plan> | null;
    const isResource = (r: unknown) => {
        const resource = r as Record<string, unknown> | null;
        return typeof resource?.urn === "string" && typeof resource.type === "string" && typeof resource.name === "string" && typeof resource.inputs === "object" && typeof resource.options === "object";
    };
    if (!Array.isArray(plan?.resources) || !plan.resources.every(isResource)) {
        throw new Error(`the baseline plan ${where} has no resources list of urn, type, name, options and inputs: is it a plan from npm run plan -- --json?`);
    }
    return plan as Plan;
}

/** Prints the impact of the change from `baseline` to `plan`; exit 3 when it loses users that no usable entry accepts. */
function printImpact(plan: Plan, baseline: { plan: Plan | undefined; from: string }, acceptances: Acceptances, json: boolean): number {
    const steps = planSteps(baseline.plan, plan);
    const losses = userLosses(steps, plan.stack, acceptances.usable, acceptances.spent);
    const status = losses.some((loss) => !loss.acceptedBy) ? EXIT_USERS_LOST : EXIT.ok;
    const spent = acceptances.spent.filter((entry) => entry.stack === plan.stack);
    if (json) {
        const report = { project: plan.project, stack: plan.stack, baseline: baseline.from, ...impactJson(steps, losses), spentAcceptances: spent };
        process.stdout.write(JSON.stringify(report, null, 2) + "\n");
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
    const unneeded = acceptances.usable.filter((entry) => entry.stack === plan.stack && !losses.some((loss) => loss.acceptedBy === entry));
    for (const entry of unneeded) {
        lines.push("", `note: ${ACCEPTANCE_FILE} accepts ${entry.op} of ${entry.resource} in ${entry.stack}, which this change does not do: remove that entry.`);
    }
    for (const entry of spent) lines.push("", `note: ${spentNote(entry, ACCEPTANCE_FILE)}`);
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
