import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { configText, readStackFile } from "../tools/mock/stackFile";
import { ROOT } from "./support";

/** Runs node with `args` and `env` from the repository's root; resolves to its exit status and output. */
function node(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<{ status: number; output: string }> {
    return new Promise((resolve) =>
        execFile(process.execPath, [...args], { cwd: ROOT, env }, (error, stdout, stderr) =>
            resolve({ status: error ? Number((error as { code?: number }).code ?? 1) : 0, output: stdout + stderr }),
        ),
    );
}

/**
 * The Pulumi CLI loads the program and the policy pack with its own loaders
 * (@pulumi/pulumi/cmd/run and cmd/run-policy-pack); tools/bench/cliLoad.cjs runs those loaders
 * under Pulumi's mocks, with what Pulumi.yaml tells the language host, as `npm run bench` does.
 */
describe("the Pulumi CLI's loaders, with this project's settings", () => {
    const project = parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as { name: string; runtime: { options: { typescript: boolean; nodeargs: string } } };
    const loader = path.join(ROOT, "tools", "bench", "cliLoad.cjs");

    it("loads the program transpile-only, with the one TypeScript loader, never ts-node", () => {
        assert.deepStrictEqual(project.runtime.options, { typescript: false, nodeargs: "--require ./deploy/typescript.cjs" });
    });

    // With the seed's settings (a fixture, not a stack file): the loaders, not a team's edits of the
    // stacks, are what this spec checks, and tests/stacks.spec.ts runs the program for every stack.
    const seed = readStackFile(path.join(ROOT, "tests", "fixtures", "Pulumi.seed.yaml")).values;
    /** Loads the program for stack dev with `config`, as the CLI would pass it. */
    const loadProgram = (config: typeof seed) =>
        node([...project.runtime.options.nodeargs.split(" "), loader, "program", "dev"], {
            ...process.env,
            PULUMI_NODEJS_TYPESCRIPT: String(project.runtime.options.typescript),
            PULUMI_NODEJS_PROJECT: project.name,
            PULUMI_CONFIG: JSON.stringify(Object.fromEntries(Object.entries(config).map(([k, v]) => [k, configText(v)]))),
        });

    it("loads the program for a stack and the policy pack with only the root node_modules", async () => {
        const [program, pack] = await Promise.all([loadProgram(seed), node([loader, "pack"])]);
        assert.deepStrictEqual([program.status, pack.status], [0, 0], program.output + pack.output);
        assert.doesNotMatch(program.output + pack.output, /TSError|ts-node/);
    });

    it("fails as the CLI's loader does when the program fails: exit status 32, with the program's error", async () => {
        const { [`${project.name}:poolName`]: _poolName, ...withoutPoolName } = seed;
        const program = await loadProgram(withoutPoolName);
        assert.deepStrictEqual([program.status, /poolName/.test(program.output)], [32, true], program.output);
    });
});
