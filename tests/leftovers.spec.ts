import * as assert from "assert";
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as loader from "../deploy/typescript.cjs";
import { main as benchMain } from "../tools/bench/bench";
import * as runner from "../tools/test/run.cjs";
import { CommandRun, ROOT, runInProcess, testGit, testGitInit } from "./support";

/** mocha's command line, which run.cjs starts in a node of its own. */
const MOCHA_CLI = path.join(ROOT, "node_modules", "mocha", "lib", "cli", "cli.js");

/** Whether this system has /proc, where run.cjs finds the processes of a run; without it, it finds none. */
const HAS_PROC = fs.existsSync("/proc/self/environ");

/** How a child process ended, once its output has all been read. */
function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return new Promise((resolve) => child.once("close", (code, signal) => resolve({ code, signal })));
}

describe("nothing is left behind", function () {
    this.timeout(30_000);
    /** An empty folder for each test, to serve as a temporary folder; removed after it. */
    let dir: string;

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "leftovers-"));
    });

    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    describe("npm test's check of what a run left (tools/test/run.cjs)", () => {
        it("starts mocha with .mocharc.json's options as flags, and every spec its globs match once, the slowest first", () => {
            const mocharc = JSON.parse(fs.readFileSync(path.join(ROOT, ".mocharc.json"), "utf8")) as { "node-option"?: string[]; spec: string[] };
            const command = runner.mochaCommand(["--grep", "x"]);
            const cli = command.indexOf(MOCHA_CLI);
            assert.deepStrictEqual(command.slice(0, cli), (mocharc["node-option"] ?? []).map((option) => `--${option}`));
            assert.deepStrictEqual(command.slice(cli + 1, cli + 2), ["--no-config"]);
            const specs = command.filter((arg) => arg.endsWith(".spec.ts"));
            const onDisk = ["tests", "tests/emulator"].flatMap((dir) => fs.readdirSync(path.join(ROOT, dir)).filter((name) => name.endsWith(".spec.ts")).map((name) => `${dir}/${name}`));
            assert.deepStrictEqual([...specs].sort(), onDisk.sort());
            assert.deepStrictEqual(specs.slice(0, runner.SLOWEST_FIRST.length), runner.SLOWEST_FIRST);
            assert.deepStrictEqual(command.slice(-2), ["--grep", "x"]);
        });

        it("gives each option as flags (a list as one flag an item, true and false as --name and --no-name), and skips a glob that matches nothing", () => {
            const config = { "node-option": ["liftoff-only"], spec: ["tests/generated.spec.ts", "tests/impact.spec.ts", "tests/none-*.spec.ts"], require: ["a", "b"], parallel: true, color: false, jobs: 2 };
            assert.deepStrictEqual(runner.mochaCommand([], config), [
                "--liftoff-only",
                MOCHA_CLI,
                "--no-config",
                ...["--require", "a", "--require", "b", "--parallel", "--no-color", "--jobs", "2"],
                "tests/impact.spec.ts",
                "tests/generated.spec.ts",
            ]);
        });

        it("warns as mocha does of a glob that matches nothing, and looks into subfolders only when recursive", () => {
            const warnings: string[] = [];
            const warn = (line: string) => warnings.push(line);
            assert.deepStrictEqual(runner.specOrder(["tests/none-*.spec.ts", "tests/emulator"], ["ts"], false, warn), [
                ...runner.SLOWEST_FIRST.filter((file) => file.startsWith("tests/emulator/")),
                ...fs.readdirSync(path.join(ROOT, "tests", "emulator")).filter((name) => name.endsWith(".ts") && !runner.SLOWEST_FIRST.includes(`tests/emulator/${name}`)).map((name) => `tests/emulator/${name}`),
            ]);
            assert.deepStrictEqual(warnings, ['Warning: Cannot find any files matching pattern "tests/none-*.spec.ts"']);
            fs.mkdirSync(path.join(dir, "sub"));
            fs.writeFileSync(path.join(dir, "a.spec.ts"), "");
            fs.writeFileSync(path.join(dir, "sub", "b.spec.ts"), "");
            const folder = path.relative(ROOT, dir);
            assert.deepStrictEqual(runner.specOrder([folder], ["ts"], true, warn), [path.join(folder, "a.spec.ts"), path.join(folder, "sub", "b.spec.ts")]);
            assert.deepStrictEqual(runner.specOrder([folder], ["ts"], false, warn), [path.join(folder, "a.spec.ts")]);
            assert.strictEqual(warnings.length, 1);
        });

        it("refuses a sort option, which would undo the slowest-first order, and passes recursive on", () => {
            assert.throws(() => runner.mochaCommand([], { spec: ["tests/generated.spec.ts"], sort: true }), {
                message: ".mocharc.json: sort is not for npm test, which starts the slowest specs first (SLOWEST_FIRST in tools/test/run.cjs)",
            });
            fs.mkdirSync(path.join(dir, "sub"));
            fs.writeFileSync(path.join(dir, "sub", "b.spec.ts"), "");
            const folder = path.relative(ROOT, dir);
            assert.deepStrictEqual(runner.mochaCommand([], { spec: [folder], extension: ["ts"], recursive: true }), [
                MOCHA_CLI,
                ...["--no-config", "--extension", "ts", "--recursive"],
                path.join(folder, "sub", "b.spec.ts"),
            ]);
        });

        it("lists the checkout's TypeScript files as git does, tracked and new, but not ignored ones, declarations or node_modules; none outside a repository", () => {
            testGitInit(dir);
            const files = ["index.ts", "types.d.ts", "script.js", "deploy/a.ts", "deploy/sub/b.ts", "node_modules/x/c.ts", "reports/d.ts", "new.ts"];
            for (const file of files) {
                fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
                fs.writeFileSync(path.join(dir, file), "export {};\n");
            }
            fs.writeFileSync(path.join(dir, ".gitignore"), "reports/\n");
            testGit(dir, "add", "--", "index.ts", "types.d.ts", "deploy", "node_modules");
            assert.deepStrictEqual(
                runner.projectTypeScript(dir),
                ["deploy/a.ts", "deploy/sub/b.ts", "index.ts", "new.ts"].map((file) => path.join(dir, file)),
            );
            fs.rmSync(path.join(dir, ".git"), { recursive: true });
            fs.mkdirSync(path.join(dir, "alone"));
            assert.deepStrictEqual(runner.projectTypeScript(path.join(dir, "alone")), []);
        });

        it("puts each file's JavaScript in the TypeScript loader's cache, passing over a file sucrase refuses or that is gone, until told to stop", async () => {
            const cache = path.join(dir, "cache");
            const [bad, good, later] = ["bad.ts", "good.ts", "later.ts"].map((name) => path.join(dir, name));
            fs.writeFileSync(bad, "export const = ;\n");
            fs.writeFileSync(good, "export const answer: number = 42;\n");
            fs.writeFileSync(later, "export const later: string = \"x\";\n");
            const asked: string[] = [];
            await runner.warmLoaderCache([bad, path.join(dir, "gone.ts"), good, later], cache, () => asked.push("stopped?") > 3);
            const entries = fs.readdirSync(cache);
            assert.deepStrictEqual([entries.length, asked.length], [1, 4]);
            assert.strictEqual(fs.readFileSync(path.join(cache, entries[0]), "utf8"), loader.cacheEntry(loader.javascript(good, path.join(dir, "elsewhere"))));
        });

        it("gives its processes glibc's huge pages for malloc, after the user's GLIBC_TUNABLES, whose own setting of a name wins", () => {
            assert.deepStrictEqual(runner.MALLOC_TUNABLES, { "glibc.malloc.hugetlb": "1" });
            const cases: [string | undefined, string][] = [
                [undefined, "glibc.malloc.hugetlb=1"],
                ["", "glibc.malloc.hugetlb=1"],
                ["glibc.malloc.check=3", "glibc.malloc.check=3:glibc.malloc.hugetlb=1"],
                ["glibc.malloc.hugetlb=0", "glibc.malloc.hugetlb=0"],
                ["glibc.malloc.check=3:glibc.malloc.hugetlb=0:", "glibc.malloc.check=3:glibc.malloc.hugetlb=0"],
                // Twice: kept as it is (glibc takes the last).
                ["glibc.malloc.hugetlb=0:glibc.malloc.hugetlb=2", "glibc.malloc.hugetlb=0:glibc.malloc.hugetlb=2"],
                // A name alone, or after a space, sets nothing in glibc, nor here.
                ["glibc.malloc.hugetlb", "glibc.malloc.hugetlb:glibc.malloc.hugetlb=1"],
                [" glibc.malloc.hugetlb=0", " glibc.malloc.hugetlb=0:glibc.malloc.hugetlb=1"],
            ];
            assert.deepStrictEqual(
                cases.map(([current]) => runner.withTunables(current)),
                cases.map(([, expected]) => expected),
            );
            assert.strictEqual(runner.withTunables("a.b=1", { "a.b": "2", "c.d": "3", "e.f": "4" }), "a.b=1:c.d=3:e.f=4");
        });

        it("starts its processes without the variables none of them uses (NODE_EXTRA_CA_CERTS), and with glibc's malloc settings, leaving the environment it was given as it was", () => {
            assert.deepStrictEqual(runner.UNUSED_ENV, ["NODE_EXTRA_CA_CERTS"]);
            const given = { PATH: "/usr/bin", NODE_EXTRA_CA_CERTS: "/etc/ssl/certs/proxy.pem", GLIBC_TUNABLES: "glibc.malloc.check=3" };
            assert.deepStrictEqual(runner.processEnv(given), { PATH: "/usr/bin", GLIBC_TUNABLES: "glibc.malloc.check=3:glibc.malloc.hugetlb=1" });
            assert.deepStrictEqual(given, { PATH: "/usr/bin", NODE_EXTRA_CA_CERTS: "/etc/ssl/certs/proxy.pem", GLIBC_TUNABLES: "glibc.malloc.check=3" });
            assert.deepStrictEqual(runner.processEnv({}), { GLIBC_TUNABLES: "glibc.malloc.hugetlb=1" });
        });

        it("reads from the mount table whether a folder is mounted noexec: the mount with the longest point that holds it, the later of two", () => {
            const table = [
                "22 1 0:21 / / rw,relatime - ext4 /dev/vda rw",
                "24 23 0:22 / /dev/shm rw,nosuid,nodev,noexec,relatime - tmpfs shm rw,size=65536k",
                "29 24 0:26 / /dev/shm rw,relatime - tmpfs tmpfs rw",
                "30 22 0:27 / /mnt/with\\040space rw,noexec - tmpfs tmpfs rw",
                "31 22 0:28 / /srv ro,noexec - tmpfs tmpfs rw",
                "",
            ].join("\n");
            assert.deepStrictEqual(
                ["/dev/shm", "/dev/shm/run", "/mnt/with space/x", "/srv", "/srv2", "/home", "/srv/a/b"].map((dir) => runner.mountedNoexec(dir, table)),
                [false, false, true, true, false, false, true],
            );
            assert.strictEqual(runner.mountedNoexec("/dev/shm", table.split("\n").slice(0, 2).join("\n")), true);
            assert.strictEqual(runner.mountedNoexec("/dev/shm", ""), false);
        });

        it("makes the run's temporary folder in TMPDIR when it is set, else in /dev/shm when that is a folder with the room, else in the system's", () => {
            assert.strictEqual(runner.runDirBase({ TMPDIR: "/var/tmp/runs/" }), "/var/tmp/runs");
            assert.strictEqual(runner.runDirBase({ TMPDIR: "/var/tmp/runs" }, dir, 1), "/var/tmp/runs");
            assert.strictEqual(runner.runDirBase({}, dir, 1), dir);
            assert.strictEqual(runner.runDirBase({}, dir, Number.MAX_SAFE_INTEGER), os.tmpdir());
            assert.strictEqual(runner.runDirBase({}, path.join(dir, "none"), 1), os.tmpdir());
            fs.writeFileSync(path.join(dir, "file"), "");
            assert.strictEqual(runner.runDirBase({}, path.join(dir, "file"), 1), os.tmpdir());
            assert.strictEqual(runner.runDirBase({ TMPDIR: "" }, dir, 1), dir);
            // A /dev/shm mounted noexec (Docker's) is passed over: the specs run programs they write there.
            assert.strictEqual(runner.runDirBase({}, dir, 1, `1 0 0:1 / ${dir} rw,noexec - tmpfs shm rw\n`), os.tmpdir());
            assert.strictEqual(runner.runDirBase({}, dir, 1, `1 0 0:1 / ${dir} rw,nosuid - tmpfs shm rw\n`), dir);
        });

        it("lists what is left in the run's temporary folder, as full paths in name order, and nothing in an empty one", () => {
            assert.deepStrictEqual(runner.leftovers(dir), []);
            fs.mkdirSync(path.join(dir, "plan-Ab12Cd"));
            fs.writeFileSync(path.join(dir, "impact-x.yaml"), "");
            assert.deepStrictEqual(runner.leftovers(dir), [path.join(dir, "impact-x.yaml"), path.join(dir, "plan-Ab12Cd")]);
        });

        it("finds a running process whose TMPDIR is the run's folder, and none once it has exited", async () => {
            const child = spawn("sleep", ["30"], { env: { ...process.env, TMPDIR: dir }, stdio: "ignore" });
            const end = exited(child);
            try {
                await new Promise((resolve, reject) => child.once("spawn", resolve).once("error", reject));
                assert.deepStrictEqual(runner.processesUsing(dir), HAS_PROC ? [{ pid: child.pid, command: "sleep 30" }] : []);
            } finally {
                child.kill("SIGTERM");
            }
            assert.deepStrictEqual(await end, { code: null, signal: "SIGTERM" });
            assert.deepStrictEqual(runner.processesUsing(dir), []);
        });

        it("fails a run with each folder and process it left, and passes one that left nothing", () => {
            assert.strictEqual(runner.leftBehindReport([], []), undefined);
            assert.strictEqual(
                runner.leftBehindReport(["/tmp/cognito-totp-test-1/plan-Ab12Cd", "/tmp/cognito-totp-test-1/prod-deps-Ef34Gh"], [{ pid: 4321, command: "sleep 30" }]),
                "npm test left 2 temporary file(s) or folder(s) behind. The spec or tool that made each (its name starts with the prefix it gave mkdtemp) " +
                    "must remove it, in an after hook or a finally:\n" +
                    "  /tmp/cognito-totp-test-1/plan-Ab12Cd\n" +
                    "  /tmp/cognito-totp-test-1/prod-deps-Ef34Gh\n" +
                    "npm test left 1 process(es) running, now sent SIGTERM. The spec that started each must stop it and wait for its exit:\n" +
                    "  4321 sleep 30",
            );
        });
    });

    describe("npm test, signalled: a process tree of its own (npm, run.cjs, tsc, mocha, moto)", () => {
        /**
         * A project whose `npm test` is this one's (package.json's test script, a copy of run.cjs, the
         * real TypeScript loader and moto seam, which run.cjs loads) over one spec that never ends:
         * in mocha's own process (one job, so no worker), it waits for the run's moto (when the run
         * started one), then writes its pid to the folder READY_DIR and hangs. The spec is
         * JavaScript, so mocha loads no TypeScript loader. With `fakeMoto`, the project's bin folder
         * holds a moto_server of its own (see {@link FAKE_MOTO}).
         */
        function project(at: string, fakeMoto: boolean): void {
            const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: { test: string } }).scripts;
            const files: Record<string, string> = {
                "package.json": JSON.stringify({ name: "signalled", private: true, scripts: { test: scripts.test } }),
                ".mocharc.json": JSON.stringify({ spec: ["hang.spec.js"], parallel: true, jobs: 1, timeout: 0 }),
                // No library and no @types, only the global types tsc cannot check without (globals.d.ts): tsc checks
                // x.ts in half the CPU that ES5's library alone takes (here 0.03 s to 0.06 s; with the default library and
                // every @types package, 0.6 s).
                "tsconfig.json": JSON.stringify({ compilerOptions: { strict: true, noEmit: true, noLib: true, types: [] }, files: ["globals.d.ts", "x.ts"] }),
                "globals.d.ts": ["Array<T>", "Boolean", "CallableFunction", "Function", "IArguments", "NewableFunction", "Number", "Object", "RegExp", "String"].map((type) => `interface ${type} {}\n`).join(""),
                "x.ts": "export const x: number = 1;\n",
                "tools/test/run.cjs": fs.readFileSync(path.join(ROOT, "tools", "test", "run.cjs"), "utf8"),
            };
            // It asks moto with Node's http module, not fetch, whose first call loads undici (some 50 ms of CPU).
            const hang = [
                'const fs = require("fs");',
                'const http = require("http");',
                'const answers = (url) => new Promise((resolve, reject) => http.request(url, { method: "HEAD", agent: false }, (r) => resolve(r.resume())).once("error", reject).end());',
                'it("hangs", async () => {',
                '    const endpoint = process.env.TEST_MOTO_ENDPOINT;',
                '    for (let tries = 0; endpoint && tries < 200; tries++) {',
                '        try { await answers(`${endpoint}/moto-api/`); break; } catch { await new Promise((r) => setTimeout(r, 100)); }',
                "    }",
                '    fs.writeFileSync(`${process.env.READY_DIR}/${process.pid}`, "");',
                '    setInterval(() => console.log("still hanging"), 100);',
                "    await new Promise(() => undefined);",
                "});",
            ].join("\n");
            files["hang.spec.js"] = hang;
            if (fakeMoto) files["bin/moto_server"] = FAKE_MOTO;
            for (const [name, text] of Object.entries(files)) {
                fs.mkdirSync(path.dirname(path.join(at, name)), { recursive: true });
                fs.writeFileSync(path.join(at, name), text, { mode: name.startsWith("bin/") ? 0o755 : 0o644 });
            }
            for (const link of ["deploy/typescript.cjs", "tests/motoServer.ts", "node_modules/mocha", "node_modules/typescript-native"]) {
                fs.mkdirSync(path.dirname(path.join(at, link)), { recursive: true });
                fs.symlinkSync(path.join(ROOT, link), path.join(at, link));
            }
        }

        /** The processes, but this one, whose environment holds `dir` (the run's TMPDIR is inside it), each with that environment. */
        function processesUnder(dir: string): { pid: number; environ: string }[] {
            return fs
                .readdirSync("/proc")
                .filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid)
                .flatMap((pid) => {
                    try {
                        const environ = fs.readFileSync(`/proc/${pid}/environ`, "latin1");
                        return environ.includes(`=${dir}`) ? [{ pid: Number(pid), environ }] : [];
                    } catch {
                        return [];
                    }
                });
        }

        /**
         * A moto_server for run.cjs to start, stop and wait for as it does the real one (found on PATH,
         * run with `-H <host> -p <port>`, polled over HTTP until it answers, killed by its pid): a
         * Node.js HTTP server that answers every request. What the case checks is run.cjs's
         * handling of its moto, so a stand-in serves, on every machine, moto installed or not, and
         * spares the real one's start (some 0.8 s of CPU, Python loading moto).
         */
        const FAKE_MOTO = [
            `#!${process.execPath}`,
            'const args = process.argv.slice(2);',
            'require("http").createServer((_, response) => response.end()).listen(Number(args[args.indexOf("-p") + 1]), args[args.indexOf("-H") + 1]);',
            "",
        ].join("\n");
        /** The folders on PATH that hold a moto_server (the real one, when it is installed): no case sees them. */
        const MOTO_BINS = (process.env.PATH ?? "").split(path.delimiter).filter((bin) => fs.existsSync(path.join(bin, "moto_server")));
        /** PATH without the folders that hold a moto_server, `bin` first where it is given. */
        const pathWithoutMoto = (bin?: string) => [...(bin ? [bin] : []), ...(process.env.PATH ?? "").split(path.delimiter).filter((folder) => !MOTO_BINS.includes(folder))].join(path.delimiter);

        /** A project (see {@link project}) in `dir`/`name`, with its empty folders for the ready signal and for TMPDIR. */
        function projectIn(name: string, fakeMoto: boolean): { at: string; ready: string; tmp: string } {
            const at = path.join(dir, name);
            project(at, fakeMoto);
            const folders = { at, ready: path.join(at, "ready"), tmp: path.join(at, "tmp") };
            fs.mkdirSync(folders.ready);
            fs.mkdirSync(folders.tmp);
            return folders;
        }

        /** Waits (40 s at most) until the project's hanging spec has written its pid to `ready`. */
        async function untilReady(ready: string): Promise<void> {
            const deadline = Date.now() + 40_000;
            while (fs.readdirSync(ready).length < 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
        }

        /** Waits (15 s at most) until no process under `tmp` runs; kills those still running, and returns their pids. */
        async function leftRunning(tmp: string): Promise<number[]> {
            const stopBy = Date.now() + 15_000;
            while (processesUnder(tmp).length > 0 && Date.now() < stopBy) await new Promise((resolve) => setTimeout(resolve, 100));
            const left = processesUnder(tmp).map(({ pid }) => pid);
            for (const pid of left) process.kill(pid, "SIGKILL");
            return left;
        }
        /**
         * npm passes SIGINT and SIGTERM on, and not SIGHUP; run.cjs, npm's child through `exec`, gets each the same way. One case runs
         * with a moto, the others without; one with a user's GLIBC_TUNABLES (a name glibc does not know, so it changes nothing) and
         * NODE_EXTRA_CA_CERTS (a file that is not there: Node.js 20 warns of it as npm starts, on an output the case ignores), the
         * others with neither.
         */
        const CASES = [
            { signal: "SIGINT", to: "npm", moto: true, tunables: "x.y=1", caCerts: "proxy-ca.pem" },
            { signal: "SIGHUP", to: "npm", moto: false, tunables: undefined, caCerts: undefined },
            { signal: "SIGTERM", to: "run.cjs", moto: false, tunables: undefined, caCerts: undefined },
        ] as const;

        (HAS_PROC ? it : it.skip)("stops every process and ends with 128 + the signal, whichever of npm and run.cjs is signalled; the mocha and moto it started had run.cjs's malloc settings, and no NODE_EXTRA_CA_CERTS", async function () {
            this.timeout(60_000);
            const results = await Promise.all(
                CASES.map(async ({ signal, to, moto, tunables, caCerts }) => {
                    const { at, ready, tmp } = projectIn(`${signal}-${to}`, moto);
                    // Through a shell, as a person or CI runs it: the shell reports the status npm ends with.
                    const shell = spawn("sh", ["-c", 'npm test & echo $! > npm.pid; wait $!; echo "exit $?" > status'], {
                        cwd: at,
                        env: {
                            ...process.env,
                            TMPDIR: tmp,
                            READY_DIR: ready,
                            CI: "",
                            GLIBC_TUNABLES: tunables,
                            NODE_EXTRA_CA_CERTS: caCerts && path.join(at, caCerts),
                            PATH: pathWithoutMoto(moto ? path.join(at, "bin") : undefined),
                        },
                        stdio: "ignore",
                    });
                    const end = exited(shell);
                    await untilReady(ready);
                    const npm = Number(fs.readFileSync(path.join(at, "npm.pid"), "utf8"));
                    // Each with its GLIBC_TUNABLES and NODE_EXTRA_CA_CERTS; one that has ended since it was listed (tsc, quick here) is passed over.
                    const running = processesUnder(tmp).flatMap(({ pid, environ }) => {
                        const variable = (name: string) => new RegExp(`(?:^|\\0)${name}=([^\\0]*)`).exec(environ)?.[1];
                        try {
                            return [{ pid, command: fs.readFileSync(`/proc/${pid}/cmdline`, "utf8"), tunables: variable("GLIBC_TUNABLES"), caCerts: variable("NODE_EXTRA_CA_CERTS") }];
                        } catch {
                            return [];
                        }
                    });
                    process.kill(to === "npm" ? npm : running.find(({ command }) => command.includes("tools/test/run.cjs"))!.pid, signal);
                    await end;
                    // Killed by SIGHUP, npm ends at once; run.cjs finds its parent gone and stops the rest.
                    const left = await leftRunning(tmp);
                    // What run.cjs started (npm, its shell and run.cjs start before run.cjs sets it): mocha, and moto where there is one.
                    const started = running.filter(({ command }) => /mocha\/lib\/cli\/cli\.js|moto_server/.test(command));
                    return {
                        signal,
                        to,
                        status: fs.readFileSync(path.join(at, "status"), "utf8").trim(),
                        workers: fs.readdirSync(ready).length,
                        moto: running.some(({ command }) => command.includes("moto_server")),
                        startedTunables: started.map((found) => found.tunables),
                        // npm had it, as given; what run.cjs started has none.
                        caCerts: [running.find(({ pid }) => pid === npm)?.caCerts, ...started.map((found) => found.caCerts)],
                        left,
                        tmp: fs.readdirSync(tmp),
                    };
                }),
            );
            const number = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };
            assert.deepStrictEqual(
                results,
                CASES.map(({ signal, to, moto, tunables, caCerts }) => ({
                    signal,
                    to,
                    status: `exit ${128 + number[signal]}`,
                    workers: 1,
                    moto,
                    startedTunables: Array(moto ? 2 : 1).fill(tunables ? `${tunables}:glibc.malloc.hugetlb=1` : "glibc.malloc.hugetlb=1"),
                    caCerts: [caCerts && path.join(dir, `${signal}-${to}`, caCerts), ...Array(moto ? 2 : 1).fill(undefined)],
                    left: [],
                    tmp: [],
                })),
            );
        });

        (HAS_PROC ? it : it.skip)("run.cjs left without a reader of its output (npm test | head) stops every process, as on SIGTERM, where a write that failed with EPIPE would have ended it and left them running", async function () {
            this.timeout(60_000);
            const { at, ready, tmp } = projectIn("output-gone", false);
            // run.cjs itself, its output a pipe this test closes once mocha runs (and prints a line every 100 ms).
            const child = spawn(process.execPath, ["tools/test/run.cjs"], {
                cwd: at,
                env: { ...process.env, TMPDIR: tmp, READY_DIR: ready, CI: "", PATH: pathWithoutMoto() },
                stdio: ["ignore", "pipe", "ignore"],
            });
            const end = exited(child);
            await untilReady(ready);
            child.stdout!.destroy();
            const { signal } = await end;
            const left = await leftRunning(tmp);
            assert.deepStrictEqual({ ready: fs.readdirSync(ready).length, signal, left, tmp: fs.readdirSync(tmp) }, { ready: 1, signal: "SIGTERM", left: [], tmp: [] });
        });
    });

    describe("npm run bench", () => {
        // One size of the scaling table, the smallest: the one part of the bench that makes a
        // temporary folder. The whole bench takes minutes; the commands it times are its only other
        // processes, each run with spawnSync, so each has ended before the next starts. The size runs
        // in this process, through bench.ts's main with the arguments the bench's own process for it
        // gets, and this test's folder as TMPDIR meanwhile: the Pulumi SDK and the bench's other
        // modules load once for the spec, not again in a process of its own.
        it("measuring one size (bench.ts --size 1) removes its bench- folder, and leaves no process", async () => {
            const tmpdir = process.env.TMPDIR;
            process.env.TMPDIR = dir;
            let run: CommandRun;
            try {
                run = await runInProcess(benchMain, ["--size", "1"]);
            } finally {
                if (tmpdir === undefined) delete process.env.TMPDIR;
                else process.env.TMPDIR = tmpdir;
            }
            const { status, stdout, stderr } = run;
            assert.deepStrictEqual({ status, stderr }, { status: 0, stderr: "" });
            const row = JSON.parse(stdout) as { users: number; resources: number; plan: unknown; mocks: unknown };
            // The count of resources follows Pulumi.dev.yaml, which is the team's to edit.
            assert.deepStrictEqual([row.users, Number.isInteger(row.resources) && row.resources > 0, typeof row.plan, typeof row.mocks], [1, true, "number", "number"]);
            assert.deepStrictEqual(fs.readdirSync(dir), []);
            assert.deepStrictEqual(runner.processesUsing(dir), []);
        });
    });
});
