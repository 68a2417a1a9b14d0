// `npm test`: the one type-check (TypeScript 7's tsc --noEmit, strict) and the specs (mocha, in parallel
// workers, see .mocharc.json) side by side, so that both of this machine's cores work, with one
// moto server (the Cognito emulator) for all of mocha's workers, stopped at the end; before mocha
// starts, it fills the TypeScript loader's cache (see warmLoaderCache). mocha's report streams as
// it comes; tsc's, which is empty when all is well, follows it. At the end it names, again, the
// tests skipped because moto_server is missing, with their count.
//
// Nothing may outlive the run. Every process it starts gets a temporary folder of the run's own
// (TMPDIR, TMP and TEMP), so os.tmpdir() in every spec points into it; it is made in TMPDIR when
// that is set, else in /dev/shm where that has room, else in os.tmpdir() (see runDirBase). Once
// all has ended, the run fails if that folder is not empty, naming each entry, or if a process
// that inherited that environment still runs, naming it and stopping it. Either way the folder is then removed.
// Interrupted (SIGINT, SIGTERM, SIGHUP), it passes the signal on to tsc and mocha, stops moto, waits
// for its processes (mocha's workers among them), removes the folder and ends as the signal would
// have ended it: killed by it, an exit status of 128 + its number. When the reader of its output
// goes away (`npm test | head`), it does the same as on SIGTERM.
//
// A signal sent to the npm process must reach it too. npm 11 passes SIGINT and SIGTERM on to its
// script's process, and nothing else (@npmcli/run-script, lib/signal-manager.js), and that process
// is `sh -c <script>`: dash, /bin/sh on Debian and Ubuntu, neither passes a signal on nor replaces
// itself with the command (checked with a process tree: npm -> sh -> node). So package.json's test
// script starts this file with `exec`, which makes it npm's own child. A SIGHUP sent to npm (or a
// SIGKILL) ends npm alone: this process then finds its parent gone and stops as if sent SIGHUP.
"use strict";
const { execFileSync, spawn } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");
const url = require("url");

const root = path.resolve(__dirname, "..", "..");
/** mocha's command-line modules: cli.js, which run.cjs starts, and lookup-files.js, with which it finds the specs. */
const MOCHA_CLI_DIR = path.join(root, "node_modules", "mocha", "lib", "cli");
/**
 * The specs that take longest, in a run of npm test: mocha's workers take the spec files in the
 * order given, so these start first, and no long one is left to run alone while the other worker
 * has finished (a run's wall time about 5% less than in the globs' order). Those that spend
 * seconds waiting with the cores idle, on moto, a timeout or a signalled process (tests/emulator's),
 * alternate with those that keep a core busy, so that, as the run starts at least, while one
 * worker's spec waits, the other's works (a run's wall time about 3% less than longest first: two
 * sets of paired runs, medians 0.970 and 0.972). Only an order: every spec the globs of
 * .mocharc.json match runs, these among them.
 */
const SLOWEST_FIRST = [
    "tests/emulator/checkInterrupted.spec.ts",
    "tests/impact.spec.ts",
    "tests/emulator/checkFails.spec.ts",
    "tests/leftovers.spec.ts",
    "tests/emulator/recover.spec.ts",
    "tests/docs.spec.ts",
    "tests/emulator/operations.spec.ts",
    "tests/workflows.spec.ts",
    "tests/emulator/firstSignIn.spec.ts",
    "tests/cliLoaders.spec.ts",
    "tests/emulator/firstSignInTerminal.spec.ts",
    "tests/documentedEdits.spec.ts",
    "tests/emulator/productionDependencies.spec.ts",
    "tests/shapes.spec.ts",
];

/**
 * The spec files that `globs` (.mocharc.json's `spec`) match, as mocha finds them (its own
 * lookupFiles, from the repository's root, into subfolders when `recursive`), each once: those of
 * SLOWEST_FIRST first, in its order, then the others in the globs' order. Paths from the root. A
 * glob that matches nothing adds nothing, and `warn` gets mocha's own warning for it.
 */
