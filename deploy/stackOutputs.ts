/**
 * Which pool a command talks to: one option set (`--stack`, or `--user-pool-id` and
 * `--client-id`, with `--region` and `--endpoint-url`) and one resolver, shared by every command
 * that talks to a pool. `--stack` reads a deployed stack's outputs with the Pulumi CLI.
 */
import { execFileSync } from "child_process";
import { checkClientId, checkUserPoolId } from "./components/cognitoRules";
import { CommandSpec, OptionSpec, UsageError, checkStackName } from "./commandLine";

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

/** Whether a command signs in through the app client (and so needs its id), or only calls admin APIs on the pool. */
export type PoolUse = "sign-in" | "admin";

/**
 * The options that name the pool, for a command's {@link CommandSpec}: `--client-id` only for
 * commands that sign in.
 */
export function poolOptions(use: PoolUse): Record<string, OptionSpec> {
    return {
        stack: {
            type: "string",
            short: "s",
            value: "<name>",
            description: "Read the pool's ids from `pulumi stack output --json --stack <name>` (needs the Pulumi CLI, logged in).",
        },
        "user-pool-id": { type: "string", value: "<id>", description: "The user pool's id (stack output userPoolId), instead of --stack." },
        ...(use === "sign-in"
            ? { "client-id": { type: "string", value: "<id>", description: "The app client's id (stack output userPoolClientId), with --user-pool-id." } as OptionSpec }
            : {}),
        region: { type: "string", value: "<region>", description: "The AWS region. Default: the region in the user pool's id." },
        "endpoint-url": { type: "string", value: "<url>", description: "A Cognito endpoint instead of AWS's, such as a local moto server." },
    };
}

/** A command's own options in its usage lines: with `--stack` only, with the ids only, and with both. */
export interface PoolUsageOptions {
    readonly stack?: string;
    readonly ids?: string;
    readonly both?: string;
}

/** The usage lines of a command that talks to a pool: one with `--stack`, one with the ids. */
export function poolUsage(use: PoolUse, own: PoolUsageOptions = {}): string[] {
    const where = "[--region <region>] [--endpoint-url <url>]";
    const ids = use === "sign-in" ? "--user-pool-id <id> --client-id <id>" : "--user-pool-id <id>";
    return [
        ["--stack <name>", own.stack, where, own.both],
        [ids, own.ids, where, own.both],
    ].map((words) => words.filter(Boolean).join(" "));
}

/**
 * The manual of a command that talks to a pool: `spec`, with {@link poolOptions} before its own
 * options and {@link poolUsage} lines made with `own`.
 */
export function poolCommand(use: PoolUse, own: PoolUsageOptions, spec: Omit<CommandSpec, "usage">): CommandSpec {
    return { ...spec, usage: poolUsage(use, own), options: { ...poolOptions(use), ...spec.options } };
}

/** The pool a command talks to, from its command line. */
export interface PoolTarget {
    /** The user pool's id. */
    readonly userPoolId: string;
    /** The app client's id; only for a command that signs in. */
    readonly clientId?: string;
    /** `--region`, when given. */
    readonly region?: string;
    /** `--endpoint-url`, when given. */
    readonly endpointUrl?: string;
    /** `--stack`, when given. */
    readonly stack?: string;
    /** The stack's outputs, with `--stack`. */
    readonly outputs?: Readonly<Record<string, unknown>>;
}

/**
 * Resolves {@link poolOptions} into the pool: from the stack's outputs with `--stack`, else from
 * the ids given; a {@link UsageError} when they do not add up or an id is malformed.
 * @param values The parsed option values.
 * @param use Whether the command signs in, and so needs the app client's id.
 * @param stackOutputs Reads a stack's outputs. Default: the Pulumi CLI.
 */
export function resolvePool(
    values: Readonly<Record<string, unknown>>,
    use: PoolUse,
    stackOutputs: (stack: string) => Record<string, unknown> = readStackOutputs,
): PoolTarget {
    const given = (name: string) => (typeof values[name] === "string" ? (values[name] as string) : undefined);
    const ids = use === "sign-in" ? "--user-pool-id and --client-id" : "--user-pool-id";
    let userPoolId = given("user-pool-id");
    let clientId = use === "sign-in" ? given("client-id") : undefined;
    const stack = given("stack") === undefined ? undefined : checkStackName(given("stack") as string);
    let outputs: Record<string, unknown> | undefined;
    if (stack !== undefined) {
        if (userPoolId !== undefined || clientId !== undefined) throw new UsageError(`--stack reads the ids from the stack's outputs: give --stack or ${ids}, not both`);
        outputs = stackOutputs(stack);
        userPoolId = stringOutput(outputs, "userPoolId", stack);
        if (use === "sign-in") clientId = stringOutput(outputs, "userPoolClientId", stack);
    }
    if (userPoolId === undefined || (use === "sign-in" && clientId === undefined)) throw new UsageError(`give --stack, or ${ids}`);
    const problems: [string, string | undefined, string | undefined][] = [["--user-pool-id", userPoolId, checkUserPoolId(userPoolId)]];
    if (use === "sign-in") problems.push(["--client-id", clientId, checkClientId(clientId)]);
    for (const [option, value, rule] of problems) {
        if (rule) throw new UsageError(`${stack === undefined ? option : `stack ${stack}'s output ${option === "--client-id" ? "userPoolClientId" : "userPoolId"}`} ${rule} (got ${JSON.stringify(value)})`);
    }
    const endpointUrl = given("endpoint-url");
    return { userPoolId, clientId, region: given("region"), endpointUrl: endpointUrl === undefined ? undefined : checkEndpointUrl(endpointUrl), stack, outputs };
}

/** `--endpoint-url`: an http:// or https:// URL, else a {@link UsageError} naming it. */
export function checkEndpointUrl(url: string): string {
    if (!/^https?:\/\/[^/\s]+/.test(url) || !URL.canParse(url)) {
        throw new UsageError(`--endpoint-url must be an http:// or https:// URL, such as http://127.0.0.1:5000 (got ${JSON.stringify(url)})`);
    }
    return url;
}
