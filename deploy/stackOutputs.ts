/** A deployed stack's outputs, read with the Pulumi CLI, for the commands that take `--stack`. */
import { execFileSync } from "child_process";
import { UsageError } from "./commandLine";

/** The stack's outputs, from the Pulumi CLI. Secrets stay hidden: `--show-secrets` is not passed. */
export function readStackOutputs(stack: string): Record<string, unknown> {
    let text: string;
    try {
        text = execFileSync("pulumi", ["stack", "output", "--json", "--stack", stack], {
            encoding: "utf8",
            timeout: 60_000,
            stdio: ["ignore", "pipe", "pipe"],
        });
    } catch (error) {
        const err = error as { code?: string; stderr?: string };
        if (err.code === "ENOENT") {
            throw new UsageError("--stack needs the Pulumi CLI, which is not on PATH: pass the ids instead (see --help)");
        }
        throw new UsageError(`pulumi stack output --stack ${stack} failed: ${(err.stderr ?? String(error)).trim()}`);
    }
    try {
        return JSON.parse(text) as Record<string, unknown>;
    } catch {
        throw new UsageError(`pulumi stack output --json --stack ${stack} did not print JSON`);
    }
}

/** One text output of a stack, or a usage error saying the stack has not been deployed. */
export function stringOutput(outputs: Record<string, unknown>, name: string, stack: string): string {
    const value = outputs[name];
    if (typeof value !== "string" || value === "") {
        throw new UsageError(`stack ${stack} has no output ${name}: has it been deployed with \`pulumi up\`?`);
    }
    return value;
}

