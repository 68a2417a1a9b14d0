import * as assert from "assert";
import { execFile } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { transform } from "sucrase";
import * as loader from "../deploy/typescript.cjs";

describe("the TypeScript loader (deploy/typescript.cjs) and its cache", () => {
    let dir: string;
    let file: string;
    let cache: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "loader-"));
        file = path.join(dir, "example.ts");
        cache = path.join(dir, "cache");
        fs.writeFileSync(file, 'import * as path from "path";\nexport const base: string = path.basename("/a/b.ts");\n');
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const sucrase = (source: string) => transform(source, { ...loader.OPTIONS, filePath: file }).code;

    it("removes types and makes imports CommonJS, and leaves what Node.js 20 runs itself (?., ??, class fields) as written", () => {
        assert.deepStrictEqual(loader.OPTIONS, { transforms: ["typescript", "imports"], disableESTransforms: true });
        const code = transform("export class A { x: number = 1; f(a?: { b?: number }) { return a?.b ?? 2; } }", { ...loader.OPTIONS, filePath: file }).code;
        assert.match(code, /x = 1;/);
        assert.match(code, /return a\?\.b \?\? 2;/);
        assert.doesNotMatch(code, /_optionalChain|_nullishCoalesce/);
    });

    it("keeps its cache in node_modules/.cache/sucrase-register", () => {
        assert.strictEqual(loader.CACHE_DIR, path.resolve(__dirname, "..", "node_modules", ".cache", "sucrase-register"));
    });

    it("gives sucrase's JavaScript, and writes it to one cache entry, whole, after a line with its sha256", () => {
        const code = sucrase(fs.readFileSync(file, "utf8"));
        assert.strictEqual(loader.javascript(file, cache), code);
        const entries = fs.readdirSync(cache);
        assert.strictEqual(entries.length, 1);
        assert.match(entries[0], /^[0-9a-f]{64}\.js$/);
        assert.strictEqual(fs.readFileSync(path.join(cache, entries[0]), "utf8"), `// sha256 ${createHash("sha256").update(code).digest("hex")}\n${code}`);
        assert.strictEqual(loader.cacheEntry(code), fs.readFileSync(path.join(cache, entries[0]), "utf8"));
    });

    it("reads an unchanged file's entry instead of transforming it again", () => {
        loader.javascript(file, cache);
        const [entry] = fs.readdirSync(cache);
        fs.writeFileSync(path.join(cache, entry), loader.cacheEntry("/* from the cache */"));
        assert.strictEqual(loader.javascript(file, cache), "/* from the cache */");
    });

    it("reads that entry for the same source at another path (a copy of the checkout), and makes another for other source", () => {
        loader.javascript(file, cache);
        const [entry] = fs.readdirSync(cache);
        fs.writeFileSync(path.join(cache, entry), loader.cacheEntry("/* from the cache */"));
        const copy = path.join(dir, "copy", path.basename(file));
        fs.mkdirSync(path.dirname(copy));
        fs.copyFileSync(file, copy);
        assert.strictEqual(loader.javascript(copy, cache), "/* from the cache */");
        fs.appendFileSync(copy, "\nexport const other = 1;\n");
        assert.strictEqual(loader.javascript(copy, cache), sucrase(fs.readFileSync(copy, "utf8")));
        assert.strictEqual(fs.readdirSync(cache).length, 2);
    });

    describe("an entry that is not whole is discarded and made again, never run", () => {
        const spoilt: [string, (entry: string) => string][] = [
            ["cut short (a full disk, a killed process)", (entry) => entry.slice(0, Math.floor(entry.length / 2))],
            ["cut short at a line's end, still valid JavaScript", (entry) => entry.slice(0, entry.lastIndexOf("\n", entry.length - 2) + 1)],
            ["empty", () => ""],
            ["one character changed", (entry) => entry.replace("basename", "basenamf")],
            ["without its header (written by an older loader)", (entry) => entry.slice(entry.indexOf("\n") + 1)],
            ["with a header for other code", (entry) => loader.cacheEntry("module.exports = 1;").split("\n")[0] + entry.slice(entry.indexOf("\n"))],
        ];
        for (const [what, spoil] of spoilt) {
            it(`an entry ${what}`, () => {
                const code = loader.javascript(file, cache);
                const entry = path.join(cache, fs.readdirSync(cache)[0]);
                fs.writeFileSync(entry, spoil(fs.readFileSync(entry, "utf8")));
                assert.strictEqual(loader.javascript(file, cache), code);
                assert.strictEqual(fs.readFileSync(entry, "utf8"), loader.cacheEntry(code), "made again, whole");
                assert.deepStrictEqual(fs.readdirSync(cache), [path.basename(entry)]);
            });
        }

        it("an entry that is a folder: the file still loads, uncached", () => {
            const code = loader.javascript(file, cache);
            const entry = path.join(cache, fs.readdirSync(cache)[0]);
            fs.rmSync(entry);
            fs.mkdirSync(entry);
            assert.strictEqual(loader.javascript(file, cache), code);
            assert.ok(fs.statSync(entry).isDirectory());
            assert.deepStrictEqual(fs.readdirSync(cache), [path.basename(entry)], "nothing left beside it");
        });
    });

    it("names the file in a syntax error", () => {
        fs.writeFileSync(file, "export const broken: = 1;\n");
        assert.throws(() => loader.javascript(file, cache), { message: `Error transforming ${file}: Unexpected token (1:22)` });
        assert.deepStrictEqual(fs.existsSync(cache) ? fs.readdirSync(cache) : [], []);
    });

    it("transforms a changed file afresh, into an entry of its own", () => {
        loader.javascript(file, cache);
        fs.appendFileSync(file, "export const more: number = 1;\n");
        assert.strictEqual(loader.javascript(file, cache), sucrase(fs.readFileSync(file, "utf8")));
        assert.strictEqual(fs.readdirSync(cache).length, 2);
    });

    it("still loads where the cache cannot be written, and leaves nothing there", () => {
        const blocked = path.join(dir, "a-file");
        fs.writeFileSync(blocked, "");
        assert.strictEqual(loader.javascript(file, path.join(blocked, "cache")), sucrase(fs.readFileSync(file, "utf8")));
        assert.deepStrictEqual(fs.readdirSync(dir).sort(), ["a-file", "example.ts"]);
    });

    it("is what require uses for .ts files", () => {
        const required = require(file) as { base: string };
        assert.strictEqual(required.base, "b.ts");
    });

    describe("@pulumi/pulumi's TypeScript compiler, loaded on first use", () => {
        it("stands in for the shim until a property is read, then hands over to the real module", () => {
            const shim = path.join(dir, "typescript-shim.js");
            fs.writeFileSync(shim, "globalThis.__shimLoads = (globalThis.__shimLoads ?? 0) + 1;\nmodule.exports = { version: '5.9.3', SyntaxKind: { Identifier: 80 } };\n");
            const loads = () => (globalThis as { __shimLoads?: number }).__shimLoads;
            try {
                assert.strictEqual(loader.deferPulumiTypeScript(() => shim), shim);
                const standIn = require(shim) as { version: string; SyntaxKind: { Identifier: number } };
                assert.strictEqual(loads(), undefined);
                assert.deepStrictEqual([standIn.version, standIn.SyntaxKind.Identifier, "version" in standIn, Object.keys(standIn), loads()], ["5.9.3", 80, true, ["version", "SyntaxKind"], 1]);
                assert.strictEqual((require(shim) as { version: string }).version, "5.9.3");
                assert.strictEqual(loads(), 1);
                assert.strictEqual(loader.deferPulumiTypeScript(() => shim), undefined, "a shim already loaded is left alone");
            } finally {
                delete require.cache[shim];
                delete (globalThis as { __shimLoads?: number }).__shimLoads;
            }
        });

        it("changes nothing where @pulumi/pulumi is not installed", () => {
            assert.strictEqual(
                loader.deferPulumiTypeScript(() => {
                    throw Object.assign(new Error("Cannot find module"), { code: "MODULE_NOT_FOUND" });
                }),
                undefined,
            );
        });

        it("with the real shim: the compiler loads only when read, and is TypeScript itself", async () => {
            const script = [
                'const shim = require(require.resolve("@pulumi/pulumi/typescript-shim"));',
                'const loaded = () => Object.keys(require.cache).some((file) => file.endsWith("/typescript/lib/typescript.js"));',
                "const before = loaded();",
                'console.log(JSON.stringify([before, shim.version === require("typescript").version, typeof shim.createSourceFile, loaded()]));',
            ].join("\n");
            const stdout = await new Promise<string>((resolve, reject) =>
                execFile(process.execPath, ["-r", "./deploy/typescript.cjs", "-e", script], { cwd: path.resolve(__dirname, "..") }, (error, out) => (error ? reject(error) : resolve(out))),
            );
            assert.deepStrictEqual(JSON.parse(stdout), [false, true, "function", true]);
        });
    });
});
