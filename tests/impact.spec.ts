import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { main as checkPreviewMain } from "../tools/plan/checkPreview";
import { main as planMain } from "../tools/plan/cli";
import { ACCEPTANCE_FILE, acceptancePath, readAcceptedChanges, splitSpent } from "../tools/plan/acceptance";
import { FORCE_NEW, SET_INPUTS, UPDATED_IN_PLACE, takesProviderRegion } from "../tools/plan/forceNew";
import { AcceptedChange, Step, changeSummary, impactJson, planSteps, previewSteps, shown, userLossText, userLosses } from "../tools/plan/impact";
import { Plan, PlannedResource, planStack } from "../tools/plan/plan";
import {
    PreviewDocument,
    PreviewError,
    STEP_OPS,
    UNKNOWN_VALUE,
    parsePreviewDocument,
    parseUrn,
    readPreviewFile,
    resourceChanges,
} from "../tools/plan/previewDocument";
import { loadPulumiSdk } from "../tools/mock/mockRuntime";
import { readStackFile } from "../tools/mock/stackFile";
import { mockRuntime, PROGRAM, PROJECT, ROOT, runInProcess, testGit, testGitInit, TYPES } from "./support";

const FIXTURES = path.join(ROOT, "tests", "fixtures");
const PREVIEWS = path.join(FIXTURES, "preview");

/** The seed fixture's config, as a stack file's `config:` mapping. */
function seedStackConfig(): Record<string, unknown> {
    return (parse(fs.readFileSync(path.join(FIXTURES, "Pulumi.seed.yaml"), "utf8")) as { config: Record<string, unknown> }).config;
}

/** op, name, and reasons of each step that is not `same`. */
function changes(steps: readonly Step[]): [string, string, string[]][] {
    return steps.filter((s) => s.op !== "same").map((s) => [s.op, s.name, [...s.replaceReasons]]);
}

/** A recorded-shape preview fixture, read and checked as the stack its name starts with. */
const preview = (file: string): PreviewDocument => readPreviewFile(path.join(PREVIEWS, file), { stack: file.split("-")[0], project: PROJECT });

/** The date the tests write new acceptance entries with. */
const TODAY = "2026-12-01";

