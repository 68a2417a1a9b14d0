import * as assert from "assert";
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT } from "./support";

/** A process that a run left behind, as tools/test/run.cjs names it. */
interface LeftProcess {
    readonly pid: number;
    readonly command: string;
}

/** tools/test/run.cjs's check of what a run left behind (plain JavaScript, so typed here). */
const runner = require("../tools/test/run.cjs") as {
    leftovers(dir: string): string[];
    processesUsing(dir: string): LeftProcess[];
    leftBehindReport(paths: readonly string[], processes: readonly LeftProcess[]): string | undefined;
};

/** Whether this system has /proc, where run.cjs finds the processes of a run; without it, it finds none. */
const HAS_PROC = fs.existsSync("/proc/self/environ");

/** How a child process ended, once its output has all been read. */
function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return new Promise((resolve) => child.once("close", (code, signal) => resolve({ code, signal })));
}

describe("nothing is left behind", function () {
    this.timeout(30_000);
    /** An empty folder for each test, to serve as a temporary folder; removed after it. */
    let dir: string;

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "leftovers-"));
    });

    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    describe("npm test's check of what a run left (tools/test/run.cjs)", () => {
        it("lists what is left in the run's temporary folder, as full paths in name order, and nothing in an empty one", () => {
            assert.deepStrictEqual(runner.leftovers(dir), []);
            fs.mkdirSync(path.join(dir, "plan-Ab12Cd"));
            fs.writeFileSync(path.join(dir, "impact-x.yaml"), "");
            assert.deepStrictEqual(runner.leftovers(dir), [path.join(dir, "impact-x.yaml"), path.join(dir, "plan-Ab12Cd")]);
        });

        it("finds a running process whose TMPDIR is the run's folder, and none once it has exited", async () => {
            const child = spawn("sleep", ["30"], { env: { ...process.env, TMPDIR: dir }, stdio: "ignore" });
            const end = exited(child);
            try {
                await new Promise((resolve, reject) => child.once("spawn", resolve).once("error", reject));
                assert.deepStrictEqual(runner.processesUsing(dir), HAS_PROC ? [{ pid: child.pid, command: "sleep 30" }] : []);
            } finally {
                child.kill("SIGTERM");
            }
            assert.deepStrictEqual(await end, { code: null, signal: "SIGTERM" });
            assert.deepStrictEqual(runner.processesUsing(dir), []);
        });

        it("fails a run with each folder and process it left, and passes one that left nothing", () => {
            assert.strictEqual(runner.leftBehindReport([], []), undefined);
            assert.strictEqual(
                runner.leftBehindReport(["/tmp/cognito-totp-test-1/plan-Ab12Cd", "/tmp/cognito-totp-test-1/prod-deps-Ef34Gh"], [{ pid: 4321, command: "sleep 30" }]),
                "npm test left 2 temporary file(s) or folder(s) behind. The spec or tool that made each (its name starts with the prefix it gave mkdtemp) " +
                    "must remove it, in an after hook or a finally:\n" +
                    "  /tmp/cognito-totp-test-1/plan-Ab12Cd\n" +
                    "  /tmp/cognito-totp-test-1/prod-deps-Ef34Gh\n" +
                    "npm test left 1 process(es) running, now sent SIGTERM. The spec that started each must stop it and wait for its exit:\n" +
                    "  4321 sleep 30",
            );
        });
    });

    describe("npm run bench", () => {
        // One size of the scaling table, the smallest: the one part of the bench that makes a
        // temporary folder. The whole bench takes minutes; the commands it times are its only other
        // processes, each run with spawnSync, so each has ended before the next starts.
        it("measuring one size (bench.ts --size 1) removes its bench- folder, and leaves no process", async () => {
            const child = spawn(process.execPath, ["-r", "./deploy/typescript.cjs", path.join("tools", "bench", "bench.ts"), "--size", "1"], {
                cwd: ROOT,
                env: { ...process.env, TMPDIR: dir },
                stdio: ["ignore", "pipe", "pipe"],
            });
            let stdout = "";
            let stderr = "";
            child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
            child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
            assert.deepStrictEqual({ ...(await exited(child)), stderr }, { code: 0, signal: null, stderr: "" });
            const row = JSON.parse(stdout) as { users: number; resources: number; plan: unknown; mocks: unknown };
            // The count of resources follows Pulumi.dev.yaml, which is the team's to edit.
            assert.deepStrictEqual([row.users, Number.isInteger(row.resources) && row.resources > 0, typeof row.plan, typeof row.mocks], [1, true, "number", "number"]);
            assert.deepStrictEqual(fs.readdirSync(dir), []);
            assert.deepStrictEqual(runner.processesUsing(dir), []);
        });
    });
});
