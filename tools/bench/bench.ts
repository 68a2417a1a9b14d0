import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { MockRuntime } from "../mock/mockRuntime";
import { planStack, renderJson } from "../plan/plan";
import { projectName, readStackFile } from "../mock/stackFile";

/**
 * Speed figures, printed: how long the offline plan takes against just loading the Pulumi SDK
 * and the AWS provider in a bare Node.js process, on this machine. Nothing here is a test:
 * it prints its figures and ratios, and fails only if a command fails.
 */

const ROOT = path.resolve(__dirname, "..", "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

/** Runs a command `RUNS` times and returns each wall time, in milliseconds. */
function time(command: string, args: readonly string[]): number[] {
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
        const started = process.hrtime.bigint();
        const result = spawnSync(command, args, { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
        const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
        if (result.status !== 0) {
            throw new Error(`${command} ${args.join(" ")} failed (${result.status}): ${result.stderr}`);
        }
        times.push(elapsed);
    }
    return times;
}

function median(values: readonly number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** A stack file like dev's, with `users` admin users in all (one `adminUsername`, the rest `adminUsers`), all in one group. */
function stackFileWithUsers(users: number): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-"));
    const file = path.join(dir, `Pulumi.users${users}.yaml`);
    const { config } = parse(fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, unknown> };
    const project = projectName(ROOT);
    config[`${project}:groups`] = [{ name: "admins", precedence: 1 }];
    config[`${project}:adminGroups`] = ["admins"];
    config[`${project}:adminUsers`] = Array.from({ length: users - 1 }, (_, i) => ({
        username: `admin${i + 1}`,
        email: `admin${i + 1}@example.com`,
        groups: ["admins"],
    }));
    fs.writeFileSync(file, stringify({ config }));
    return file;
}

/** The median time of `body`, in milliseconds, over `runs` runs after one warm-up. */
async function timeInProcess(runs: number, body: () => Promise<unknown>): Promise<number> {
    await body();
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
        const started = process.hrtime.bigint();
        await body();
        times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    return median(times);
}

/** Measures one size, in this process: the offline plan and a mocks run, as JSON on stdout. */
async function measureSize(users: number): Promise<void> {
    const runtime = await MockRuntime.create(projectName(ROOT), "bench");
    const program = path.join(ROOT, "index.ts");
    const file = readStackFile(stackFileWithUsers(users));
    const runs = users >= 1000 ? 3 : 5;
    let resources = 0;
    const plan = await timeInProcess(runs, async () => renderJson(await planStack(runtime, program, file)));
    const mocks = await timeInProcess(runs, async () => {
        await runtime.useStack(file.stack, "mock");
        resources = (await runtime.runProgram(program, file)).registrations.length;
    });
    process.stdout.write(JSON.stringify({ users, resources, plan, mocks }));
}

/**
 * How the offline plan and a mocks run of the program grow with the number of admin users.
 * Each size runs in a fresh process, so that no size pays for the garbage of another.
 */
function scaling(): void {
    console.log("");
    console.log("Cost per admin user (medians, a fresh process per size; each user: a User, a RandomPassword, a UserInGroup)");
    console.log("   users   resources   offline plan   mocks run   plan per user   mocks per user");
    const rows: { users: number; resources: number; plan: number; mocks: number }[] = [];
    for (const users of [1, 10, 100, 1000]) {
        const result = spawnSync(process.execPath, ["-r", "sucrase/register/ts", __filename, "--size", String(users)], {
            cwd: ROOT,
            encoding: "utf8",
            maxBuffer: 1 << 20,
        });
        if (result.status !== 0) throw new Error(`measuring ${users} users failed: ${result.stderr}`);
        const row = JSON.parse(result.stdout) as (typeof rows)[number];
        rows.push(row);
        const perUser = (key: "plan" | "mocks") => (users === 1 ? "" : `${((row[key] - rows[0][key]) / (users - 1)).toFixed(2)} ms`);
        console.log(
            `${String(users).padStart(8)}${String(row.resources).padStart(12)}${`${row.plan.toFixed(0)} ms`.padStart(15)}` +
                `${`${row.mocks.toFixed(0)} ms`.padStart(12)}${perUser("plan").padStart(16)}${perUser("mocks").padStart(17)}`,
        );
    }
    const slope = (from: number, to: number, key: "plan" | "mocks") =>
        (rows[to][key] - rows[from][key]) / (rows[to].users - rows[from].users);
    for (const key of ["plan", "mocks"] as const) {
        const low = slope(1, 2, key);
        const high = slope(2, 3, key);
        console.log(
            `  ${key === "plan" ? "offline plan" : "mocks run"}: ${low.toFixed(2)} ms/user from 10 to 100 users, ` +
                `${high.toFixed(2)} ms/user from 100 to 1,000 (ratio ${(high / low).toFixed(2)}; 1.00 is linear)`,
        );
    }
}

async function main(): Promise<void> {
    console.log(`Offline plan against loading the SDK (${RUNS} runs each, medians of wall time)`);
    const baseline = time("node", ["-e", 'require("@pulumi/pulumi"); require("@pulumi/aws")']);
    const plan = time("npm", ["run", "--silent", "plan", "--", "--stack", "dev"]);
    const baselineMs = median(baseline);
    const planMs = median(plan);
    console.log(`  node -e 'require("@pulumi/pulumi"); require("@pulumi/aws")'   ${baselineMs.toFixed(0).padStart(6)} ms`);
    console.log(`  npm run plan -- --stack dev                                   ${planMs.toFixed(0).padStart(6)} ms`);
    console.log(`  ratio plan / library load: ${(planMs / baselineMs).toFixed(2)} (goal: 2.5 or less)`);
    scaling();
}

const sizeArg = process.argv.indexOf("--size");
(sizeArg >= 0 ? measureSize(Number(process.argv[sizeArg + 1])) : main()).catch((error: Error) => {
    console.error(error.message);
    process.exitCode = 1;
});
