/**
 * The real {@link E2EDeps} of `npm run e2e`: the Pulumi Automation API (`LocalWorkspace` on the
 * project at the repository's root, running index.ts through the Pulumi CLI as `pulumi up`
 * does), the AWS SDK's default credential chain, and `readAdminStatus` against Cognito.
 * The CLI's own output is never echoed: a failure is reported by the engine's error diagnostics.
 */
import { randomBytes } from "crypto";
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import { CommandError, EngineEvent, LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { readAdminStatus } from "../admin/status";
import { E2EDeps, E2EStack, E2EWorkspace, PreviewStep, changedOps } from "./e2e";

/** How long the credential chain may look before credentials count as missing. */
const CREDENTIALS_TIMEOUT_MS = 5_000;
/** How long instance metadata, the chain's last resort, may take to answer (it is asked once). */
const INSTANCE_METADATA_TIMEOUT_MS = 1_000;

/**
 * The Automation API's workspace on the project in `workDir`. Rejects with its CommandError
 * (`spawn pulumi ENOENT`) when the Pulumi CLI is not installed.
 * @param workDir The directory of Pulumi.yaml.
 */
export async function openAutomationWorkspace(workDir: string): Promise<E2EWorkspace> {
    const workspace = await LocalWorkspace.create({ workDir });
    return {
        createStack: async (name) => automationStack(await pulumiCommand("pulumi stack init", () => Stack.create(name, workspace)), workspace),
        listStacks: async () =>
            (await pulumiCommand("pulumi stack ls", () => workspace.listStacks())).map(({ name, updateInProgress }) => ({ name, updateInProgress: updateInProgress === true })),
        selectStack: async (name) => automationStack(await pulumiCommand("pulumi stack select", () => Stack.select(name, workspace)), workspace),
    };
}

/**
 * A stack's operations through the Automation API, each reporting a failure briefly (see {@link pulumiCommand}).
 * @param stack The Automation API's stack.
 * @param workspace Its workspace, which removes it.
 */
function automationStack(stack: Stack, workspace: LocalWorkspace): E2EStack {
    return {
        name: stack.name,
        setAllConfig: (config) =>
            pulumiCommand("pulumi config set-all", () =>
                stack.setAllConfig(Object.fromEntries(Object.entries(config).map(([key, value]) => [key, { value, secret: false }]))),
            ),
        up: async () => {
            const { outputs } = await pulumiCommand("pulumi up", (onEvent) => stack.up({ color: "never", suppressOutputs: true, onEvent }));
            return outputs;
        },
        previewExpectingNoChanges: async () => {
            let changes: Record<string, number> | undefined;
            const steps: PreviewStep[] = [];
            const onEvent = (event: EngineEvent) => {
                if (event.summaryEvent) changes = event.summaryEvent.resourceChanges;
                const step = event.resourcePreEvent?.metadata;
                if (step) steps.push({ op: step.op, urn: step.urn, diffs: step.diffs ?? [] });
            };
            try {
                const result = await pulumiCommand("pulumi preview", (onDiagnostic) =>
                    stack.preview({
                        expectNoChanges: true,
                        color: "never",
                        onEvent: (event) => {
                            onEvent(event);
                            onDiagnostic(event);
                        },
                    }),
                );
                return { changes: result.changeSummary, steps };
            } catch (error) {
                // --expect-no-changes makes the CLI fail when there are changes: those are the finding.
                if (changes && Object.keys(changedOps(changes)).length > 0) return { changes, steps };
                throw error;
            }
        },
        cancel: () => pulumiCommand("pulumi cancel", () => stack.cancel()),
        destroy: async () => {
            await pulumiCommand("pulumi destroy", (onEvent) => stack.destroy({ color: "never", onEvent }));
        },
        remove: () => pulumiCommand("pulumi stack rm", () => workspace.removeStack(stack.name)),
    };
}

/**
 * Runs a Pulumi CLI command, collecting the engine's error diagnostics from its events. Its
 * CommandError, whose message holds the CLI's whole output, is rethrown as an Error that says
 * only what failed: the CLI's exit code, and the error diagnostics (each after its resource's
 * name), else the CLI's own `error:` lines.
 * @param operation The command, for the message, such as `pulumi up`.
 * @param run Runs it, passing the given listener as the operation's `onEvent`.
 */
async function pulumiCommand<T>(operation: string, run: (onEvent: (event: EngineEvent) => void) => Promise<T>): Promise<T> {
    const diagnostics: string[] = [];
    try {
        return await run((event) => {
            const diagnostic = event.diagnosticEvent;
            if (diagnostic?.severity === "error") {
                diagnostics.push(`${diagnostic.urn ? `${diagnostic.urn.split("::").pop()}: ` : ""}${plainText(diagnostic.message)}`);
            }
        });
    } catch (error) {
        if (!(error instanceof CommandError)) throw error;
        // The Automation API reports every failure as code -2, with execa's message (exit code, stderr, stdout) as stderr.
        const output = plainText((error as unknown as { commandResult?: { stderr?: string } }).commandResult?.stderr ?? "");
        const exitCode = /Command failed with exit code (\d+)/.exec(output)?.[1];
        const detail = diagnostics.length > 0 ? diagnostics : output.split("\n").filter((line) => line.startsWith("error: "));
        throw new Error(`${operation} failed${exitCode ? ` (exit code ${exitCode})` : ""}${detail.length > 0 ? `: ${detail.join("\n")}` : ""}`);
    }
}

/**
 * `text` without Pulumi's colour directives and ANSI escapes, and without blank lines.
 * @param text What the CLI or the engine said.
 */
function plainText(text: string): string {
    return text
        .replace(/<\{%[^%]*%\}>/g, "")
        .replace(/\x1b\[[0-9;]*m/g, "")
        .split("\n")
        .map((line) => line.trimEnd())
        .filter((line) => line.trim() !== "")
        .join("\n");
}

/** Whether the AWS SDK's default credential chain finds credentials within {@link CREDENTIALS_TIMEOUT_MS}. */
async function findAwsCredentials(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), CREDENTIALS_TIMEOUT_MS)));
    try {
        const found = defaultProvider({ timeout: INSTANCE_METADATA_TIMEOUT_MS, maxRetries: 0 })().then(
            () => true,
            () => false,
        );
        return await Promise.race([found, timedOut]);
    } finally {
        clearTimeout(timer);
    }
}

/**
 * The real run's dependencies.
 * @param workDir The project's directory (Pulumi.yaml).
 */
export function automationDeps(workDir: string): E2EDeps {
    return {
        openWorkspace: () => openAutomationWorkspace(workDir),
        findAwsCredentials,
        readAdminStatus: (userPoolId, usernames) => readAdminStatus({ userPoolId }, { kind: "declared", usernames, groups: false }, Date.now()),
        now: () => new Date(),
        randomHex: () => randomBytes(3).toString("hex"),
        print: (line) => process.stdout.write(line + "\n"),
    };
}