function specOrder(globs, extensions, recursive = false, warn = (line) => process.stderr.write(`${line}\n`)) {
    const lookupFiles = require(path.join(MOCHA_CLI_DIR, "lookup-files.js"));
    const matches = (glob) => {
        try {
            return [lookupFiles(path.join(root, glob), extensions, recursive)].flat();
        } catch (error) {
            // As mocha: a glob that matches nothing adds nothing, with a warning (a run left with no spec fails).
            if (error.code !== "ERR_MOCHA_NO_FILES_MATCH_PATTERN") throw error;
            warn(`Warning: Cannot find any files matching pattern "${glob}"`);
            return [];
        }
    };
    const found = [...new Set(globs.flatMap(matches).map((file) => path.relative(root, file)))];
    return [...SLOWEST_FIRST.filter((file) => found.includes(file)), ...found.filter((file) => !SLOWEST_FIRST.includes(file))];
}

/**
 * How to start mocha: its cli.js, in a node given .mocharc.json's node options, which mocha's
 * workers inherit (what `mocha`, bin/mocha.js, does on seeing node options, by starting a second
 * node; starting cli.js directly spares that process), with .mocharc.json's other options as flags
 * and its specs in specOrder's order, in place of the file (`--no-config`: mocha would add the
 * file's specs to those given). `args` follow: a spec given there runs as well. A `sort` option is
 * refused: it would undo the order.
 */
function mochaCommand(args, config = JSON.parse(fs.readFileSync(path.join(root, ".mocharc.json"), "utf8")), warn) {
    const { "node-option": nodeOptions = [], spec = [], ...options } = config;
    if (options.sort) throw new Error(".mocharc.json: sort is not for npm test, which starts the slowest specs first (SLOWEST_FIRST in tools/test/run.cjs)");
    const flags = Object.entries(options).flatMap(([name, value]) =>
        typeof value === "boolean" ? [value ? `--${name}` : `--no-${name}`] : [value].flat().flatMap((item) => [`--${name}`, String(item)]),
    );
    const specs = specOrder([spec].flat(), [options.extension ?? []].flat(), options.recursive === true, warn);
    return [...nodeOptions.map((option) => `--${option}`), path.join(MOCHA_CLI_DIR, "cli.js"), "--no-config", ...flags, ...specs, ...args];
}
/**
 * The path of TypeScript 7's native tsc executable (package typescript-native), found as its bin
 * script finds it, by its lib/getExePath.js: started directly, it spares that script's node
 * process, which on Node.js 20 waits for it (on 22.15 and later it replaces itself with it).
 * getExePath.js is an ES module, loaded here with import(), which this file, plain JavaScript that
 * no loader rewrites, keeps as it is on every Node.js that package.json's engines admit.
 */
async function nativeTsc() {
    const { default: getExePath } = await import(url.pathToFileURL(path.join(root, "node_modules", "typescript-native", "lib", "getExePath.js")).href);
    return getExePath();
}
/**
 * The files of the checkout in `dir` that match `pathspecs` (all, with none), as git lists them:
 * tracked, and new ones that .gitignore does not exclude (ignored folders, such as reports/ or a
 * virtual environment, are never walked). Paths from `dir`, as git gives them; a tracked file
 * deleted in the working tree among them. Throws, with git's message, where git cannot list them
 * (no git, or `dir` in no repository); prints nothing.
 */
function gitListedFiles(dir, ...pathspecs) {
    return execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", ...pathspecs], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })
        .split("\0")
        .filter((file) => file !== "");
}

/**
 * The checkout's TypeScript files, as git lists them in `dir` (see gitListedFiles); declarations
 * (.d.ts) and anything in a node_modules folder aside. Absolute paths, sorted. None where git
 * cannot list them: the list only speeds a run up (see warmLoaderCache), so a run never fails over it.
 */
function projectTypeScript(dir = root) {
    let listed;
    try {
        listed = gitListedFiles(dir, "*.ts");
    } catch {
        return [];
    }
    return listed
        .filter((file) => !file.endsWith(".d.ts") && !file.split("/").includes("node_modules"))
        .map((file) => path.join(dir, file))
        .sort();
}

