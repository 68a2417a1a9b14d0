import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CommandError } from "@pulumi/pulumi/automation";
import { checkStackName } from "../deploy/commandLine";
import { validateTotpUserPoolArgs } from "../deploy/components/areaChecks";
import { parseStackConfig } from "../deploy/stack/stackConfig";
import { PoolAdminStatus } from "../tools/admin/status";
import { openAutomationWorkspace } from "../tools/e2e/automation";
import { main } from "../tools/e2e/cli";
import {
    E2EDeps,
    E2EStack,
    E2E_EXIT,
    MISSING_AWS_CREDENTIALS,
    MISSING_PULUMI_CLI,
    LEFTOVER_AFTER_MINUTES,
    PreviewChanges,
    StackListing,
    StackOutputs,
    ephemeralConfig,
    ephemeralCreatedAt,
    ephemeralName,
    runE2E,
    sweepE2E,
} from "../tools/e2e/e2e";
import { StackFile, deployOrder, readStackFile, stackFilePaths } from "../tools/mock/stackFile";
import { PROJECT, ROOT, runInProcess, TYPES } from "./support";

/** The template: the seed's settings (a fixture, not a team's stack file). */
const SEED = readStackFile(path.join(ROOT, "tests", "fixtures", "Pulumi.seed.yaml"));
const NOW = new Date("2026-11-16T05:17:42.123Z");
const HEX = "a1b2c3";
const STACK = "e2e-seed-202611160517-a1b2c3";
const POOL = "totp-dev-e2e-202611160517-a1b2c3";
const POOL_ID = "us-east-1_E2eFake01";
/** The generated temporary password in the fake's outputs: it must never be printed. */
const SECRET = "Fake-Gen3rated-Pa55word!";

const OUTPUTS: StackOutputs = {
    userPoolId: { value: POOL_ID, secret: false },
    adminUsername: { value: "admin", secret: false },
    adminUsernames: { value: ["admin"], secret: false },
    adminTemporaryPassword: { value: SECRET, secret: true },
};
const NO_CHANGES: PreviewChanges = { changes: { same: 5 }, steps: [] };
const FINE_ADMINS: PoolAdminStatus = {
    userPoolId: POOL_ID,
    checkedAt: "2026-12-01T00:00:00.000Z",
    temporaryPasswordValidityDays: 7,
    warnDays: 2,
    admins: [{ username: "admin", listedAs: "declared", found: true, condition: "ok", status: "FORCE_CHANGE_PASSWORD", temporaryPasswordExpired: false, totpEnrolled: false }],
    canaries: [],
};

/** A production-like template with secure: values, an import and a pool name too long to extend. */
const PRODLIKE: StackFile = {
    stack: "prodlike",
    values: {
        "aws:region": "eu-west-1",
        [`${PROJECT}:poolName`]: "p".repeat(130),
        [`${PROJECT}:adminUsername`]: "admin",
        [`${PROJECT}:production`]: "true",
        [`${PROJECT}:protect`]: "true",
        [`${PROJECT}:retainOnDelete`]: "true",
        [`${PROJECT}:deletionProtection`]: "ACTIVE",
        [`${PROJECT}:verifySignIn`]: "false",
        [`${PROJECT}:import`]: '{"userPoolId":"eu-west-1_RealPool1"}',
        [`${PROJECT}:groups`]: '[{"name":"ops"}]',
    },
    secretKeys: [],
    encryptedKeys: [`${PROJECT}:adminTemporaryPassword`, `${PROJECT}:adminUsers`, "random:list"],
    encrypted: {
        [`${PROJECT}:adminTemporaryPassword`]: { secure: "v1:AAAA" },
        "random:list": [{ secure: "v1:CCCC" }, "kept"],
        [`${PROJECT}:adminUsers`]: [
            { username: "alice", temporaryPassword: { secure: "v1:BBBB" }, groups: ["ops"] },
            { username: "bob" },
        ],
    },
};

/** The Automation API's error for a missing CLI, as LocalWorkspace.create rejects with it (measured here). */
const ENOENT_MESSAGE =
    "code: -2\n stdout: \n stderr: Command failed with ENOENT: pulumi version\nspawn pulumi ENOENT\n" +
    " err?: Error: Command failed with ENOENT: pulumi version\nspawn pulumi ENOENT\n";

/** What a destroy says of a stack a lock file holds (pulumi/pulumi, the self-managed backend's lock check), as pulumiCommand reports it. */
const LOCKED =
    "pulumi destroy failed (exit code 255): error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.";

/** What the fake does differently from a clean run. */
interface Script {
    /** Opening the workspace rejects with this. */
    readonly openWorkspace?: unknown;
    /** The credential chain finds nothing. */
    readonly noCredentials?: boolean;
    /** Each operation named here rejects with its value. */
    readonly fail?: Partial<Record<"createStack" | "setAllConfig" | "up" | "preview" | "readAdminStatus" | "destroy" | "remove", unknown>>;
    /** The stack's outputs. Default: {@link OUTPUTS}. */
    readonly outputs?: StackOutputs;
    /** What the preview would change. Default: nothing. */
    readonly preview?: PreviewChanges;
    /** The admin users' state. Default: {@link FINE_ADMINS}. */
    readonly admins?: PoolAdminStatus;
    /** The project's stacks in the backend. Default: none. */
    readonly stacks?: readonly StackListing[];
    /** Listing the stacks rejects with this. */
    readonly listStacks?: unknown;
    /** For a stack selected by name, the operation on it that fails. */
    readonly failSelected?: Readonly<Record<string, "selectStack" | "cancel" | "destroy" | "remove">>;
    /** Stacks selected by name whose lock file a killed run left: destroy fails, as on a self-managed backend, until cancel. */
    readonly lockFiles?: readonly string[];
}

