import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PLANS_DIR, planStack, renderJson } from "../program/plan";
import { Registration } from "../program/mockRuntime";
import { readStackFile, stackFilePaths } from "../program/stackFile";
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
                assert.doesNotMatch(text, /adminTemporaryPassword:\s*[^\s{]/);
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

        it("creates the pool and the admin user with Pulumi's protect option", () => {
            assert.strictEqual(only(registrations, TYPES.userPool).protect, true);
            assert.strictEqual(only(registrations, TYPES.user).protect, true);
            assert.strictEqual(only(registrations, TYPES.client).protect, false);
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

    it("dev and staging are not protected, so they can be torn down", async () => {
        for (const stack of ["dev", "staging"]) {
            const runtime = await mockRuntime(stack);
            const { registrations } = await runtime.runProgram(PROGRAM, readStackFile(STACKS[stack]));
            assert.strictEqual(only(registrations, TYPES.userPool).protect, false, stack);
        }
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
