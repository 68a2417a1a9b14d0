/**
 * `npm run bench`: speed figures, printed, never asserted. It measures, on this machine:
 * - how long the Pulumi CLI takes to load the program and the policy pack, reproduced with the
 *   CLI's own loaders and Pulumi.yaml's settings (see cliLoad.cjs), against the floor of loading
 *   the Pulumi SDK and the AWS provider in a bare Node.js process, as ratios measured pair by pair;
 * - the offline plan against the same floor;
 * - how the offline plan and a mocks run grow with the number of admin users.
 * - `npm test` on a fresh clone of this checkout's HEAD, first run after `npm ci`, as a ratio to the
 *   same floor measured in the same clone and run (the figure docs/testing.md quotes; limit 17).
 * It leaves no temporary folder and no process: each size's stack file lives in a `bench-` folder
 * only while it is read (see stackFileWithUsers), the clone is removed when its runs end, and every
 * command it times has ended before the next starts (tests/leftovers.spec.ts checks it).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { CommandSpec, EXIT, UsageError, runCommand, runMain } from "../../deploy/commandLine";
import { MockRuntime } from "../mock/mockRuntime";
import { StackFile, configText, projectName, readStackFile } from "../mock/stackFile";
import { planStack, renderJson } from "../plan/plan";

const ROOT = path.resolve(__dirname, "..", "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const FLOOR = ["-e", 'require("@pulumi/pulumi"); require("@pulumi/aws")'];

/** Runs a command once and returns its wall time in milliseconds; a failure stops the bench. */
function timeOnce(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env, cwd = ROOT): number {
    const started = process.hrtime.bigint();
    const result = spawnSync(command, args, { cwd, env, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
    const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.status}): ${result.stderr}`);
    return elapsed;
}

function median(values: readonly number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** A command to time: what it is, and how to run it. */
interface Subject {
    readonly label: string;
    readonly args: readonly string[];
    readonly env?: NodeJS.ProcessEnv;
}

/**
 * Times each subject against the floor, A B A B …, `RUNS` times after one warm-up, and prints
 * each one's median and its median ratio to the floor over the pairs: pairs taken together, so
 * that the ratio holds while the machine's speed drifts.
 */
function againstFloor(title: string, subjects: readonly Subject[], goal?: number): void {
    console.log(title);
    const floor: number[] = [];
    const times = subjects.map(() => [] as number[]);
    const ratios = subjects.map(() => [] as number[]);
    for (let run = -1; run < RUNS; run++) {
        const base = timeOnce(process.execPath, FLOOR);
        subjects.forEach((subject, i) => {
            const ms = timeOnce(process.execPath, subject.args, subject.env);
            if (run < 0) return;
            times[i].push(ms);
            ratios[i].push(ms / base);
        });
        if (run >= 0) floor.push(base);
    }
    const width = Math.max(...subjects.map((s) => s.label.length), 60);
    console.log(`  ${"floor: node -e 'require(\"@pulumi/pulumi\"); require(\"@pulumi/aws\")'".padEnd(width)} ${median(floor).toFixed(0).padStart(6)} ms`);
    subjects.forEach((subject, i) => {
        const ratio = median(ratios[i]);
        const verdict = goal === undefined ? "" : ratio <= goal ? `  (goal: ${goal} or less)` : `  (over the goal of ${goal})`;
        console.log(`  ${subject.label.padEnd(width)} ${median(times[i]).toFixed(0).padStart(6)} ms   ratio ${ratio.toFixed(2)}${verdict}`);
    });
}

/** The node arguments and environment the Pulumi language host derives from Pulumi.yaml's runtime options. */
function languageHostSettings(stack: string): { args: string[]; env: NodeJS.ProcessEnv } {
    const project = parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as {
        name: string;
        runtime: string | { options?: { typescript?: boolean; nodeargs?: string; tsconfig?: string } };
    };
    const options = typeof project.runtime === "object" ? (project.runtime.options ?? {}) : {};
    const file = readStackFile(path.join(ROOT, `Pulumi.${stack}.yaml`));
    return {
        args: (options.nodeargs ?? "").split(/\s+/).filter(Boolean),
        env: {
            ...process.env,
            PULUMI_NODEJS_TYPESCRIPT: String(options.typescript ?? true),
            ...(options.tsconfig ? { PULUMI_NODEJS_TSCONFIG_PATH: options.tsconfig } : {}),
            PULUMI_NODEJS_PROJECT: project.name,
            PULUMI_CONFIG: JSON.stringify(Object.fromEntries(Object.entries(file.values).map(([k, v]) => [k, configText(v)]))),
        },
    };
}

/** The Pulumi CLI's loading of the program and of the policy pack, against the floor. */
function cliLoaders(): void {
    const loader = path.join(__dirname, "cliLoad.cjs");
    const host = languageHostSettings("dev");
    againstFloor(
        `How the Pulumi CLI loads the program and the policy pack (its own loaders in @pulumi/pulumi/cmd, Pulumi.yaml's settings; ${RUNS} runs, medians)`,
        [
            { label: `program, as \`pulumi up\` loads it (node ${host.args.join(" ")})`, args: [...host.args, loader, "program", "dev"], env: host.env },
            { label: "policy pack, as `pulumi preview --policy-pack deploy/policy` loads it", args: [loader, "pack"] },
        ],
        1.5,
    );
}

