import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import Mocha from "mocha";
import { parseDocument } from "yaml";
import { main as planMain } from "../tools/plan/cli";
import { PLANS_DIR } from "../tools/plan/plan";
import { ROOT, checkoutFiles, runInProcess, testGit, testGitInit } from "./support";

/**
 * The specs that read the committed stack files, stacks.json, plans/ or the acceptance file.
 * Every other spec uses fixtures of its own, so a team's edit of its stacks cannot break it; the
 * last test below holds this list to what the specs read.
 */
const SPECS_OF_THE_STACK_FILES = ["tests/stacks.spec.ts", "tests/policy.spec.ts", "tests/e2e.spec.ts"];

/** What a spec reads when it reads this repository's stack files, stack list, plans or acceptance file. */
const READS_THE_STACK_FILES = /stackFilePaths\(ROOT\)|deployOrder\(ROOT\)|path\.join\(ROOT, "Pulumi\.[^"]+\.yaml"\)|path\.join\(ROOT, PLANS_DIR|acceptancePath\(ROOT\)/;

/** Stryker's incremental record: 4 MB, two thirds of the checkout, which none of the specs run on a copy reads. */
const MUTATION_RECORD = "tests/mutation/incremental.json";

/**
 * A copy of this checkout's files (see checkoutFiles; not {@link MUTATION_RECORD}), with its
 * node_modules linked. With `commit`, it is a git repository of one commit that holds its plans/:
 * the plans and the acceptance file that `plan --diff` compares with, all it reads from git
 * (committing every file would cost git's hashing of each, about 0.2 s of CPU). Without it the copy
 * is no repository: `plan --update` and the specs of the stack files read no git.
 */
function copyOfCheckout(prefix: string, commit: boolean): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    for (const file of checkoutFiles()) {
        if (file === MUTATION_RECORD) continue;
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.copyFileSync(path.join(ROOT, file), path.join(dir, file));
    }
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    if (commit) {
        testGitInit(dir);
        testGit(dir, "add", "--", PLANS_DIR);
        testGit(dir, "commit", "-q", "-m", "base");
    }
    return dir;
}

/** Sets `cognito-totp:<key>` in a stack file as a person would, keeping its comments; `undefined` removes it. */
function setKey(file: string, key: string, value: unknown): void {
    const document = parseDocument(fs.readFileSync(file, "utf8"));
    if (value === undefined) document.deleteIn(["config", `cognito-totp:${key}`]);
    else document.setIn(["config", `cognito-totp:${key}`], value);
    fs.writeFileSync(file, document.toString());
}

/** How a run of spec files went: the count of tests that passed and that were skipped, and each failure, titled. */
interface SpecsRun {
    readonly passes: number;
    readonly pending: number;
    readonly failures: readonly string[];
}

/**
 * Runs spec files in this process, in a mocha of their own (default settings, a 60 s timeout, no
 * report printed). Each copy's own modules load from the copy; node_modules, a link to this
 * checkout's, is shared with this process, which has the Pulumi SDK loaded already.
 */
function runSpecs(files: readonly string[]): Promise<SpecsRun> {
    const failures: string[] = [];
    class Collect extends Mocha.reporters.Base {
        constructor(runner: Mocha.Runner) {
            super(runner);
            runner.on("fail", (test, error: Error) => failures.push(`${test.fullTitle()}: ${error.stack ?? error.message}`));
        }
    }
    const mocha = new Mocha({ timeout: 60_000, reporter: Collect });
    for (const file of files) mocha.addFile(file);
    return new Promise((resolve) => {
        const runner = mocha.run(() => {
            const { passes, pending } = runner.stats!;
            mocha.dispose();
            resolve({ passes, pending, failures });
        });
    });
}

/** `npm run plan --` on the copy, in this process. */
function plan(dir: string, ...argv: string[]) {
    return runInProcess(planMain, [...argv, "--project-dir", dir]);
}

/**
 * The documented edits (docs/configuration.md, docs/environments.md, docs/reviewing-changes.md,
 * docs/operations.md), each made as the docs say on a copy of this checkout and followed by
 * `npm run plan:update`: the specs that read the stack files still pass on the copy.
 */
