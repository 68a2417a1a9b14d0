import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PLANS_DIR, planStack, renderJson } from "../tools/plan/plan";
import { Registration } from "../tools/mock/mockRuntime";
import { readStackFile, stackFilePaths } from "../tools/mock/stackFile";
import { PROGRAM, ROOT, TYPES, mockRuntime, only } from "./support";

const STACKS = stackFilePaths(ROOT);

describe("every stack file", () => {
    it("is one of dev, staging and prod", () => {
        assert.deepStrictEqual(Object.keys(STACKS), ["dev", "prod", "staging"]);
    });

    for (const [stack, file] of Object.entries(STACKS)) {
        describe(`Pulumi.${stack}.yaml`, () => {
            let registrations: readonly Registration[];

            before(async () => {
                const runtime = await mockRuntime(stack);
                registrations = (await runtime.runProgram(PROGRAM, readStackFile(file))).registrations;
            });

            it("validates and declares its pool, client and admin user in the component", () => {
                const component = only(registrations, TYPES.component);
                for (const type of [TYPES.userPool, TYPES.client, TYPES.user]) {
                    assert.strictEqual(only(registrations, type).parent, component.urn, type);
                }
            });

            it("keeps no plain-text secret in the stack file", () => {
                const text = fs.readFileSync(file, "utf8");
                assert.doesNotMatch(text, /(adminTemporaryPassword|temporaryPassword):[ \t]*[^\s{]/);
            });

            it("has an MFA of ON with TOTP", () => {
                const pool = only(registrations, TYPES.userPool).inputs;
                assert.strictEqual(pool.mfaConfiguration, "ON");
                assert.deepStrictEqual(pool.softwareTokenMfaConfiguration, { enabled: true });
            });
        });
    }

    describe("prod keeps its users", () => {
        let registrations: readonly Registration[];

        before(async () => {
            const runtime = await mockRuntime("prod");
            registrations = (await runtime.runProgram(PROGRAM, readStackFile(STACKS.prod))).registrations;
        });

        it("has deletion protection ACTIVE", () => {
            assert.strictEqual(only(registrations, TYPES.userPool).inputs.deletionProtection, "ACTIVE");
        });

        it("creates the pool and the admin user with Pulumi's protect and retainOnDelete options", () => {
            for (const type of [TYPES.userPool, TYPES.user]) {
                assert.strictEqual(only(registrations, type).protect, true, type);
                assert.strictEqual(only(registrations, type).retainOnDelete, true, type);
            }
            assert.strictEqual(only(registrations, TYPES.client).retainOnDelete, true);
        });

        it("allows no self sign-up, and asks for 14-character passwords", () => {
            const pool = only(registrations, TYPES.userPool).inputs;
            assert.deepStrictEqual(pool.adminCreateUserConfig, { allowAdminCreateUserOnly: true });
            assert.deepStrictEqual(pool.passwordPolicy, {
                minimumLength: 14,
                requireLowercase: true,
                requireUppercase: true,
                requireNumbers: true,
                requireSymbols: true,
                temporaryPasswordValidityDays: 3,
            });
        });
    });

    it("protect users as each environment should: every layer in prod, deletion protection in staging", async () => {
        const layers: Record<string, unknown> = {};
        for (const stack of Object.keys(STACKS)) {
            const runtime = await mockRuntime(stack);
            const { registrations } = await runtime.runProgram(PROGRAM, readStackFile(STACKS[stack]));
            const pool = only(registrations, TYPES.userPool);
            const user = only(registrations, TYPES.user);
            layers[stack] = {
                deletionProtection: pool.inputs.deletionProtection,
                pool: { protect: pool.protect, retainOnDelete: pool.retainOnDelete },
                adminUser: { protect: user.protect, retainOnDelete: user.retainOnDelete },
            };
        }
        const none = { protect: false, retainOnDelete: false };
        assert.deepStrictEqual(layers, {
            dev: { deletionProtection: "INACTIVE", pool: none, adminUser: none },
            prod: {
                deletionProtection: "ACTIVE",
                pool: { protect: true, retainOnDelete: true },
                adminUser: { protect: true, retainOnDelete: true },
            },
            staging: { deletionProtection: "ACTIVE", pool: none, adminUser: none },
        });
    });
});

describe("the committed offline plans", () => {
    for (const [stack, file] of Object.entries(STACKS)) {
        it(`${PLANS_DIR}/${stack}.json matches what the program declares (rewrite with npm run plan:update)`, async () => {
            const runtime = await mockRuntime(stack);
            const plan = renderJson(await planStack(runtime, PROGRAM, readStackFile(file)));
            const committed = fs.readFileSync(path.join(ROOT, PLANS_DIR, `${stack}.json`), "utf8");
            assert.strictEqual(plan, committed);
        });
    }
});
