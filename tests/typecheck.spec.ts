import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { nativeTsc } from "../tools/test/run.cjs";
import { ROOT, checkoutFiles } from "./support";

/**
 * The names a declaration file (`.d.cts`, from ROOT) gives a plain JavaScript module's runtime
 * exports: each `export declare const` and `export declare function`, sorted (interfaces and
 * other types are not exports at run time).
 */
function declaredExports(file: string): string[] {
    const text = fs.readFileSync(path.join(ROOT, file), "utf8");
    return [...text.matchAll(/^export declare (?:const|function) (\w+)/gm)].map((match) => match[1]).sort();
}

describe("the one type-check (TypeScript 7's tsc, as npm test runs it)", () => {
    let dir: string;
    /** The native tsc executable, as npm test starts it. */
    let tsc: string;
    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "typecheck-"));
        tsc = await nativeTsc();
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("is TypeScript 7.0.2, while `typescript` stays 5.9 for @pulumi/pulumi's peer range", async () => {
        const { stdout } = await promisify(execFile)(tsc, ["--version"]);
        assert.strictEqual(stdout.trim(), "Version 7.0.2");
        assert.strictEqual((JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", "typescript", "package.json"), "utf8")) as { version: string }).version, "5.9.3");
    });

    it("refuses, with the project's strict tsconfig, a wrong type, an implicit any and an unused local", async () => {
        fs.writeFileSync(path.join(dir, "bad.ts"), 'export const n: number = "8";\nexport function f(x) {\n    const unused = 1;\n    return x;\n}\n');
        fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ extends: path.join(ROOT, "tsconfig.json"), include: ["bad.ts"], compilerOptions: { rootDir: ".", types: [] } }));
        // As npm test runs it: in one thread, without Go's garbage collector (see tools/test/run.cjs).
        const result = await promisify(execFile)(tsc, ["--noEmit", "--singleThreaded", "-p", dir], { env: { ...process.env, GOGC: "off" } }).then(
            () => ({ code: 0, stdout: "" }),
            (error: { code: number; stdout: string }) => error,
        );
        assert.strictEqual(result.code, 1);
        assert.deepStrictEqual(
            result.stdout.trim().split("\n").map((line) => line.replace(/^.*bad\.ts/, "bad.ts")),
            [
                "bad.ts(1,14): error TS2322: Type 'string' is not assignable to type 'number'.",
                "bad.ts(2,19): error TS7006: Parameter 'x' implicitly has an 'any' type.",
                "bad.ts(3,11): error TS6133: 'unused' is declared but its value is never read.",
            ],
        );
    });

    it("sees, through each declaration file (.d.cts), exactly what its plain JavaScript module (.cjs) exports at run time", () => {
        const declarations = checkoutFiles().filter((file) => file.endsWith(".d.cts"));
        assert.notDeepStrictEqual(declarations, []);
        for (const declaration of declarations) {
            const module = path.join(ROOT, declaration.replace(/\.d\.cts$/, ".cjs"));
            assert.deepStrictEqual({ declaration, exports: Object.keys(require(module) as object).sort() }, { declaration, exports: declaredExports(declaration) });
        }
    });
});
