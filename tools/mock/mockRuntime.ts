import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { createRequire } from "module";
import * as path from "path";
import { TYPE_TOKENS } from "../../deploy/components/typeTokens";

/** A copy of the Pulumi Node.js SDK: mocks, config and the monitor are global to each copy. */
export type PulumiSdk = typeof pulumi;

/**
 * The `@pulumi/pulumi` that the program of the project in `projectDir` imports, resolved from that
 * directory as its own `require` would: the mocks must be set on the copy the program uses, for a
 * second copy of the SDK in the same process shares nothing with the first.
 */
export function loadPulumiSdk(projectDir: string): PulumiSdk {
    return createRequire(path.join(path.resolve(projectDir), "package.json"))("@pulumi/pulumi") as PulumiSdk;
}

/** The mark Pulumi's wire format puts on a special value, and the mark of a secret. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** A secret as it crosses the wire to the engine: `{ <SIG_KEY>: SECRET_SIG, value }`. */
export interface WireSecret {
    readonly [SIG_KEY]: typeof SECRET_SIG;
    readonly value: unknown;
}

/** Whether a wire value is a secret. */
export function isWireSecret(value: unknown): value is WireSecret {
    return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

/** One resource the program declared, as the engine would have been asked to register it. */
export interface Registration {
    /** The resource's URN. */
    readonly urn: string;
    /** Its type token, such as `aws:cognito/userPool:UserPool`. */
    readonly type: string;
    /** Its logical name. */
    readonly name: string;
    /** Its parent's URN, or `""` at the top of the stack. */
    readonly parent: string;
    /** Whether it is a custom (cloud) resource, rather than a component. */
    readonly custom: boolean;
    /** Its declared inputs in wire form: secrets stay wrapped (see {@link isWireSecret}). */
    readonly inputs: Readonly<Record<string, unknown>>;
    /** The URNs it depends on: through its inputs, and through `dependsOn`. */
    readonly dependencies: readonly string[];
    /** The URNs each input depends on, by input name: the dependencies that come from inputs. */
    readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
    /** The `protect` option. */
    readonly protect: boolean;
    /** The `retainOnDelete` option. */
    readonly retainOnDelete: boolean;
    /** The `import` option's id, or `""`. */
    readonly importId: string;
    /** The `ignoreChanges` option. */
    readonly ignoreChanges: readonly string[];
    /** The `replaceOnChanges` option. */
    readonly replaceOnChanges: readonly string[];
    /** The `deleteBeforeReplace` option; `undefined` when unset, which leaves the choice to the provider. */
    readonly deleteBeforeReplace: boolean | undefined;
    /** The `replacementTrigger` option's value; `undefined` when unset. */
    readonly replacementTrigger: unknown;
}

/** The registration request the mock monitor receives (the parts read here). */
interface RegisterResourceRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
    getDependenciesList(): string[];
    getProtect(): boolean;
    getRetainondelete(): boolean;
    getImportid(): string;
    getIgnorechangesList(): string[];
    getReplaceonchangesList(): string[];
    getDeletebeforereplace(): boolean;
    getDeletebeforereplacedefined(): boolean;
    getReplacementTrigger(): { toJavaScript(): unknown } | undefined;
    getPropertydependenciesMap(): { forEach(callback: (value: { getUrnsList(): string[] }, key: string) => void): void };
}

/** The request that registers a component's outputs (the parts read here). */
interface RegisterResourceOutputsRequest {
    getUrn(): string;
    getOutputs(): { toJavaScript(): Record<string, unknown> } | undefined;
}

interface MockMonitorLike {
    registerResource(req: RegisterResourceRequest, callback: (err: unknown, response: unknown) => void): Promise<void>;
    registerResourceOutputs(req: RegisterResourceOutputsRequest, callback: (err: unknown, response: unknown) => void): void;
}

/** The fake AWS account and the state each mocked resource type returns. */
export const MOCK_ACCOUNT_ID = "123456789012";

/** How mocked resources answer for the values AWS computes. */
export type ComputedValues =
    /** Made-up but realistic values (`us-east-1_mockcognitouserpool`), for tests. */
    | "mock"
    /** `[unknown: <resource>.<output>]`, for a plan that must not pretend to know them. */
    | "unknown";

/**
 * Mocks that answer like the cloud would, with ids and the computed outputs this program reads
 * (ARNs, endpoints, generated passwords). Any function call fails loudly: the program makes none.
 */
