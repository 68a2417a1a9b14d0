import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ProgramRun, isWireSecret } from "../tools/mock/mockRuntime";
import {
    COMPONENT_URN,
    MOCK_CLIENT_ID as CLIENT_ID,
    MOCK_POOL_ID as POOL_ID,
    PROGRAM,
    ROOT,
    SEED_POLICY_INPUTS,
    TEST_PASSWORD,
    TYPES,
    childUrn,
    containsInPlainText,
    seedConfig,
    mockRuntime,
    only,
    withValues,
} from "./support";

const POOL_URN = childUrn(TYPES.userPool, "cognito-user-pool");
const CLIENT_URN = childUrn(TYPES.client, "cognito-app-client");
const USER_URN = childUrn(TYPES.user, "cognito-admin-user-admin");

/** Whether any value inside is a secret. */
function holdsSecret(value: unknown): boolean {
    if (isWireSecret(value)) return true;
    if (Array.isArray(value)) return value.some(holdsSecret);
    if (typeof value === "object" && value !== null) return Object.values(value).some(holdsSecret);
    return false;
}

describe("the post-deploy sign-in check (@pulumi/command, under mocks)", () => {
    let dev: ProgramRun;

    before(async () => {
        dev = await (await mockRuntime()).runProgram(PROGRAM, seedConfig());
    });

    it("is on in dev: one local.Command in the component, running the verifier", () => {
        const check = only(dev.registrations, TYPES.command);
        assert.strictEqual(check.name, "cognito-sign-in-check");
        assert.strictEqual(check.parent, COMPONENT_URN);
        assert.deepStrictEqual(check.inputs, {
            create: 'exec node -r ./deploy/typescript.cjs deploy/verifier/cli.ts --user-pool-id "$USER_POOL_ID" --client-id "$USER_POOL_CLIENT_ID" --region "$AWS_REGION"',
            environment: { USER_POOL_ID: POOL_ID, USER_POOL_CLIENT_ID: CLIENT_ID, AWS_REGION: "us-east-1" },
            triggers: [
                POOL_ID,
                "ON",
                { enabled: true },
                SEED_POLICY_INPUTS,
                CLIENT_ID,
                ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                false,
            ],
            logging: "stdoutAndStderr",
        });
    });

    it("runs the verifier as `npm run verify:signin` does (its script, exec'd), so that a signal to the process Pulumi starts reaches it", () => {
        const { scripts } = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
        const create = only(dev.registrations, TYPES.command).inputs.create as string;
        assert.strictEqual(create.slice(0, scripts["verify:signin"].length + 1), `${scripts["verify:signin"]} `);
        assert.match(scripts["verify:signin"], /^exec node /);
    });

    it("runs after the pool, the client and the admin user exist", () => {
        const check = only(dev.registrations, TYPES.command);
        assert.deepStrictEqual([...check.dependencies].sort(), [USER_URN, POOL_URN, CLIENT_URN].sort());
    });

    it("carries no secret, in plain text or otherwise", () => {
        const check = only(dev.registrations, TYPES.command);
        assert.strictEqual(holdsSecret(check.inputs), false);
        assert.strictEqual(containsInPlainText(check.inputs, TEST_PASSWORD), false);
    });

    it("is absent when verifySignIn is false or unset", async () => {
        const runtime = await mockRuntime();
        for (const value of ["false", undefined]) {
            const run = await runtime.runProgram(PROGRAM, withValues(seedConfig(), { verifySignIn: value }));
            assert.deepStrictEqual(run.registrations.filter((r) => r.type === TYPES.command), [], String(value));
            assert.strictEqual(run.registrations.filter((r) => r.type === TYPES.userPool).length, 1);
        }
    });

    it("passes the provider's Cognito endpoint and profile through, for an emulator stack", async () => {
        const config = seedConfig();
        const run = await (await mockRuntime()).runProgram(PROGRAM, {
            ...config,
            values: {
                ...config.values,
                "aws:endpoints": '[{"sts":"http://127.0.0.1:5000"},{"cognitoidp":"http://127.0.0.1:5000"}]',
                "aws:profile": "emulator",
            },
        });
        const check = only(run.registrations, TYPES.command);
        assert.strictEqual(
            check.inputs.create,
            'exec node -r ./deploy/typescript.cjs deploy/verifier/cli.ts --user-pool-id "$USER_POOL_ID" --client-id "$USER_POOL_CLIENT_ID" --region "$AWS_REGION" --endpoint-url "$COGNITO_ENDPOINT_URL"',
        );
        assert.deepStrictEqual(check.inputs.environment, {
            USER_POOL_ID: POOL_ID,
            USER_POOL_CLIENT_ID: CLIENT_ID,
            AWS_REGION: "us-east-1",
            COGNITO_ENDPOINT_URL: "http://127.0.0.1:5000",
            AWS_PROFILE: "emulator",
        });
    });
});
