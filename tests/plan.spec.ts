import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PLAN_NOTE, Plan, SECRET, STACK_TYPE, planStack, redact, renderJson, renderText } from "../tools/plan/plan";
import { StackFile, readStackFile } from "../tools/mock/stackFile";
import { PROGRAM, ROOT, TEST_PASSWORD, TYPES, mockRuntime } from "./support";

/**
 * A stack file like dev's, with the temporary password as `secure:` ciphertext, read from a
 * temporary folder that is removed before it returns.
 */
function encryptedStackFile(): StackFile {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
    try {
        const file = path.join(dir, "Pulumi.enc.yaml");
        const dev = fs.readFileSync(path.join(ROOT, "tests", "fixtures", "Pulumi.seed.yaml"), "utf8");
        fs.writeFileSync(
            file,
            `${dev}  cognito-totp:adminTemporaryPassword:\n    secure: v1:AAAAciphertext==\n` +
                "  cognito-totp:adminUsers:\n    - username: ops\n      temporaryPassword:\n        secure: v1:BBBBciphertext==\n",
        );
        return readStackFile(file);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

function resource(plan: Plan, type: string) {
    const found = plan.resources.filter((r) => r.type === type);
    assert.strictEqual(found.length, 1, type);
    return found[0];
}

describe("the offline plan", () => {
    it("shows encrypted temporary passwords as [secret], and neither their ciphertext nor a stand-in", async () => {
        const runtime = await mockRuntime();
        const plan = await planStack(runtime, PROGRAM, encryptedStackFile());
        const users = plan.resources.filter((r) => r.type === TYPES.user);
        assert.deepStrictEqual(
            users.map((user) => [user.name, user.inputs.temporaryPassword]),
            [
                ["cognito-admin-user-admin", SECRET],
                ["cognito-admin-user-ops", SECRET],
            ],
        );
        assert.deepStrictEqual(plan.resources.filter((r) => r.type === TYPES.randomPassword), []);
        const json = renderJson(plan);
        assert.doesNotMatch(json, /ciphertext|xxxxxxxx/);
        assert.strictEqual(plan.outputs.adminTemporaryPassword, undefined);
    });

    it("lists the stack, then the pool, client and user in registration order, the password as [secret] and ids unknown", async () => {
        const runtime = await mockRuntime();
        const plan = await planStack(runtime, PROGRAM, readStackFile(path.join(ROOT, "tests", "fixtures", "Pulumi.seed.yaml")));
        assert.strictEqual(plan.note, PLAN_NOTE);
        assert.deepStrictEqual(
            plan.resources.map((r) => [r.name, r.type, r.parent]),
            [
                ["cognito-totp-seed", STACK_TYPE, null],
                ["cognito", TYPES.component, "cognito-totp-seed"],
                ["cognito-admin-temporary-password-admin", TYPES.randomPassword, "cognito"],
                ["cognito-user-pool", TYPES.userPool, "cognito"],
                ["cognito-app-client", TYPES.client, "cognito"],
                ["cognito-admin-user-admin", TYPES.user, "cognito"],
                ["cognito-sign-in-check", TYPES.command, "cognito"],
            ],
        );
        assert.deepStrictEqual(
            plan.resources.map((r) => [r.name, r.options.dependsOn ?? [], r.inputDependencies ?? {}]).slice(4),
            [
                ["cognito-app-client", [], { userPoolId: ["cognito-user-pool"] }],
                ["cognito-admin-user-admin", [], { temporaryPassword: ["cognito-admin-temporary-password-admin"], userPoolId: ["cognito-user-pool"] }],
                [
                    "cognito-sign-in-check",
                    ["cognito-admin-user-admin"],
                    { environment: ["cognito-app-client", "cognito-user-pool"], triggers: ["cognito-app-client", "cognito-user-pool"] },
                ],
            ],
        );
        assert.deepStrictEqual(resource(plan, TYPES.user).inputs, {
            messageAction: "SUPPRESS",
            region: "us-east-1",
            temporaryPassword: SECRET,
            userPoolId: "[unknown: cognito-user-pool.id]",
            username: "admin",
        });
        assert.deepStrictEqual(plan.outputs, {
            adminTemporaryPassword: SECRET,
            adminUsername: "admin",
            adminUsernames: ["admin"],
            userPoolArn: "[unknown: cognito-user-pool.arn]",
            userPoolClientId: "[unknown: cognito-app-client.id]",
            userPoolEndpoint: "[unknown: cognito-user-pool.endpoint]",
            userPoolId: "[unknown: cognito-user-pool.id]",
        });
    });

    it("prints a tree of resources under the stack, with their options and a count, like pulumi preview", () => {
        const plan: Plan = {
            note: "A note.",
            project: "p",
            stack: "s",
            resources: [
                { urn: "u0", type: STACK_TYPE, name: "p-s", parent: null, options: {}, inputs: {} },
                { urn: "u1", type: "t:c:C", name: "c", parent: "p-s", options: {}, inputs: {} },
                { urn: "u2", type: "t:p:Pool", name: "pool", parent: "c", options: { protect: true, import: "id-1" }, inputs: { name: "x", policy: { min: 8 } } },
                { urn: "u3", type: "t:u:User", name: "user", parent: "c", options: { dependsOn: ["pool"] }, inputDependencies: { poolId: ["pool"] }, inputs: { password: SECRET } },
            ],
            outputs: { id: "[unknown: pool.id]" },
        };
        assert.strictEqual(
            renderText(plan),
            [
                "Offline plan for stack s (project p)",
                "  A note.",
                "",
                "     Type                 Name  Plan      Info",
                " +   pulumi:pulumi:Stack  p-s   create",
                " +   └─ t:c:C             c     create",
                " +      ├─ t:p:Pool       pool  create    [protect, import id-1]",
                " +      └─ t:u:User       user  create",
                "",
                "c (t:c:C)",
                "",
                "pool (t:p:Pool)",
                '    name: "x"',
                "    policy:",
                "        min: 8",
                "    (options):",
                "        protect: true",
                '        import: "id-1"',
                "",
                "user (t:u:User)",
                '    password: "[secret]"',
                "    (options):",
                '        dependsOn: ["pool"]',
                "    (inputs from):",
                '        poolId: ["pool"]',
                "",
                "Outputs:",
                '    id: "[unknown: pool.id]"',
                "",
                "Resources:",
                "    + 4 to create",
                "",
            ].join("\n"),
        );
    });

    it("redacts secrets and sorts keys at every depth, keeping list order", () => {
        const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: TEST_PASSWORD };
        assert.deepStrictEqual(
            JSON.stringify(redact({ b: [2, 1, { d: secret, c: 1 }], a: secret })),
            '{"a":"[secret]","b":[2,1,{"c":1,"d":"[secret]"}]}',
        );
    });
});
