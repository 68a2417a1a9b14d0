import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PLAN_LIMIT, YAML_LIMIT, parseYaml, readCommittedFile, readInputFile } from "../tools/plan/inputFiles";
import { PLAN_NOTE, Plan, REGION_FROM_ENVIRONMENT, SECRET, STACK_TYPE, planStack, redact, renderJson, renderText } from "../tools/plan/plan";
import { StackFile, readProjectFile, readStackFile, stackFilePaths } from "../tools/mock/stackFile";
import { PROGRAM, PROJECT, ROOT, TEST_PASSWORD, TYPES, mockRuntime, testGit, testGitInit } from "./support";

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

    it("gives every AWS resource the region its provider plans for it: aws:region, or unknown where the stack sets none", async () => {
        const seed = readStackFile(path.join(ROOT, "tests", "fixtures", "Pulumi.seed.yaml"));
        const regions = (plan: Plan) => [...new Set(plan.resources.filter((r) => r.type.startsWith("aws:")).map((r) => r.inputs.region))];
        assert.deepStrictEqual(regions(await planStack(await mockRuntime("seed"), PROGRAM, seed)), ["us-east-1"]);
        const values = Object.fromEntries(Object.entries(seed.values).filter(([key]) => key !== "aws:region"));
        // The program needs a region of its own (stackConfig); the plan's comes from the stack file: here, none.
        await assert.rejects(planStack(await mockRuntime("seed"), PROGRAM, { ...seed, values }), /aws:region: is required/);
        assert.strictEqual(REGION_FROM_ENVIRONMENT, "[unknown: aws:region is not set; the AWS provider takes AWS_REGION, AWS_DEFAULT_REGION or the profile's]");
    });

    it("stops at a custom resource type the force-new table does not know, naming it", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-type-"));
        try {
            const program = path.join(dir, "index.js");
            fs.writeFileSync(program, `const pulumi = require(${JSON.stringify(require.resolve("@pulumi/pulumi"))});\nnew pulumi.CustomResource("aws:s3/bucket:Bucket", "bucket", {});\n`);
            await assert.rejects(planStack(await mockRuntime("seed"), program, { stack: "seed", values: {}, secretKeys: [], encryptedKeys: [], encrypted: {} }), {
                message:
                    "bucket is of type aws:s3/bucket:Bucket, which the force-new table (tools/plan/forceNew.ts) does not know: add which of its inputs replace it, from its provider's ForceNew and RequiresReplace markers",
            });
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("what the Pulumi CLI reads of a project (stackFile.ts)", () => {
    let dir: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-project-"));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
    const write = (name: string, text: string) => fs.writeFileSync(path.join(dir, name), text);
    const stack = (config: string) => write("Pulumi.s.yaml", `config:\n${config}`);
    const values = () => readStackFile(path.join(dir, "Pulumi.s.yaml")).values;

    it("applies Pulumi.yaml's config block under the stack's own values: a default for the project's keys, a value for another namespace's", () => {
        write(
            "Pulumi.yaml",
            [
                `name: ${PROJECT}`,
                "config:",
                "  aws:region: us-west-2",
                "  poolName: from-project",
                "  selfSignUp: false",
                `  ${PROJECT}:adminUsername:`,
                "    type: string",
                "    default: root",
                "  verifySignIn:",
                "    value: true",
                "  groups: [a, b]",
                "",
            ].join("\n"),
        );
        stack(`  ${PROJECT}:poolName: from-stack\n`);
        assert.deepStrictEqual({ ...values() }, {
            [`${PROJECT}:poolName`]: "from-stack",
            "aws:region": "us-west-2",
            [`${PROJECT}:selfSignUp`]: "false",
            [`${PROJECT}:adminUsername`]: "root",
            [`${PROJECT}:verifySignIn`]: "true",
            [`${PROJECT}:groups`]: '["a","b"]',
        });
        stack("  aws:region: eu-west-1\n");
        assert.strictEqual(values()["aws:region"], "eu-west-1", "the stack's value wins");
        assert.strictEqual(readProjectFile(dir).name, PROJECT);
    });

    for (const [label, config, message] of [
        ["a project key with no value or default that the stack does not set", "  adminEmail:\n    type: string\n", `Pulumi.s.yaml: ${PROJECT}:adminEmail is required by <dir>/Pulumi.yaml: config ${PROJECT}:adminEmail, which gives it no value or default: set it in the stack file`],
        ["a stack value of another type than the project declares", "  poolName:\n    type: integer\n", `Pulumi.s.yaml: ${PROJECT}:poolName must be of type integer, as <dir>/Pulumi.yaml: config ${PROJECT}:poolName declares`],
        ["a secret the stack sets in plain text", "  poolName:\n    secret: true\n", `Pulumi.s.yaml: ${PROJECT}:poolName must be encrypted (pulumi config set --secret), as <dir>/Pulumi.yaml: config ${PROJECT}:poolName says it is secret`],
    ] as const) {
        it(`refuses ${label}`, () => {
            write("Pulumi.yaml", `name: ${PROJECT}\nconfig:\n${config}`);
            stack(`  ${PROJECT}:poolName: p\n`);
            assert.throws(() => values(), { message: `${path.join(dir, message.split(":")[0])}${message.slice(message.indexOf(":"))}`.replace(/<dir>/g, dir) });
        });
    }

    for (const [label, project, message] of [
        ["both a default and a value", "config:\n  poolName:\n    default: a\n    value: b\n", "<dir>/Pulumi.yaml: config poolName: cannot have both a default and a value"],
        ["a type for another namespace's key", "config:\n  aws:region:\n    type: string\n    value: x\n", "<dir>/Pulumi.yaml: config aws:region: a key of another namespace takes only a value (aws:region: <value>, or value: <value>), not a type or a default"],
        ["a default not of its type", "config:\n  size:\n    type: integer\n    default: big\n", "<dir>/Pulumi.yaml: config size: its default is not of the declared type integer"],
        ["an array without its items' type", "config:\n  names:\n    type: array\n", "<dir>/Pulumi.yaml: config names: an array declares the type of its items (items: {type: <type>})"],
        ["a key a declaration does not have", "config:\n  size:\n    defualt: 1\n", "<dir>/Pulumi.yaml: config size: defualt is not part of a config declaration (type, description, items, default, value, secret)"],
        ["a number that is not an integer", "config:\n  size: 1.5\n", "<dir>/Pulumi.yaml: config size: must be a text, an integer, a boolean, a list or a declaration (got 1.5)"],
        ["stackConfigDir", "stackConfigDir: stacks\n", "<dir>/Pulumi.yaml: stackConfigDir (or config: <dir>) moves the stack files, which these tools do not follow: keep Pulumi.<stack>.yaml beside Pulumi.yaml"],
        ["config: as a directory", "config: stacks\n", "<dir>/Pulumi.yaml: stackConfigDir (or config: <dir>) moves the stack files, which these tools do not follow: keep Pulumi.<stack>.yaml beside Pulumi.yaml"],
        ["main", "main: src/index.ts\n", "<dir>/Pulumi.yaml: main moves the program, which these tools do not follow: keep it in index.ts"],
        ["an !!omap", "config: !!omap\n  - a: 1\n", "<dir>/Pulumi.yaml:3:3: the tag !!omap is not plain YAML (core schema): write the value without it"],
    ] as const) {
        it(`refuses a Pulumi.yaml with ${label}`, () => {
            write("Pulumi.yaml", `name: ${PROJECT}\n${project}`);
            assert.throws(() => readProjectFile(dir), { message: message.replace("<dir>", dir) });
        });
    }

    it("refuses another project file the CLI would read first or instead, and an ESC environment in a stack file", () => {
        write("Pulumi.yaml", `name: ${PROJECT}\n`);
        write("Pulumi.yml", `name: other\n`);
        assert.throws(() => readProjectFile(dir), {
            message: `${path.join(dir, "Pulumi.yml")}: a project file other than Pulumi.yaml: the Pulumi CLI takes the first of Pulumi.json, Pulumi.yaml, Pulumi.yml, and these tools read only Pulumi.yaml: remove Pulumi.yml`,
        });
        fs.rmSync(path.join(dir, "Pulumi.yml"));
        write("Pulumi.s.yaml", "environment:\n  - shared\nconfig: {}\n");
        assert.throws(() => values(), { message: `${path.join(dir, "Pulumi.s.yaml")}: environment imports Pulumi ESC environments, whose config these tools cannot read: set the values in config: instead` });
    });

    it("reads only Pulumi.<stack>.yaml: a Pulumi.<stack>.yml beside it, or alone, is an error naming the files", () => {
        write("Pulumi.yaml", `name: ${PROJECT}\n`);
        write("Pulumi.dev.yaml", "config: {}\n");
        assert.deepStrictEqual({ ...stackFilePaths(dir) }, { dev: path.join(dir, "Pulumi.dev.yaml") });
        write("Pulumi.dev.yml", "config: {}\n");
        assert.throws(() => stackFilePaths(dir), {
            message: `${path.join(dir, "Pulumi.dev.yml")} beside ${path.join(dir, "Pulumi.dev.yaml")}: the Pulumi CLI reads only Pulumi.dev.yaml; merge Pulumi.dev.yml into it and remove Pulumi.dev.yml`,
        });
        fs.rmSync(path.join(dir, "Pulumi.dev.yaml"));
        assert.throws(() => stackFilePaths(dir), {
            message: `${path.join(dir, "Pulumi.dev.yml")}: the Pulumi CLI never reads it (a stack's file is Pulumi.dev.yaml): rename it to Pulumi.dev.yaml`,
        });
    });
});

describe("how the checkers read their inputs (inputFiles.ts)", () => {
    let dir: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-inputs-"));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("has the limits it documents: 1 MiB of YAML, 16 MiB for a plan", () => {
        assert.deepStrictEqual([YAML_LIMIT, PLAN_LIMIT], [1024 * 1024, 16 * 1024 * 1024]);
    });

    it("reads UTF-8 text only, and names a file that does not exist", () => {
        const file = path.join(dir, "latin1.yaml");
        fs.writeFileSync(file, Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]));
        assert.throws(() => readInputFile(file, 100), { message: `${file}: is not UTF-8 text` });
        assert.throws(() => readInputFile(path.join(dir, "none"), 100), { message: `cannot read ${path.join(dir, "none")}: ENOENT`, code: "ENOENT" });
    });

    it("parses YAML with the core schema: on, yes and 0o17 are what YAML 1.2 says, and !!set, !!binary or a custom tag is an error", () => {
        assert.deepStrictEqual(parseYaml("a: on\nb: yes\nc: 0o17\nd: 017\ne: ~\n", "F"), { a: "on", b: "yes", c: 15, d: 17, e: null });
        for (const [text, message] of [
            ["a: !!set\n  ? x\n", "F:2:3: the tag !!set is not plain YAML (core schema): write the value without it"],
            ["a: !!binary aGk=\n", "F:1:13: the tag !!binary is not plain YAML (core schema): write the value without it"],
            ["a: !!timestamp 2001-12-14\n", "F:1:16: the tag !!timestamp is not plain YAML (core schema): write the value without it"],
            ["a: *nowhere\n", "F: Unresolved alias (the anchor must be set before the alias): nowhere"],
        ]) {
            assert.throws(() => parseYaml(text, "F"), { message });
        }
    });

    it("reads a committed file from git: a regular file's text, undefined where there is none, an error for a symlink, a bad ref or a folder git cannot enter", () => {
        const repository = path.join(dir, "repository");
        fs.mkdirSync(repository);
        testGitInit(repository);
        fs.writeFileSync(path.join(repository, "a.yaml"), "a: 1\n");
        fs.symlinkSync("/dev/zero", path.join(repository, "zero.yaml"));
        testGit(repository, "add", "a.yaml", "zero.yaml");
        testGit(repository, "commit", "-q", "-m", "files");
        assert.strictEqual(readCommittedFile(repository, "HEAD", "a.yaml", 100), "a: 1\n");
        assert.strictEqual(readCommittedFile(repository, "HEAD", "none.yaml", 100), undefined);
        assert.throws(() => readCommittedFile(repository, "HEAD", "a.yaml", 3), { message: "HEAD:a.yaml: is 5 bytes, more than the 3 bytes this reads" });
        assert.throws(() => readCommittedFile(repository, "HEAD", "zero.yaml", 100), { message: "HEAD:zero.yaml: is not a regular file (git mode 120000, blob)" });
        assert.throws(() => readCommittedFile(repository, "nosuch", "a.yaml", 100), { message: "cannot read nosuch:a.yaml with git: nosuch is not a commit here" });
        assert.throws(() => readCommittedFile(repository, "HEAD^{tree}", "a.yaml", 100), { message: "cannot read HEAD^{tree}:a.yaml with git: HEAD^{tree} is not a commit here" });
        const missing = path.join(dir, "missing");
        assert.throws(() => readCommittedFile(missing, "HEAD", "a.yaml", 100), { message: `cannot read HEAD:a.yaml with git: fatal: cannot change to '${missing}': No such file or directory` });
        assert.throws(() => readCommittedFile(repository, "--output=x", "a.yaml", 100), { message: '--base-ref "--output=x" is not a git commit or branch name' });
    });

    it("reads a committed file from the folder it is given, a project inside a larger repository among them", () => {
        const repository = path.join(dir, "monorepo");
        fs.mkdirSync(path.join(repository, "infra", "plans"), { recursive: true });
        testGitInit(repository);
        fs.writeFileSync(path.join(repository, "infra", "plans", "a.yaml"), "in: infra\n");
        fs.mkdirSync(path.join(repository, "plans"));
        fs.writeFileSync(path.join(repository, "plans", "a.yaml"), "in: root\n");
        testGit(repository, "add", ".");
        testGit(repository, "commit", "-q", "-m", "files");
        assert.strictEqual(readCommittedFile(path.join(repository, "infra"), "HEAD", "plans/a.yaml", 100), "in: infra\n");
        assert.strictEqual(readCommittedFile(repository, "HEAD", "plans/a.yaml", 100), "in: root\n");
    });
});