/**
 * Puts the JavaScript of each of `files` in the TypeScript loader's cache (deploy/typescript.cjs,
 * in `cacheDir`), where it is not already, one file a turn of the event loop, until `stopped()`
 * says the run was interrupted. npm test does it before mocha starts, while tsc and moto start: on
 * a fresh clone its workers would otherwise each load sucrase and transform the files themselves,
 * and under .mocharc.json's --max-opt=1 sucrase runs about twice as slow as here, with V8's
 * optimizing compilers (here about 1.7 s of the workers' CPU for some 120 files, against about
 * 1 s of this process's CPU, 0.6 s of wall time; with the cache full, some 40 ms). A file that is
 * gone, or that sucrase refuses, is passed over: a spec that loads it fails there, with the error.
 */
async function warmLoaderCache(files, cacheDir, stopped = () => false) {
    const { javascript } = require("../../deploy/typescript.cjs");
    for (const file of files) {
        if (stopped()) return;
        try {
            javascript(file, cacheDir);
        } catch {
            // Left for the spec that loads it to report.
        }
        await new Promise((resolve) => setImmediate(resolve));
    }
}
/** The prefix of the run's temporary folder, in the system's temporary folder. */
const RUN_DIR_PREFIX = "cognito-totp-test-";
/** Linux's memory-backed folder (a tmpfs), where a run's temporary folder goes if it has room. */
const SHM_DIR = "/dev/shm";
/** The room SHM_DIR must have free to hold a run's folder: far more than a run writes (some MB), far less than a host's tmpfs (half its memory). */
const SHM_MIN_FREE = 1024 ** 3;

/** This process's mount table (Linux's /proc/self/mountinfo), or "" where there is none. */
function readMountinfo() {
    try {
        return fs.readFileSync("/proc/self/mountinfo", "utf8");
    } catch {
        return "";
    }
}

/**
 * Whether the file system that holds `dir` (absolute, without symbolic links) is mounted noexec,
 * by `mountinfo` (the format of /proc/self/mountinfo: the mount point is its fifth field, with
 * octal escapes, its options the sixth): the mount whose point is the longest prefix of `dir`, the
 * later of two at one point. False where the table says nothing of it.
 */
function mountedNoexec(dir, mountinfo = readMountinfo()) {
    let found;
    for (const line of mountinfo.split("\n")) {
        const fields = line.split(" ");
        if (fields.length < 6) continue;
        const point = fields[4].replace(/\\([0-7]{3})/g, (_, octal) => String.fromCharCode(parseInt(octal, 8)));
        const holds = dir === point || dir.startsWith(point.endsWith("/") ? point : `${point}/`);
        if (holds && (!found || point.length >= found.point.length)) found = { point, options: fields[5].split(",") };
    }
    return found?.options.includes("noexec") ?? false;
}

/**
 * The folder a run makes its temporary folder in: TMPDIR when it is set (the user's choice);
 * otherwise `shm` when it is a folder this process may write with `minFree` bytes free (a
 * container's default /dev/shm of 64 MiB is not) and may run programs from (Docker mounts its
 * /dev/shm noexec, and specs run stand-in programs they write in their temporary folders), since
 * the specs make thousands of files and git objects there, which a tmpfs creates for far less CPU
 * than a disk's file system (here, npm test's system CPU time 6 s on ext4 and 3.7 s on tmpfs);
 * otherwise os.tmpdir(). `mountinfo` is the mount table (see mountedNoexec).
 */
function runDirBase(env = process.env, shm = SHM_DIR, minFree = SHM_MIN_FREE, mountinfo = readMountinfo()) {
    if (env.TMPDIR) return path.resolve(env.TMPDIR);
    try {
        fs.accessSync(shm, fs.constants.W_OK);
        const { bavail, bsize } = fs.statfsSync(shm);
        if (fs.statSync(shm).isDirectory() && bavail * bsize >= minFree && !mountedNoexec(fs.realpathSync(shm), mountinfo)) return shm;
    } catch {
        // No such folder, or not ours to write.
    }
    return os.tmpdir();
}
/**
 * glibc's malloc settings for the processes the run starts (GLIBC_TUNABLES, read by each as it
 * starts; npm and this process started before it is set): transparent huge pages for the memory
 * malloc takes from the kernel (glibc.malloc.hugetlb=1, in glibc 2.35 and later: it asks for them
 * with madvise, which is all a kernel whose THP mode is "madvise", this machine's, waits for).
 * Node.js compiles and parses into malloc's memory, so each process takes some 2 MiB pages in
 * place of hundreds of 4 KiB ones, each a page fault, costly in a virtual machine: here a third
 * fewer page faults for the library-load floor (some 28,000 to 17,500), and npm test about 5% less
 * wall time and 3% less CPU. Where the kernel's THP mode is "always" (huge pages already) or
 * "never", or the C library is not glibc, nothing changes.
 */
