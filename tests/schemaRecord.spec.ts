// The record of what the component provider's analysis read (tools/contract/schemaInputs.ts), on a
// small tree of its own: every difference that could change what the analysis makes is named, so
// that tests/contract.spec.ts reads the committed schema only while there is none.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { SchemaInputs, recordSchemaInputs, renderSchemaInputs, sha256, staleSchemaInputs } from "../tools/contract/schemaInputs";

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
    const stale = () => staleSchemaInputs(root, record, pkg, schemaFile);

    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), "schema-record-"));
        pkg = path.join(root, "deploy", "pkg");
        schemaFile = path.join(pkg, "schema.json");
        write("tsconfig.json", "{}\n");
        write("deploy/pkg/tsconfig.json", '{ "extends": "../../tsconfig.json" }\n');
        write("deploy/pkg/args.ts", "export interface Args { name: string }\n");
        write("deploy/pkg/package.json", '{ "name": "p" }\n');
        write("deploy/pkg/schema.json", SCHEMA);
        write("node_modules/lib/index.d.ts", "export type Name = string;\n");
        const inputs = ["tsconfig.json", ...fs.readdirSync(pkg).map((name) => `deploy/pkg/${name}`), "node_modules/lib/index.d.ts", "deploy/pkg/args.ts"];
        record = recordSchemaInputs(root, inputs.map((file) => path.join(root, file)), SCHEMA, schemaFile);
    });

    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    it("holds each input once, by its path from the root, sorted, with its SHA-256; the schema apart, by the hash of its text", () => {
        assert.deepStrictEqual(Object.keys(record.files), ["deploy/pkg/args.ts", "deploy/pkg/package.json", "deploy/pkg/tsconfig.json", "node_modules/lib/index.d.ts", "tsconfig.json"]);
        assert.strictEqual(record.files["deploy/pkg/args.ts"], sha256("export interface Args { name: string }\n"));
        assert.strictEqual(record.schema, sha256(SCHEMA));
        assert.strictEqual(sha256(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert.deepStrictEqual(JSON.parse(renderSchemaInputs(record)), record);
        assert.ok(renderSchemaInputs(record).endsWith("}\n"));
    });

    it("finds nothing stale while every file is as recorded", () => {
        assert.deepStrictEqual(stale(), []);
    });

    it("names an input that changed or is gone, in the package or in node_modules", () => {
        write("deploy/pkg/args.ts", "export interface Args { name: number }\n");
        fs.rmSync(path.join(root, "node_modules", "lib", "index.d.ts"));
        write("tsconfig.json", '{ "compilerOptions": { "strict": false } }\n');
        assert.deepStrictEqual(stale(), ["deploy/pkg/args.ts: changed", "node_modules/lib/index.d.ts: gone", "tsconfig.json: changed"]);
    });

    it("names a schema edited by hand, or removed", () => {
        write("deploy/pkg/schema.json", SCHEMA.replace('"p"', '"q"'));
        assert.deepStrictEqual(stale(), ["deploy/pkg/schema.json: changed"]);
        fs.rmSync(schemaFile);
        assert.deepStrictEqual(stale(), ["deploy/pkg/schema.json: changed"]);
    });

    it("names a new file or folder in the package's folder, a node_modules there among them", () => {
        write("deploy/pkg/more.ts", "export const x = 1;\n");
        write("deploy/pkg/node_modules/lib/index.d.ts", "export type Name = number;\n");
        assert.deepStrictEqual(stale(), ["deploy/pkg/more.ts: new", "deploy/pkg/node_modules: new"]);
    });

    it("names a node_modules between the package and the root, which TypeScript would resolve packages from first", () => {
        write("deploy/node_modules/lib/index.d.ts", "export type Name = number;\n");
        assert.deepStrictEqual(stale(), ["deploy/node_modules: new"]);
    });
});
