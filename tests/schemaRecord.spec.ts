// The record of what the component provider's analysis read (tools/contract/schemaInputs.ts), on a
// small tree of its own: every difference that could change what the analysis makes is named, so
// that tests/contract.spec.ts reads the committed schema only while there is none.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DEPENDED_ON, SCHEMA_RECORD_FILE } from "../tools/contract/schema";
import { SchemaInputs, recordReads, recordSchemaInputs, renderSchemaInputs, sha256, staleSchemaInputs } from "../tools/contract/schemaInputs";

describe("the record of what the schema's analysis read (tools/contract/schemaRecord.json)", () => {
    let root: string;
    let pkg: string;
    let schemaFile: string;
    let record: SchemaInputs;
    const SCHEMA = '{\n    "name": "p"\n}\n';

    const write = (file: string, text: string) => {
        fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        fs.writeFileSync(path.join(root, file), text);
    };
    const at = (file: string) => path.join(root, file);
    const stale = () => staleSchemaInputs(root, record, schemaFile);

    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), "schema-record-"));
        pkg = at("deploy/pkg");
        schemaFile = path.join(pkg, "schema.json");
        write("tsconfig.json", "{}\n");
        write("deploy/pkg/tsconfig.json", '{ "extends": "../../tsconfig.json" }\n');
        write("deploy/pkg/args.ts", "export interface Args { name: string }\n");
        write("deploy/pkg/package.json", '{ "name": "p" }\n');
        write("deploy/pkg/schema.json", SCHEMA);
        write("node_modules/lib/package.json", '{ "types": "index.d.ts" }\n');
        write("node_modules/lib/index.d.ts", "export type Name = string;\n");
        write("node_modules/.cache/entry.js", "cached\n");
        const files = ["tsconfig.json", "deploy/pkg/args.ts", "deploy/pkg/package.json", "deploy/pkg/tsconfig.json", "node_modules/lib/index.d.ts", "deploy/pkg/args.ts"];
        record = recordSchemaInputs(
            root,
            {
                files: [...files, "deploy/pkg/schema.json", "node_modules/lib/package.json", "node_modules/.cache/entry.js"].map(at).concat(path.join(os.tmpdir(), "elsewhere.d.ts")),
                absent: ["deploy/pkg/node_modules", "deploy/node_modules", "node_modules/lib/index.ts"].map(at).concat("/node_modules"),
                listed: [pkg],
            },
            SCHEMA,
            schemaFile,
        );
    });

    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    it("holds each file read once, by its path from the root, sorted, with its SHA-256; nothing outside the root, in node_modules/.cache, or the schema, which is apart by the hash of its text", () => {
        assert.deepStrictEqual(Object.keys(record.files), [
            "deploy/pkg/args.ts",
            "deploy/pkg/package.json",
            "deploy/pkg/tsconfig.json",
            "node_modules/lib/index.d.ts",
            "node_modules/lib/package.json",
            "tsconfig.json",
        ]);
        assert.strictEqual(record.files["deploy/pkg/args.ts"], sha256("export interface Args { name: string }\n"));
        assert.strictEqual(record.schema, sha256(SCHEMA));
        assert.strictEqual(sha256(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert.deepStrictEqual(JSON.parse(renderSchemaInputs(record)), record);
        assert.ok(renderSchemaInputs(record).endsWith("}\n"));
    });

    it("holds the paths found missing inside the root, sorted, and each folder listed with the hash of its names", () => {
        assert.deepStrictEqual(record.absent, ["deploy/node_modules", "deploy/pkg/node_modules", "node_modules/lib/index.ts"]);
        assert.deepStrictEqual(record.listed, { "deploy/pkg": sha256(["args.ts", "package.json", "schema.json", "tsconfig.json"].join("\n")) });
    });

    it("finds nothing stale while every file is as recorded", () => {
        assert.deepStrictEqual(stale(), []);
    });

    it("names an input that changed or is gone, in the package or in node_modules, a package.json among them", () => {
        write("deploy/pkg/args.ts", "export interface Args { name: number }\n");
        fs.rmSync(at("node_modules/lib/index.d.ts"));
        write("node_modules/lib/package.json", '{ "types": "lib.d.ts" }\n');
        write("tsconfig.json", '{ "compilerOptions": { "strict": false } }\n');
        assert.deepStrictEqual(stale(), ["deploy/pkg/args.ts: changed", "node_modules/lib/index.d.ts: gone", "node_modules/lib/package.json: changed", "tsconfig.json: changed"]);
    });

    it("names a schema edited by hand, or removed", () => {
        write("deploy/pkg/schema.json", SCHEMA.replace('"p"', '"q"'));
        assert.deepStrictEqual(stale(), ["deploy/pkg/schema.json: changed"]);
        fs.rmSync(schemaFile);
        assert.deepStrictEqual(stale(), ["deploy/pkg/schema.json: changed", "deploy/pkg/: entries added or removed"]);
    });

    it("names a file where the analysis found none (a node_modules TypeScript would resolve from first), and a listed folder with an entry more", () => {
        write("deploy/node_modules/lib/index.d.ts", "export type Name = number;\n");
        write("node_modules/lib/index.ts", "export type Name = number;\n");
        write("deploy/pkg/more.ts", "export const x = 1;\n");
        assert.deepStrictEqual(stale(), ["deploy/node_modules: new", "node_modules/lib/index.ts: new", "deploy/pkg/: entries added or removed"]);
        fs.rmSync(pkg, { recursive: true });
        assert.ok(stale().includes("deploy/pkg/: gone"));
    });

    it("records what a run reads, requires, finds missing and lists through the fs module, and stops recording when it ends", async () => {
        write("lib/mod.js", "module.exports = 1;\n");
        const realFs = require("fs") as typeof fs;
        const { value, reads } = await recordReads(async () => {
            realFs.readFileSync(at("tsconfig.json"), "utf8");
            realFs.existsSync(at("deploy/pkg/args.ts"));
            realFs.existsSync(at("missing.ts"));
            realFs.statSync(at("gone.d.ts"), { throwIfNoEntry: false });
            assert.throws(() => realFs.statSync(at("thrown.d.ts")), { code: "ENOENT" });
            realFs.readdirSync(pkg);
            return require(at("lib/mod.js")) as number;
        });
        realFs.readFileSync(at("deploy/pkg/args.ts"));
        realFs.existsSync(at("after.ts"));
        assert.strictEqual(value, 1);
        assert.deepStrictEqual(reads, { files: [at("tsconfig.json"), at("lib/mod.js")], absent: [at("missing.ts"), at("gone.d.ts"), at("thrown.d.ts")], listed: [pkg] });
    });

    it("as committed, holds what the package's analysis depends on: its files, @pulumi/aws's resource modules, the places a package could shadow them, and its folder's names", () => {
        const committed = JSON.parse(fs.readFileSync(SCHEMA_RECORD_FILE, "utf8")) as SchemaInputs;
        const files = Object.keys(committed.files);
        for (const file of [...DEPENDED_ON, "deploy/components/package.json", "deploy/components/tsconfig.json", "deploy/components/totpUserPoolArgs.ts", "node_modules/@pulumi/aws/cognito/userPool.js", "node_modules/@pulumi/aws/types/input.d.ts"]) {
            assert.ok(files.includes(file), file);
        }
        assert.ok(committed.absent.includes("deploy/components/node_modules") && committed.absent.includes("deploy/node_modules"));
        assert.deepStrictEqual(Object.keys(committed.listed), ["deploy/components"]);
        assert.ok([...files, ...committed.absent].every((file) => !file.startsWith("../") && !path.isAbsolute(file) && !file.startsWith("node_modules/.cache/")));
    });
});