const MALLOC_TUNABLES = { "glibc.malloc.hugetlb": "1" };

/**
 * GLIBC_TUNABLES for the run's processes: `current` (the user's, `name=value` items joined by
 * colons; empty items dropped), then each of `tunables` whose name it does not set. A setting of
 * the user's wins; a name without `=` sets nothing, to glibc as here.
 */
function withTunables(current, tunables = MALLOC_TUNABLES) {
    const items = (current ?? "").split(":").filter((item) => item !== "");
    const named = new Set(items.filter((item) => item.includes("=")).map((item) => item.slice(0, item.indexOf("="))));
    return [...items, ...Object.entries(tunables).filter(([name]) => !named.has(name)).map(([name, value]) => `${name}=${value}`)].join(":");
}

/**
 * Variables of the environment that the processes a run starts go without, because none of them
 * needs what it names. NODE_EXTRA_CA_CERTS names a file of certificates that Node.js trusts for TLS
 * besides its own (a host behind a TLS-inspecting proxy sets it; this machine's names the system's
 * bundle, 144 certificates). Where it is set, Node.js 20 builds its store of trusted certificates,
 * its own and the file's, as each process starts, TLS or not (nodejs/node#40524): here some 43 ms
 * of CPU a process (`node -e 0` 0.121 s, 0.078 s without it), in each of the some 30 node
 * processes of a run. Node.js 24 does it only once a process loads `tls` (nodejs/node#59856), and
 * it costs nothing there. No process of npm test needs it: moto, the fault proxy and the stand-ins
 * answer plain HTTP on loopback, and the one HTTPS request that can happen, the update check of an
 * npm that a spec starts (about once a week), ignores its own failure. npm test on Node.js 20 takes
 * about 5% less wall time and 4% less CPU without it (8 paired runs).
 */
const UNUSED_ENV = ["NODE_EXTRA_CA_CERTS"];

/**
 * The environment of the processes a run starts, made from `env` (which is left as it is):
 * GLIBC_TUNABLES with MALLOC_TUNABLES (see withTunables), and none of UNUSED_ENV.
 */
function processEnv(env) {
    const made = { ...env, GLIBC_TUNABLES: withTunables(env.GLIBC_TUNABLES) };
    for (const name of UNUSED_ENV) delete made[name];
    return made;
}

/** How long the processes of a finished run get to exit before they count as left behind. */
const EXIT_GRACE_MS = 5_000;

/** The entries left in `dir`, as full paths, sorted. */
function leftovers(dir) {
    return fs
        .readdirSync(dir)
        .sort()
        .map((name) => path.join(dir, name));
}

/**
 * The processes (but this one) whose environment has TMPDIR set to `dir`: those a run started,
 * directly or not, with `dir` as their temporary folder, wherever they were reparented since. It
 * reads /proc, so it finds none where there is no /proc (macOS).
 */
function processesUsing(dir) {
    const marker = `\0TMPDIR=${dir}\0`;
    let pids;
    try {
        pids = fs.readdirSync("/proc").filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid);
    } catch {
        return [];
    }
    const found = [];
    for (const pid of pids) {
        try {
            if (`\0${fs.readFileSync(`/proc/${pid}/environ`, "latin1")}`.includes(marker)) {
                found.push({ pid: Number(pid), command: fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim() });
            }
        } catch {
            // It ended while we looked, or it is not ours to read.
        }
    }
    return found.sort((a, b) => a.pid - b.pid);
}