describe("change impact", () => {
    let dir: string;
    let baseline: Plan;

    /** The plan of the seed's config with `changes` (keys under the project; `undefined` removes one). */
    async function planWith(changes: Record<string, unknown>, stack = "impact"): Promise<Plan> {
        const config = { ...seedStackConfig() };
        for (const [key, value] of Object.entries(changes)) {
            if (value === undefined) delete config[`${PROJECT}:${key}`];
            else config[`${PROJECT}:${key}`] = value;
        }
        const file = path.join(dir, `Pulumi.${stack}.yaml`);
        fs.writeFileSync(file, stringify({ config }));
        return planStack(await mockRuntime(stack), PROGRAM, readStackFile(file));
    }

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "impact-"));
        baseline = await planWith({});
    });

    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    describe("the force-new table", () => {
        it("holds terraform-provider-aws v6.58's ForceNew inputs (internal/service/cognitoidp), name no longer among the pool's", () => {
            assert.deepStrictEqual(FORCE_NEW, {
                [TYPES.userPool]: ["aliasAttributes", "usernameAttributes", "usernameConfiguration.caseSensitive", "region"],
                [TYPES.client]: ["userPoolId", "generateSecret", "region"],
                [TYPES.user]: ["userPoolId", "username", "region"],
                [TYPES.group]: ["name", "userPoolId", "region"],
                [TYPES.membership]: ["groupName", "userPoolId", "username", "region"],
                [TYPES.randomPassword]: "every input",
            });
        });

        it("knows every other custom type this program declares as updated in place, and gives every AWS type the provider's region", () => {
            assert.deepStrictEqual(UPDATED_IN_PLACE, [TYPES.command]);
            assert.deepStrictEqual(
                Object.keys(FORCE_NEW).map((type) => [type, takesProviderRegion(type)]),
                Object.keys(FORCE_NEW).map((type) => [type, type.startsWith("aws:")]),
            );
            assert.strictEqual(takesProviderRegion("aws:s3/bucket:Bucket"), false, "a type the table does not know");
        });

        it("names only inputs that @pulumi/aws really has", () => {
            for (const [type, paths] of Object.entries(FORCE_NEW)) {
                if (!type.startsWith("aws:")) continue;
                const [module, resource] = type.slice(4).split(":");
                const typings = fs.readFileSync(path.join(ROOT, "node_modules", "@pulumi", "aws", `${module.split("/")[0]}/${module.split("/")[1]}.d.ts`), "utf8");
                const args = typings.slice(typings.indexOf(`export interface ${resource}Args {`));
                for (const input of paths as string[]) {
                    assert.match(args, new RegExp(`\\n    ${input.split(".")[0]}\\??: pulumi\\.Input`), `${type} has no input ${input}`);
                }
            }
        });
    });

    describe("against a baseline plan (offline)", () => {
        it("is all `same` when nothing changes", async () => {
            const steps = planSteps(baseline, await planWith({}));
            assert.deepStrictEqual(changes(steps), []);
            assert.strictEqual(steps.length, baseline.resources.length);
        });

        it("updates the pool in place for a new name (the provider renames it with UpdateUserPool), losing nobody", async () => {
            const steps = planSteps(baseline, await planWith({ poolName: "totp-renamed" }));
            assert.deepStrictEqual(changes(steps), [
                ["update", "cognito-user-pool", []],
                ["update", "cognito-app-client", []],
            ]);
            assert.deepStrictEqual(steps.find((s) => s.name === "cognito-user-pool")?.diffs, ["name"]);
            assert.deepStrictEqual(userLosses(steps, "impact", []), []);
        });

        it("updates the pool for a new minimum length, and runs the sign-in check again", async () => {
            const steps = planSteps(baseline, await planWith({ passwordPolicy: { ...(seedStackConfig()[`${PROJECT}:passwordPolicy`] as object), minimumLength: 10 } }));
            assert.deepStrictEqual(changes(steps), [
                ["update", "cognito-user-pool", []],
                ["replace", "cognito-sign-in-check", ["triggers[*]"]],
            ]);
        });

        it("replaces the pool when usernames become case-insensitive, and with it the client, the admin and the check", async () => {
            const steps = planSteps(baseline, await planWith({ usernameCaseSensitive: false }));
            assert.deepStrictEqual(changes(steps), [
                ["replace", "cognito-user-pool", ["usernameConfiguration.caseSensitive"]],
                ["replace", "cognito-app-client", ["userPoolId"]],
                ["replace", "cognito-admin-user-admin", ["userPoolId"]],
                ["replace", "cognito-sign-in-check", ["triggers[*]"]],
            ]);
            const losses = userLosses(steps, "impact", []);
            assert.deepStrictEqual(losses.map((l) => [l.step.name, l.acceptedBy]), [
                ["cognito-user-pool", undefined],
                ["cognito-admin-user-admin", undefined],
            ]);
            assert.strictEqual(
                losses[0].what,
                "user pool cognito-user-pool (totp-dev) would be REPLACED because usernameConfiguration.caseSensitive unset → false forces a new one: " +
                    "a new, empty pool is created, and every user of the old pool, with every TOTP enrolment, is lost to the apps.",
            );
        });

        it("treats sets as sets: reordering alias attributes changes nothing", async () => {
            const before = await planWith({ aliasAttributes: ["email", "preferred_username"] });
            const steps = planSteps(before, await planWith({ aliasAttributes: ["preferred_username", "email"] }));
            assert.deepStrictEqual(changes(steps), []);
        });

        it("re-issues generated passwords in place when adminPasswordRotation changes: a new password, the admin updated, not replaced", async () => {
            const steps = planSteps(baseline, await planWith({ adminPasswordRotation: "2026-11" }));
            assert.deepStrictEqual(changes(steps), [
                ["replace", "cognito-admin-temporary-password-admin", ["keepers"]],
                ["update", "cognito-admin-user-admin", []],
            ]);
            assert.deepStrictEqual(steps.find((s) => s.name === "cognito-admin-user-admin")?.diffs, ["temporaryPassword"]);
            assert.deepStrictEqual(userLosses(steps, "impact", []), []);
        });

        it("re-issues one admin's generated password with passwordReissue: that password anew, that admin updated in place, nothing else", async () => {
            const admins = { adminUsers: [{ username: "ops" }, { username: "audit" }] };
            const before = await planWith({ ...admins, adminTemporaryPassword: undefined });
            const after = await planWith({ adminUsers: [{ username: "ops", passwordReissue: "2026-11-26 lost phone" }, { username: "audit" }], adminTemporaryPassword: undefined });
            const steps = planSteps(before, after);
            assert.deepStrictEqual(changes(steps), [
                ["replace", "cognito-admin-temporary-password-ops", ["keepers"]],
                ["update", "cognito-admin-user-ops", []],
            ]);
            assert.deepStrictEqual(steps.find((s) => s.name === "cognito-admin-user-ops")?.diffs, ["temporaryPassword"]);
            assert.deepStrictEqual(userLosses(steps, "impact", []), []);
        });

        it("recreates one admin with recreate: that user and its membership replaced, delete first, with a fresh password, nothing else; a user loss to accept", async () => {
            const config = { groups: [{ name: "admins" }], adminGroups: ["admins"], adminTemporaryPassword: undefined };
            const admins = (recreate?: string) => [{ username: "ops", groups: ["admins"], ...(recreate ? { recreate } : {}) }, { username: "audit", groups: ["admins"] }];
            const before = await planWith({ ...config, adminUsers: admins() });
            const after = await planWith({ ...config, adminUsers: admins("2026-11-26 lost phone") });
            const steps = planSteps(before, after);
            assert.deepStrictEqual(changes(steps), [
                ["replace", "cognito-admin-temporary-password-ops", ["keepers"]],
                ["replace", "cognito-admin-user-ops", ["replacementTrigger"]],
                ["replace", "cognito-admin-user-ops-in-admins", ["username"]],
            ]);
            const user = steps.find((s) => s.name === "cognito-admin-user-ops");
            assert.deepStrictEqual(user?.optionChanges, { replacementTrigger: { from: "", to: "2026-11-26 lost phone" } });
            assert.deepStrictEqual(
                userLosses(steps, "impact", []).map((loss) => [loss.what, loss.acceptance.reasons]),
                [["user cognito-admin-user-ops (ops) would be REPLACED because its recreate label (replacementTrigger) forces a new one: the user is deleted and created again, with a new sub; its TOTP enrolment is lost and its first sign-in starts over.", ["replacementTrigger"]]],
            );
            // Before the first `pulumi up` of a version that sends the trigger, Pulumi recorded none: a label then replaces nothing.
            const preUpgrade: Plan = {
                ...before,
                resources: before.resources.map((r) => (r.options.replacementTrigger === undefined ? r : { ...r, options: { ...r.options, replacementTrigger: undefined } })),
            };
            assert.deepStrictEqual(
                changes(planSteps(preUpgrade, after)).map(([op, name]) => [op, name]),
                [
                    ["replace", "cognito-admin-temporary-password-ops"],
                    ["update", "cognito-admin-user-ops"],
                ],
            );
            // Keeping the label changes nothing more.
            assert.deepStrictEqual(changes(planSteps(after, after)), []);
        });

        it("replaces a user delete-first when its recreate label is set, and again when it is removed (the engine's shouldTriggerReplace: \"\" differs from the label)", async () => {
            const admins = (recreate?: string) => ({ adminUsers: [{ username: "ops", ...(recreate ? { recreate } : {}) }], adminTemporaryPassword: undefined });
            const unlabelled = await planWith(admins());
            const labelled = await planWith(admins("2026-11-26 lost phone"));
            const userOf = (plan: Plan) => plan.resources.find((r) => r.name === "cognito-admin-user-ops");
            for (const [from, to] of [
                [unlabelled, labelled],
                [labelled, unlabelled],
            ]) {
                const user = planSteps(from, to).find((s) => s.name === "cognito-admin-user-ops");
                assert.deepStrictEqual([user?.op, user?.replaceReasons], ["replace", ["replacementTrigger"]]);
                // Delete-first in both plans: the engine takes the option from the new registration.
                assert.deepStrictEqual([userOf(from)?.options.deleteBeforeReplace, userOf(to)?.options.deleteBeforeReplace], [true, true]);
            }
            // Every user is deleted first, whatever replaces it: the main admin, and a user replaced with its pool.
            assert.strictEqual(baseline.resources.find((r) => r.name === "cognito-admin-user-admin")?.options.deleteBeforeReplace, true);
        });

        it("replaces every AWS resource, and so loses every user, when aws:region changes: each takes the provider's region", async () => {
            const moved = await planWith({});
            const region = (plan: Plan) => plan.resources.filter((r) => r.type.startsWith("aws:")).map((r) => [r.name, r.inputs.region]);
            assert.deepStrictEqual(region(moved), [
                ["cognito-user-pool", "us-east-1"],
                ["cognito-app-client", "us-east-1"],
                ["cognito-admin-user-admin", "us-east-1"],
            ]);
            const seed = seedStackConfig();
            const file = path.join(dir, "Pulumi.impact.yaml");
            fs.writeFileSync(file, stringify({ config: { ...seed, "aws:region": "eu-west-1" } }));
            const elsewhere = await planStack(await mockRuntime("impact"), PROGRAM, readStackFile(file));
            const steps = planSteps(baseline, elsewhere);
            assert.deepStrictEqual(changes(steps), [
                ["replace", "cognito-user-pool", ["region"]],
                ["replace", "cognito-app-client", ["userPoolId", "region"]],
                ["replace", "cognito-admin-user-admin", ["userPoolId", "region"]],
                ["replace", "cognito-sign-in-check", ["triggers[*]"]],
            ]);
            assert.deepStrictEqual(
                userLosses(steps, "impact", []).map((loss) => [loss.step.name, loss.acceptance.reasons]),
                [
                    ["cognito-user-pool", ["region"]],
                    ["cognito-admin-user-admin", ["region", "userPoolId"]],
                ],
            );
            // A plan from before the region was modelled has none: no change, as the provider treats a recorded empty region.
            const unmodelled: Plan = { ...baseline, resources: baseline.resources.map((r) => ({ ...r, inputs: Object.fromEntries(Object.entries(r.inputs).filter(([key]) => key !== "region")) })) };
            assert.deepStrictEqual(changes(planSteps(unmodelled, baseline)), []);
        });

        it("deletes an admin removed from adminUsers, with its password and membership, and says so", async () => {
            const groups = { groups: [{ name: "admins" }] };
            const before = await planWith({ ...groups, adminUsers: [{ username: "ops", groups: ["admins"] }] });
            const steps = planSteps(before, await planWith(groups));
            assert.deepStrictEqual(changes(steps), [
                ["delete", "cognito-admin-temporary-password-ops", []],
                ["delete", "cognito-admin-user-ops", []],
                ["delete", "cognito-admin-user-ops-in-admins", []],
            ]);
            assert.deepStrictEqual(
                userLosses(steps, "impact", []).map((l) => l.what),
                ["user cognito-admin-user-ops (ops) would be DELETED, with its TOTP enrolment."],
            );
        });

        it("creates everything for a stack that had no plan", async () => {
            const current = await planWith({});
            assert.deepStrictEqual(new Set(planSteps(undefined, current).map((s) => s.op)), new Set(["create"]));
        });

        it("reports a change of protect, which pulumi applies without an update", async () => {
            const steps = planSteps(await planWith({ protect: true }), await planWith({ protect: false }));
            const pool = steps.find((s) => s.name === "cognito-user-pool");
            assert.deepStrictEqual([pool?.op, pool?.optionChanges], ["same", { protect: { from: true, to: undefined } }]);
        });
    });

    describe("sets", () => {
        /** A one-resource plan of `type` with `inputs`. */
        const planOf = (type: string, inputs: Record<string, unknown>): Plan => {
            const resource: PlannedResource = { urn: `urn:pulumi:s::p::${type}::r`, type, name: "r", parent: null, options: {}, inputs };
            return { note: "", project: "p", stack: "s", resources: [resource], outputs: {} };
        };

        it("compares each set input of the pool and the client without regard to order, and other lists with it", () => {
            // terraform-provider-aws v6.58: the top-level TypeSet attributes of user_pool.go, the SetAttribute ones of user_pool_client.go.
            const sets = {
                [TYPES.userPool]: ["aliasAttributes", "usernameAttributes", "autoVerifiedAttributes"],
                [TYPES.client]: ["explicitAuthFlows", "allowedOauthFlows", "allowedOauthScopes", "callbackUrls", "logoutUrls", "readAttributes", "supportedIdentityProviders", "writeAttributes"],
            };
            assert.deepStrictEqual(SET_INPUTS, sets);
            for (const [type, keys] of Object.entries(sets)) {
                for (const key of keys) {
                    const [step] = planSteps(planOf(type, { [key]: ["b", "a"] }), planOf(type, { [key]: ["a", "b"] }));
                    assert.deepStrictEqual([step.op, step.diffs], ["same", []], `${type} ${key}`);
                }
                const [step] = planSteps(planOf(type, { notASet: ["b", "a"] }), planOf(type, { notASet: ["a", "b"] }));
                assert.deepStrictEqual([step.op, step.diffs], ["update", ["notASet"]], type);
            }
        });

        it("replaces for a force-new path only when that path changes, and for a resource's own replaceOnChanges", () => {
            const pool = TYPES.userPool;
            const stepOf = (type: string, before: Record<string, unknown>, after: Record<string, unknown>, options: Record<string, unknown> = {}) => {
                const [s] = planSteps(planOf(type, before), { ...planOf(type, after), resources: [{ ...planOf(type, after).resources[0], options }] });
                return [s.op, s.diffs, s.replaceReasons];
            };
            const sensitive = { usernameConfiguration: { caseSensitive: true, other: 1 } };
            assert.deepStrictEqual(stepOf(pool, sensitive, { usernameConfiguration: { caseSensitive: true, other: 2 } }), ["update", ["usernameConfiguration"], []]);
            assert.deepStrictEqual(stepOf(pool, sensitive, { usernameConfiguration: { caseSensitive: false, other: 1 } }), ["replace", ["usernameConfiguration"], ["usernameConfiguration.caseSensitive"]]);
            assert.deepStrictEqual(stepOf(pool, { usernameConfiguration: null }, sensitive), ["replace", ["usernameConfiguration"], ["usernameConfiguration.caseSensitive"]]);
            const command = TYPES.command;
            assert.deepStrictEqual(stepOf(command, { create: "a" }, { create: "b" }, { replaceOnChanges: ["*"] }), ["replace", ["create"], ["*"]]);
            assert.deepStrictEqual(stepOf(command, { create: "a" }, { create: "a" }, { replaceOnChanges: ["*"] }), ["same", [], []]);
            assert.deepStrictEqual(stepOf(command, { create: "a", triggers: [1] }, { create: "b", triggers: [1] }, { replaceOnChanges: ["triggers[0]"] }), ["update", ["create"], []]);
            assert.deepStrictEqual(stepOf(command, { triggers: [1] }, { triggers: [2] }, { replaceOnChanges: ["triggers[0]"] }), ["replace", ["triggers"], ["triggers[0]"]]);
            assert.deepStrictEqual(stepOf(command, { triggers: { a: 1 } }, { triggers: { a: 2 } }, { replaceOnChanges: ["triggers.a"] }), ["replace", ["triggers"], ["triggers.a"]]);
        });

        const resource = (name: string, type: string, inputs: Record<string, unknown>, inputDependencies?: Record<string, string[]>, parent = ""): PlannedResource => ({
            urn: `urn:pulumi:s::p::${parent}${type}::${name}`,
            type,
            name,
            parent: null,
            options: {},
            inputs,
            ...(inputDependencies ? { inputDependencies } : {}),
        });
        const plan = (...resources: PlannedResource[]): Plan => ({ note: "", project: "p", stack: "s", resources, outputs: {} });

        it("changes an input fed by any resource that is created or replaced, and lists deletions last", () => {
            const client = TYPES.client;
            const fed = resource("client", client, { userPoolId: "[unknown]", name: "c" }, { userPoolId: ["kept", "fresh"] });
            const before = plan(resource("kept", "t:a:A", { x: 1 }), resource("gone", "t:b:B", { y: 1 }), fed);
            const after = plan(resource("kept", "t:a:A", { x: 1 }), resource("fresh", "t:c:C", { z: 1 }), fed);
            assert.deepStrictEqual(
                planSteps(before, after).map((s) => [s.op, s.name, s.diffs, s.replaceReasons, s.oldInputs, s.newInputs]),
                [
                    ["same", "kept", [], [], { x: 1 }, { x: 1 }],
                    ["create", "fresh", [], [], undefined, { z: 1 }],
                    ["replace", "client", ["userPoolId"], ["userPoolId"], fed.inputs, fed.inputs],
                    ["delete", "gone", [], [], { y: 1 }, undefined],
                ],
            );
            assert.deepStrictEqual(planSteps(undefined, after).map((s) => [s.op, s.name]), [["create", "kept"], ["create", "fresh"], ["create", "client"]]);
        });

        it("names the pool a user was in by the one baseline resource its userPoolId came from, and none where that name is not one resource's", () => {
            const user = (name: string, sources: string[]) => resource(name, TYPES.user, { userPoolId: "[unknown]" }, { userPoolId: sources });
            const pools = [resource("a", TYPES.userPool, {}), resource("b", TYPES.userPool, {}), resource("b", TYPES.userPool, {}, undefined, "x:y:Z$")];
            const users = [user("in-a", ["a"]), user("in-b", ["b"]), user("in-two", ["a", "c"]), resource("no-pool", TYPES.user, {})];
            const before = plan(...pools, ...users);
            assert.deepStrictEqual(
                planSteps(before, plan(...users)).map((s) => [s.op, s.name, s.pool]),
                [
                    ["same", "in-a", "a"],
                    ["same", "in-b", undefined],
                    ["same", "in-two", undefined],
                    ["same", "no-pool", undefined],
                    ["delete", "a", "a"],
                    ["delete", "b", undefined],
                    ["delete", "b", undefined],
                ],
            );
            assert.deepStrictEqual(planSteps(undefined, before).map((s) => s.pool), Array(7).fill(undefined), "a created resource was in no pool");
        });

        it("lists the changed inputs in name order", () => {
            const [step] = planSteps(planOf("t:a:A", { b: 1, a: 1 }), planOf("t:a:A", { b: 2, a: 2 }));
            assert.deepStrictEqual(step.diffs, ["a", "b"]);
        });

        it("still sees a set that gains or loses a member, and replaces the pool for it when the set forces that", () => {
            const pool = TYPES.userPool;
            const [step] = planSteps(planOf(pool, { aliasAttributes: ["email"] }), planOf(pool, { aliasAttributes: ["email", "preferred_username"] }));
            assert.deepStrictEqual([step.op, step.diffs, step.replaceReasons], ["replace", ["aliasAttributes"], ["aliasAttributes"]]);
        });
    });

    describe("the acceptance file", () => {
        let file: string;
        beforeEach(() => {
            file = path.join(dir, "accepted-changes.yaml");
        });
        afterEach(() => fs.rmSync(file, { force: true }));

        it("is plans/accepted-changes.yaml in the project's directory, and accepts nothing when it is missing or empty", () => {
            assert.strictEqual(ACCEPTANCE_FILE, "plans/accepted-changes.yaml");
            assert.strictEqual(acceptancePath("/p"), path.join("/p", "plans", "accepted-changes.yaml"));
            assert.deepStrictEqual(readAcceptedChanges(file), []);
            fs.writeFileSync(file, "# nothing accepted yet\n");
            assert.deepStrictEqual(readAcceptedChanges(file), []);
        });

        it("reads each entry as written, reasons optional", () => {
            fs.writeFileSync(
                file,
                stringify([
                    { stack: "dev", resource: "cognito-user-pool", op: "replace", reasons: ["usernameConfiguration"], why: "before launch" },
                    { stack: "dev", resource: "cognito-admin-user-ops", op: "delete", why: "ops left" },
                ]),
            );
            assert.deepStrictEqual(readAcceptedChanges(file), [
                { stack: "dev", resource: "cognito-user-pool", op: "replace", reasons: ["usernameConfiguration"], why: "before launch" },
                { stack: "dev", resource: "cognito-admin-user-ops", op: "delete", why: "ops left" },
            ]);
        });

        it("names the file, the line and the column for YAML it cannot parse, a tag outside the core schema, or a duplicate key", () => {
            for (const [text, message] of [
                ["- stack: dev\n  why: [unclosed\n", "plans/accepted-changes.yaml:3:1: Flow sequence in block collection must be sufficiently indented and end with a ]"],
                ["- !!omap\n  - stack: dev\n", "plans/accepted-changes.yaml:2:3: the tag !!omap is not plain YAML (core schema): write the value without it"],
                ["- stack: !custom dev\n", "plans/accepted-changes.yaml:1:10: Unresolved tag: !custom"],
                ["- stack: dev\n  stack: prod\n", "plans/accepted-changes.yaml:2:3: Map keys must be unique"],
            ]) {
                fs.writeFileSync(file, text);
                assert.throws(() => readAcceptedChanges(file), { message });
            }
        });

        it("reads only a regular file of at most 1 MiB: not a FIFO, a directory, or a symlink to /dev/zero", () => {
            fs.rmSync(file, { force: true });
            fs.symlinkSync("/dev/zero", file);
            assert.throws(() => readAcceptedChanges(file), { message: `${file}: is not a regular file (a device)` });
            fs.rmSync(file);
            execFileSync("mkfifo", [file]);
            assert.throws(() => readAcceptedChanges(file), { message: `${file}: is not a regular file (a FIFO)` });
            fs.rmSync(file);
            fs.writeFileSync(file, "#".repeat(1024 * 1024 + 1));
            assert.throws(() => readAcceptedChanges(file), { message: `${file}: is 1048577 bytes, more than the 1 MiB this reads` });
            fs.rmSync(file);
            fs.mkdirSync(file);
            assert.throws(() => readAcceptedChanges(file), { message: `${file}: is not a regular file (a directory)` });
            fs.rmdirSync(file);
        });

        const entry = { stack: "dev", resource: "cognito-user-pool", op: "replace", why: "before launch" };
        for (const [label, document, message] of [
            ["a mapping instead of a list", entry, "plans/accepted-changes.yaml: entry : Invalid input: expected array, received object"],
            ["an empty stack", [{ ...entry, stack: "" }], "plans/accepted-changes.yaml: entry 0.stack: Too small: expected string to have >=1 characters"],
            ["an empty resource", [{ ...entry, resource: "" }], "plans/accepted-changes.yaml: entry 0.resource: Too small: expected string to have >=1 characters"],
            ["an op that loses nobody", [entry, { ...entry, op: "update" }], 'plans/accepted-changes.yaml: entry 1.op: Invalid option: expected one of "replace"|"delete"'],
            ["reasons that are not text", [{ ...entry, reasons: [1] }], "plans/accepted-changes.yaml: entry 0.reasons.0: Invalid input: expected string, received number"],
            ["no why", [{ stack: "dev", resource: "cognito-user-pool", op: "replace" }], "plans/accepted-changes.yaml: entry 0.why: Invalid input: expected string, received undefined"],
            [
                "an empty why",
                [entry, { ...entry, why: "" }],
                "plans/accepted-changes.yaml: entry 1 (dev cognito-user-pool): why is empty: write why losing these users is intended, and when (each change needs a why of its own)",
            ],
            [
                "a why of blanks",
                [{ ...entry, why: "  " }],
                "plans/accepted-changes.yaml: entry 0 (dev cognito-user-pool): why is empty: write why losing these users is intended, and when (each change needs a why of its own)",
            ],
            ["a misspelt key", [{ ...entry, reason: ["x"] }], 'plans/accepted-changes.yaml: entry 0: Unrecognized key: "reason"'],
            [
                "a why with a zero-width space",
                [{ ...entry, why: "before la\u200bunch" }],
                "plans/accepted-changes.yaml: entry 0 (dev cognito-user-pool): why holds a character no reader sees (U+200B, at 9): write it without one",
            ],
            [
                "a resource with a right-to-left override",
                [{ ...entry, resource: "cognito-user-pool\u202e" }],
                "plans/accepted-changes.yaml: entry 0 (dev cognito-user-pool\u202e): resource holds a character no reader sees (U+202E, at 17): write it without one",
            ],
            [
                "a stack with a control character",
                [{ ...entry, stack: "d\u0007ev" }],
                "plans/accepted-changes.yaml: entry 0 (d\u0007ev cognito-user-pool): stack holds a character no reader sees (U+0007, at 1): write it without one",
            ],
            ...(
                [
                    ["a variation selector", "\ufe0f", "U+FE0F"],
                    ["a supplementary variation selector", "\u{e0100}", "U+E0100"],
                    ["a combining grapheme joiner", "\u034f", "U+034F"],
                    ["a Hangul filler", "\u3164", "U+3164"],
                    ["a Hangul choseong filler", "\u115f", "U+115F"],
                    ["a blank Braille pattern", "\u2800", "U+2800"],
                ] as const
            ).map(([name, character, code]) => [
                `a why with ${name}`,
                [{ ...entry, why: `before${character} launch` }],
                `plans/accepted-changes.yaml: entry 0 (dev cognito-user-pool): why holds a character no reader sees (${code}, at 6): write it without one`,
            ] as const),
            [
                "a reason with a line separator",
                [{ ...entry, reasons: ["usernameConfiguration", "x\u2028"] }],
                "plans/accepted-changes.yaml: entry 0 (dev cognito-user-pool): reasons[1] holds a character no reader sees (U+2028, at 1): write it without one",
            ],
            [
                "the placeholder why that plan prints",
                [{ ...entry, why: `${TODAY}: <why losing these users is intended>` }],
                `plans/accepted-changes.yaml: entry 0 (dev cognito-user-pool): must say why, not "${TODAY}: <why losing these users is intended>"`,
            ],
        ] as const) {
            it(`refuses ${label}, naming the entry`, () => {
                fs.writeFileSync(file, stringify(document));
                assert.throws(() => readAcceptedChanges(file), { message });
            });
        }

        it("takes a why of several lines, with tabs", () => {
            fs.writeFileSync(file, stringify([{ ...entry, why: "before launch:\n\tnobody signed up yet" }]));
            assert.deepStrictEqual(readAcceptedChanges(file), [{ ...entry, why: "before launch:\n\tnobody signed up yet" }]);
        });

        it("takes a why that has < inside it", () => {
            fs.writeFileSync(file, stringify([{ ...entry, why: "<fewer than 10 users, all <test> accounts" }]));
            assert.deepStrictEqual(readAcceptedChanges(file), [{ ...entry, why: "<fewer than 10 users, all <test> accounts" }]);
        });

        it("spends an entry that the base commit's file already holds, the same in every field, and no other", () => {
            const pool: AcceptedChange = { stack: "dev", resource: "cognito-user-pool", op: "replace", reasons: ["usernameConfiguration"], why: "2026-11-01: before launch" };
            const later: AcceptedChange = { ...pool, why: "2026-12-01: again, still before launch" };
            const reordered: AcceptedChange = { ...pool, reasons: ["usernameConfiguration.caseSensitive"] };
            assert.deepStrictEqual(splitSpent([pool, later], [pool]), { usable: [later], spent: [pool] });
            assert.deepStrictEqual(splitSpent([reordered], [pool]), { usable: [], spent: [reordered] }, "the same top-level reasons");
            for (const other of [{ ...pool, stack: "prod" }, { ...pool, resource: "x" }, { ...pool, op: "delete" as const }, { ...pool, reasons: ["aliasAttributes"] }]) {
                assert.deepStrictEqual(splitSpent([other], [pool]), { usable: [other], spent: [] });
            }
            assert.deepStrictEqual(splitSpent([pool], []), { usable: [pool], spent: [] });
        });

        it("spends an entry whose why differs from the base's only where no reader sees it: kinds and runs of spaces, full-width letters", () => {
            const pool: AcceptedChange = { stack: "dev", resource: "cognito-user-pool", op: "delete", why: "2026-11-01: decommission dev pool" };
            for (const why of ["2026-11-01:\u00a0decommission dev pool", "2026-11-01:  decommission\u3000dev pool ", "2026-11-01: ｄecommission dev pool"]) {
                assert.deepStrictEqual(splitSpent([{ ...pool, why }], [pool]), { usable: [], spent: [{ ...pool, why }] }, why);
            }
            for (const why of ["2026-11-01: decommission dev pools", "2026-11-01: decommissiondev pool"]) {
                assert.deepStrictEqual(splitSpent([{ ...pool, why }], [pool]), { usable: [{ ...pool, why }], spent: [] }, why);
            }
        });
    });

    describe("accepting a loss on purpose", () => {
        const accept = (entry: Partial<AcceptedChange>): AcceptedChange => ({
            stack: "impact",
            resource: "cognito-user-pool",
            op: "replace",
            reasons: ["usernameConfiguration"],
            why: "moving to case-insensitive usernames before launch",
            ...entry,
        });
        let replacing: Step[];

        before(async () => {
            replacing = planSteps(baseline, await planWith({ usernameCaseSensitive: false }));
        });

        it("accepts the pool's replacement, and the admins replaced only because of it", () => {
            const losses = userLosses(replacing, "impact", [accept({})]);
            assert.deepStrictEqual(losses.map((l) => l.acceptedBy?.why), [
                "moving to case-insensitive usernames before launch",
                "follows the accepted replacement of cognito-user-pool",
            ]);
            assert.strictEqual(userLossText(losses, "plans/accepted-changes.yaml", TODAY)[1], "This change loses users, and every loss is accepted on purpose:");
        });

        it("accepts one loss an entry: two resources of one name need an entry each", () => {
            const deleted = (type: string, urn: string): Step => ({ op: "delete", urn, type, name: "cognito-user-pool", diffs: [], replaceReasons: [], optionChanges: {} });
            const steps = [
                deleted(TYPES.userPool, `urn:pulumi:impact::p::${TYPES.component}$${TYPES.userPool}::cognito-user-pool`),
                deleted(TYPES.userPool, `urn:pulumi:impact::p::evil:cognito:Other$${TYPES.userPool}::cognito-user-pool`),
                deleted(TYPES.user, `urn:pulumi:impact::p::${TYPES.user}::cognito-user-pool`),
            ];
            const entry = accept({ op: "delete", reasons: undefined });
            assert.deepStrictEqual(userLosses(steps, "impact", [entry]).map((l) => l.acceptedBy), [entry, undefined, undefined]);
            const again = { ...entry, why: "and the second, on purpose" };
            assert.deepStrictEqual(userLosses(steps, "impact", [entry, again]).map((l) => l.acceptedBy), [entry, again, undefined]);
        });

        it("accepts nothing for another stack, another op or other reasons", () => {
            for (const entry of [accept({ stack: "prod" }), accept({ op: "delete" }), accept({ reasons: ["aliasAttributes"] })]) {
                assert.deepStrictEqual(userLosses(replacing, "impact", [entry]).map((l) => l.acceptedBy), [undefined, undefined]);
            }
        });

        it("prints, for an unaccepted loss, the one entry that would accept it", () => {
            const text = userLossText(userLosses(replacing, "impact", []), "plans/accepted-changes.yaml", TODAY);
            assert.strictEqual(text[1], "!!! THIS CHANGE WOULD LOSE USERS. Read every line below before you merge or run `pulumi up`. !!!");
            assert.deepStrictEqual(text.slice(-6), [
                "to plans/accepted-changes.yaml in the same pull request (write the why; an entry accepts the one change of the pull request that adds it):",
                "  - stack: impact",
                "    resource: cognito-user-pool",
                "    op: replace",
                "    reasons: [usernameConfiguration]",
                `    why: "${TODAY}: <why losing these users is intended>"`,
            ]);
        });
    });

    describe("the words a reviewer reads", () => {
        const POOL = TYPES.userPool;
        const USER = TYPES.user;
        const step = (fields: Partial<Step> & Pick<Step, "op" | "type" | "name">): Step => ({
            urn: `urn:pulumi:dev::p::${fields.type}::${fields.name}`,
            diffs: [],
            replaceReasons: [],
            optionChanges: {},
            ...fields,
        });
        const PLACEHOLDER = `    why: "${TODAY}: <why losing these users is intended>"`;
        /** A pool replaced for its alias attributes, its admin replaced with it, another admin renamed, a user and a pool deleted, one user updated. */
        const STEPS: Step[] = [
            step({
                op: "replace",
                type: POOL,
                name: "pool",
                replaceReasons: ["aliasAttributes"],
                oldInputs: { name: "users", aliasAttributes: ["email"], deletionProtection: "ACTIVE" },
                newInputs: { name: "users" },
                oldOptions: { protect: true, retainOnDelete: true },
                pool: "us-east-1_P",
            }),
            step({
                op: "replace",
                type: USER,
                name: "admin",
                replaceReasons: ["userPoolId"],
                oldInputs: { username: "admin", userPoolId: "x" },
                newInputs: { username: "admin", userPoolId: "x" },
                pool: "us-east-1_P",
            }),
            step({ op: "replace", type: USER, name: "ops", replaceReasons: ["userPoolId", "username"], oldInputs: { username: "ops" }, newInputs: { username: "Ops" }, pool: "us-east-1_P" }),
            step({ op: "delete", type: USER, name: "gone", oldOptions: { retainOnDelete: true } }),
            step({ op: "delete", type: POOL, name: "old", oldInputs: { deletionProtection: "INACTIVE" }, oldOptions: { retainOnDelete: true } }),
            step({ op: "update", type: USER, name: "kept", diffs: ["attributes"], optionChanges: { protect: { from: false, to: true } } }),
            step({ op: "replace", type: TYPES.client, name: "client", replaceReasons: ["userPoolId"] }),
        ];
        const REPLACED_POOL =
            '  - user pool pool (users) would be REPLACED because aliasAttributes ["email"] → unset forces a new one: a new, empty pool is created, and every user of the old pool, with every TOTP enrolment, is lost to the apps. It is protected (protect), so `pulumi up` fails on it before anything is deleted.';
        const FOLLOWING_ADMIN =
            "  - user admin (admin) would be REPLACED because userPoolId (whose source is replaced) forces a new one: the user is deleted and created again, with a new sub; its TOTP enrolment is lost and its first sign-in starts over.";
        const RENAMED_OPS =
            '  - user ops (ops) would be REPLACED because userPoolId (whose source is replaced), username "ops" → "Ops" forces a new one: the user is deleted and created again, with a new sub; its TOTP enrolment is lost and its first sign-in starts over.';
        const DELETED = [
            "  - user gone would be DELETED, with its TOTP enrolment. retainOnDelete is set, so the old one is left in AWS, unmanaged, instead of deleted.",
            "  - user pool old would be DELETED: every user in it, with every TOTP enrolment, is lost. retainOnDelete is set, so the old one is left in AWS, unmanaged, instead of deleted.",
        ];
        const ENTRIES_AFTER_POOL = [
            "  - stack: dev",
            "    resource: ops",
            "    op: replace",
            "    reasons: [userPoolId, username]",
            PLACEHOLDER,
            "  - stack: dev",
            "    resource: gone",
            "    op: delete",
            PLACEHOLDER,
            "  - stack: dev",
            "    resource: old",
            "    op: delete",
            PLACEHOLDER,
        ];

        it("says what each loss costs, and gives an entry for each but the users that only follow the pool", () => {
            assert.deepStrictEqual(userLossText(userLosses(STEPS, "dev", []), "F.yaml", TODAY), [
                "",
                "!!! THIS CHANGE WOULD LOSE USERS. Read every line below before you merge or run `pulumi up`. !!!",
                REPLACED_POOL,
                FOLLOWING_ADMIN,
                RENAMED_OPS,
                ...DELETED,
                "",
                "If this is intended, accept it on purpose, for this stack and this change only, by adding",
                "to F.yaml in the same pull request (write the why; an entry accepts the one change of the pull request that adds it):",
                "  - stack: dev",
                "    resource: pool",
                "    op: replace",
                "    reasons: [aliasAttributes]",
                PLACEHOLDER,
                ...ENTRIES_AFTER_POOL,
            ]);
        });

        it("marks each accepted loss with its why, the pool's covering its admin but not a renamed one", () => {
            const accepted = userLosses(STEPS, "dev", [{ stack: "dev", resource: "pool", op: "replace", reasons: ["aliasAttributes"], why: "before launch" }]);
            assert.deepStrictEqual(userLossText(accepted, "F.yaml", TODAY), [
                "",
                "!!! THIS CHANGE WOULD LOSE USERS. Read every line below before you merge or run `pulumi up`. !!!",
                REPLACED_POOL,
                "    accepted on purpose: before launch",
                FOLLOWING_ADMIN,
                "    accepted on purpose: follows the accepted replacement of pool",
                RENAMED_OPS,
                ...DELETED,
                "",
                "If this is intended, accept it on purpose, for this stack and this change only, by adding",
                "to F.yaml in the same pull request (write the why; an entry accepts the one change of the pull request that adds it):",
                ...ENTRIES_AFTER_POOL,
            ]);
        });

        it("lets a user follow the deletion of the pool it was in too, listed after it, and lists it where the pool is unknown", () => {
            const admin = step({ op: "replace", type: USER, name: "admin", replaceReasons: ["userPoolId"], pool: "us-east-1_Old" });
            const steps = [admin, step({ op: "delete", type: POOL, name: "old", pool: "us-east-1_Old" })];
            const offered = userLossText(userLosses(steps, "dev", []), "F.yaml", TODAY).filter((line) => line.startsWith("    resource: "));
            assert.deepStrictEqual(offered, ["    resource: old"], "one entry to copy, the pool's: it covers the admin");
            const accepted = userLosses(steps, "dev", [{ stack: "dev", resource: "old", op: "delete", why: "w" }]);
            assert.deepStrictEqual(accepted.map((loss) => loss.acceptedBy?.why), ["follows the accepted deletion of old", "w"]);
            const unknown = [step({ op: "delete", type: POOL, name: "old" }), step({ op: "replace", type: USER, name: "admin", replaceReasons: ["userPoolId"] })];
            const text = userLossText(userLosses(unknown, "dev", []), "F.yaml", TODAY);
            assert.deepStrictEqual(text.slice(-9), ["  - stack: dev", "    resource: old", "    op: delete", PLACEHOLDER, "  - stack: dev", "    resource: admin", "    op: replace", "    reasons: [userPoolId]", PLACEHOLDER]);
            assert.deepStrictEqual(userLossText([], "F.yaml", TODAY), []);
        });

        it("lets a user follow only the accepted pool it was in, never one of another pool or of a pool unknown", () => {
            const steps = [
                step({ op: "replace", type: POOL, name: "a", replaceReasons: ["aliasAttributes"], pool: "us-east-1_A" }),
                step({ op: "replace", type: POOL, name: "b", replaceReasons: ["aliasAttributes"], pool: "us-east-1_B" }),
                step({ op: "replace", type: USER, name: "in-b", replaceReasons: ["userPoolId"], pool: "us-east-1_B" }),
                step({ op: "replace", type: USER, name: "in-c", replaceReasons: ["userPoolId"], pool: "us-east-1_C" }),
                step({ op: "replace", type: USER, name: "unknown", replaceReasons: ["userPoolId"] }),
            ];
            const accept = (resource: string): AcceptedChange => ({ stack: "dev", resource, op: "replace", reasons: ["aliasAttributes"], why: "w" });
            const whys = (entries: AcceptedChange[]) => userLosses(steps, "dev", entries).map((loss) => loss.acceptedBy?.why);
            assert.deepStrictEqual(whys([accept("a")]), ["w", undefined, undefined, undefined, undefined]);
            assert.deepStrictEqual(whys([accept("a"), accept("b")]), ["w", "w", "follows the accepted replacement of b", undefined, undefined]);
            const text = userLossText(userLosses(steps, "dev", [accept("a")]), "F.yaml", TODAY);
            assert.deepStrictEqual(
                text.filter((line) => line.startsWith("    resource: ")),
                ["    resource: b", "    resource: in-c", "    resource: unknown"],
                "the entries to copy: the pool not accepted, and the users that did not follow a pool replaced here",
            );
        });

        it("gives a user that follows an accepted pool no entry, so that the entry offered for another user of its name accepts that one", () => {
            const urnUnder = (parent: string) => `urn:pulumi:dev::p::${parent}$${USER}::admin`;
            const steps = [
                step({ op: "replace", type: POOL, name: "poolA", replaceReasons: ["aliasAttributes"], pool: "us-east-1_A" }),
                step({ op: "replace", type: USER, name: "admin", urn: urnUnder("x:y:InA"), replaceReasons: ["userPoolId"], pool: "us-east-1_A" }),
                step({ op: "replace", type: USER, name: "admin", urn: urnUnder("x:y:InB"), replaceReasons: ["userPoolId"], pool: "us-east-1_B" }),
            ];
            const offered = userLossText(userLosses(steps, "dev", []), "F.yaml", TODAY).filter((line) => line.startsWith("    resource: "));
            assert.deepStrictEqual(offered, ["    resource: poolA", "    resource: admin"]);
            const pool: AcceptedChange = { stack: "dev", resource: "poolA", op: "replace", reasons: ["aliasAttributes"], why: "w1" };
            const admin: AcceptedChange = { stack: "dev", resource: "admin", op: "replace", reasons: ["userPoolId"], why: "w2" };
            assert.deepStrictEqual(userLosses(steps, "dev", [pool, admin]).map((loss) => loss.acceptedBy?.why), ["w1", "follows the accepted replacement of poolA", "w2"]);
            const follower = step({ op: "replace", type: USER, name: "ops", replaceReasons: ["userPoolId"], pool: "us-east-1_B" });
            assert.deepStrictEqual(
                userLosses([...steps, follower], "dev", [pool, admin]).map((loss) => loss.acceptedBy?.why),
                ["w1", "follows the accepted replacement of poolA", "w2", undefined],
                "a user accepted in pool B is no pool that another user of B follows",
            );
        });

        it("says so when every loss is accepted, and offers no entry", () => {
            const steps = [step({ op: "delete", type: USER, name: "gone" })];
            assert.deepStrictEqual(userLossText(userLosses(steps, "dev", [{ stack: "dev", resource: "gone", op: "delete", why: "left the team" }]), "F.yaml", TODAY), [
                "",
                "This change loses users, and every loss is accepted on purpose:",
                "  - user gone would be DELETED, with its TOTP enrolment.",
                "    accepted on purpose: left the team",
            ]);
        });

        it("says of an unaccepted loss which spent entry has its shape, and shows a value not known until apply as such, never as an id", () => {
            const spentEntry: AcceptedChange = { stack: "dev", resource: "gone", op: "delete", why: "2026-11-01: left the team" };
            const steps = [step({ op: "delete", type: USER, name: "gone" })];
            const losses = userLosses(steps, "dev", [], [spentEntry]);
            assert.deepStrictEqual(userLossText(losses, "F.yaml", TODAY).slice(2, 4), [
                "  - user gone would be DELETED, with its TOTP enrolment.",
                '    not accepted: F.yaml: the entry for dev gone delete (why: "2026-11-01: left the team") accepted an earlier change; it accepts nothing now: remove it.',
            ]);
            assert.deepStrictEqual(impactJson(steps, losses).userLosses, [
                { urn: `urn:pulumi:dev::p::${USER}::gone`, op: "delete", what: "user gone would be DELETED, with its TOTP enrolment.", accepted: null, spentEntry },
            ]);
            const moved = step({ op: "replace", type: USER, name: "u", replaceReasons: ["userPoolId"], oldInputs: { userPoolId: "us-east-1_A" }, newInputs: { userPoolId: UNKNOWN_VALUE } });
            assert.strictEqual(
                userLosses([moved], "dev", [])[0].what,
                'user u would be REPLACED because userPoolId "us-east-1_A" → (unknown until apply) forces a new one: the user is deleted and created again, with a new sub; its TOTP enrolment is lost and its first sign-in starts over.',
            );
            assert.deepStrictEqual([shown({ id: UNKNOWN_VALUE, n: 1 }), shown(undefined), shown("x")], ['{"id":"(unknown until apply)","n":1}', "unset", '"x"']);
        });

        it("names a pool's deletion protection and protect on a delete, and words with no names or reasons", () => {
            const what = (fields: Partial<Step> & Pick<Step, "op" | "type" | "name">) => userLosses([step(fields)], "dev", [])[0].what;
            assert.strictEqual(
                what({ op: "delete", type: POOL, name: "old", oldInputs: { name: "users", deletionProtection: "ACTIVE" } }),
                "user pool old (users) would be DELETED: every user in it, with every TOTP enrolment, is lost. Its deletion protection is ACTIVE, so Cognito refuses the delete and `pulumi up` fails there.",
            );
            assert.strictEqual(
                what({ op: "replace", type: POOL, name: "p", oldInputs: { deletionProtection: "ACTIVE" }, oldOptions: { protect: false } }),
                "user pool p would be REPLACED: a new, empty pool is created, and every user of the old pool, with every TOTP enrolment, is lost to the apps. Its deletion protection is ACTIVE, so the delete half fails after the new pool exists, leaving the stack half-way.",
            );
            // Past protect or retainOnDelete, Pulumi never calls delete: deletion protection does not come into it.
            assert.strictEqual(
                what({ op: "delete", type: POOL, name: "old", oldInputs: { deletionProtection: "ACTIVE" }, oldOptions: { protect: true } }),
                "user pool old would be DELETED: every user in it, with every TOTP enrolment, is lost. It is protected (protect), so `pulumi up` fails on it before anything is deleted.",
            );
            assert.strictEqual(
                what({ op: "replace", type: POOL, name: "p", oldInputs: { deletionProtection: "ACTIVE" }, oldOptions: { retainOnDelete: true } }),
                "user pool p would be REPLACED: a new, empty pool is created, and every user of the old pool, with every TOTP enrolment, is lost to the apps. retainOnDelete is set, so the old one is left in AWS, unmanaged, instead of deleted.",
            );
            assert.strictEqual(
                what({ op: "replace", type: POOL, name: "p", oldInputs: { deletionProtection: "INACTIVE" }, oldOptions: { protect: false, retainOnDelete: false } }),
                "user pool p would be REPLACED: a new, empty pool is created, and every user of the old pool, with every TOTP enrolment, is lost to the apps.",
            );
            assert.strictEqual(
                what({ op: "replace", type: USER, name: "u", replaceReasons: ["username"], oldInputs: { username: 7 }, newInputs: {}, oldOptions: { protect: true } }),
                "user u would be REPLACED because username 7 → unset forces a new one: the user is deleted and created again, with a new sub; its TOTP enrolment is lost and its first sign-in starts over. It is protected (protect), so `pulumi up` fails on it before anything is deleted.",
            );
            assert.strictEqual(what({ op: "delete", type: USER, name: "u", oldInputs: { deletionProtection: "ACTIVE" } }), "user u would be DELETED, with its TOTP enrolment.");
        });

        it("accepts by stack, resource, op and the reasons' top-level inputs in any order, and nothing for a client", () => {
            const losses = (accepted: AcceptedChange[]) => userLosses(STEPS, "dev", accepted).map((loss) => [loss.step.name, loss.acceptedBy?.why]);
            const ops: AcceptedChange = { stack: "dev", resource: "ops", op: "replace", reasons: ["username", "userPoolId.x"], why: "rename" };
            assert.deepStrictEqual(losses([ops]), [
                ["pool", undefined],
                ["admin", undefined],
                ["ops", "rename"],
                ["gone", undefined],
                ["old", undefined],
            ]);
            assert.deepStrictEqual(losses([{ ...ops, resource: "admin" }]).map(([, why]) => why), [undefined, undefined, undefined, undefined, undefined]);
            assert.deepStrictEqual(losses([{ ...ops, reasons: ["username"] }]).map(([, why]) => why), [undefined, undefined, undefined, undefined, undefined]);
            assert.deepStrictEqual(losses([{ stack: "dev", resource: "gone", op: "delete", why: "w" }]).map(([, why]) => why), [undefined, undefined, undefined, "w", undefined]);
            assert.deepStrictEqual(losses([{ stack: "dev", resource: "gone", op: "delete", reasons: ["x"], why: "w" }]).map(([, why]) => why), [undefined, undefined, undefined, undefined, undefined]);
        });

        it("counts each op, and gives the steps, the option changes and the losses as JSON", () => {
            assert.deepStrictEqual(changeSummary(STEPS), { replace: 4, delete: 2, update: 1 });
            const json = impactJson(STEPS.slice(4, 6), userLosses(STEPS.slice(4, 6), "dev", [{ stack: "dev", resource: "old", op: "delete", why: "w" }]));
            assert.deepStrictEqual(json, {
                steps: [
                    { op: "delete", urn: `urn:pulumi:dev::p::${POOL}::old`, type: POOL, name: "old", diffs: [], replaceReasons: [] },
                    { op: "update", urn: `urn:pulumi:dev::p::${USER}::kept`, type: USER, name: "kept", diffs: ["attributes"], replaceReasons: [], optionChanges: { protect: { from: false, to: true } } },
                ],
                changeSummary: { delete: 1, update: 1 },
                userLosses: [{ urn: `urn:pulumi:dev::p::${POOL}::old`, op: "delete", what: DELETED[1].slice(4), accepted: "w" }],
            });
            assert.deepStrictEqual(impactJson(STEPS.slice(3, 4), userLosses(STEPS.slice(3, 4), "dev", [])).userLosses, [
                { urn: `urn:pulumi:dev::p::${USER}::gone`, op: "delete", what: DELETED[0].slice(4), accepted: null },
            ]);
        });
    });


    describe("pulumi preview --json (the preview reader, previewDocument.ts)", () => {
        const SCOPE = { stack: "dev", project: "p" };
        const USER = TYPES.user;
        const POOL = TYPES.userPool;
        const urnOf = (type: string, name: string, stack = "dev") => `urn:pulumi:${stack}::p::c:c:C$${type}::${name}`;
        const stateOf = (urn: string, fields: Record<string, unknown> = {}) => ({ urn, custom: true, type: parseUrn(urn)?.type, ...fields });
        /** A document of `steps`, each `[op, urn]` with states of their URN, or a whole step object. */
        const documentOf = (...steps: ([string, string] | Record<string, unknown>)[]) => ({
            steps: steps.map((step) => (Array.isArray(step) ? { op: step[0], urn: step[1], oldState: stateOf(step[1]), newState: stateOf(step[1]) } : step)),
        });
        const parsed = (...steps: ([string, string] | Record<string, unknown>)[]) => parsePreviewDocument(documentOf(...steps), SCOPE);

        it("knows every op of Pulumi's engine (StepOps, pkg/resource/deploy/step.go at v3.259.0) and what each does to the resource", () => {
            assert.deepStrictEqual(
                Object.entries(STEP_OPS).map(([op, meaning]) => [op, meaning.effect]),
                [
                    ["same", "keeps"],
                    ["create", "keeps"],
                    ["update", "keeps"],
                    ["delete", "deletes"],
                    ["replace", "replaces"],
                    ["create-replacement", "replaces"],
                    ["delete-replaced", "deletes-replaced"],
                    ["read", "keeps"],
                    ["read-replacement", "replaces"],
                    ["refresh", "keeps"],
                    ["discard", "keeps"],
                    ["discard-replaced", "keeps"],
                    ["import", "keeps"],
                    ["import-replacement", "replaces"],
                    ["diff", "never-printed"],
                    ["remove-pending-replace", "never-printed"],
                    ["extend-parameterize", "never-printed"],
                ],
            );
        });

        it("takes the worst of a URN's steps, in any order; a delete-replaced deletes unless the URN is replaced", () => {
            const user = urnOf(USER, "u");
            const effect = (...ops: string[]) => resourceChanges(parsed(...ops.map((op): [string, string] => [op, user])))[0].effect;
            for (const ops of [
                ["same", "delete"],
                ["delete", "same"],
                ["update", "delete-replaced"],
                ["delete-replaced", "update"],
                ["delete-replaced"],
                ["same", "delete-replaced"],
                ["replace", "create-replacement", "delete"],
            ]) {
                assert.strictEqual(effect(...ops), "deletes", ops.join(" then "));
            }
            for (const ops of [
                ["create-replacement", "replace", "delete-replaced"],
                ["delete-replaced", "replace", "create-replacement"],
                ["read-replacement", "replace", "delete-replaced"],
                ["import-replacement", "replace"],
                ["same", "create-replacement"],
            ]) {
                assert.strictEqual(effect(...ops), "replaces", ops.join(" then "));
            }
            for (const ops of [["same"], ["update"], ["create"], ["read"], ["refresh"], ["import"], ["same", "update", "create"]]) {
                assert.strictEqual(effect(...ops), "keeps", ops.join(" then "));
            }
        });

        it("finds the pool's replacement and the admin's in a preview with --show-replacement-steps, and the same entry accepts them as offline", () => {
            const steps = previewSteps(preview("staging-pool-replace-show-replacement-steps.json"));
            assert.deepStrictEqual(changes(steps), [
                ["replace", "cognito-user-pool", ["usernameConfiguration"]],
                ["replace", "cognito-app-client", ["userPoolId"]],
                ["replace", "cognito-admin-user-admin", ["userPoolId"]],
            ]);
            const entry: AcceptedChange = { stack: "staging", resource: "cognito-user-pool", op: "replace", reasons: ["usernameConfiguration"], why: "intended" };
            assert.deepStrictEqual(userLosses(steps, "staging", [entry]).map((l) => [l.step.name, l.acceptedBy?.why]), [
                ["cognito-user-pool", "intended"],
                ["cognito-admin-user-admin", "follows the accepted replacement of cognito-user-pool"],
            ]);
            assert.deepStrictEqual(
                steps.filter((s) => s.op === "replace").map((s) => [s.name, s.pool]),
                [
                    ["cognito-user-pool", "us-east-1_AbC123xyz"],
                    ["cognito-app-client", "us-east-1_AbC123xyz"],
                    ["cognito-admin-user-admin", "us-east-1_AbC123xyz"],
                ],
                "a pool's own id, and the id of the pool each other resource was in",
            );
        });

        it("lets the admin follow its pool's accepted replacement whatever the order of the steps (delete-before-replace lists the dependents first)", () => {
            const document = JSON.parse(fs.readFileSync(path.join(PREVIEWS, "staging-pool-replace-show-replacement-steps.json"), "utf8")) as { steps: { urn: string }[] };
            const admins = document.steps.filter((s) => s.urn.endsWith("::cognito-admin-user-admin"));
            const reordered = [...admins, ...document.steps.filter((s) => !admins.includes(s))];
            const steps = previewSteps(parsePreviewDocument({ ...document, steps: reordered }, { stack: "staging", project: PROJECT }));
            const entry: AcceptedChange = { stack: "staging", resource: "cognito-user-pool", op: "replace", reasons: ["usernameConfiguration"], why: "intended" };
            assert.deepStrictEqual(userLosses(steps, "staging", [entry]).map((l) => [l.step.name, l.acceptedBy?.why]), [
                ["cognito-admin-user-admin", "follows the accepted replacement of cognito-user-pool"],
                ["cognito-user-pool", "intended"],
            ]);
            const offered = userLossText(userLosses(steps, "staging", []), "F.yaml", TODAY).filter((line) => line.startsWith("    resource: "));
            assert.deepStrictEqual(offered, ["    resource: cognito-user-pool"], "one entry to copy, the pool's: it covers the admin");
        });

        it("takes no value unknown until apply for a pool's identity, so that no user follows a pool through one", () => {
            const document = JSON.parse(fs.readFileSync(path.join(PREVIEWS, "staging-pool-replace-show-replacement-steps.json"), "utf8")) as {
                steps: { urn: string; oldState?: { id?: string; inputs: Record<string, unknown> } }[];
            };
            for (const step of document.steps.filter((s) => s.oldState)) {
                if (step.urn.endsWith("::cognito-user-pool")) step.oldState!.id = UNKNOWN_VALUE;
                if (step.urn.endsWith("::cognito-admin-user-admin")) step.oldState!.inputs.userPoolId = UNKNOWN_VALUE;
            }
            const steps = previewSteps(parsePreviewDocument(document, { stack: "staging", project: PROJECT }));
            assert.deepStrictEqual(steps.filter((s) => s.op === "replace").map((s) => [s.name, s.pool]), [["cognito-user-pool", undefined], ["cognito-app-client", "us-east-1_AbC123xyz"], ["cognito-admin-user-admin", undefined]]);
            const entry: AcceptedChange = { stack: "staging", resource: "cognito-user-pool", op: "replace", reasons: ["usernameConfiguration"], why: "intended" };
            assert.deepStrictEqual(userLosses(steps, "staging", [entry]).map((l) => l.acceptedBy?.why), ["intended", undefined]);
        });

        it("does not let a user of another pool follow the accepted replacement of a pool in a preview", () => {
            const document = JSON.parse(fs.readFileSync(path.join(PREVIEWS, "staging-pool-replace-show-replacement-steps.json"), "utf8")) as {
                steps: { urn: string; oldState?: { inputs: Record<string, unknown> } }[];
            };
            for (const step of document.steps.filter((s) => s.urn.endsWith("::cognito-admin-user-admin") && s.oldState)) step.oldState!.inputs.userPoolId = "us-east-1_Other1234";
            const steps = previewSteps(parsePreviewDocument(document, { stack: "staging", project: PROJECT }));
            const entry: AcceptedChange = { stack: "staging", resource: "cognito-user-pool", op: "replace", reasons: ["usernameConfiguration"], why: "intended" };
            const losses = userLosses(steps, "staging", [entry]);
            assert.deepStrictEqual(losses.map((l) => [l.step.name, l.acceptedBy?.why]), [
                ["cognito-user-pool", "intended"],
                ["cognito-admin-user-admin", undefined],
            ]);
            assert.deepStrictEqual(userLossText(losses, "F.yaml", TODAY).slice(-5), [
                "  - stack: staging",
                "    resource: cognito-admin-user-admin",
                "    op: replace",
                "    reasons: [userPoolId]",
                `    why: "${TODAY}: <why losing these users is intended>"`,
            ]);
        });

        it("loses nobody in an update, and a user in a delete", () => {
            assert.deepStrictEqual(userLosses(previewSteps(preview("prod-password-policy-update.json")), "prod", []), []);
            const deleted = userLosses(previewSteps(preview("dev-admin-user-delete.json")), "dev", []);
            assert.deepStrictEqual(deleted.map((l) => l.what), ["user cognito-admin-user-ops (ops) would be DELETED, with its TOTP enrolment."]);
        });

        for (const [file, loss] of [
            ["dev-user-same-then-delete.json", "user cognito-admin-user-ops (ops) would be DELETED, with its TOTP enrolment."],
            ["dev-user-update-then-delete-replaced.json", "user cognito-admin-user-ops (ops) would be DELETED, with its TOTP enrolment."],
            ["dev-user-lone-delete-replaced.json", "user cognito-admin-user-ops (ops) would be DELETED, with its TOTP enrolment."],
            ["dev-pool-lone-delete-replaced.json", "user pool cognito-user-pool (totp-dev) would be DELETED: every user in it, with every TOTP enrolment, is lost. Its deletion protection is ACTIVE, so Cognito refuses the delete and `pulumi up` fails there."],
        ]) {
            it(`sees the loss in ${file}, whatever the order of its steps`, () => {
                const document = JSON.parse(fs.readFileSync(path.join(PREVIEWS, file), "utf8")) as { steps: unknown[] };
                for (const steps of [document.steps, [...document.steps].reverse()]) {
                    const losses = userLosses(previewSteps(parsePreviewDocument({ ...document, steps }, { stack: "dev", project: PROJECT })), "dev", []);
                    assert.deepStrictEqual(losses.map((l) => [l.step.op, l.what, l.acceptedBy]), [["delete", loss, undefined]]);
                }
            });
        }

        for (const [file, message] of [
            [
                "dev-user-unknown-op.json",
                'step 2 (urn:pulumi:dev::cognito-totp::cognito-totp:cognito:TotpUserPool$aws:cognito/user:User::cognito-admin-user-ops): has the op "purge", which this checker does not know, so it cannot say what it does to urn:pulumi:dev::cognito-totp::cognito-totp:cognito:TotpUserPool$aws:cognito/user:User::cognito-admin-user-ops',
            ],
            [
                "dev-user-type-mismatch.json",
                "step 2 (urn:pulumi:dev::cognito-totp::cognito-totp:cognito:TotpUserPool$aws:cognito/user:User::cognito-admin-user-ops) oldState: its type aws:cognito/userGroup:UserGroup does not match the type of its URN (aws:cognito/user:User) and of the step's (aws:cognito/user:User)",
            ],
            [
                "staging-pool-replace.json",
                "replaces urn:pulumi:staging::cognito-totp::cognito-totp:cognito:TotpUserPool$aws:cognito/userPool:UserPool::cognito-user-pool but has none of its create-replacement steps: it was made without --show-replacement-steps, which also hides the deletion of a resource left pending by an earlier failed replacement. Run pulumi preview --json --show-replacement-steps",
            ],
        ]) {
            it(`fails on ${file}, naming the problem`, () => {
                assert.throws(() => preview(file), { name: "PreviewError", message: `${path.join(PREVIEWS, file)} ${message}` });
            });
        }

        it("fails on a preview of another stack or project, naming the URN", () => {
            const file = path.join(PREVIEWS, "staging-user-delete.json");
            assert.throws(() => readPreviewFile(file, { stack: "dev", project: PROJECT }), {
                message: `${file} step 0 (urn:pulumi:staging::cognito-totp::pulumi:pulumi:Stack::cognito-totp-staging): urn:pulumi:staging::cognito-totp::pulumi:pulumi:Stack::cognito-totp-staging is of stack staging in project cognito-totp, not of stack dev in project cognito-totp: is this the preview of another stack?`,
            });
            assert.throws(() => readPreviewFile(file, { stack: "staging", project: "other" }), /is of stack staging in project cognito-totp, not of stack staging in project other/);
        });

        it("reads a URN's stack, project, type after its parents' and name, whole even when the name holds ::", () => {
            assert.deepStrictEqual(parseUrn("urn:pulumi:dev::p::a:b:C$aws:cognito/user:User::admin::x"), {
                stack: "dev",
                project: "p",
                qualifiedType: "a:b:C$aws:cognito/user:User",
                type: TYPES.user,
                name: "admin::x",
            });
            assert.strictEqual(parseUrn("urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev")?.type, "pulumi:pulumi:Stack");
            for (const bad of ["not-a-urn", "urn:pulumi:::p::a:b:C::n", "urn:pulumi:dev::p::notatype::n", "urn:pulumi:dev::p::a:b:C::", "urn:other:dev::p::a:b:C::n"]) {
                assert.strictEqual(parseUrn(bad), undefined, bad);
            }
        });

        const user = urnOf(USER, "u");
        for (const [label, document, message] of [
            ["a list instead of a document", [], "is not pulumi preview --json output: the document is a list, not an object"],
            ["no steps", {}, "is not pulumi preview --json output: it has no steps list"],
            ["a field Pulumi's digest does not have", { steps: [], policy: 1 }, 'has a field this checker does not know, "policy": Pulumi\'s JSON has changed; read pkg/display/json.go and update tools/plan/previewDocument.ts'],
            ["a state that may be corrupt", { steps: [], maybeCorrupt: true }, "says maybeCorrupt: true: the stack's state may be corrupt, so the preview cannot be trusted"],
            ["an error diagnostic", { steps: [], diagnostics: [{ severity: "error", message: "program failed\nstack" }] }, "reports an error, so its steps are incomplete: program failed"],
            ["a diagnostic without a severity", { steps: [], diagnostics: [{}] }, "has a diagnostic without a severity (an object)"],
            ["a change summary of texts", { steps: [], changeSummary: { same: "2" } }, "has a changeSummary that is not a map of counts (an object)"],
            ["a step that is a text", { steps: ["delete"] }, 'step 0: is string "delete", not an object'],
            ["a step without a urn", { steps: [{ op: "delete" }] }, "step 0: has no urn (undefined)"],
            ["a step without an op", { steps: [{ urn: user }] }, `step 0 (${user}): has no op (undefined)`],
            ["an op that is a number", { steps: [{ op: 1, urn: user }] }, `step 0 (${user}): has no op (number 1)`],
            ["an op named after Object's prototype", { steps: [{ op: "__proto__", urn: user }] }, `step 0 (${user}): has the op "__proto__", which this checker does not know, so it cannot say what it does to ${user}`],
            ["an op Pulumi never prints", { steps: [{ op: "remove-pending-replace", urn: user }] }, `step 0 (${user}): has the op remove-pending-replace, which Pulumi never prints in a preview (forgets a resource a delete-before-replace already deleted; internal)`],
            ["a step field Pulumi's digest does not have", { steps: [{ op: "same", urn: user, pending: true }] }, `step 0 (${user}): has a field this checker does not know, "pending": Pulumi's JSON has changed; update tools/plan/previewDocument.ts`],
            ["a URN that is not one", { steps: [{ op: "same", urn: "aws:cognito/user:User::u" }] }, 'step 0 (aws:cognito/user:User::u): "aws:cognito/user:User::u" is not a Pulumi URN (urn:pulumi:<stack>::<project>::<type>::<name>)'],
            ["a state that is null", { steps: [{ op: "delete", urn: user, oldState: null }] }, `step 0 (${user}) oldState: is null, not an object`],
            ["a state without a type", { steps: [{ op: "delete", urn: user, oldState: { urn: user, custom: true } }] }, `step 0 (${user}) oldState: has no type (undefined)`],
            ["a state without custom", { steps: [{ op: "delete", urn: user, oldState: { urn: user, type: USER } }] }, `step 0 (${user}) oldState: has no custom flag (undefined)`],
            ["a state of another stack", { steps: [{ op: "same", urn: user, oldState: stateOf(urnOf(USER, "u", "prod")) }] }, `step 0 (${user}) oldState: ${urnOf(USER, "u", "prod")} is of stack prod in project p, not of stack dev in project p: is this the preview of another stack?`],
            ["a protect flag that is a text", { steps: [{ op: "delete", urn: user, oldState: stateOf(user, { protect: "true" }) }] }, `step 0 (${user}) oldState: protect is string "true", not true or false`],
            ["inputs that are a list", { steps: [{ op: "delete", urn: user, oldState: stateOf(user, { inputs: [] }) }] }, `step 0 (${user}) oldState: inputs is a list, not an object`],
            ["diff reasons that are numbers", { steps: [{ op: "update", urn: user, diffReasons: [1] }] }, `step 0 (${user}) diffReasons: is not a list of texts (a list)`],
            ["a discard of a managed resource", { steps: [{ op: "discard", urn: user, oldState: stateOf(user) }] }, `step 0 (${user}): is a discard of a resource Pulumi manages (its oldState is not external): only a read resource is discarded`],
        ] as const) {
            it(`fails on ${label}`, () => {
                assert.throws(() => parsePreviewDocument(document, SCOPE), { name: "PreviewError", message });
            });
        }

        it("takes a discard of a read resource as harmless, and an unknown value as no id", () => {
            assert.deepStrictEqual(changes(previewSteps(parsed({ op: "discard", urn: user, oldState: stateOf(user, { external: true }) }))), []);
            const [step] = previewSteps(parsed({ op: "update", urn: user, oldState: stateOf(user, { id: "x", inputs: { a: 1 } }), newState: stateOf(user, { inputs: { a: UNKNOWN_VALUE } }), diffReasons: ["a"] }));
            assert.deepStrictEqual([step.op, step.newInputs], ["update", { a: UNKNOWN_VALUE }]);
        });

        it("names the replacementTrigger as the reason of a replacement it forces, where the engine names no input", () => {
            const ops = urnOf(USER, "cognito-admin-user-ops");
            const replace = (oldTrigger: unknown, newTrigger: unknown) =>
                previewSteps(
                    parsed(
                        { op: "create-replacement", urn: ops },
                        { op: "replace", urn: ops, oldState: stateOf(ops, { replacementTrigger: oldTrigger }), newState: stateOf(ops, { replacementTrigger: newTrigger }) },
                    ),
                )[0].replaceReasons;
            assert.deepStrictEqual(
                [replace("", "2026-11-26 recovery"), replace("2026-11-26 recovery", ""), replace("a", "a"), replace(undefined, "a"), replace("a", undefined)],
                [["replacementTrigger"], ["replacementTrigger"], [], [], []],
            );
            const [update] = previewSteps(parsed({ op: "update", urn: ops, diffReasons: ["attributes"], oldState: stateOf(ops, { replacementTrigger: "" }), newState: stateOf(ops, { replacementTrigger: "x" }) }));
            assert.deepStrictEqual(update.replaceReasons, [], "only a replacement has reasons");
        });

        it("reads the inputs, diffs, reasons and protection of a replacement from its own steps", () => {
            const pool = urnOf(POOL, "pool");
            const [step] = previewSteps(
                parsed(
                    { op: "create-replacement", urn: pool, newState: stateOf(pool, { inputs: { name: "new" } }) },
                    { op: "replace", urn: pool, diffReasons: ["aliasAttributes"], replaceReasons: ["aliasAttributes"], oldState: stateOf(pool, { inputs: { name: "old" }, protect: true }), newState: stateOf(pool, { inputs: { name: "new" } }) },
                    { op: "delete-replaced", urn: pool, oldState: stateOf(pool, { inputs: { name: "old" }, protect: true, retainOnDelete: true }) },
                ),
            );
            assert.deepStrictEqual(
                [step.op, step.diffs, step.replaceReasons, step.oldInputs, step.newInputs, step.oldOptions],
                ["replace", ["aliasAttributes"], ["aliasAttributes"], { name: "old" }, { name: "new" }, { protect: true, retainOnDelete: false }],
            );
        });

        it("never passes a random or hostile document unless every step of every user and pool is one Pulumi says keeps it", () => {
            // A small linear congruential generator, seeded: the same documents every run.
            let seed = 20261201;
            const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
            const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
            const chance = (p: number) => random() < p;
            const JUNK_OPS = ["purge", "", "DELETE", "__proto__", "constructor", "toString", 7, null];
            const KINDS = [USER, POOL, TYPES.client, TYPES.stack, TYPES.randomPassword];
            const validUrn = () => urnOf(pick(KINDS), pick(["a", "b"]));
            const urns = () => (chance(0.8) ? validUrn() : pick([urnOf(pick(KINDS), "a", "prod"), "urn:pulumi:dev::q::c:c:C::a", "", "x", 1]));
            const flags = () => ({ external: chance(0.3), delete: chance(0.3), protect: chance(0.3), retainOnDelete: chance(0.3) });
            const state = (urn: unknown) => {
                const type = typeof urn === "string" ? parseUrn(urn)?.type : undefined;
                if (chance(0.45)) return undefined;
                if (chance(0.65)) return { urn, custom: true, type, ...flags() };
                return pick([{ urn, custom: true, type: pick(KINDS) }, { urn: urns(), custom: true, type }, { urn, type }, { urn, custom: true, type, protect: "yes" }, null, [], "state"]);
            };
            const step = () => {
                const urn = urns();
                const raw: Record<string, unknown> = { op: chance(0.85) ? pick(Object.keys(STEP_OPS)) : pick(JUNK_OPS), urn, oldState: state(urn), newState: state(urn) };
                if (chance(0.05)) raw.replaceReasons = pick([["x"], "x", [1]]);
                if (chance(0.03)) raw.extra = true;
                return Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined));
            };
            const documents: unknown[] = [null, "steps", [], { steps: {} }];
            for (let i = 0; i < 3000; i++) {
                const steps = Array.from({ length: 1 + Math.floor(random() * 4) }, step);
                documents.push(random() < 0.95 ? { steps } : { steps, [pick(["maybeCorrupt", "diagnostics", "x"])]: pick([true, [{ severity: "error" }], 1]) });
            }
            const verdicts = { unreadable: 0, loss: 0, ok: 0 };
            for (const document of documents) {
                let verdict: keyof typeof verdicts;
                try {
                    verdict = userLosses(previewSteps(parsePreviewDocument(document, SCOPE)), "dev", []).length > 0 ? "loss" : "ok";
                } catch (error) {
                    assert.ok(error instanceof PreviewError, `${(error as Error).message} for ${JSON.stringify(document)}`);
                    verdict = "unreadable";
                }
                verdicts[verdict]++;
                if (verdict !== "ok") continue;
                for (const s of (document as { steps: { op: string; urn: string }[] }).steps) {
                    const type = parseUrn(s.urn)?.type;
                    if (type !== USER && type !== POOL) continue;
                    assert.ok(Object.prototype.hasOwnProperty.call(STEP_OPS, s.op) && STEP_OPS[s.op].effect === "keeps", `passed ${JSON.stringify(document)}`);
                }
            }
            // Each verdict is reached, so the property is tested on passing documents too.
            assert.ok(verdicts.ok > 50 && verdicts.loss > 50 && verdicts.unreadable > 50, JSON.stringify(verdicts));
        });
    });

    describe("npm run plan and npm run check:preview (in process, on fixture project directories)", () => {
        const SEED = seedStackConfig();
        const projects: string[] = [];
        /**
         * A project directory in a git repository of its own: the fixture Pulumi.yaml, a stack file
         * for each of `stacks` (the seed's config with their changes), and links to this repository's
         * program, deploy/, package.json and node_modules. Its first commit holds its plans.
         */
        async function project(stacks: Record<string, Record<string, unknown>> = { dev: {}, staging: {}, prod: {} }): Promise<string> {
            const root = fs.mkdtempSync(path.join(os.tmpdir(), "impact-project-"));
            projects.push(root);
            fs.copyFileSync(path.join(FIXTURES, "project", "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
            for (const link of ["index.ts", "deploy", "package.json", "node_modules"]) fs.symlinkSync(path.join(ROOT, link), path.join(root, link));
            for (const [stack, config] of Object.entries(stacks)) writeStack(root, stack, config);
            testGitInit(root);
            assert.strictEqual((await runInProcess(planMain, ["--update", "--project-dir", root])).status, 0);
            commit(root, "base");
            return root;
        }
        function writeStack(root: string, stack: string, config: Record<string, unknown>): void {
            fs.writeFileSync(path.join(root, `Pulumi.${stack}.yaml`), stringify({ config: { ...SEED, ...config } }));
        }
        /** Commits the project's stack files and plans/. */
        function commit(root: string, message: string): void {
            testGit(root, "add", "--all", "--", "Pulumi.yaml", "Pulumi.*.yaml", "plans");
            testGit(root, "commit", "-q", "-m", message);
        }
        let fixture: string;

        before(async () => {
            fixture = await project();
        });

        after(() => {
            for (const root of projects) fs.rmSync(root, { recursive: true, force: true });
        });

        it("plan --help prints the manual and exits 0", async () => {
            const run = await runInProcess(planMain, ["--help"]);
            assert.strictEqual(run.status, 0);
            assert.match(run.stdout, /^Prints what a stack declares, offline/);
            assert.match(run.stdout, /\n  -s, --stack <name> /);
            assert.match(run.stdout, /\n      --project-dir <dir> /);
            assert.match(run.stdout, /\n      --base-ref <git-ref> /);
        });

        for (const argv of [["-s", "dev"], ["--stack=dev"], ["--stack", "dev"]]) {
            it(`plan ${argv.join(" ")} --project-dir plans that project's dev to a count`, async () => {
                const run = await runInProcess(planMain, [...argv, "--project-dir", fixture]);
                assert.strictEqual(run.status, 0, run.stderr);
                const lines = run.stdout.trimEnd().split("\n");
                assert.match(lines.find((line) => line.includes("pulumi:pulumi:Stack")) ?? "", /^ \+   pulumi:pulumi:Stack +cognito-totp-dev +create$/);
                const order = lines.filter((line) => line.startsWith(" +")).map((line) => line.trim().split(/\s+/).slice(-2)[0]);
                assert.ok(order.indexOf("cognito-user-pool") < order.indexOf("cognito-admin-user-admin"), order.join(" "));
                assert.match(lines[lines.length - 1], /^ {4}\+ \d+ to create$/);
            });
        }

        it("plan --update --project-dir wrote that project's plans, one per stack file", () => {
            assert.deepStrictEqual(fs.readdirSync(path.join(fixture, "plans")).sort(), ["dev.json", "prod.json", "staging.json"]);
        });

        const usage: [string[], string][] = [
            [["--stack", "__proto__"], "error: there is no Pulumi.__proto__.yaml in <project>; the stacks are dev, prod, staging\n"],
            [["--stak", "dev"], "error: unknown option --stak\n"],
            [["--stack"], "error: option --stack needs a value\n"],
            [["--stack", "dev/../x"], 'error: --stack "dev/../x" is not a stack name'],
            [["--stack", "dev", "base.json"], "error: a baseline and --base-ref go with --diff\n"],
            [["--stack", "dev", "--diff", "--base-ref=-x"], "error: option --base-ref needs a value\n"],
            [["--stack", "dev", "--diff", "--base-ref", "a b"], 'error: --base-ref "a b" is not a git commit or branch name\n'],
            [["--update", "--stack", "dev"], "error: --update rewrites every stack's plan: give it alone (or with --project-dir)\n"],
            [[], "error: give --stack <name> (or --update)\n"],
        ];
        for (const [argv, message] of usage) {
            it(`plan ${JSON.stringify(argv)} is a usage error (exit 2) that names the problem`, async () => {
                const run = await runInProcess(planMain, [...argv, "--project-dir", fixture]);
                assert.strictEqual(run.status, 2);
                assert.ok(run.stderr.replace(fixture, "<project>").startsWith(message), run.stderr);
                assert.ok(run.stderr.endsWith("Run `npm run plan -- --help` for usage.\n"), run.stderr);
            });
        }

        it("plan --project-dir of a directory without Pulumi.yaml is a usage error", async () => {
            const run = await runInProcess(planMain, ["--stack", "dev", "--project-dir", path.join(fixture, "plans")]);
            assert.strictEqual(run.status, 2);
            assert.ok(run.stderr.startsWith(`error: --project-dir ${JSON.stringify(path.join(fixture, "plans"))}: there is no Pulumi.yaml there\n`), run.stderr);
        });

        it("plan --diff with no baseline reads the plan committed at HEAD, all same, and spends no entry", async () => {
            const run = await runInProcess(planMain, ["--stack", "dev", "--diff", "--json", "--project-dir", fixture]);
            assert.strictEqual(run.status, 0, run.stderr);
            const json = JSON.parse(run.stdout) as { baseline: string; steps: { op: string }[]; userLosses: unknown[]; spentAcceptances: unknown[] };
            assert.deepStrictEqual(
                [json.baseline, new Set(json.steps.map((s) => s.op)), json.userLosses, json.spentAcceptances],
                ["HEAD:plans/dev.json", new Set(["same"]), [], []],
            );
        });

        it("plan --diff BASELINE.json exits 3 when the change would lose users, with preview-shaped JSON", async () => {
            // The baseline had case-insensitive usernames: going back to the default replaces the pool.
            const root = await project({ dev: { [`${PROJECT}:usernameCaseSensitive`]: false } });
            const baseline = path.join(root, "plans", "dev.json");
            writeStack(root, "dev", {});
            const run = await runInProcess(planMain, ["--stack", "dev", "--diff", baseline, "--json", "--project-dir", root]);
            assert.strictEqual(run.status, 3);
            const json = JSON.parse(run.stdout) as { baseline: string; steps: { op: string; name: string; replaceReasons: string[] }[]; userLosses: { op: string }[] };
            const pool = json.steps.find((s) => s.name === "cognito-user-pool");
            assert.deepStrictEqual([json.baseline, pool?.op, pool?.replaceReasons], [baseline, "replace", ["usernameConfiguration.caseSensitive"]]);
            assert.deepStrictEqual(json.userLosses.map((l) => l.op), ["replace", "replace"]);
            const text = await runInProcess(planMain, ["--stack", "dev", "--diff", baseline, "--project-dir", root]);
            assert.strictEqual(text.status, 3);
            assert.match(text.stdout, /!!! THIS CHANGE WOULD LOSE USERS/);
        });

        it("plan --diff exits 3 when aws:region changes: every AWS resource is replaced in the new region", async () => {
            const root = await project({ dev: {} });
            writeStack(root, "dev", { "aws:region": "eu-west-1" });
            const run = await runInProcess(planMain, ["--stack", "dev", "--diff", "--project-dir", root]);
            assert.strictEqual(run.status, 3);
            assert.match(run.stdout, /\n {4}region: "us-east-1" → "eu-west-1"\n/);
            assert.match(run.stdout, /user pool cognito-user-pool \(totp-dev\) would be REPLACED because region "us-east-1" → "eu-west-1" forces a new one/);
        });

        it("an acceptance entry accepts the change of the commits that add it, and no later loss of the same resource", async () => {
            // Commit 1: the base. Commit 2: usernames become case-insensitive, which replaces the pool, with its entry.
            const root = await project({ dev: {} });
            const base = testGit(root, "rev-parse", "HEAD");
            writeStack(root, "dev", { [`${PROJECT}:usernameCaseSensitive`]: false });
            const entry = { stack: "dev", resource: "cognito-user-pool", op: "replace", reasons: ["usernameConfiguration"], why: "2026-11-01: before launch" };
            fs.writeFileSync(path.join(root, "plans", "accepted-changes.yaml"), stringify([entry]));
            const accepted = await runInProcess(planMain, ["--stack", "dev", "--diff", "--base-ref", base, "--project-dir", root]);
            assert.strictEqual(accepted.status, 0, accepted.stdout);
            assert.match(accepted.stdout, /\n {4}accepted on purpose: 2026-11-01: before launch\n/);
            assert.strictEqual((await runInProcess(planMain, ["--update", "--project-dir", root])).status, 0);
            commit(root, "case-insensitive usernames, accepted");
            const second = testGit(root, "rev-parse", "HEAD");
            // Commit 3: case-sensitive again, a second replacement of the same pool for the same reason; the entry is untouched.
            writeStack(root, "dev", { [`${PROJECT}:usernameCaseSensitive`]: true });
            const again = await runInProcess(planMain, ["--stack", "dev", "--diff", "--base-ref", second, "--project-dir", root]);
            assert.strictEqual(again.status, 3, again.stdout);
            const spent = 'plans/accepted-changes.yaml: the entry for dev cognito-user-pool replace [usernameConfiguration] (why: "2026-11-01: before launch") accepted an earlier change; it accepts nothing now: remove it.';
            assert.ok(again.stdout.includes(`\n    not accepted: ${spent}\n`), again.stdout);
            assert.ok(again.stdout.endsWith(`\nnote: ${spent}\n`), again.stdout);
            const json = JSON.parse((await runInProcess(planMain, ["--stack", "dev", "--diff", "--base-ref", second, "--project-dir", root, "--json"])).stdout) as Record<string, unknown>;
            assert.deepStrictEqual(json.spentAcceptances, [entry]);
            // A new entry, with a new why, accepts it; and a BASELINE.json diff spends entries against --base-ref too.
            fs.writeFileSync(path.join(root, "plans", "accepted-changes.yaml"), stringify([entry, { ...entry, why: "2026-12-01: back to case-sensitive" }]));
            assert.strictEqual((await runInProcess(planMain, ["--stack", "dev", "--diff", "--base-ref", second, "--project-dir", root])).status, 0);
            fs.writeFileSync(path.join(root, "plans", "accepted-changes.yaml"), stringify([entry]));
            const fromFile = await runInProcess(planMain, ["--stack", "dev", "--diff", path.join(root, "plans", "dev.json"), "--base-ref", second, "--project-dir", root]);
            assert.strictEqual(fromFile.status, 3, fromFile.stdout);
        });

        it("check:preview exits 3 on a preview that replaces the pool, 0 on an update, 1 on a file that is not a preview, 2 for a stack without a file", async () => {
            const check = (stack: string, file: string, ...argv: string[]) => runInProcess(checkPreviewMain, ["--stack", stack, path.join(PREVIEWS, file), "--project-dir", fixture, ...argv]);
            assert.strictEqual((await check("staging", "staging-pool-replace-show-replacement-steps.json")).status, 3);
            assert.strictEqual((await check("prod", "prod-password-policy-update.json")).status, 0);
            const notPreview = path.join(dir, "not-a-preview.json");
            fs.writeFileSync(notPreview, "{}");
            await assert.rejects(runInProcess(checkPreviewMain, ["--stack", "dev", notPreview, "--project-dir", fixture]), {
                message: `${notPreview} is not pulumi preview --json output: it has no steps list`,
            });
            const nosuch = await check("nosuch", "dev-admin-user-delete.json");
            assert.strictEqual(nosuch.status, 2);
            assert.ok(nosuch.stderr.startsWith(`error: there is no Pulumi.nosuch.yaml in ${fixture}; the stacks are dev, prod, staging\n`), nosuch.stderr);
        });

        for (const file of ["dev-user-same-then-delete.json", "dev-user-update-then-delete-replaced.json", "dev-user-lone-delete-replaced.json", "dev-pool-lone-delete-replaced.json"]) {
            it(`check:preview exits 3 on ${file}`, async () => {
                const run = await runInProcess(checkPreviewMain, ["--stack", "dev", path.join(PREVIEWS, file), "--project-dir", fixture]);
                assert.strictEqual(run.status, 3, run.stdout);
                assert.match(run.stdout, /!!! THIS CHANGE WOULD LOSE USERS/);
            });
        }

        for (const [stack, file, message] of [
            ["dev", "dev-user-unknown-op.json", /has the op "purge", which this checker does not know, so it cannot say what it does to urn:pulumi:dev::cognito-totp::.*cognito-admin-user-ops$/],
            ["dev", "staging-user-delete.json", /urn:pulumi:staging::cognito-totp::pulumi:pulumi:Stack::cognito-totp-staging is of stack staging in project cognito-totp, not of stack dev/],
            ["dev", "dev-user-type-mismatch.json", /its type aws:cognito\/userGroup:UserGroup does not match the type of its URN \(aws:cognito\/user:User\)/],
            ["staging", "staging-pool-replace.json", /it was made without --show-replacement-steps/],
        ] as const) {
            it(`check:preview fails (exit 1) on ${file} as ${stack}, naming the problem`, async () => {
                await assert.rejects(runInProcess(checkPreviewMain, ["--stack", stack, path.join(PREVIEWS, file), "--project-dir", fixture]), { name: "PreviewError", message });
            });
        }

        it("check:preview spends an entry the --base-ref commit holds, and shows no unknown value as an id", async () => {
            const root = await project({ dev: {}, staging: {} });
            const entry = { stack: "dev", resource: "cognito-admin-user-ops", op: "delete", why: "2026-11-01: ops left" };
            fs.writeFileSync(path.join(root, "plans", "accepted-changes.yaml"), stringify([entry]));
            const check = (...argv: string[]) => runInProcess(checkPreviewMain, ["--stack", "dev", path.join(PREVIEWS, "dev-admin-user-delete.json"), "--project-dir", root, ...argv]);
            const fresh = await check();
            assert.strictEqual(fresh.status, 0, fresh.stdout);
            assert.match(fresh.stdout, /\n {4}accepted on purpose: 2026-11-01: ops left\n/);
            commit(root, "ops left");
            const spent = await check();
            assert.strictEqual(spent.status, 3, spent.stdout);
            assert.match(spent.stdout, /accepted an earlier change; it accepts nothing now: remove it\.\n$/);
            assert.strictEqual((await check("--base-ref", "HEAD~1")).status, 0);
            const replaced = await runInProcess(checkPreviewMain, ["--stack", "staging", path.join(PREVIEWS, "staging-pool-replace-show-replacement-steps.json"), "--project-dir", root]);
            assert.match(replaced.stdout, /userPoolId "us-east-1_AbC123xyz" → \(unknown until apply\) forces a new one/);
            assert.doesNotMatch(replaced.stdout, new RegExp(UNKNOWN_VALUE));
        });

        it("runs a project's program with that project's own @pulumi/pulumi", () => {
            const root = fs.mkdtempSync(path.join(os.tmpdir(), "impact-sdk-"));
            projects.push(root);
            fs.mkdirSync(path.join(root, "node_modules", "@pulumi", "pulumi"), { recursive: true });
            fs.writeFileSync(path.join(root, "package.json"), "{}");
            fs.writeFileSync(path.join(root, "node_modules", "@pulumi", "pulumi", "index.js"), "exports.copy = 'the project\\'s own';\n");
            assert.strictEqual((loadPulumiSdk(root) as unknown as { copy: string }).copy, "the project's own");
            assert.strictEqual(loadPulumiSdk(ROOT), require("@pulumi/pulumi"), "this repository's, the same copy as the tests'");
            assert.strictEqual(loadPulumiSdk(fixture), require("@pulumi/pulumi"), "a project that links this repository's node_modules");
        });
    });
});