/** The offline plan, a whole `npm run plan` process, against the floor. */
function offlinePlan(): void {
    againstFloor(`\nThe offline plan (${RUNS} runs, medians)`, [
        { label: "npm run plan -- --stack dev (node directly, without npm)", args: ["-r", "./deploy/typescript.cjs", "tools/plan/cli.ts", "--stack", "dev"] },
    ]);
}

/**
 * A stack file like dev's, with `users` admin users in all (one `adminUsername`, the rest
 * `adminUsers`), all in one group, read as the offline plan reads one: written to a temporary
 * folder, read, and the folder removed before it returns, whatever happens. The folder lives only
 * for these few synchronous steps on purpose: a size's runs never yield to Node's event loop (its
 * timers do not fire for the whole measurement), so a SIGINT handler would not run until they end,
 * and a Ctrl-C meanwhile would leave the folder behind.
 */
function stackFileWithUsers(users: number): StackFile {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-"));
    try {
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
        return readStackFile(file);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
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
    const file = stackFileWithUsers(users);
    const runtime = await MockRuntime.create(projectName(ROOT), "bench");
    const program = path.join(ROOT, "index.ts");
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
        const result = spawnSync(process.execPath, ["-r", "./deploy/typescript.cjs", __filename, "--size", String(users)], {
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

/** The most `npm test` may take, as a ratio to the library-load floor (issue 22, docs/testing.md). */
export const TEST_RATIO_LIMIT = 17;

/**
 * `npm test` on a fresh clone of this checkout's HEAD (what is committed; not what is only in the
 * work tree), timed `runs` times in the state the first run after `npm ci` finds: the first right
 * after `npm ci`, each later one after removing node_modules/.cache, the one thing a run leaves
 * (tsc's incremental state and the loader's cache). Each run is paired with a floor measured in the
 * clone just before it; prints the medians and the median ratio. The limit holds against the floor
 * as a bare node loads it in this process's environment. npm test gives the processes it starts
 * an environment of their own (processEnv in tools/test/run.cjs: glibc's huge pages for malloc,
 * and none of the variables they do not use, such as NODE_EXTRA_CA_CERTS), in which the libraries
 * load faster too: that floor, and npm test's ratio to it, are printed beside, for a fair reading.
 * The clone is removed at the end; the report of a run that failed is kept, and its path printed.
 */
function freshCloneTests(runs: number): void {
    const clone = fs.mkdtempSync(path.join(os.tmpdir(), "bench-clone-"));
    const inClone = (command: string, args: readonly string[]) => {
        const result = spawnSync(command, args, { cwd: clone, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
        if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.status}): ${result.stderr}`);
    };
    try {
        inClone("git", ["clone", "--quiet", ROOT, "."]);
        inClone("npm", ["ci", "--no-audit", "--no-fund"]);
        // The environment the clone's npm test gives its processes (its run.cjs, typed by this checkout's run.d.cts).
        const testRunner = require(path.join(clone, "tools", "test", "run.cjs")) as typeof import("../test/run.cjs");
        /** The floor's environments: this process's, and the one npm test gives its processes. */
        const floorEnv = { plain: process.env, tuned: testRunner.processEnv(process.env) };
        const dropped = testRunner.UNUSED_ENV.filter((name) => process.env[name] !== undefined);
        /** Each run's floors (the median of three each) and npm test's time. */
        const floors = { plain: [] as number[], tuned: [] as number[] };
        const tests: number[] = [];
        const failures: string[] = [];
        // Each run's report, kept past the clone where that run failed (it is removed, passed or not), and removed where it passed.
        const logs = fs.mkdtempSync(path.join(os.tmpdir(), "bench-npm-test-"));
        /** Says which runs failed, with their reports; where none did, removes the reports' folder. */
        const settleReports = () => {
            if (failures.length > 0) console.log(`  npm test FAILED in the clone (${failures.join("; ")})`);
            else fs.rmSync(logs, { recursive: true, force: true });
        };
        try {
            for (let run = 0; run < runs; run++) {
                if (run > 0) fs.rmSync(path.join(clone, "node_modules", ".cache"), { recursive: true, force: true });
                // The two floors in turn, three times, the first of them alternating from run to run, so that neither always goes first.
                const order = (run % 2 === 0 ? ["plain", "tuned"] : ["tuned", "plain"]) as (keyof typeof floorEnv)[];
                const times = { plain: [] as number[], tuned: [] as number[] };
                for (let i = 0; i < 3; i++) for (const which of order) times[which].push(timeOnce(process.execPath, FLOOR, floorEnv[which], clone));
                floors.plain.push(median(times.plain));
                floors.tuned.push(median(times.tuned));
                // Timed whether it passes or not: a failing spec is reported, and is no reason to lose the figure.
                const log = path.join(logs, `run-${run + 1}.log`);
                const output = fs.openSync(log, "w");
                const started = process.hrtime.bigint();
                const test = spawnSync("npm", ["test", "--silent"], { cwd: clone, stdio: ["ignore", output, output] });
                tests.push(Number(process.hrtime.bigint() - started) / 1e6);
                fs.closeSync(output);
                if (test.status !== 0) failures.push(`run ${run + 1}: exit ${test.status ?? test.signal}, its report in ${log}`);
                else fs.rmSync(log);
            }
        } catch (error) {
            // A floor that fails ends the bench: what the runs before it left is settled all the same.
            settleReports();
            throw error;
        }
        /** npm test's median ratio to one of the floors, each run's time to that run's floor. */
        const ratioTo = (floor: readonly number[]) => median(tests.map((ms, run) => ms / floor[run]));
        const ratio = ratioTo(floors.plain);
        console.log(`\nnpm test on a fresh clone, first run after npm ci (${runs} run(s), medians; each against the floor measured just before it in the clone)`);
        console.log(`  floor: node -e 'require("@pulumi/pulumi"); require("@pulumi/aws")'   ${median(floors.plain).toFixed(0).padStart(6)} ms`);
        console.log(
            `  npm test                                                        ${median(tests).toFixed(0).padStart(6)} ms   ratio ${ratio.toFixed(1)}` +
                (ratio <= TEST_RATIO_LIMIT ? `  (limit: ${TEST_RATIO_LIMIT})` : `  (OVER the limit of ${TEST_RATIO_LIMIT})`),
        );
        console.log(
            `  beside it, the floor in the environment npm test gives its processes (GLIBC_TUNABLES=${floorEnv.tuned.GLIBC_TUNABLES}` +
                `${dropped.map((name) => `, no ${name}`).join("")}): ${median(floors.tuned).toFixed(0)} ms, ` +
                `npm test's ratio to it ${ratioTo(floors.tuned).toFixed(1)}`,
        );
        settleReports();
    } finally {
        fs.rmSync(clone, { recursive: true, force: true });
    }
}

export const BENCH_COMMAND: CommandSpec = {
    name: "npm run bench --",
    summary: "Times how the Pulumi CLI loads the program and the policy pack, the offline plan, growth with the number of admin users, and npm test on a fresh clone; prints medians and ratios.",
    usage: ["[--tests-only]", "--size <users>"],
    options: {
        "tests-only": { type: "boolean", description: "Time only npm test on a fresh clone, against the floor." },
        size: { type: "string", value: "<users>", description: "Measure one size only, in this process, and print it as JSON (how the bench runs each size)." },
    },
    footer: "Environment: BENCH_RUNS, the runs per measurement after one warm-up (default 7); BENCH_TEST_RUNS, the runs of npm test on the fresh clone (default 3).",
};

/** `npm run bench -- <argv>`; resolves to its exit status. */
export async function main(argv: readonly string[]): Promise<number> {
    return runCommand(BENCH_COMMAND, argv, async ({ values }) => {
        if (typeof values.size === "string") {
            const users = Number(values.size);
            if (!Number.isInteger(users) || users < 1) throw new UsageError(`--size ${JSON.stringify(values.size)} is not a number of users (1 or more)`);
            await measureSize(users);
            return EXIT.ok;
        }
        console.log(`${os.cpus().length} CPUs, Node.js ${process.version}; wall times of whole processes\n`);
        if (!values["tests-only"]) {
            cliLoaders();
            offlinePlan();
            scaling();
        }
        freshCloneTests(Number(process.env.BENCH_TEST_RUNS ?? 3));
        return EXIT.ok;
    });
}

if (require.main === module) runMain(main);