/** What a finished run left behind, as the message that fails it, or `undefined` when it left nothing. */
function leftBehindReport(paths, processes) {
    const lines = [];
    if (paths.length > 0) {
        lines.push(
            `npm test left ${paths.length} temporary file(s) or folder(s) behind. The spec or tool that made each (its name starts ` +
                "with the prefix it gave mkdtemp) must remove it, in an after hook or a finally:",
            ...paths.map((entry) => `  ${entry}`),
        );
    }
    if (processes.length > 0) {
        lines.push(
            `npm test left ${processes.length} process(es) running, now sent SIGTERM. The spec that started each must stop it and wait for its exit:`,
            ...processes.map(({ pid, command }) => `  ${pid} ${command}`),
        );
    }
    return lines.length > 0 ? lines.join("\n") : undefined;
}

/** The id of this process's parent now (Linux: /proc; elsewhere the one it had at its start). */
function parentPid() {
    try {
        return Number(/^PPid:\s*(\d+)/m.exec(fs.readFileSync("/proc/self/status", "utf8"))[1]);
    } catch {
        return process.ppid;
    }
}

/**
 * Calls `onGone` once when this process's parent has ended (it was reparented), checking every
 * `everyMs`; the check keeps no process alive. Returns a function that stops the checks.
 */
function watchParent(onGone, everyMs = 250) {
    const parent = parentPid();
    const timer = setInterval(() => {
        if (parentPid() === parent) return;
        clearInterval(timer);
        onGone();
    }, everyMs);
    timer.unref();
    return () => clearInterval(timer);
}

/** The processes of `run` that still run; spawned ones, so that a signal can be passed on to them. */
const children = new Set();

/** Runs a command, with `env` added to this process's environment; resolves to its exit status and, when `quiet`, what it printed. */
function run(command, args, quiet, env = {}) {
    return new Promise((resolve) => {
        const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
        children.add(child);
        let output = "";
        for (const stream of [child.stdout, child.stderr]) {
            stream.on("data", (chunk) => {
                output += chunk;
                const out = stream === child.stdout ? process.stdout : process.stderr;
                // Not to an output whose reader has gone away (see main): the write failed and destroyed it.
                if (!quiet && !out.destroyed) out.write(chunk);
            });
        }
        child.on("close", (status, signal) => {
            children.delete(child);
            resolve({ status: status ?? 128, signal, output });
        });
    });
}