export class CloudMocks implements pulumi.runtime.Mocks {
    /**
     * @param region the region resources are given ids and ARNs in.
     * @param computed how values that AWS computes are made up.
     */
    constructor(
        private readonly region: () => string,
        private readonly computed: ComputedValues = "mock",
    ) {}

    newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
        const region = this.region();
        const inputs = args.inputs as Record<string, unknown>;
        const unknown = (output: string) => `[unknown: ${args.name}.${output}]`;
        const mock = this.computed === "mock";
        const bareName = args.name.replace(/[^A-Za-z0-9]/g, "");
        switch (args.type) {
            case TYPE_TOKENS.userPool: {
                const id = args.id || (mock ? `${region}_mock${bareName}` : unknown("id"));
                return {
                    id,
                    state: {
                        ...inputs,
                        arn: mock ? `arn:aws:cognito-idp:${region}:${MOCK_ACCOUNT_ID}:userpool/${id}` : unknown("arn"),
                        endpoint: mock ? `cognito-idp.${region}.amazonaws.com/${id}` : unknown("endpoint"),
                    },
                };
            }
            case TYPE_TOKENS.client:
                return { id: args.id || (mock ? `mockclient${bareName}` : unknown("id")), state: inputs };
            case TYPE_TOKENS.randomPassword:
                return {
                    id: args.id || "none",
                    state: { ...inputs, result: mock ? mockGeneratedPassword(args.name, Number(inputs.length)) : unknown("result") },
                };
            default:
                return { id: args.id || (mock ? `${args.name}-id` : unknown("id")), state: inputs };
        }
    }

    call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
        throw new Error(`Mock not implemented: ${args.token}`);
    }
}

/**
 * The password the mocked RandomPassword named `name` "generates": upper, lower, digit and
 * symbol, `length` long, and different for each resource name.
 */
export function mockGeneratedPassword(name: string, length: number): string {
    const digest = createHash("sha256").update(name).digest("hex").repeat(4);
    return "Mock1!" + digest.slice(0, Math.max(0, length - 6));
}

/** What one run of a program under the mocks declared and exported. */
export interface ProgramRun {
    /** Every registration, in the order the engine was asked for them. */
    readonly registrations: readonly Registration[];
    /** The outputs each component registered, by URN, in wire form (secrets stay wrapped). */
    readonly componentOutputs: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
    /** The program's module exports (the stack outputs), as Outputs or plain values. */
    readonly exports: Readonly<Record<string, unknown>>;
}

/** The config of one run: every value as text, keyed `namespace:key`, and which keys are secrets. */
export interface RunConfig {
    /** Every value as text, keyed `namespace:key` (`aws:region`, `cognito-totp:poolName`). */
    readonly values: Readonly<Record<string, string>>;
    /** The full keys of the values that are secrets. */
    readonly secretKeys: readonly string[];
}

/**
 * Runs Pulumi programs under the SDK's mock monitor, recording every registration request,
 * options included (`protect`, `import`, dependencies), which `Mocks.newResource` does not see.
 */
export class MockRuntime {
    private registrations: Registration[] = [];
    private componentOutputs = new Map<string, Record<string, unknown>>();
    private config: RunConfig = { values: {}, secretKeys: [] };

    /**
     * @param project the project's name, as in URNs and config keys.
     * @param sdk the copy of `@pulumi/pulumi` the programs run with.
     */
    private constructor(
        readonly project: string,
        readonly sdk: PulumiSdk,
    ) {}

    /**
     * Sets the process-wide mocks for `project`, on `sdk` (default: this repository's
     * `@pulumi/pulumi`; see {@link loadPulumiSdk} for another project's). Mocks are global to the
     * SDK's copy: make one runtime, and switch it between stacks with {@link useStack}.
     */
    static async create(project: string, stack: string, computed: ComputedValues = "mock", sdk: PulumiSdk = pulumi): Promise<MockRuntime> {
        const runtime = new MockRuntime(project, sdk);
        await runtime.useStack(stack, computed);
        return runtime;
    }