/** A fake workspace and AWS, recording each call in order, and the lines printed. */
function fake(script: Script = {}) {
    const calls: string[] = [];
    const lines: string[] = [];
    const configs: Record<string, string>[] = [];
    const call = async <T>(name: keyof NonNullable<Script["fail"]>, record: string, value: T): Promise<T> => {
        calls.push(record);
        if (script.fail && name in script.fail) throw script.fail[name];
        return value;
    };
    const stack = (name: string): E2EStack => ({
        name,
        setAllConfig: async (config) => {
            configs.push({ ...config });
            await call("setAllConfig", "setAllConfig", undefined);
        },
        up: () => call("up", "up", script.outputs ?? OUTPUTS),
        previewExpectingNoChanges: () => call("preview", "preview", script.preview ?? NO_CHANGES),
        cancel: async () => {
            calls.push("cancel");
        },
        destroy: () => call("destroy", "destroy", undefined),
        remove: () => call("remove", "remove", undefined),
    });
    /** A stack selected by name: its calls name it, and fail as failSelected says. */
    const lockFiles = new Set(script.lockFiles);
    const selected = async (name: string, operation: "selectStack" | "cancel" | "destroy" | "remove"): Promise<void> => {
        calls.push(`${operation} ${name}`);
        if (script.failSelected?.[name] === operation) throw new Error(`pulumi ${operation} failed (exit code 255): error: ${name}`);
        if (operation === "cancel") lockFiles.delete(name);
        if (operation === "destroy" && lockFiles.has(name)) throw new Error(LOCKED);
    };
    const deps: E2EDeps = {
        openWorkspace: async () => {
            calls.push("openWorkspace");
            if (script.openWorkspace !== undefined) throw script.openWorkspace;
            return {
                createStack: (name) => call("createStack", `createStack ${name}`, stack(name)),
                listStacks: async () => {
                    calls.push("listStacks");
                    if (script.listStacks !== undefined) throw script.listStacks;
                    return script.stacks ?? [];
                },
                selectStack: async (name) => {
                    await selected(name, "selectStack");
                    return { ...stack(name), cancel: () => selected(name, "cancel"), destroy: () => selected(name, "destroy"), remove: () => selected(name, "remove") };
                },
            };
        },
        findAwsCredentials: async () => {
            calls.push("findAwsCredentials");
            return !script.noCredentials;
        },
        readAdminStatus: (userPoolId, usernames) => call("readAdminStatus", `readAdminStatus ${userPoolId} ${usernames.join(",")}`, script.admins ?? FINE_ADMINS),
        now: () => NOW,
        randomHex: () => HEX,
        print: (line) => lines.push(line),
    };
    return { deps, calls, lines, configs };
}

/** Runs the e2e of the seed template against a fake; no printed line may hold the secret. */
async function run(script: Script = {}, template: StackFile = SEED) {
    const world = fake(script);
    const status = await runE2E(template, PROJECT, world.deps);
    assert.deepStrictEqual(
        world.lines.filter((line) => line.includes(SECRET)),
        [],
        "no line holds the secret",
    );
    return { status, ...world };
}

const CLEAN_UP = ["✔ destroy", "✔ remove stack"];
const FAILED_AND_CLEANED = (step: string) => `e2e failed at ${step}; stack ${STACK} was destroyed and removed (exit 1).`;