/** Waits until no process uses `dir` as its temporary folder, or `ms` have passed; resolves to those still running. */
async function settled(dir, ms) {
    const deadline = Date.now() + ms;
    for (;;) {
        const running = processesUsing(dir);
        if (running.length === 0 || Date.now() > deadline) return running;
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
}

async function main() {
    const runDir = fs.mkdtempSync(path.join(runDirBase(), RUN_DIR_PREFIX));
    for (const name of ["TMPDIR", "TMP", "TEMP"]) process.env[name] = runDir;
    // npm on Node.js 22 and later turns on Node's compile cache (module.enableCompileCache), which
    // goes to os.tmpdir()/node-compile-cache unless NODE_COMPILE_CACHE names a folder: a cache, not
    // a leftover of a test, so it is kept with the others in node_modules/.cache.
    process.env.NODE_COMPILE_CACHE = path.join(__dirname, "..", "..", "node_modules", ".cache", "node-compile-cache");
    // Every process the run starts inherits this one's environment.
    const environment = processEnv(process.env);
    for (const name of Object.keys(process.env)) if (!(name in environment)) delete process.env[name];
    Object.assign(process.env, environment);
    let interrupted;
    let moto;
    let motoStopped = false;
    /** Stops the run's moto server, once, whenever it has started; a server that never came up needs no stop. */
    const stopMoto = async () => {
        const server = await moto?.catch(() => undefined);
        if (server && !motoStopped) {
            motoStopped = true;
            server.stop();
        }
    };
    const onSignal = (signal) => {
        interrupted ??= signal;
        for (const child of children) child.kill(signal);
        stopMoto();
    };
    const signals = ["SIGINT", "SIGTERM", "SIGHUP"];
    for (const signal of signals) process.on(signal, onSignal);
    // The reader of the output may go away (`npm test | head`). Node.js ignores SIGPIPE, so a write
    // then fails with EPIPE, which would end this process there and leave moto running: the run
    // stops instead, as on SIGTERM, and writes nothing more to that output.
    const onOutputError = (error) => {
        if (error.code !== "EPIPE") throw error;
        onSignal("SIGTERM");
    };
    for (const stream of [process.stdout, process.stderr]) stream.on("error", onOutputError);
    const unwatch = watchParent(() => onSignal("SIGHUP"));
    let status = 1;
    try {
        require("../../deploy/typescript.cjs");
        const { MotoServer, SHARED_MOTO_ENDPOINT, findMotoServer, freePort } = require("../../tests/motoServer.ts");
        const motoServer = findMotoServer();
        // TypeScript 7's native tsc (package typescript-native): the same strict check as 5.9's in a
        // tenth of the CPU, which leaves the cores to mocha, the long pole. 5.9 stays for the
        // Pulumi CLI's policy runner, which loads it through ts-node. Its executable is started
        // directly (see nativeTsc).
        const tsc = await nativeTsc();
        // One thread: it shares the cores with mocha anyway, and its threads' coordination alone
        // costs a third more CPU. Incremental, with its state in node_modules/.cache (which
        // `npm ci` empties): a run after a small change checks in about half the time. Without Go's
        // garbage collector (GOGC=off): what the checker allocates stays live until it exits, so
        // each collection marked it all again to free little (here 2.2 s of CPU with it, 1.65 s
        // without, for 25 MB more at the peak, some 300 MB).
        const incremental = ["--incremental", "--tsBuildInfoFile", path.join(root, "node_modules", ".cache", "tsc", "tsbuildinfo")];
        const checking = run(tsc, ["--noEmit", "--singleThreaded", ...incremental], true, { GOGC: "off" });
        // moto comes up while mocha's workers start: they wait for it (tests/moto.ts, sharedMoto).
        // Without moto, the specs that need it skip (or fail under CI=true) on their own.
        const port = motoServer ? await freePort() : undefined;
        if (port) process.env[SHARED_MOTO_ENDPOINT] = `http://127.0.0.1:${port}`;
        moto = port ? MotoServer.start(motoServer, port) : undefined;
        // The TypeScript loader's cache is filled while tsc and moto start, before mocha's workers need it.
        await warmLoaderCache(projectTypeScript(), undefined, () => interrupted !== undefined);
        const specs = interrupted ? { status: 1, output: "" } : await run(process.execPath, mochaCommand(process.argv.slice(2)), false);
        await stopMoto();
        moto = undefined;
        const typecheck = await checking;
        if (interrupted) return;
        if (typecheck.status !== 0) {
            process.stdout.write(`\ntsc --noEmit failed (exit ${typecheck.status}):\n${typecheck.output}`);
        } else {
            process.stdout.write("tsc --noEmit: no type errors\n");
        }
        const pending = Number(/(\d+) pending/.exec(specs.output)?.[1] ?? 0);
        if (!motoServer && pending > 0) {
            process.stdout.write(
                `\n!!! ${pending} tests were SKIPPED: moto_server is not on PATH, so nothing ran against the Cognito emulator.\n` +
                    '!!! Install it (pip install "moto[server]"), or see docs/troubleshooting.md. Under CI=true they fail instead.\n',
            );
        }
        status = typecheck.status !== 0 ? typecheck.status : specs.status;
        // Processes first: moto, stopped above, takes a moment to exit, and a process may still be removing its files.
        const processes = await settled(runDir, EXIT_GRACE_MS);
        const report = leftBehindReport(leftovers(runDir), processes);
        if (report) {
            process.stdout.write(`\n${report}\n`);
            if (status === 0) status = 1;
        }
    } finally {
        await stopMoto();
        for (const { pid } of await settled(runDir, interrupted ? EXIT_GRACE_MS : 0)) {
            try {
                process.kill(pid, "SIGTERM");
            } catch {
                // Already gone.
            }
        }
        fs.rmSync(runDir, { recursive: true, force: true });
        unwatch();
        for (const signal of signals) process.off(signal, onSignal);
        if (interrupted) process.kill(process.pid, interrupted);
        process.exitCode = status;
    }
}

module.exports = { SLOWEST_FIRST, MALLOC_TUNABLES, withTunables, UNUSED_ENV, processEnv, nativeTsc, specOrder, mochaCommand, gitListedFiles, projectTypeScript, warmLoaderCache, mountedNoexec, runDirBase, leftovers, processesUsing, leftBehindReport };

if (require.main === module) main();
