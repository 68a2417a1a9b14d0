// Loads the program, or the policy pack, the way the Pulumi CLI does, under Pulumi's mocks, and
// exits once it is loaded: the program's resources registered, or the pack's gRPC server
// listening. It calls the CLI's own loaders in @pulumi/pulumi/cmd (run/run.js for a program,
// run-policy-pack/run.js for a pack), with the settings the language host derives from
// Pulumi.yaml; `npm run bench` starts it with the node arguments Pulumi.yaml gives, and times it.
//
//   node [nodeargs] tools/bench/cliLoad.cjs program <stack>
//   node tools/bench/cliLoad.cjs pack
//
// It is JavaScript so that nothing but the CLI's own settings registers a TypeScript loader.
"use strict";
const path = require("path");

const root = path.resolve(__dirname, "..", "..");
const cmd = path.join(root, "node_modules", "@pulumi", "pulumi", "cmd");
const [mode, stack] = process.argv.slice(2);

/** The exit status of the CLI's program loader after it logged an error (run/index.js). */
const EXITED_AFTER_LOGGING = 32;

/** Keeps a loader's sibling index.js, whose top level parses process.argv and runs, out of the way. */
function stubIndex(dir) {
    const index = require.resolve(path.join(dir, "index.js"));
    require.cache[index] = { id: index, filename: index, loaded: true, exports: { nodeJSProcessExitedAfterLoggingUserActionableMessage: EXITED_AFTER_LOGGING } };
}

async function loadProgram() {
    const pulumi = require(path.join(root, "node_modules", "@pulumi", "pulumi"));
    // The stack's config arrives as the CLI passes it, in PULUMI_CONFIG (set by npm run bench).
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => ({ id: `${args.name}-id`, state: { arn: "arn", endpoint: "endpoint", ...args.inputs } }),
            call: () => ({}),
        },
        process.env.PULUMI_NODEJS_PROJECT,
        stack,
        false,
    );
    stubIndex(path.join(cmd, "run"));
    process.chdir(root);
    // As the CLI's run/index.js: an error the loader logged fails the run with exit status 32.
    const reported = new Set();
    const reportLoggedError = (err) => {
        reported.add(err);
        process.exitCode = EXITED_AFTER_LOGGING;
    };
    await require(path.join(cmd, "run", "run.js")).run({ _: ["."] }, () => undefined, reportLoggedError, (err) => reported.has(err));
    await require(path.join(root, "node_modules", "@pulumi", "pulumi", "runtime", "settings")).waitForRPCs();
    // With the exit status reportLoggedError set, if any.
    process.exit();
}

function loadPack() {
    const log = console.log;
    // The pack prints its gRPC port once it listens: the CLI waits for exactly that.
    console.log = (line) => {
        if (/^\d+$/.test(String(line))) process.exit(0);
        log(line);
    };
    process.chdir(path.join(root, "deploy", "policy"));
    require(path.join(cmd, "run-policy-pack", "run.js")).run({
        argv: { _: ["."] },
        programStarted: () => undefined,
        reportLoggedError: () => undefined,
        typeScript: true,
    });
}

if (mode === "program" && stack) loadProgram();
else if (mode === "pack") loadPack();
else {
    console.error("usage: node tools/bench/cliLoad.cjs program <stack> | pack");
    process.exit(2);
}
