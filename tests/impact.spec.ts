import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { main as checkPreviewMain } from "../tools/plan/checkPreview";
import { main as planMain } from "../tools/plan/cli";
import { ACCEPTANCE_FILE, ACCEPTANCE_PATH, readAcceptedChanges } from "../tools/plan/acceptance";
import { FORCE_NEW, SET_INPUTS } from "../tools/plan/forceNew";
import { AcceptedChange, PreviewDocument, Step, changeSummary, impactJson, nameOfUrn, planSteps, previewSteps, typeOfUrn, userLossText, userLosses } from "../tools/plan/impact";
import { Plan, PlannedResource, planStack } from "../tools/plan/plan";
import { readStackFile } from "../tools/mock/stackFile";
import { PROGRAM, PROJECT, ROOT, mockRuntime, runInProcess } from "./support";

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

const preview = (file: string) => JSON.parse(fs.readFileSync(path.join(PREVIEWS, file), "utf8")) as PreviewDocument;

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
                "aws:cognito/userPool:UserPool": ["aliasAttributes", "usernameAttributes", "usernameConfiguration.caseSensitive", "region"],
                "aws:cognito/userPoolClient:UserPoolClient": ["userPoolId", "generateSecret", "region"],
                "aws:cognito/user:User": ["userPoolId", "username", "region"],
                "aws:cognito/userGroup:UserGroup": ["name", "userPoolId", "region"],
                "aws:cognito/userInGroup:UserInGroup": ["groupName", "userPoolId", "username", "region"],
                "random:index/randomPassword:RandomPassword": "every input",
            });
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
            assert.deepStrictEqual(user?.optionChanges, {
                deleteBeforeReplace: { from: undefined, to: true },
                replacementTrigger: { from: "", to: "2026-11-26 lost phone" },
            });
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
            // Keeping the label changes nothing more; removing it would replace the user again.
            assert.deepStrictEqual(changes(planSteps(after, after)), []);
            assert.deepStrictEqual(changes(planSteps(after, before)).map(([op, name]) => [op, name]), [
                ["replace", "cognito-admin-temporary-password-ops"],
                ["replace", "cognito-admin-user-ops"],
                ["replace", "cognito-admin-user-ops-in-admins"],
            ]);
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
                "aws:cognito/userPool:UserPool": ["aliasAttributes", "usernameAttributes", "autoVerifiedAttributes"],
                "aws:cognito/userPoolClient:UserPoolClient": ["explicitAuthFlows", "allowedOauthFlows", "allowedOauthScopes", "callbackUrls", "logoutUrls", "readAttributes", "supportedIdentityProviders", "writeAttributes"],
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
            const pool = "aws:cognito/userPool:UserPool";
            const stepOf = (type: string, before: Record<string, unknown>, after: Record<string, unknown>, options: Record<string, unknown> = {}) => {
                const [s] = planSteps(planOf(type, before), { ...planOf(type, after), resources: [{ ...planOf(type, after).resources[0], options }] });
                return [s.op, s.diffs, s.replaceReasons];
            };
            const sensitive = { usernameConfiguration: { caseSensitive: true, other: 1 } };
            assert.deepStrictEqual(stepOf(pool, sensitive, { usernameConfiguration: { caseSensitive: true, other: 2 } }), ["update", ["usernameConfiguration"], []]);
            assert.deepStrictEqual(stepOf(pool, sensitive, { usernameConfiguration: { caseSensitive: false, other: 1 } }), ["replace", ["usernameConfiguration"], ["usernameConfiguration.caseSensitive"]]);
            assert.deepStrictEqual(stepOf(pool, { usernameConfiguration: null }, sensitive), ["replace", ["usernameConfiguration"], ["usernameConfiguration.caseSensitive"]]);
            const command = "command:local:Command";
            assert.deepStrictEqual(stepOf(command, { create: "a" }, { create: "b" }, { replaceOnChanges: ["*"] }), ["replace", ["create"], ["*"]]);
            assert.deepStrictEqual(stepOf(command, { create: "a" }, { create: "a" }, { replaceOnChanges: ["*"] }), ["same", [], []]);
            assert.deepStrictEqual(stepOf(command, { create: "a", triggers: [1] }, { create: "b", triggers: [1] }, { replaceOnChanges: ["triggers[0]"] }), ["update", ["create"], []]);
            assert.deepStrictEqual(stepOf(command, { triggers: [1] }, { triggers: [2] }, { replaceOnChanges: ["triggers[0]"] }), ["replace", ["triggers"], ["triggers[0]"]]);
            assert.deepStrictEqual(stepOf(command, { triggers: { a: 1 } }, { triggers: { a: 2 } }, { replaceOnChanges: ["triggers.a"] }), ["replace", ["triggers"], ["triggers.a"]]);
        });

        it("changes an input fed by any resource that is created or replaced, and lists deletions last", () => {
            const resource = (name: string, type: string, inputs: Record<string, unknown>, inputDependencies?: Record<string, string[]>): PlannedResource => ({
                urn: `urn:pulumi:s::p::${type}::${name}`,
                type,
                name,
                parent: null,
                options: {},
                inputs,
                ...(inputDependencies ? { inputDependencies } : {}),
            });
            const plan = (...resources: PlannedResource[]): Plan => ({ note: "", project: "p", stack: "s", resources, outputs: {} });
            const client = "aws:cognito/userPoolClient:UserPoolClient";
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

        it("lists the changed inputs in name order", () => {
            const [step] = planSteps(planOf("t:a:A", { b: 1, a: 1 }), planOf("t:a:A", { b: 2, a: 2 }));
            assert.deepStrictEqual(step.diffs, ["a", "b"]);
        });

        it("still sees a set that gains or loses a member, and replaces the pool for it when the set forces that", () => {
            const pool = "aws:cognito/userPool:UserPool";
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

        it("is plans/accepted-changes.yaml at the repository's root, and accepts nothing when it is missing or empty", () => {
            assert.strictEqual(ACCEPTANCE_FILE, "plans/accepted-changes.yaml");
            assert.strictEqual(ACCEPTANCE_PATH, path.join(ROOT, "plans", "accepted-changes.yaml"));
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

        it("names the file and the problem for YAML it cannot parse", () => {
            fs.writeFileSync(file, "- stack: dev\n  why: [unclosed\n");
            assert.throws(() => readAcceptedChanges(file), (error: Error) => error.message.startsWith("plans/accepted-changes.yaml: Flow sequence in block collection must be sufficiently indented"));
        });

        const entry = { stack: "dev", resource: "cognito-user-pool", op: "replace", why: "before launch" };
        for (const [label, document, message] of [
            ["a mapping instead of a list", entry, "plans/accepted-changes.yaml: entry : Invalid input: expected array, received object"],
            ["an empty stack", [{ ...entry, stack: "" }], "plans/accepted-changes.yaml: entry 0.stack: Too small: expected string to have >=1 characters"],
            ["an empty resource", [{ ...entry, resource: "" }], "plans/accepted-changes.yaml: entry 0.resource: Too small: expected string to have >=1 characters"],
            ["an op that loses nobody", [entry, { ...entry, op: "update" }], 'plans/accepted-changes.yaml: entry 1.op: Invalid option: expected one of "replace"|"delete"'],
            ["reasons that are not text", [{ ...entry, reasons: [1] }], "plans/accepted-changes.yaml: entry 0.reasons.0: Invalid input: expected string, received number"],
            ["no why", [{ stack: "dev", resource: "cognito-user-pool", op: "replace" }], "plans/accepted-changes.yaml: entry 0.why: Invalid input: expected string, received undefined"],
            ["an empty why", [{ ...entry, why: "" }], "plans/accepted-changes.yaml: entry 0.why: Too small: expected string to have >=1 characters"],
            ["a misspelt key", [{ ...entry, reason: ["x"] }], 'plans/accepted-changes.yaml: entry 0: Unrecognized key: "reason"'],
            ["the placeholder why that plan prints", [{ ...entry, why: "<why losing these users is intended>" }], 'plans/accepted-changes.yaml: the entry for dev cognito-user-pool must say why, not "<why losing these users is intended>"'],
        ] as const) {
            it(`refuses ${label}, naming the entry`, () => {
                fs.writeFileSync(file, stringify(document));
                assert.throws(() => readAcceptedChanges(file), { message });
            });
        }

        it("takes a why that has < inside it, not at its start", () => {
            fs.writeFileSync(file, stringify([{ ...entry, why: "fewer than 10 users, all <test> accounts" }]));
            assert.deepStrictEqual(readAcceptedChanges(file), [{ ...entry, why: "fewer than 10 users, all <test> accounts" }]);
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
            assert.strictEqual(userLossText(losses, "plans/accepted-changes.yaml")[1], "This change loses users, and every loss is accepted on purpose:");
        });

        it("accepts nothing for another stack, another op or other reasons", () => {
            for (const entry of [accept({ stack: "prod" }), accept({ op: "delete" }), accept({ reasons: ["aliasAttributes"] })]) {
                assert.deepStrictEqual(userLosses(replacing, "impact", [entry]).map((l) => l.acceptedBy), [undefined, undefined]);
            }
        });

        it("prints, for an unaccepted loss, the one entry that would accept it", () => {
            const text = userLossText(userLosses(replacing, "impact", []), "plans/accepted-changes.yaml");
            assert.strictEqual(text[1], "!!! THIS CHANGE WOULD LOSE USERS. Read every line below before you merge or run `pulumi up`. !!!");
            assert.deepStrictEqual(text.slice(-6), [
                "to plans/accepted-changes.yaml in the same pull request (fill in why):",
                "  - stack: impact",
                "    resource: cognito-user-pool",
                "    op: replace",
                "    reasons: [usernameConfiguration]",
                '    why: "<why losing these users is intended>"',
            ]);
        });
    });

    describe("the words a reviewer reads", () => {
        const POOL = "aws:cognito/userPool:UserPool";
        const USER = "aws:cognito/user:User";
        const step = (fields: Partial<Step> & Pick<Step, "op" | "type" | "name">): Step => ({
            urn: `urn:pulumi:dev::p::${fields.type}::${fields.name}`,
            diffs: [],
            replaceReasons: [],
            optionChanges: {},
            ...fields,
        });
        const PLACEHOLDER = '    why: "<why losing these users is intended>"';
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
            }),
            step({ op: "replace", type: USER, name: "admin", replaceReasons: ["userPoolId"], oldInputs: { username: "admin", userPoolId: "x" }, newInputs: { username: "admin", userPoolId: "x" } }),
            step({ op: "replace", type: USER, name: "ops", replaceReasons: ["userPoolId", "username"], oldInputs: { username: "ops" }, newInputs: { username: "Ops" } }),
            step({ op: "delete", type: USER, name: "gone", oldOptions: { retainOnDelete: true } }),
            step({ op: "delete", type: POOL, name: "old", oldInputs: { deletionProtection: "INACTIVE" }, oldOptions: { retainOnDelete: true } }),
            step({ op: "update", type: USER, name: "kept", diffs: ["attributes"], optionChanges: { protect: { from: false, to: true } } }),
            step({ op: "replace", type: "aws:cognito/userPoolClient:UserPoolClient", name: "client", replaceReasons: ["userPoolId"] }),
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
            assert.deepStrictEqual(userLossText(userLosses(STEPS, "dev", []), "F.yaml"), [
                "",
                "!!! THIS CHANGE WOULD LOSE USERS. Read every line below before you merge or run `pulumi up`. !!!",
                REPLACED_POOL,
                FOLLOWING_ADMIN,
                RENAMED_OPS,
                ...DELETED,
                "",
                "If this is intended, accept it on purpose, for this stack and this change only, by adding",
                "to F.yaml in the same pull request (fill in why):",
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
            assert.deepStrictEqual(userLossText(accepted, "F.yaml"), [
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
                "to F.yaml in the same pull request (fill in why):",
                ...ENTRIES_AFTER_POOL,
            ]);
        });

        it("lists every user that follows a pool when the pool is not replaced but deleted", () => {
            const steps = [step({ op: "delete", type: POOL, name: "old" }), step({ op: "replace", type: USER, name: "admin", replaceReasons: ["userPoolId"] })];
            const text = userLossText(userLosses(steps, "dev", []), "F.yaml");
            assert.deepStrictEqual(text.slice(-9), ["  - stack: dev", "    resource: old", "    op: delete", PLACEHOLDER, "  - stack: dev", "    resource: admin", "    op: replace", "    reasons: [userPoolId]", PLACEHOLDER]);
            assert.deepStrictEqual(userLossText([], "F.yaml"), []);
        });

        it("names every accepted pool that a user follows", () => {
            const steps = [
                step({ op: "replace", type: POOL, name: "a", replaceReasons: ["aliasAttributes"] }),
                step({ op: "replace", type: POOL, name: "b", replaceReasons: ["aliasAttributes"] }),
                step({ op: "replace", type: USER, name: "admin", replaceReasons: ["userPoolId"] }),
            ];
            const accept = (resource: string): AcceptedChange => ({ stack: "dev", resource, op: "replace", reasons: ["aliasAttributes"], why: "w" });
            assert.deepStrictEqual(userLosses(steps, "dev", [accept("a"), accept("b")])[2].acceptedBy?.why, "follows the accepted replacement of a, b");
        });

        it("says so when every loss is accepted, and offers no entry", () => {
            const steps = [step({ op: "delete", type: USER, name: "gone" })];
            assert.deepStrictEqual(userLossText(userLosses(steps, "dev", [{ stack: "dev", resource: "gone", op: "delete", why: "left the team" }]), "F.yaml"), [
                "",
                "This change loses users, and every loss is accepted on purpose:",
                "  - user gone would be DELETED, with its TOTP enrolment.",
                "    accepted on purpose: left the team",
            ]);
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

    describe("pulumi preview --json (Pulumi's previewDigest)", () => {
        it("finds the pool's replacement and the admin's, and the same entry accepts them as offline", () => {
            const steps = previewSteps(preview("staging-pool-replace.json"));
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
        });

        it("folds --show-replacement-steps' create-replacement and delete-replaced into one replace each", () => {
            assert.deepStrictEqual(previewSteps(preview("staging-pool-replace-show-replacement-steps.json")), previewSteps(preview("staging-pool-replace.json")));
        });

        it("reads the name from the URN, whole even when it holds ::", () => {
            assert.strictEqual(nameOfUrn("urn:pulumi:dev::p::aws:cognito/user:User::admin"), "admin");
            assert.strictEqual(nameOfUrn("urn:pulumi:dev::p::t:m:R::a::b"), "a::b");
        });

        it("reads the type from the URN, after the parents' types", () => {
            assert.strictEqual(typeOfUrn("urn:pulumi:dev::p::a:b:C$aws:cognito/user:User::admin"), "aws:cognito/user:User");
            assert.strictEqual(typeOfUrn("urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev"), "pulumi:pulumi:Stack");
            assert.strictEqual(typeOfUrn("not-a-urn"), "");
        });

        it("maps each of the engine's ops onto the five, and leaves out reads and refreshes", () => {
            const urn = (name: string) => `urn:pulumi:dev::p::aws:cognito/user:User::${name}`;
            const ops = ["same", "create", "update", "delete", "replace", "create-replacement", "delete-replaced", "import-replacement", "import", "read", "refresh", "discard"];
            const steps = previewSteps({ steps: ops.map((op) => ({ op, urn: urn(op) })) });
            assert.deepStrictEqual(
                steps.map((s) => [s.name, s.op]),
                [
                    ["same", "same"],
                    ["create", "create"],
                    ["update", "update"],
                    ["delete", "delete"],
                    ["replace", "replace"],
                    ["create-replacement", "replace"],
                    ["delete-replaced", "replace"],
                    ["import-replacement", "replace"],
                    ["import", "create"],
                ],
            );
            assert.deepStrictEqual(steps[0], {
                op: "same",
                urn: urn("same"),
                type: "aws:cognito/user:User",
                name: "same",
                diffs: [],
                replaceReasons: [],
                optionChanges: {},
                oldInputs: undefined,
                newInputs: undefined,
                oldOptions: undefined,
            });
        });

        it("takes a replacement's own replace step, whichever of its companion steps comes first", () => {
            const urn = "urn:pulumi:dev::p::aws:cognito/userPool:UserPool::pool";
            const steps = previewSteps({
                steps: [
                    { op: "create-replacement", urn, newState: { inputs: { name: "new" } } },
                    { op: "replace", urn, diffReasons: ["aliasAttributes"], replaceReasons: ["aliasAttributes"], oldState: { inputs: { name: "old" } }, newState: { inputs: { name: "new" } } },
                    { op: "delete-replaced", urn, oldState: { inputs: { name: "old" }, protect: true } },
                ],
            });
            assert.deepStrictEqual(
                steps.map((s) => [s.op, s.diffs, s.replaceReasons, s.oldInputs, s.oldOptions]),
                [["replace", ["aliasAttributes"], ["aliasAttributes"], { name: "old" }, { protect: false, retainOnDelete: false }]],
            );
        });

        it("names the replacementTrigger as the reason of a replacement it forces, where the engine names no input", () => {
            const urn = "urn:pulumi:dev::p::aws:cognito/user:User::cognito-admin-user-ops";
            const replace = (oldTrigger: unknown, newTrigger: unknown) =>
                previewSteps({ steps: [{ op: "replace", urn, replaceReasons: [], oldState: { replacementTrigger: oldTrigger }, newState: { replacementTrigger: newTrigger } }] })[0].replaceReasons;
            assert.deepStrictEqual(
                [replace("", "2026-11-26 recovery"), replace("a", "a"), replace(undefined, "a"), replace("a", undefined)],
                [["replacementTrigger"], [], [], []],
            );
            const [update] = previewSteps({ steps: [{ op: "update", urn, diffReasons: ["attributes"], oldState: { replacementTrigger: "" }, newState: { replacementTrigger: "x" } }] });
            assert.deepStrictEqual(update.replaceReasons, [], "only a replacement has reasons");
            const accepted: AcceptedChange = { stack: "dev", resource: "cognito-admin-user-ops", op: "replace", reasons: ["replacementTrigger"], why: "ops lost the phone" };
            const losses = userLosses(
                previewSteps({ steps: [{ op: "replace", urn, oldState: { replacementTrigger: "" }, newState: { replacementTrigger: "2026-11-26 recovery" } }] }),
                "dev",
                [accepted],
            );
            assert.deepStrictEqual(losses.map((loss) => loss.acceptedBy), [accepted]);
        });

        it("reads the inputs, diffs, reasons and protection of a step", () => {
            const [step] = previewSteps({
                steps: [
                    {
                        op: "update",
                        urn: "urn:pulumi:dev::p::aws:cognito/userPool:UserPool::pool",
                        diffReasons: ["passwordPolicy"],
                        replaceReasons: [],
                        oldState: { inputs: { a: 1 }, protect: true },
                        newState: { inputs: { a: 2 }, retainOnDelete: true },
                    },
                ],
            });
            assert.deepStrictEqual([step.diffs, step.oldInputs, step.newInputs, step.oldOptions], [["passwordPolicy"], { a: 1 }, { a: 2 }, { protect: true, retainOnDelete: false }]);
        });

        it("loses nobody in an update, and a user in a delete", () => {
            assert.deepStrictEqual(userLosses(previewSteps(preview("prod-password-policy-update.json")), "prod", []), []);
            const deleted = userLosses(previewSteps(preview("dev-admin-user-delete.json")), "dev", []);
            assert.deepStrictEqual(deleted.map((l) => l.what), ["user cognito-admin-user-ops (ops) would be DELETED, with its TOTP enrolment."]);
        });
    });

    describe("npm run plan and npm run check:preview (in process)", () => {
        it("plan --help prints the manual and exits 0", async () => {
            const run = await runInProcess(planMain, ["--help"]);
            assert.strictEqual(run.status, 0);
            assert.match(run.stdout, /^Prints what a stack declares, offline/);
            assert.match(run.stdout, /\n  -s, --stack <name> /);
        });

        for (const argv of [["-s", "dev"], ["--stack=dev"], ["--stack", "dev"]]) {
            it(`plan ${argv.join(" ")} plans dev from the stack at the root to a count`, async () => {
                const run = await runInProcess(planMain, argv);
                assert.strictEqual(run.status, 0, run.stderr);
                const lines = run.stdout.trimEnd().split("\n");
                assert.match(lines[8], /^ \+   pulumi:pulumi:Stack +cognito-totp-dev +create$/);
                const order = lines.filter((line) => line.startsWith(" +")).map((line) => line.trim().split(/\s+/).slice(-2)[0]);
                assert.ok(order.indexOf("cognito-user-pool") < order.indexOf("cognito-admin-user-admin"), order.join(" "));
                assert.match(lines[lines.length - 1], /^ {4}\+ \d+ to create$/);
            });
        }

        const usage: [string[], string][] = [
            [["--stack", "__proto__"], "error: there is no Pulumi.__proto__.yaml; the stacks are "],
            [["--stak", "dev"], "error: unknown option --stak\n"],
            [["--stack"], "error: option --stack needs a value\n"],
            [["--stack", "dev/../x"], 'error: --stack "dev/../x" is not a stack name'],
            [["--stack", "dev", "base.json"], "error: a baseline and --base-ref go with --diff\n"],
            [[], "error: give --stack <name> (or --update)\n"],
        ];
        for (const [argv, message] of usage) {
            it(`plan ${JSON.stringify(argv)} is a usage error (exit 2) that names the problem`, async () => {
                const run = await runInProcess(planMain, argv);
                assert.strictEqual(run.status, 2);
                assert.ok(run.stderr.startsWith(message), run.stderr);
                assert.ok(run.stderr.endsWith("Run `npm run plan -- --help` for usage.\n"), run.stderr);
            });
        }

        it("plan --diff is all same against the stack's own committed plan file", async () => {
            const run = await runInProcess(planMain, ["--stack", "dev", "--diff", path.join(ROOT, "plans", "dev.json"), "--json"]);
            assert.strictEqual(run.status, 0, run.stderr);
            const json = JSON.parse(run.stdout) as { steps: { op: string }[]; userLosses: unknown[] };
            assert.deepStrictEqual(new Set(json.steps.map((s) => s.op)), new Set(["same"]));
            assert.deepStrictEqual(json.userLosses, []);
        });

        it("plan --diff with no baseline reads the plan committed at HEAD with git, the same as that file would", async () => {
            const committed = path.join(dir, "head-dev.json");
            fs.writeFileSync(committed, execFileSync("git", ["show", "HEAD:plans/dev.json"], { cwd: ROOT, encoding: "utf8" }));
            const fromGit = await runInProcess(planMain, ["--stack", "dev", "--diff", "--json"]);
            const fromFile = await runInProcess(planMain, ["--stack", "dev", "--diff", committed, "--json"]);
            const withoutBaseline = (text: string) => ({ ...JSON.parse(text), baseline: undefined });
            assert.strictEqual(JSON.parse(fromGit.stdout).baseline, "HEAD:plans/dev.json");
            assert.deepStrictEqual([fromGit.status, withoutBaseline(fromGit.stdout)], [fromFile.status, withoutBaseline(fromFile.stdout)]);
        });

        it("plan --diff BASELINE.json exits 3 when the change would lose users, with preview-shaped JSON", async () => {
            // The baseline had case-insensitive usernames: going back to the default replaces the pool.
            const file = path.join(dir, "baseline.json");
            const dev = readStackFile(path.join(ROOT, "Pulumi.dev.yaml"));
            const insensitive = path.join(dir, "Pulumi.dev.yaml");
            fs.writeFileSync(insensitive, stringify({ config: { ...(parse(fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8")) as { config: object }).config, [`${PROJECT}:usernameCaseSensitive`]: false } }));
            assert.strictEqual(dev.stack, "dev");
            fs.writeFileSync(file, JSON.stringify(await planStack(await mockRuntime("dev"), PROGRAM, readStackFile(insensitive))));
            const run = await runInProcess(planMain, ["--stack", "dev", "--diff", file, "--json"]);
            assert.strictEqual(run.status, 3);
            const json = JSON.parse(run.stdout) as { steps: { op: string; name: string; replaceReasons: string[] }[]; userLosses: { op: string }[] };
            const pool = json.steps.find((s) => s.name === "cognito-user-pool");
            assert.deepStrictEqual([pool?.op, pool?.replaceReasons], ["replace", ["usernameConfiguration.caseSensitive"]]);
            assert.deepStrictEqual(json.userLosses.map((l) => l.op), ["replace", "replace"]);
            const text = await runInProcess(planMain, ["--stack", "dev", "--diff", file]);
            assert.strictEqual(text.status, 3);
            assert.match(text.stdout, /!!! THIS CHANGE WOULD LOSE USERS/);
        });

        it("check:preview exits 3 on a preview that replaces the pool, 0 on an update, and fails clearly on a file that is not a preview", async () => {
            assert.strictEqual((await runInProcess(checkPreviewMain, ["--stack", "staging", path.join(PREVIEWS, "staging-pool-replace.json")])).status, 3);
            assert.strictEqual((await runInProcess(checkPreviewMain, ["--stack", "prod", path.join(PREVIEWS, "prod-password-policy-update.json")])).status, 0);
            const notPreview = path.join(dir, "not-a-preview.json");
            fs.writeFileSync(notPreview, "{}");
            await assert.rejects(runInProcess(checkPreviewMain, ["--stack", "dev", notPreview]), {
                message: `${notPreview} is not pulumi preview --json output: it has no steps list`,
            });
        });
    });
});
