// `npm test`: the one type-check (tsc --noEmit, strict) and the specs (mocha, in parallel
// workers, see .mocharc.json) side by side, so that both of this machine's cores work, with one
// moto server (the Cognito emulator) for all of mocha's workers, stopped at the end. mocha's
// report streams as it comes; tsc's, which is empty when all is well, follows it. At the end it
// names, again, the tests skipped because moto_server is missing, with their count.
"use strict";
const { spawn } = require("child_process");
const path = require("path");

const root = path.resolve(__dirname, "..", "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);

/** Runs a command; resolves to its exit status and, when `quiet`, what it printed. */
function run(command, args, quiet) {
    return new Promise((resolve) => {
        const child = spawn(command, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        for (const stream of [child.stdout, child.stderr]) {
            stream.on("data", (chunk) => {
                output += chunk;
                if (!quiet) (stream === child.stdout ? process.stdout : process.stderr).write(chunk);
            });
        }
        child.on("close", (status, signal) => resolve({ status: status ?? 128, signal, output }));
    });
}

(async () => {
    require("../../deploy/typescript.cjs");
    const { MotoServer, SHARED_MOTO_ENDPOINT, findMotoServer, freePort } = require("../../tests/motoServer.ts");
    const motoServer = findMotoServer();
    // tsc on one thread: slower alone, but it leaves the other core to mocha, which is the long pole.
    const tsc = path.join(root, "node_modules", "typescript", "lib", "tsc.js");
    const checking = run(process.execPath, ["--single-threaded", "--max-semi-space-size=32", tsc, "--noEmit"], true);
    // moto comes up while mocha's workers start: they wait for it (tests/moto.ts, sharedMoto).
    // Without moto, the specs that need it skip (or fail under CI=true) on their own.
    const port = motoServer ? await freePort() : undefined;
    if (port) process.env[SHARED_MOTO_ENDPOINT] = `http://127.0.0.1:${port}`;
    const moto = port ? MotoServer.start(motoServer, port) : undefined;
    let specs;
    try {
        specs = await run(bin("mocha"), process.argv.slice(2), false);
    } finally {
        (await moto?.catch(() => undefined))?.stop();
    }
    const typecheck = await checking;
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
    process.exitCode = typecheck.status !== 0 ? typecheck.status : specs.status;
})();
