import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { TYPE_TOKENS } from "../deploy/components/typeTokens";
import { MockRuntime, RunConfig, isWireSecret } from "../tools/mock/mockRuntime";
import { projectName, readStackFile } from "../tools/mock/stackFile";
import { gitListedFiles } from "../tools/test/run.cjs";

/** The repository's root. */
export const ROOT = path.resolve(__dirname, "..");
/** The program's entry point. */
export const PROGRAM = path.join(ROOT, "index.ts");
/** The project's name, from Pulumi.yaml: config keys live under it. */
export const PROJECT = projectName(ROOT);

/** The end of the message of a test that finds a generated file differs from what `npm run generate` makes. */
export const STALE = "is stale: run `npm run generate`, and commit what it writes";

/** A temporary password that satisfies the seed's policy, used as the test secret. */
export const TEST_PASSWORD = "Test-Passw0rd!";

/** The seed script's password policy, as the user pool's `passwordPolicy` input, spelled out. */
export const SEED_POLICY_INPUTS = {
    minimumLength: 8,
    requireLowercase: true,
    requireUppercase: true,
    requireNumbers: true,
    requireSymbols: true,
    temporaryPasswordValidityDays: 7,
};

/** The type tokens this program declares (deploy/components/typeTokens.ts). */
export const TYPES = TYPE_TOKENS;

/** The URN of the dev stack's component. */
export const COMPONENT_URN = `urn:pulumi:dev::${PROJECT}::${TYPES.component}::cognito`;

/** The URN of a child of the dev stack's component. */
export function childUrn(type: string, name: string): string {
    return `urn:pulumi:dev::${PROJECT}::${TYPES.component}$${type}::${name}`;
}

/** The id the mocks give the dev stack's user pool, and its app client. */
export const MOCK_POOL_ID = "us-east-1_mockcognitouserpool";
export const MOCK_CLIENT_ID = "mockclientcognitoappclient";

let runtime: Promise<MockRuntime> | undefined;

/**
 * The one mock runtime of the test process (mocks are global: there must be only one setup),
 * pointed at `stack` with realistic made-up ids.
 */
export async function mockRuntime(stack = "dev"): Promise<MockRuntime> {
    runtime ??= MockRuntime.create(PROJECT, stack);
    const ready = await runtime;
    await ready.useStack(stack, "mock");
    return ready;
}

/**
 * The seed script's settings as a stack's config (tests/fixtures/Pulumi.seed.yaml), plus the
 * test secret. Tests that pin the seed's values use this, never a real stack file: stack files
 * are the team's to edit.
 */
export function seedConfig(): RunConfig {
    const file = readStackFile(path.join(ROOT, "tests", "fixtures", "Pulumi.seed.yaml"));
    return withSecret(file, "adminTemporaryPassword", TEST_PASSWORD);
}

/** `config` with `key` (under the project) set to a secret value. */
export function withSecret(config: RunConfig, key: string, value: string): RunConfig {
    const fullKey = `${PROJECT}:${key}`;
    return {
        values: { ...config.values, [fullKey]: value },
        secretKeys: [...config.secretKeys.filter((k) => k !== fullKey), fullKey],
    };
}

/** `config` with project keys changed: a string sets the value, `undefined` removes the key. */
export function withValues(config: RunConfig, changes: Record<string, string | undefined>): RunConfig {
    const values = { ...config.values };
    for (const [key, value] of Object.entries(changes)) {
        if (value === undefined) delete values[`${PROJECT}:${key}`];
        else values[`${PROJECT}:${key}`] = value;
    }
    return { values, secretKeys: config.secretKeys.filter((k) => k in values) };
}

/** The one registration of `type`; fails unless there is exactly one. */
export { onlyOfType as only } from "../tools/mock/mockRuntime";

/** Whether `needle` appears anywhere in `value` outside a wire secret. */
export function containsInPlainText(value: unknown, needle: string): boolean {
    if (isWireSecret(value)) return false;
    if (typeof value === "string") return value.includes(needle);
    if (Array.isArray(value)) return value.some((item) => containsInPlainText(item, needle));
    if (typeof value === "object" && value !== null) {
        return Object.values(value).some((item) => containsInPlainText(item, needle));
    }
    return false;
}