describe("documented edits of the stacks keep the suite green (on a copy of this checkout)", function () {
    this.timeout(120_000);
    const copies: string[] = [];

    after(() => {
        for (const dir of copies) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("add an admin user with a group, add a stack, accept a pool replacement in dev, set and then remove a passwordReissue label", async () => {
        const edited = copyOfCheckout("cognito-totp-edits-", true);
        copies.push(edited);
        const dev = path.join(edited, "Pulumi.dev.yaml");

        // An admin user with a group (docs/configuration.md: adminUsers, groups).
        setKey(dev, "groups", [{ name: "operators", description: "On-call operators" }]);
        setKey(dev, "adminUsers", [{ username: "ops", groups: ["operators"] }]);
        // A stack (docs/environments.md, "Adding a stack"): a file copied from the closest one, then stacks.json.
        fs.copyFileSync(path.join(edited, "Pulumi.staging.yaml"), path.join(edited, "Pulumi.qa.yaml"));
        setKey(path.join(edited, "Pulumi.qa.yaml"), "poolName", "totp-qa");
        const stacks = JSON.parse(fs.readFileSync(path.join(edited, "stacks.json"), "utf8")) as { deployOrder: string[] };
        fs.writeFileSync(path.join(edited, "stacks.json"), JSON.stringify({ deployOrder: [...stacks.deployOrder, "qa"] }, null, 2) + "\n");
        // A pool replacement in dev, accepted with the entry `plan --diff` prints (docs/reviewing-changes.md).
        setKey(dev, "usernameCaseSensitive", false);
        const loss = await plan(edited, "--stack", "dev", "--diff");
        assert.strictEqual(loss.status, 3, loss.stdout + loss.stderr);
        const printed = loss.stdout.split("\n").filter((line) => /^ {2}[- ] /.test(line) && /^ {2}(- stack|  resource|  op|  reasons|  why):/.test(line));
        assert.deepStrictEqual(printed.map((line) => line.trim().split(":")[0]), ["- stack", "resource", "op", "reasons", "why"], loss.stdout);
        const entry = printed.map((line) => line.slice(2)).join("\n").replace(/<why losing these users is intended>/, "dev's usernames become case-insensitive before launch");
        fs.mkdirSync(path.join(edited, "plans"), { recursive: true });
        fs.writeFileSync(path.join(edited, "plans", "accepted-changes.yaml"), entry + "\n");
        // A passwordReissue label for the main admin (docs/operations.md, re-issuing a temporary password).
        setKey(dev, "adminPasswordReissue", "2026-12-05 forgotten");

        const accepted = await plan(edited, "--stack", "dev", "--diff");
        assert.strictEqual(accepted.status, 0, accepted.stdout + accepted.stderr);
        assert.strictEqual((await plan(edited, "--update")).status, 0);

        // The label removed again, in a copy of the edited checkout (`plan --update` reads no git).
        const removed = copyOfCheckout("cognito-totp-edits-", false);
        copies.push(removed);
        for (const file of ["Pulumi.dev.yaml", "Pulumi.qa.yaml", "stacks.json", "plans/accepted-changes.yaml"]) {
            fs.copyFileSync(path.join(edited, file), path.join(removed, file));
        }
        setKey(path.join(removed, "Pulumi.dev.yaml"), "adminPasswordReissue", undefined);
        assert.strictEqual((await plan(removed, "--update")).status, 0);

        // Both copies' specs, in a mocha of their own in this process, without the suite's config (its spec list is this checkout's).
        const specs = [edited, removed].flatMap((dir) => SPECS_OF_THE_STACK_FILES.map((spec) => path.join(dir, spec)));
        const run = await runSpecs(specs);
        assert.deepStrictEqual(run.failures, [], `the specs of the stack files fail after a documented edit:\n${run.failures.join("\n")}`);
        assert.deepStrictEqual([run.passes > 0, run.pending], [true, 0]);
    });

    it("runs every spec that reads the stack files, stacks.json, plans/ or the acceptance file", () => {
        const specs = [...fs.readdirSync(path.join(ROOT, "tests")).map((name) => `tests/${name}`), ...fs.readdirSync(path.join(ROOT, "tests", "emulator")).map((name) => `tests/emulator/${name}`)]
            .filter((file) => file.endsWith(".ts") && READS_THE_STACK_FILES.test(fs.readFileSync(path.join(ROOT, file), "utf8")));
        assert.deepStrictEqual(specs.sort(), [...SPECS_OF_THE_STACK_FILES].sort());
    });
});