    /** Points the mocks at a stack, with computed values made up as `computed` says. Nothing may be running. */
    async useStack(stack: string, computed: ComputedValues): Promise<void> {
        const mocks = new CloudMocks(() => this.config.values["aws:region"] ?? "us-east-1", computed);
        await this.sdk.runtime.setMocks(mocks, this.project, stack, false);
        const monitor = (this.sdk.runtime.getMonitor() as unknown) as MockMonitorLike;
        const register = monitor.registerResource.bind(monitor);
        monitor.registerResource = (req, callback) => {
            this.registrations.push(readRequest(req, this.project, stack));
            return register(req, callback);
        };
        const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
        monitor.registerResourceOutputs = (req, callback) => {
            this.componentOutputs.set(req.getUrn(), req.getOutputs()?.toJavaScript() ?? {});
            return registerOutputs(req, callback);
        };
    }

    /**
     * Runs `body` (which declares resources) with `config`, waits for every registration, and
     * returns what was declared. A throw from `body` is passed on after the wait.
     *
     * No stack traces are made during a run. The SDK writes one onto each of its promises
     * (runtime/debuggable.js), for a leak report that a mocked run never prints, and formatting
     * them is about a third of a run's time. An error thrown by the program keeps its message,
     * which is all the commands print (deploy/commandLine.ts); the SDK's own source positions
     * lift the limit for themselves.
     */
    async run<T>(config: RunConfig, body: () => T): Promise<Omit<ProgramRun, "exports"> & { value: T }> {
        this.registrations = [];
        this.componentOutputs = new Map();
        this.config = config;
        this.sdk.runtime.setAllConfig({ ...config.values }, [...config.secretKeys]);
        const stackTraceLimit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        let value: T;
        try {
            try {
                value = body();
            } finally {
                await waitForRegistrations(this.sdk);
            }
        } finally {
            Error.stackTraceLimit = stackTraceLimit;
        }
        return { value, registrations: [...this.registrations], componentOutputs: new Map(this.componentOutputs) };
    }

    /** Runs the program module at `programPath` afresh (it is re-required) and collects its exports. */
    async runProgram(programPath: string, config: RunConfig): Promise<ProgramRun> {
        const resolved = require.resolve(path.resolve(programPath));
        delete require.cache[resolved];
        const { value, ...declared } = await this.run(config, () => require(resolved) as Record<string, unknown>);
        return { ...declared, exports: { ...value } };
    }
}

/** The one registration of `type`; throws unless there is exactly one. */
export function onlyOfType(registrations: readonly Registration[], type: string): Registration {
    const found = registrations.filter((r) => r.type === type);
    if (found.length !== 1) throw new Error(`expected exactly one ${type}, found ${found.length}`);
    return found[0];
}

/** Waits until `sdk` has no registration or other engine call in flight (runtime/settings.js `waitForRPCs`, untyped). */
export async function waitForRegistrations(sdk: PulumiSdk = pulumi): Promise<void> {
    await (sdk.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
}

function readRequest(req: RegisterResourceRequest, project: string, stack: string): Registration {
    const type = req.getType();
    const name = req.getName();
    const parent = req.getParent();
    const qualifiedType = parent ? `${parent.split("::")[2]}$${type}` : type;
    return {
        urn: `urn:pulumi:${stack}::${project}::${qualifiedType}::${name}`,
        type,
        name,
        parent,
        custom: req.getCustom(),
        inputs: req.getObject()?.toJavaScript() ?? {},
        dependencies: req.getDependenciesList(),
        propertyDependencies: propertyDependencies(req),
        protect: req.getProtect(),
        retainOnDelete: req.getRetainondelete(),
        importId: req.getImportid(),
        ignoreChanges: req.getIgnorechangesList(),
        replaceOnChanges: req.getReplaceonchangesList(),
        deleteBeforeReplace: req.getDeletebeforereplacedefined() ? req.getDeletebeforereplace() : undefined,
        replacementTrigger: req.getReplacementTrigger()?.toJavaScript(),
    };
}

function propertyDependencies(req: RegisterResourceRequest): Record<string, string[]> {
    const byInput: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((value, key) => {
        byInput[key] = value.getUrnsList();
    });
    return byInput;
}

/**
 * Resolves an Output (or plain value) to its value. Only for runs that are not previews: an
 * unknown Output never resolves.
 */
export function valueOf<T>(output: pulumi.Input<T> | undefined): Promise<T | undefined> {
    return new Promise((resolve) => {
        pulumi.output(output).apply((value) => {
            resolve(value as T);
            return value;
        });
    });
}
