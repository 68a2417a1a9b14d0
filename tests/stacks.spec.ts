import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { SEED_PASSWORD_POLICY } from "../deploy/components/cognitoRules";
import { PLANS_DIR, planStack, renderJson } from "../tools/plan/plan";
import { Registration } from "../tools/mock/mockRuntime";
import { deployOrder, parseYamlFile, readStackFile, stackFilePaths } from "../tools/mock/stackFile";
import { PROGRAM, PROJECT, ROOT, TYPES, mockRuntime, only } from "./support";

const STACKS = stackFilePaths(ROOT);

/**
 * Invariants of every stack file, derived from the file itself: a team edits its stacks and adds
 * new ones, and the suite must stay green as long as each stays true to what this project is.
 * The seed script's own values are pinned elsewhere, against tests/fixtures/Pulumi.seed.yaml.
 */
describe("every stack file", () => {
    it("stacks.json lists stacks that have a file, each once, in deploy order", () => {
        const order = deployOrder(ROOT);
        assert.ok(order.length > 0, "stacks.json deployOrder is empty");
        assert.deepStrictEqual([...new Set(order)], order, "a stack is listed twice");
        for (const stack of order) assert.ok(stack in STACKS, `stacks.json lists ${stack}, which has no Pulumi.${stack}.yaml`);
    });

    for (const [stack, file] of Object.entries(STACKS)) {
        describe(`Pulumi.${stack}.yaml`, () => {
            const config = ((parseYamlFile(file) as { config?: Record<string, unknown> }).config ?? {}) as Record<string, unknown>;
            const key = (name: string) => config[`${PROJECT}:${name}`];
            let registrations: readonly Registration[];

            before(async () => {
                const runtime = await mockRuntime(stack);
                registrations = (await runtime.runProgram(PROGRAM, readStackFile(file))).registrations;
            });

            it("validates and declares its pool, client and admin users in the component", () => {
                const component = only(registrations, TYPES.component);
                for (const type of [TYPES.userPool, TYPES.client]) {
                    assert.strictEqual(only(registrations, type).parent, component.urn, type);
                }
                const users = registrations.filter((r) => r.type === TYPES.user);
                assert.ok(users.length > 0, "no admin user");
                for (const user of users) assert.strictEqual(user.parent, component.urn, user.name);
            });

            it("keeps no plain-text secret in the file", () => {
                const text = fs.readFileSync(file, "utf8");
                assert.doesNotMatch(text, /(adminTemporaryPassword|temporaryPassword):[ \t]*[^\s{]/);
            });

            it("requires MFA (ON) with TOTP", () => {
                const pool = only(registrations, TYPES.userPool).inputs;
                assert.strictEqual(pool.mfaConfiguration, "ON");
                assert.deepStrictEqual(pool.softwareTokenMfaConfiguration, { enabled: true });
            });

            it("declares the pool its file describes: name, password policy, deletion protection", () => {
                const pool = only(registrations, TYPES.userPool).inputs;
                assert.strictEqual(pool.name, key("poolName"));
                const policy = { ...SEED_PASSWORD_POLICY, ...((key("passwordPolicy") as object | undefined) ?? {}) };
                assert.deepStrictEqual(pool.passwordPolicy, policy);
                assert.strictEqual(pool.deletionProtection, key("deletionProtection") ?? "ACTIVE");
            });

            it("protects every user it holds when it is production", () => {
                if (key("production") !== true) return;
                assert.strictEqual(only(registrations, TYPES.userPool).inputs.deletionProtection, "ACTIVE");
                const cognito = registrations.filter((r) => r.type.startsWith("aws:cognito/"));
                assert.ok(cognito.length >= 3);
                for (const resource of cognito) {
                    assert.deepStrictEqual([resource.name, resource.protect, resource.retainOnDelete], [resource.name, true, true]);
                }
            });

            it(`has a committed plan, ${PLANS_DIR}/${stack}.json, that matches what the program declares (rewrite with npm run plan:update)`, async () => {
                const runtime = await mockRuntime(stack);
                const plan = renderJson(await planStack(runtime, PROGRAM, readStackFile(file)));
                const planFile = path.join(ROOT, PLANS_DIR, `${stack}.json`);
                assert.ok(fs.existsSync(planFile), `there is no ${PLANS_DIR}/${stack}.json: run npm run plan:update`);
                assert.strictEqual(plan, fs.readFileSync(planFile, "utf8"));
            });
        });
    }

    it("has a plan for every stack file, and none for a stack without one", () => {
        const plans = fs.readdirSync(path.join(ROOT, PLANS_DIR)).filter((name) => name.endsWith(".json")).map((name) => name.slice(0, -5));
        assert.deepStrictEqual(plans.sort(), Object.keys(STACKS).sort());
    });
});
