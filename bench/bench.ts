import { spawnSync } from "child_process";
import * as path from "path";

/**
 * Speed figures, printed: how long the offline plan takes against just loading the Pulumi SDK
 * and the AWS provider in a bare Node.js process, on this machine. Nothing here is a test:
 * it prints its figures and ratios, and fails only if a command fails.
 */

const ROOT = path.resolve(__dirname, "..");
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

function main(): void {
    console.log(`Offline plan against loading the SDK (${RUNS} runs each, medians of wall time)`);
    const baseline = time("node", ["-e", 'require("@pulumi/pulumi"); require("@pulumi/aws")']);
    const plan = time("npm", ["run", "--silent", "plan", "--", "--stack", "dev"]);
    const baselineMs = median(baseline);
    const planMs = median(plan);
    console.log(`  node -e 'require("@pulumi/pulumi"); require("@pulumi/aws")'   ${baselineMs.toFixed(0).padStart(6)} ms`);
    console.log(`  npm run plan -- --stack dev                                   ${planMs.toFixed(0).padStart(6)} ms`);
    console.log(`  ratio plan / library load: ${(planMs / baselineMs).toFixed(2)} (goal: 2.5 or less)`);
}

main();