/** The wire form of a secret. */
export function wireSecret(value: unknown): Record<string, unknown> {
    return { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value };
}

/** What a command printed, and its exit status. */
export interface CommandRun {
    readonly status: number;
    readonly stdout: string;
    readonly stderr: string;
}

/**
 * Runs a command's `main` in this process and collects what it writes to stdout and stderr
 * (through process.stdout/stderr or console), which is kept off the test report.
 */
export async function runInProcess(main: (argv: readonly string[]) => Promise<number>, argv: readonly string[]): Promise<CommandRun> {
    const out: string[] = [];
    const err: string[] = [];
    const saved = { out: process.stdout.write, err: process.stderr.write, log: console.log, error: console.error, warn: console.warn };
    process.stdout.write = ((chunk: string | Uint8Array) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string | Uint8Array) => err.push(String(chunk)) > 0) as typeof process.stderr.write;
    console.log = (...args: unknown[]) => out.push(args.join(" ") + "\n");
    console.error = (...args: unknown[]) => err.push(args.join(" ") + "\n");
    console.warn = console.error;
    try {
        const status = await main(argv);
        return { status, stdout: out.join(""), stderr: err.join("") };
    } finally {
        process.stdout.write = saved.out;
        process.stderr.write = saved.err;
        console.log = saved.log;
        console.error = saved.error;
        console.warn = saved.warn;
    }
}

/**
 * Repository files that git reports as new or changed, and that changed since `sinceMs`: where a
 * test looks for a secret that a tool wrote to disk.
 */
export function filesChangedSince(sinceMs: number): string[] {
    const entries = execFileSync("git", ["status", "--porcelain", "-z", "--untracked-files=all"], { cwd: ROOT, encoding: "utf8" }).split("\0");
    const changed: string[] = [];
    for (let i = 0; i < entries.length; i++) {
        const [status, file] = [entries[i].slice(0, 2), path.join(ROOT, entries[i].slice(3))];
        if (/[RC]/.test(status)) i++; // a rename's or copy's old path follows it
        if (entries[i] !== "" && fs.existsSync(file) && fs.statSync(file).isFile() && fs.statSync(file).mtimeMs >= sinceMs) changed.push(file);
    }
    return changed;
}

/**
 * git's settings for the throwaway repositories that tests make: a committer of their own, no
 * signing, and no `git maintenance run --auto` after each commit (a git process of its own, which
 * more than doubles a commit's CPU, 19 ms to 8.5 ms here, and has nothing to do in a repository of a
 * few commits).
 */
const TEST_GIT_CONFIG = ["-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", "-c", "maintenance.auto=false"];

/** git in `cwd`, a test's throwaway repository, with {@link TEST_GIT_CONFIG}; returns what it prints, trimmed. */
export function testGit(cwd: string, ...args: string[]): string {
    return execFileSync("git", [...TEST_GIT_CONFIG, ...args], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

/**
 * Makes `dir` an empty git repository on the branch main, for a test to commit in with {@link testGit}:
 * without git's template folder (sample hooks and an exclude file, which nothing here reads; copying
 * them is about a tenth of `git init`'s CPU).
 */
export function testGitInit(dir: string): void {
    testGit(dir, "init", "-q", "--template=", "-b", "main");
}

let checkoutFilesListed: readonly string[] | undefined;

/**
 * This checkout's files, as npm test lists them (tracked, and new ones .gitignore does not
 * exclude; see gitListedFiles in tools/test/run.cjs), but those deleted in the working tree; paths
 * from ROOT. Listed once a process: no spec changes the checkout's files.
 */
export function checkoutFiles(): readonly string[] {
    checkoutFilesListed ??= gitListedFiles(ROOT).filter((file) => fs.existsSync(path.join(ROOT, file)));
    return checkoutFilesListed;
}