describe("npm run e2e", () => {
    describe("a passing run", () => {
        it("creates the stack, sets its config, ups, previews, checks the admins, then destroys and removes it, in that order", async () => {
            const { status, calls, lines } = await run();
            assert.strictEqual(status, E2E_EXIT.ok);
            assert.deepStrictEqual(calls, [
                "openWorkspace",
                "findAwsCredentials",
                "listStacks",
                `createStack ${STACK}`,
                "setAllConfig",
                "up",
                "preview",
                `readAdminStatus ${POOL_ID} admin`,
                "destroy",
                "remove",
            ]);
            assert.deepStrictEqual(lines, [
                `✔ create stack ${STACK}`,
                `✔ config: Pulumi.seed.yaml, pool ${POOL}`,
                "✔ up",
                "✔ preview: no changes",
                "✔ admin status: 1 admin user fine",
                ...CLEAN_UP,
                `e2e passed: stack ${STACK} was deployed, checked, destroyed and removed.`,
            ]);
        });

        it("counts reads as no change, as --expect-no-changes does", async () => {
            const { status } = await run({ preview: { changes: { same: 4, read: 1, "read-replacement": 1, discard: 1, update: 0 }, steps: [] } });
            assert.strictEqual(status, E2E_EXIT.ok);
        });
    });

    describe("the config it sets", () => {
        it("is the template's values, with a unique pool name, nothing protected or retained, deletion protection off, the sign-in check on", async () => {
            const { configs } = await run();
            assert.deepStrictEqual(configs, [
                {
                    "aws:region": "us-east-1",
                    [`${PROJECT}:poolName`]: POOL,
                    [`${PROJECT}:adminUsername`]: "admin",
                    [`${PROJECT}:passwordPolicy`]:
                        '{"minimumLength":8,"requireLowercase":true,"requireUppercase":true,"requireNumbers":true,"requireSymbols":true,"temporaryPasswordValidityDays":7}',
                    [`${PROJECT}:selfSignUp`]: "true",
                    [`${PROJECT}:mfaConfiguration`]: "ON",
                    [`${PROJECT}:softwareTokenMfa`]: "true",
                    [`${PROJECT}:appClient`]: '{"refreshTokenValidityDays":30}',
                    [`${PROJECT}:deletionProtection`]: "INACTIVE",
                    [`${PROJECT}:verifySignIn`]: "true",
                    [`${PROJECT}:production`]: "false",
                    [`${PROJECT}:protect`]: "false",
                    [`${PROJECT}:retainOnDelete`]: "false",
                },
            ]);
        });

        it("leaves out every secure: value, even inside a list, and the import of a real pool; overrides production and protection", () => {
            assert.deepStrictEqual(ephemeralConfig(PRODLIKE, PROJECT, "e2e-202611160517-a1b2c3"), {
                "aws:region": "eu-west-1",
                [`${PROJECT}:poolName`]: `${"p".repeat(97)}-e2e-202611160517-a1b2c3`,
                [`${PROJECT}:adminUsername`]: "admin",
                [`${PROJECT}:production`]: "false",
                [`${PROJECT}:protect`]: "false",
                [`${PROJECT}:retainOnDelete`]: "false",
                [`${PROJECT}:deletionProtection`]: "INACTIVE",
                [`${PROJECT}:verifySignIn`]: "true",
                [`${PROJECT}:groups`]: '[{"name":"ops"}]',
                [`${PROJECT}:adminUsers`]: '[{"username":"alice","groups":["ops"]},{"username":"bob"}]',
                "random:list": '["kept"]',
            });
        });

        it("says which secure: values it left out", async () => {
            const { lines } = await run({}, PRODLIKE);
            assert.deepStrictEqual(lines.slice(0, 2), [
                "✔ create stack e2e-prodlike-202611160517-a1b2c3",
                `✔ config: Pulumi.prodlike.yaml, pool ${"p".repeat(97)}-e2e-202611160517-a1b2c3; ` +
                    `left out: the secure: values of ${PROJECT}:adminTemporaryPassword, ${PROJECT}:adminUsers, random:list`,
            ]);
        });

        it("passes the program's own checks for every stack file and a production-like one, with no protection and a generated password", () => {
            const templates = [...Object.values(stackFilePaths(ROOT)).map(readStackFile), PRODLIKE];
            assert.ok(templates.length > 1);
            for (const template of templates) {
                const stack = template.stack;
                const name = ephemeralName(stack, NOW, HEX);
                const values = ephemeralConfig(template, PROJECT, name.suffix);
                const settings = parseStackConfig({ project: PROJECT, stack: name.stack, values, secretKeys: new Set() });
                const pool = validateTotpUserPoolArgs(settings.userPool).resolved!;
                assert.deepStrictEqual(
                    [pool.production, pool.protect, pool.retainOnDelete, pool.deletionProtection, pool.import, pool.adminUser.temporaryPassword],
                    [false, false, false, "INACTIVE", undefined, undefined],
                    stack,
                );
                assert.ok(pool.poolName.endsWith(`-${name.suffix}`), stack);
                assert.notStrictEqual(settings.signInCheck, undefined, stack);
            }
        });
    });

    describe("names", () => {
        it("names the stack e2e-<template>-<yyyymmddhhmm UTC>-<6 hex>", () => {
            assert.deepStrictEqual(ephemeralName("dev", NOW, HEX), { stack: "e2e-dev-202611160517-a1b2c3", suffix: "e2e-202611160517-a1b2c3" });
        });

        it("cuts a long template name short to fit Pulumi's 100 characters, keeping the unique part", () => {
            const { stack } = ephemeralName("t".repeat(100), NOW, HEX);
            assert.strictEqual(stack, `e2e-${"t".repeat(76)}-202611160517-a1b2c3`);
            assert.strictEqual(checkStackName(stack), stack);
        });
    });

    describe("cleanup", () => {
        for (const [operation, step, calls] of [
            ["setAllConfig", "config", ["setAllConfig"]],
            ["up", "up", ["setAllConfig", "up"]],
            ["preview", "preview", ["setAllConfig", "up", "preview"]],
            ["readAdminStatus", "admin status", ["setAllConfig", "up", "preview", `readAdminStatus ${POOL_ID} admin`]],
        ] as const) {
            it(`destroys and removes the stack after ${operation} throws, and exits 1`, async () => {
                const result = await run({ fail: { [operation]: new Error(`${operation} broke\nsecond line`) } });
                assert.strictEqual(result.status, E2E_EXIT.failed);
                assert.deepStrictEqual(result.calls.slice(3), [`createStack ${STACK}`, ...calls, "destroy", "remove"]);
                assert.deepStrictEqual(result.lines.slice(-5), [`✘ ${step}: ${operation} broke`, "    second line", ...CLEAN_UP, FAILED_AND_CLEANED(step)]);
            });
        }

        it("destroys and removes the stack after something that is not an Error is thrown", async () => {
            const { status, calls, lines } = await run({ fail: { up: "a bare string" } });
            assert.strictEqual(status, E2E_EXIT.failed);
            assert.deepStrictEqual(calls.slice(-3), ["up", "destroy", "remove"]);
            assert.deepStrictEqual(lines.slice(-4), ["✘ up: a bare string", ...CLEAN_UP, FAILED_AND_CLEANED("up")]);
        });

        it("fails on a perpetual diff, naming each changed resource and the properties that differ, then cleans up", async () => {
            const urn = (type: string, name: string) => `urn:pulumi:${STACK}::${PROJECT}::${PROJECT}:cognito:TotpUserPool$${type}::${name}`;
            const preview: PreviewChanges = {
                changes: { same: 3, update: 1, replace: 1, delete: 0 },
                steps: [
                    { op: "same", urn: `urn:pulumi:${STACK}::${PROJECT}::pulumi:pulumi:Stack::${PROJECT}-${STACK}`, diffs: [] },
                    { op: "update", urn: urn(TYPES.userPool, "cognito-pool"), diffs: ["lambdaConfig", "schemas"] },
                    { op: "replace", urn: urn(TYPES.client, "cognito-client"), diffs: [] },
                ],
            };
            const { status, calls, lines } = await run({ preview });
            assert.strictEqual(status, E2E_EXIT.failed);
            assert.deepStrictEqual(calls.slice(-3), ["preview", "destroy", "remove"]);
            assert.deepStrictEqual(lines.slice(3), [
                "✘ preview: 2 changes (update: 1, replace: 1) — a perpetual diff",
                "    update aws:cognito/userPool:UserPool cognito-pool (differs: lambdaConfig, schemas)",
                "    replace aws:cognito/userPoolClient:UserPoolClient cognito-client",
                ...CLEAN_UP,
                FAILED_AND_CLEANED("preview"),
            ]);
        });

        it("fails when an admin user has a problem, then cleans up", async () => {
            const { status, calls, lines } = await run({ admins: { ...FINE_ADMINS, admins: [{ username: "admin", listedAs: "declared", found: false, condition: "missing" }] } });
            assert.strictEqual(status, E2E_EXIT.failed);
            assert.deepStrictEqual(calls.slice(-3), [`readAdminStatus ${POOL_ID} admin`, "destroy", "remove"]);
            assert.deepStrictEqual(lines.slice(4), [
                "✘ admin status: admin is missing from the pool. Let Pulumi see that it is gone, then create it again: " +
                    `pulumi refresh --stack ${STACK} && pulumi up --stack ${STACK}`,
                ...CLEAN_UP,
                FAILED_AND_CLEANED("admin status"),
            ]);
        });

        it("fails when the stack has no adminUsernames output, then cleans up", async () => {
            const { status, lines } = await run({ outputs: { userPoolId: OUTPUTS.userPoolId } });
            assert.strictEqual(status, E2E_EXIT.failed);
            assert.deepStrictEqual(lines.slice(4, 5), ["✘ admin status: the stack has no output adminUsernames (a list of usernames)"]);
        });

        it("exits 5 when destroy fails, keeps the stack, and says what may be left and how to remove it", async () => {
            const { status, calls, lines } = await run({ fail: { destroy: new Error("pulumi destroy failed (exit code 255): error: deleting user pool") } });
            assert.strictEqual(status, E2E_EXIT.cleanupFailed);
            assert.deepStrictEqual(calls.slice(-2), [`readAdminStatus ${POOL_ID} admin`, "destroy"]);
            assert.deepStrictEqual(lines.slice(5), [
                "✘ destroy: pulumi destroy failed (exit code 255): error: deleting user pool",
                `✘ cleanup failed: stack ${STACK} may still hold resources (a user pool named ${POOL}), and its config file Pulumi.${STACK}.yaml may be left in the project.`,
                `    Clean up by hand: pulumi destroy --stack ${STACK} --yes && pulumi stack rm ${STACK} --yes`,
                "e2e could not clean up (exit 5).",
            ]);
        });

        it("exits 5 when destroy fails after a failed step, naming both", async () => {
            const { status, lines } = await run({ fail: { up: new Error("up broke"), destroy: new Error("destroy broke") } });
            assert.strictEqual(status, E2E_EXIT.cleanupFailed);
            assert.deepStrictEqual(lines.at(-1), "e2e failed at up, and could not clean up (exit 5).");
        });

        it("exits 5 when removing the emptied stack fails", async () => {
            const { status, lines } = await run({ fail: { remove: new Error("pulumi stack rm failed (exit code 255): error: no stack") } });
            assert.strictEqual(status, E2E_EXIT.cleanupFailed);
            assert.deepStrictEqual(lines.slice(5, 8), [
                "✔ destroy",
                "✘ remove stack: pulumi stack rm failed (exit code 255): error: no stack",
                `✘ cleanup failed: stack ${STACK} is empty but still exists, and its config file Pulumi.${STACK}.yaml may be left in the project.`,
            ]);
        });

        it("has nothing to clean up when the stack could not be created", async () => {
            const { status, calls, lines } = await run({ fail: { createStack: new Error("pulumi stack init failed (exit code 255): error: stack already exists") } });
            assert.strictEqual(status, E2E_EXIT.failed);
            assert.deepStrictEqual(calls, ["openWorkspace", "findAwsCredentials", "listStacks", `createStack ${STACK}`]);
            assert.deepStrictEqual(lines, [
                `✘ create stack ${STACK}: pulumi stack init failed (exit code 255): error: stack already exists`,
                "e2e failed at creating the stack: nothing to clean up (exit 1).",
            ]);
        });
    });

    describe("leftovers of runs cancelled before their cleanup", () => {
        /** An ephemeral stack's name, made `minutes` before NOW. */
        const madeAgo = (template: string, minutes: number, hex: string) => ephemeralName(template, new Date(NOW.getTime() - minutes * 60_000), hex).stack;
        const OLD = madeAgo("dev", LEFTOVER_AFTER_MINUTES, "aaaaaa");
        const YOUNG = madeAgo("dev", LEFTOVER_AFTER_MINUTES - 1, "bbbbbb");
        const DAY_OLD = madeAgo("prod", 24 * 60, "cccccc");
        /** Another organization's stack: `pulumi stack ls` names it so; runs create theirs in the default one. */
        const OTHER_ORG = `acme/${madeAgo("dev", 24 * 60, "dddddd")}`;
        const STACKS: StackListing[] = [
            { name: "dev", updateInProgress: false },
            { name: "e2e-notes", updateInProgress: false },
            { name: OLD, updateInProgress: false },
            { name: YOUNG, updateInProgress: false },
            { name: OTHER_ORG, updateInProgress: false },
            { name: DAY_OLD, updateInProgress: false },
        ];
        const swept = (name: string, created: string) =>
            ["select", "destroy", "remove"].map((verb) => `✔ ${verb} leftover stack ${name} (created ${created})`);

        it("reads when an ephemeral stack was made from its name, and nothing from any other name", () => {
            assert.deepStrictEqual(ephemeralCreatedAt(STACK), new Date("2026-11-16T05:17:00.000Z"));
            assert.deepStrictEqual(ephemeralCreatedAt(ephemeralName("t".repeat(100), NOW, HEX).stack), new Date("2026-11-16T05:17:00.000Z"));
            for (const name of ["dev", "e2e-notes", "e2e-lab/e2e-dev-202611160517-a1b2c3", "acme/e2e-dev-202611160517-a1b2c3", "e2e-dev-202611160517", "e2e-dev-202611160517-A1B2C3", "e2e--202611160517-a1b2c3", "e2e-dev-202613160517-a1b2c3", "e2e-dev-202611310517-a1b2c3", "e2e-dev-202611162417-a1b2c3", "x-e2e-dev-202611160517-a1b2c3"]) {
                assert.strictEqual(ephemeralCreatedAt(name), undefined, name);
            }
        });

        it("destroys and removes every ephemeral stack made 120 minutes ago or earlier before it creates its own, and keeps the rest, another organization's among them", async () => {
            const { status, calls, lines } = await run({ stacks: STACKS });
            assert.strictEqual(status, E2E_EXIT.ok);
            assert.deepStrictEqual(calls.slice(2, 9), [
                "listStacks",
                `selectStack ${OLD}`,
                `destroy ${OLD}`,
                `remove ${OLD}`,
                `selectStack ${DAY_OLD}`,
                `destroy ${DAY_OLD}`,
                `remove ${DAY_OLD}`,
            ]);
            assert.strictEqual(calls[9], `createStack ${STACK}`);
            assert.deepStrictEqual(lines.slice(0, 7), [...swept(OLD, "2026-11-16T03:17Z"), ...swept(DAY_OLD, "2026-11-15T05:17Z"), `✔ create stack ${STACK}`]);
            assert.strictEqual(lines.at(-1), `e2e passed: stack ${STACK} was deployed, checked, destroyed and removed.`);
        });

        it("cancels the update that holds a leftover's lock where no run can still be under way (120 minutes), then destroys and removes it", async () => {
            const { status, calls, lines } = await run({ stacks: [{ name: OLD, updateInProgress: true }] });
            assert.strictEqual(status, E2E_EXIT.ok);
            assert.deepStrictEqual(calls.slice(2, 7), ["listStacks", `selectStack ${OLD}`, `cancel ${OLD}`, `destroy ${OLD}`, `remove ${OLD}`]);
            assert.deepStrictEqual(lines.slice(0, 4), [
                `✔ select leftover stack ${OLD} (created 2026-11-16T03:17Z)`,
                `✔ cancel the update that holds leftover stack ${OLD} (created 2026-11-16T03:17Z)`,
                `✔ destroy leftover stack ${OLD} (created 2026-11-16T03:17Z)`,
                `✔ remove leftover stack ${OLD} (created 2026-11-16T03:17Z)`,
            ]);
        });

        it("cancels the lock file of a leftover 120 minutes old that only its destroy reveals (a self-managed backend), and leaves a younger one's", async () => {
            const { status, calls, lines } = await run({ stacks: [{ name: OLD, updateInProgress: false }], lockFiles: [OLD] });
            assert.strictEqual(status, E2E_EXIT.ok);
            assert.deepStrictEqual(calls.slice(2, 8), ["listStacks", `selectStack ${OLD}`, `destroy ${OLD}`, `cancel ${OLD}`, `destroy ${OLD}`, `remove ${OLD}`]);
            assert.strictEqual(lines[1], `✔ destroy leftover stack ${OLD} (created 2026-11-16T03:17Z): after cancelling the update a killed run left holding its lock`);
            const young = fake({ stacks: [{ name: YOUNG, updateInProgress: false }], lockFiles: [YOUNG] });
            assert.strictEqual(await sweepE2E(0, young.deps), E2E_EXIT.cleanupFailed);
            assert.deepStrictEqual(young.calls.slice(2), ["listStacks", `selectStack ${YOUNG}`, `destroy ${YOUNG}`]);
            assert.deepStrictEqual(young.lines.slice(1, 3), [
                `✘ destroy leftover stack ${YOUNG} (created 2026-11-16T03:18Z): ${LOCKED}`,
                `    Clean up by hand, once no run uses it (pulumi cancel --stack ${YOUNG} --yes): pulumi destroy --stack ${YOUNG} --yes && pulumi stack rm ${YOUNG} --yes`,
            ]);
        });

        it("leaves alone a younger leftover whose lock an update holds, says how to clean it up, and exits 5", async () => {
            const world = fake({ stacks: [{ name: YOUNG, updateInProgress: true }] });
            assert.strictEqual(await sweepE2E(0, world.deps), E2E_EXIT.cleanupFailed);
            assert.deepStrictEqual(world.calls, ["openWorkspace", "findAwsCredentials", "listStacks"]);
            assert.deepStrictEqual(world.lines, [
                `✘ leftover stack ${YOUNG} (created 2026-11-16T03:18Z): an update holds its lock, and it is younger than any run can last, so it is left alone`,
                `    Clean up by hand, once no run uses it (pulumi cancel --stack ${YOUNG} --yes): pulumi destroy --stack ${YOUNG} --yes && pulumi stack rm ${YOUNG} --yes`,
                "sweep: ephemeral stacks created 0 minutes ago or earlier are left, as said above (exit 5).",
            ]);
            const failing = await run({ stacks: [{ name: OLD, updateInProgress: true }], failSelected: { [OLD]: "cancel" } });
            assert.strictEqual(failing.status, E2E_EXIT.cleanupFailed);
            assert.deepStrictEqual(failing.lines.slice(1, 3), [
                `✘ cancel the update that holds leftover stack ${OLD} (created 2026-11-16T03:17Z): pulumi cancel failed (exit code 255): error: ${OLD}`,
                `    Clean up by hand: pulumi destroy --stack ${OLD} --yes && pulumi stack rm ${OLD} --yes`,
            ]);
            assert.strictEqual(failing.lines.at(-1), `e2e passed: stack ${STACK} was deployed, checked, destroyed and removed; leftovers of earlier runs are left, as said above (exit 5).`);
        });

        it("goes on to the next leftover and to its own run when one cannot be removed, and exits 5 whatever the run did", async () => {
            const { status, calls, lines } = await run({ stacks: STACKS, failSelected: { [OLD]: "destroy" }, fail: { up: new Error("up broke") } });
            assert.strictEqual(status, E2E_EXIT.cleanupFailed);
            assert.deepStrictEqual(calls.slice(2, 8), ["listStacks", `selectStack ${OLD}`, `destroy ${OLD}`, `selectStack ${DAY_OLD}`, `destroy ${DAY_OLD}`, `remove ${DAY_OLD}`]);
            assert.deepStrictEqual(lines.slice(0, 4), [
                `✔ select leftover stack ${OLD} (created 2026-11-16T03:17Z)`,
                `✘ destroy leftover stack ${OLD} (created 2026-11-16T03:17Z): pulumi destroy failed (exit code 255): error: ${OLD}`,
                `    Clean up by hand: pulumi destroy --stack ${OLD} --yes && pulumi stack rm ${OLD} --yes`,
                `✔ select leftover stack ${DAY_OLD} (created 2026-11-15T05:17Z)`,
            ]);
            assert.strictEqual(lines.at(-1), `e2e failed at up; stack ${STACK} was destroyed and removed; leftovers of earlier runs are left, as said above (exit 5).`);
            const notCreated = await run({ stacks: STACKS, failSelected: { [DAY_OLD]: "remove" }, fail: { createStack: new Error("no") } });
            assert.strictEqual(notCreated.status, E2E_EXIT.cleanupFailed);
            assert.strictEqual(notCreated.lines.at(-1), "e2e failed at creating the stack: nothing to clean up; leftovers of earlier runs are left, as said above (exit 5).");
            const notCleaned = await run({ stacks: STACKS, failSelected: { [OLD]: "selectStack" }, fail: { destroy: new Error("no") } });
            assert.strictEqual(notCleaned.lines.at(-1), "e2e could not clean up; leftovers of earlier runs are left, as said above (exit 5).");
        });

        it("says so when it cannot list the project's stacks, runs, and exits 5", async () => {
            const { status, lines } = await run({ listStacks: new Error("pulumi stack ls failed (exit code 255): error: unauthorized") });
            assert.strictEqual(status, E2E_EXIT.cleanupFailed);
            assert.deepStrictEqual(lines.slice(0, 3), [
                "✘ list the project's stacks, for leftovers of earlier runs: pulumi stack ls failed (exit code 255): error: unauthorized",
                "    List them with `pulumi stack ls`, and remove each e2e-<template>-<yyyymmddhhmm>-<6 hex> stack of a run that has ended.",
                `✔ create stack ${STACK}`,
            ]);
        });

        it("--sweep only sweeps, 120 minutes by default and as old as --older-than says, and exits 0 when none is left", async () => {
            for (const [argv, removed, said] of [
                [["--sweep"], [OLD, DAY_OLD], "sweep: no ephemeral stack created 120 minutes ago or earlier is left.\n"],
                [["--sweep", "--older-than", "0"], [OLD, YOUNG, DAY_OLD], "sweep: no ephemeral stack created 0 minutes ago or earlier is left.\n"],
                [["--sweep", "--older-than=1"], [OLD, YOUNG, DAY_OLD], "sweep: no ephemeral stack created 1 minute ago or earlier is left.\n"],
                [["--sweep", "--older-than", "1441"], [], "sweep: no ephemeral stack created 1441 minutes ago or earlier is left.\n"],
            ] as const) {
                const world = fake({ stacks: STACKS });
                const result = await runInProcess((args) => main(args, world.deps), argv);
                assert.deepStrictEqual([result.status, result.stdout, result.stderr], [E2E_EXIT.ok, "", ""], argv.join(" "));
                assert.deepStrictEqual(world.calls.filter((call) => call.startsWith("remove ")), removed.map((name) => `remove ${name}`), argv.join(" "));
                assert.strictEqual(`${world.lines.at(-1)}\n`, said);
            }
        });

        it("lists, selects and cancels through the real Automation API adapter: pulumi stack ls --json, pulumi stack select --stack, pulumi cancel --yes, never interactive", async () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-pulumi-"));
            const log = path.join(dir, "calls.log");
            const listing = [
                { name: "dev", current: true, lastUpdate: "2026-11-16T05:00:00.000Z", resourceCount: 8 },
                { name: OTHER_ORG, current: false, updateInProgress: true },
            ];
            // A stand-in for the Pulumi CLI: the Automation API asks its version, then runs each command.
            fs.writeFileSync(
                path.join(dir, "pulumi"),
                ["#!/bin/sh", `echo "$*" >> '${log}'`, 'case "$1" in', "  version) echo v3.259.0 ;;", `  stack) if [ "$2" = ls ]; then echo '${JSON.stringify(listing)}'; fi ;;`, "esac", ""].join("\n"),
                { mode: 0o755 },
            );
            const saved = process.env.PATH;
            process.env.PATH = `${dir}${path.delimiter}${saved}`;
            try {
                const workspace = await openAutomationWorkspace(ROOT);
                assert.deepStrictEqual(await workspace.listStacks(), [
                    { name: "dev", updateInProgress: false },
                    { name: OTHER_ORG, updateInProgress: true },
                ]);
                const stack = await workspace.selectStack(OLD);
                assert.strictEqual(stack.name, OLD);
                await stack.cancel();
            } finally {
                process.env.PATH = saved;
            }
            assert.deepStrictEqual(fs.readFileSync(log, "utf8").split("\n").filter((line) => line !== "version"), ["stack ls --json --non-interactive", `stack select --stack ${OLD} --non-interactive`, `cancel --yes --stack ${OLD} --non-interactive`, ""]);
            fs.rmSync(dir, { recursive: true });
        });

        it("--sweep exits 5 when a stack is left, and 4 without the Pulumi CLI or credentials, creating nothing", async () => {
            const left = fake({ stacks: STACKS, failSelected: { [DAY_OLD]: "remove" } });
            assert.strictEqual(await sweepE2E(LEFTOVER_AFTER_MINUTES, left.deps), E2E_EXIT.cleanupFailed);
            assert.deepStrictEqual(left.lines.slice(-3), [
                `✘ remove leftover stack ${DAY_OLD} (created 2026-11-15T05:17Z): pulumi remove failed (exit code 255): error: ${DAY_OLD}`,
                `    Clean up by hand: pulumi destroy --stack ${DAY_OLD} --yes && pulumi stack rm ${DAY_OLD} --yes`,
                "sweep: ephemeral stacks created 120 minutes ago or earlier are left, as said above (exit 5).",
            ]);
            const missing = fake({ noCredentials: true, stacks: STACKS });
            assert.strictEqual(await sweepE2E(0, missing.deps), E2E_EXIT.prerequisitesMissing);
            assert.deepStrictEqual(missing.calls, ["openWorkspace", "findAwsCredentials"]);
            assert.deepStrictEqual(missing.lines, [`✘ prerequisite missing: ${MISSING_AWS_CREDENTIALS}`, "sweep not run (exit 4)."]);
        });
    });

    describe("secrets", () => {
        it("never prints a secret output, even when a failure message carries it", async () => {
            const { lines } = await run({ fail: { readAdminStatus: new Error(`AdminGetUser said ${SECRET} twice: ${SECRET}`) } });
            assert.deepStrictEqual(lines[4], "✘ admin status: AdminGetUser said [secret] twice: [secret]");
        });

        it("masks every string inside a structured secret output", async () => {
            const outputs = { ...OUTPUTS, adminTemporaryPasswords: { value: { alice: "Alice-Secret-1!" }, secret: true } };
            const { lines } = await run({ outputs, fail: { preview: new Error("preview saw Alice-Secret-1!") } });
            assert.deepStrictEqual(lines[3], "✘ preview: preview saw [secret]");
        });
    });

    describe("prerequisites", () => {
        const notRun = `e2e not run: nothing was created (exit ${E2E_EXIT.prerequisitesMissing}).`;

        it("exits 4 without the Pulumi CLI (the Automation API's CommandError for spawn pulumi ENOENT), and creates nothing", async () => {
            const { status, calls, lines } = await run({ openWorkspace: new CommandError(ENOENT_MESSAGE) });
            assert.strictEqual(status, E2E_EXIT.prerequisitesMissing);
            assert.deepStrictEqual(calls, ["openWorkspace", "findAwsCredentials"]);
            assert.deepStrictEqual(lines, [`✘ prerequisite missing: ${MISSING_PULUMI_CLI}`, notRun]);
            assert.match(MISSING_PULUMI_CLI, /not installed .* \.pulumi\.version: https:\/\/www\.pulumi\.com\/docs\/install\//);
        });

        it("recognises the real Automation API's error when no pulumi is on PATH (LocalWorkspace.create)", async () => {
            const world = fake();
            const saved = process.env.PATH;
            process.env.PATH = path.join(ROOT, "no-such-directory");
            let status: number;
            try {
                status = await runE2E(SEED, PROJECT, { ...world.deps, openWorkspace: () => openAutomationWorkspace(ROOT) });
            } finally {
                process.env.PATH = saved;
            }
            assert.strictEqual(status, E2E_EXIT.prerequisitesMissing);
            assert.deepStrictEqual(world.lines, [`✘ prerequisite missing: ${MISSING_PULUMI_CLI}`, notRun]);
        });

        it("exits 4 without AWS credentials, and creates nothing", async () => {
            const { status, calls, lines } = await run({ noCredentials: true });
            assert.strictEqual(status, E2E_EXIT.prerequisitesMissing);
            assert.deepStrictEqual(calls, ["openWorkspace", "findAwsCredentials"]);
            assert.deepStrictEqual(lines, [`✘ prerequisite missing: ${MISSING_AWS_CREDENTIALS}`, notRun]);
            assert.match(MISSING_AWS_CREDENTIALS, /aws sso login .* AWS_PROFILE/);
        });

        it("names both when both are missing", async () => {
            const { status, lines } = await run({ openWorkspace: new CommandError(ENOENT_MESSAGE), noCredentials: true });
            assert.strictEqual(status, E2E_EXIT.prerequisitesMissing);
            assert.deepStrictEqual(lines, [`✘ prerequisite missing: ${MISSING_PULUMI_CLI}`, `✘ prerequisite missing: ${MISSING_AWS_CREDENTIALS}`, notRun]);
        });

        it("lets any other failure to open the workspace through, as it is", async () => {
            const error = new Error("Minimum version requirement failed. The minimum CLI version requirement is 3.2.0-alpha");
            await assert.rejects(runE2E(SEED, PROJECT, fake({ openWorkspace: error }).deps), error);
        });
    });

    describe("command line", () => {
        const template = deployOrder(ROOT)[0];

        it("runs the template stack given with --stack-template", async () => {
            const world = fake();
            const result = await runInProcess((argv) => main(argv, world.deps), ["--stack-template", template]);
            assert.deepStrictEqual([result.status, result.stdout, result.stderr], [E2E_EXIT.ok, "", ""]);
            assert.strictEqual(world.calls[3], `createStack ${ephemeralName(template, NOW, HEX).stack}`);
        });

        for (const [argv, message] of [
            [[], "give --stack-template <stack>, or --sweep"],
            [["--sweep", "--stack-template", template], "give --stack-template <stack> or --sweep, not both"],
            [["--stack-template", template, "--older-than", "5"], "--older-than goes with --sweep"],
            [["--sweep", "--older-than", "1.5"], '--older-than "1.5" is not a whole number of minutes'],
            [["--sweep", "--older-than", "-1"], "option --older-than needs a value"],
            [["--stack-template", "../prod"], '--stack-template "../prod" is not a stack name: use letters, digits, - _ and .'],
            [["--stack-template", "no-such-stack"], `--stack-template no-such-stack: there is no Pulumi.no-such-stack.yaml (stack files: ${Object.keys(stackFilePaths(ROOT)).join(", ")})`],
            [["--stack", template], "unknown option --stack"],
        ] as const) {
            it(`exits 2 on ${JSON.stringify(argv)}, running nothing`, async () => {
                const world = fake();
                const result = await runInProcess((args) => main(args, world.deps), argv);
                assert.deepStrictEqual([result.status, result.stdout, result.stderr], [E2E_EXIT.usage, "", `error: ${message}\nRun \`npm run e2e -- --help\` for usage.\n`]);
                assert.deepStrictEqual(world.calls, []);
            });
        }

        it("documents its exit statuses in --help", async () => {
            assert.deepStrictEqual(E2E_EXIT, { ok: 0, failed: 1, usage: 2, prerequisitesMissing: 4, cleanupFailed: 5 });
            const result = await runInProcess((argv) => main(argv, fake().deps), ["--help"]);
            assert.strictEqual(result.status, E2E_EXIT.ok);
            assert.ok(
                result.stdout.endsWith(
                    "Exit status: 0 passed; 1 a step failed (resources cleaned up); 2 usage error;\n" +
                        "4 prerequisites missing (the Pulumi CLI or AWS credentials), nothing was run;\n" +
                        "5 cleanup failed: something may be left, and the output says what and how to remove it.\n",
                ),
                result.stdout,
            );
        });
    });
});
