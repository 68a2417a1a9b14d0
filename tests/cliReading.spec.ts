import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseCliYaml, parseYaml } from "../tools/plan/inputFiles";
import { object, objectList, text } from "../deploy/components/definition";
import { cliConfigKey, plainSecretPaths, readStackFile } from "../tools/mock/stackFile";

/**
 * The tools read a stack file as the Pulumi CLI does, or refuse it: where the two would read one
 * file differently, the offline plan would show one thing and `pulumi up` do another.
 */
describe("stack files read as the Pulumi CLI reads them", () => {
    let dir: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "cli-reading-"));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    /** Writes Pulumi.yaml (with this config block) and Pulumi.dev.yaml, and reads the stack file. */
    function read(stackText: string, projectConfig = "") {
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: cognito-totp\nruntime: nodejs\n${projectConfig}`);
        fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), stackText);
        return () => readStackFile(path.join(dir, "Pulumi.dev.yaml"));
    }

    it("reads the old key form <namespace>:config:<name> as <namespace>:<name>, over the project's value, as ParseKey and mergeConfig do", () => {
        const values = read("config:\n  aws:config:region: eu-west-1\n  cognito-totp:config:poolName: p\n", "config:\n  aws:region: us-east-1\n")().values;
        assert.deepStrictEqual({ ...values }, { "aws:region": "eu-west-1", "cognito-totp:poolName": "p" });
        assert.strictEqual(cliConfigKey("aws:region", "f"), "aws:region");
        assert.strictEqual(cliConfigKey("production", "f"), "production");
    });

    it("refuses two spellings of one key (the CLI keeps either), naming both, in the stack file and in Pulumi.yaml", () => {
        assert.throws(read("config:\n  cognito-totp:mfaConfiguration: ON\n  cognito-totp:config:mfaConfiguration: OPTIONAL\n"), {
            message: `${path.join(dir, "Pulumi.dev.yaml")}: cognito-totp:mfaConfiguration and cognito-totp:config:mfaConfiguration are the same config key cognito-totp:mfaConfiguration to the Pulumi CLI, which would keep either one: keep one of them`,
        });
        assert.throws(read("config: {}\n", "config:\n  production: true\n  cognito-totp:production: false\n"), {
            message: `${path.join(dir, "Pulumi.yaml")}: config: production and cognito-totp:production are the same config key cognito-totp:production to the Pulumi CLI, which would keep either one: keep one of them`,
        });
    });

    it("refuses a temporary password in plain text beside encrypted values in one key, which the CLI makes wholly secret, never showing it", () => {
        const users = (...entries: string[]) => `config:\n  cognito-totp:adminUsers:\n${entries.join("")}`;
        const secure = (name: string) => `    - username: ${name}\n      temporaryPassword:\n        secure: v1:AAAAciphertext==\n`;
        const plain = (name: string) => `    - username: ${name}\n      temporaryPassword: Plain-Passw0rd!${name}\n`;
        const file = path.join(dir, "Pulumi.dev.yaml");
        assert.throws(read(users(secure("alice"), plain("bob"), secure("carol"), plain("dave"))), {
            message:
                `${file}: cognito-totp:adminUsers holds adminUsers[1].temporaryPassword, adminUsers[3].temporaryPassword in plain text beside encrypted values: run ` +
                "`pulumi config set --secret --path 'adminUsers[1].temporaryPassword'`, `pulumi config set --secret --path 'adminUsers[3].temporaryPassword'`, " +
                "and remove the plain-text value from the stack file (value not shown: it is a secret)",
        });
        // Another value of the key encrypted makes it secret just the same.
        assert.throws(read(users(`    - username: erin\n      email:\n        secure: v1:AAAA==\n`, plain("frank"))), /adminUsers\[1\]\.temporaryPassword in plain text/);
        // All encrypted: read, for the CLI to decrypt. All plain: the program refuses the key (it is not a secret), with every other problem.
        assert.deepStrictEqual(read(users(secure("alice"), secure("bob")))().encryptedKeys, ["cognito-totp:adminUsers"]);
        assert.strictEqual(JSON.parse(read(users(plain("bob")))().values["cognito-totp:adminUsers"]).length, 1);
        // A key of another namespace is not this program's to judge.
        assert.deepStrictEqual(read(`config:\n  other:adminUsers:\n${secure("alice")}${plain("bob")}`)().encryptedKeys, ["other:adminUsers"]);
    });

    it("finds a secret setting's plain value at any depth, in objects and lists of objects, never in ciphertext or in what is not set", () => {
        const secure = { secure: "v1:AAAA==" };
        const inner = { name: "Inner", doc: "", fields: { name: text("a name"), key: text("a key", { secret: true }) } };
        const outer = object({ name: "Outer", doc: "", fields: { key: text("a key", { secret: true }), inner: object(inner, ""), list: objectList(inner, "") } }, "");
        assert.deepStrictEqual(plainSecretPaths(outer, { key: "plain", inner: { name: "n", key: "plain" }, list: [{ key: secure }, { key: "plain" }, null] }, "x"), [
            "x.key",
            "x.inner.key",
            "x.list[1].key",
        ]);
        assert.deepStrictEqual(plainSecretPaths(outer, { key: secure, inner: { key: secure }, list: [{ name: "n" }] }, "x"), []);
        assert.deepStrictEqual(plainSecretPaths(outer, { key: { secure: "v1:AAAA==", other: 1 } }, "x"), ["x.key"], "an object beside secure: is not ciphertext");
        assert.deepStrictEqual(plainSecretPaths(text("t", { secret: true }), null, "y"), []);
        assert.deepStrictEqual(plainSecretPaths(text("t"), "plain", "y"), []);
    });

    it("refuses a key with colons the CLI cannot parse", () => {
        assert.throws(read("config:\n  aws:x:region: eu-west-1\n"), {
            message: `${path.join(dir, "Pulumi.dev.yaml")}: aws:x:region is not a config key the Pulumi CLI can read: write <namespace>:<name>`,
        });
        assert.throws(() => cliConfigKey("aws:config:", "f"), { message: "f: aws:config: is not a config key the Pulumi CLI can read: write <namespace>:<name>" });
    });

    it("refuses a plain number that gopkg.in/yaml.v3 reads otherwise (octal 014, 1_4, 0b11), and reads quoted text and plain decimals", () => {
        for (const text of ["014", "-012", "1_4", "0b11"]) {
            assert.throws(() => parseCliYaml(`a: 1\npolicy:\n  minimumLength:   ${text}\n`, "f.yaml"), {
                message: `f.yaml:3:20: ${text} is a number the Pulumi CLI reads otherwise (a leading 0 is octal to it, _ and 0b are digits): write it in plain decimal, or quote it if it is text`,
            });
        }
        const fine = 'a: "014"\nb: 0\nc: 14\nd: 0.5\ne: 0123abc\nf: 0x1F\n';
        assert.deepStrictEqual(parseCliYaml(fine, "f.yaml"), { a: "014", b: 0, c: 14, d: 0.5, e: "0123abc", f: 31 });
        assert.deepStrictEqual(parseYaml("minimumLength: 014\n", "f.yaml"), { minimumLength: 14 }, "other YAML inputs (the acceptance file) are read as YAML 1.2");
    });

    it("reads the stack file and Pulumi.yaml through that check", () => {
        assert.throws(read("config:\n  cognito-totp:temporaryPasswordValidityDays: 010\n"), {
            message: `${path.join(dir, "Pulumi.dev.yaml")}:2:47: 010 is a number the Pulumi CLI reads otherwise (a leading 0 is octal to it, _ and 0b are digits): write it in plain decimal, or quote it if it is text`,
        });
        assert.throws(read("config: {}\n", "config:\n  cognito-totp:size: 010\n"), {
            message: `${path.join(dir, "Pulumi.yaml")}:4:22: 010 is a number the Pulumi CLI reads otherwise (a leading 0 is octal to it, _ and 0b are digits): write it in plain decimal, or quote it if it is text`,
        });
    });

    it("gives each reader of a text read before its own copy of the value, and the same error again", () => {
        const first = parseYaml("config:\n  a: [1]\n", "f.yaml") as { config: { a: number[] } };
        first.config.a.push(2);
        assert.deepStrictEqual(parseYaml("config:\n  a: [1]\n", "f.yaml"), { config: { a: [1] } });
        for (let i = 0; i < 2; i++) assert.throws(() => parseCliYaml("n: 014\n", "f.yaml"), { message: /^f\.yaml:1:4: 014 is a number the Pulumi CLI reads otherwise/ });
        // The same text, read as YAML and not as the CLI reads it: no error.
        assert.deepStrictEqual(parseYaml("n: 014\n", "f.yaml"), { n: 14 });
    });
});
