/**
 * The moto server of a test run: finding moto_server, starting it, and sharing one among spec
 * files and mocha's workers. No AWS SDK here, so that `npm test`'s runner can start moto fast.
 */
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as path from "path";

/**
 * The folder whose sitecustomize.py makes the tests' moto spend less CPU for the same answers (its
 * one signing key imported once, not once a pool; one request at a time; its module list and each
 * response class's methods read once; a thread kept for the next connection, not one started a
 * connection; no access log where stderr is /dev/null; the garbage collector kept off what moto
 * imports) and answer two Cognito operations it lacks (the file says why).
 */
export const MOTO_SEAM_DIR = path.join(__dirname, "setup", "moto");

/** How to get moto, for the message when it is missing. */
export const MOTO_HINT = 'pip install "moto[server]"';

/** moto_server on PATH, or `undefined`. */
export function findMotoServer(): string | undefined {
    for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
        const candidate = path.join(dir, "moto_server");
        try {
            fs.accessSync(candidate, fs.constants.X_OK);
            return candidate;
        } catch {
            continue;
        }
    }
    return undefined;
}

/** A loopback port that nothing listens on right now. */
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}

/**
 * Resolves once `url` answers a HEAD request, whatever the status; rejects when no answer comes
 * (nothing listens, or the connection breaks). Node's http module, not fetch: fetch's first call
 * loads undici, some 50 to 100 ms of CPU in each process that waits for moto this way (npm test's
 * runner and each of mocha's workers). No connection is kept open afterwards.
 */
function answersHead(url: string): Promise<void> {
    return new Promise((resolve, reject) => {
        const request = http.request(url, { method: "HEAD", agent: false }, (response) => {
            response.resume();
            resolve();
        });
        request.once("error", reject);
        request.end();
    });
}

/** A moto server of this test run's own, on a free loopback port, with TOTP checking on. */
export class MotoServer {
    private constructor(
        /** The server's process, or `undefined` for a server another process started and stops. */
        private readonly process: ChildProcess | undefined,
        /** The endpoint to point the AWS SDK at. */
        readonly endpoint: string,
        /** The id of the server's process, where it is known. */
        private readonly pid: number | undefined = process?.pid,
    ) {}

    /** A server that another process started, and stops, at `endpoint`; `pid` is its process's id, where known. */
    static at(endpoint: string, pid?: number): MotoServer {
        return new MotoServer(undefined, endpoint, pid);
    }

    /** Starts moto_server (on `port`, or a free one) and waits until it answers. */
    static async start(executable: string, port?: number): Promise<MotoServer> {
        const child = spawn(executable, ["-H", "127.0.0.1", "-p", String(port ?? (await freePort()))], {
            env: {
                ...process.env,
                MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP: "true",
                PYTHONPATH: [MOTO_SEAM_DIR, ...(process.env.PYTHONPATH ? [process.env.PYTHONPATH] : [])].join(path.delimiter),
            },
            stdio: "ignore",
        });
        // Before this process starts anything else (npm test's runner starts mocha after this call
        // returns), so that what it starts can tell which Python runs the server (see python()).
        if (child.pid !== undefined) process.env[SHARED_MOTO_PID] = String(child.pid);
        const server = new MotoServer(child, `http://127.0.0.1:${child.spawnargs[child.spawnargs.length - 1]}`);
        try {
            await server.ready(() => (child.exitCode !== null ? `moto_server exited with status ${child.exitCode}` : undefined));
        } catch (error) {
            server.stop();
            throw error;
        }
        return server;
    }

    /**
     * Waits (up to 20 s) until the server answers HTTP at all; `gone` names why it never will
     * (such as its process having exited), or is `undefined` while it may still come up.
     */
    async ready(gone: () => string | undefined = () => undefined): Promise<void> {
        const deadline = Date.now() + 20_000;
        while (Date.now() < deadline) {
            const reason = gone();
            if (reason) throw new Error(reason);
            try {
                await answersHead(`${this.endpoint}/moto-api/`);
                return;
            } catch {
                await new Promise((resolve) => setTimeout(resolve, 100));
            }
        }
        throw new Error(`moto_server did not answer on ${this.endpoint} within 20 s`);
    }

    /**
     * The Python that runs this server, as the moto_server script's first line names it: the
     * interpreter at the head of its process's command line (Linux's /proc/<pid>/cmdline, where the
     * kernel puts it as it runs the script), read once the server answers, so past any launcher it
     * was started through (pyenv's shim, a bash script, replaces itself with it). Running Python
     * there, not through that launcher, spares the launcher's processes (pyenv's shim: some 0.3 s
     * of CPU). `undefined` where it cannot be told: no /proc, no process id, or a command line that
     * is not an absolute interpreter path followed by a moto_server script.
     */
    python(): string | undefined {
        if (this.pid === undefined) return undefined;
        let commandLine: string[];
        try {
            commandLine = fs.readFileSync(`/proc/${this.pid}/cmdline`, "utf8").split("\0");
        } catch {
            return undefined;
        }
        const [interpreter, script = ""] = commandLine;
        return path.isAbsolute(interpreter) && path.basename(script) === "moto_server" ? interpreter : undefined;
    }

    /** Lets the test process exit while the server runs (it is stopped on exit). */
    detach(): void {
        this.process?.unref();
    }

    /**
     * Stops the server by its process id, if this process started it: with SIGKILL, which ends it
     * at once, where SIGTERM takes Python's shutdown, some 0.4 s. moto keeps all in memory, so
     * nothing is lost.
     */
    stop(): void {
        if (this.process?.pid !== undefined && this.process.exitCode === null) {
            process.kill(this.process.pid, "SIGKILL");
        }
    }

    /** An SDK client for this server, with dummy credentials. */
    client(): CognitoIdentityProviderClient {
        const { CognitoIdentityProviderClient: Client } = require("@aws-sdk/client-cognito-identity-provider") as typeof import("@aws-sdk/client-cognito-identity-provider");
        return new Client({
            region: "us-east-1",
            endpoint: this.endpoint,
            credentials: { accessKeyId: "test", secretAccessKey: "test" },
        });
    }
}

let shared: Promise<MotoServer> | undefined;

/** The environment variable through which `npm test` hands its moto server to mocha's workers. */
export const SHARED_MOTO_ENDPOINT = "TEST_MOTO_ENDPOINT";

/**
 * The environment variable that holds the process id of the moto server this process started last
 * ({@link MotoServer.start} sets it), which the processes it starts afterwards (mocha's workers)
 * inherit with {@link SHARED_MOTO_ENDPOINT}.
 */
export const SHARED_MOTO_PID = "TEST_MOTO_PID";

/**
 * The moto server of the test run, for a mocha `before` hook. `npm test` starts one for all of
 * mocha's workers (see tools/test/run.cjs); a bare mocha run starts one on first use and stops it
 * when the process exits. Either way moto starts once, not once per spec file, so specs never
 * reset it: each works in pools of its own. Where moto_server is missing it skips the suite, and
 * `npm test` names the skip again at the end of the run; under CI=true it fails instead.
 */
export async function sharedMoto(context: Mocha.Context): Promise<MotoServer> {
    const executable = findMotoServer();
    if (!executable) {
        if (process.env.CI === "true") throw new Error(`moto_server is not on PATH, and CI must run these tests. Install it: ${MOTO_HINT}`);
        context.skip();
    }
    const endpoint = process.env[SHARED_MOTO_ENDPOINT];
    const pid = process.env[SHARED_MOTO_PID] ? Number(process.env[SHARED_MOTO_PID]) : undefined;
    shared ??= endpoint
        ? MotoServer.at(endpoint).ready().then(() => MotoServer.at(endpoint, pid))
        : MotoServer.start(executable as string).then((server) => {
              // It must not keep the test process alive; it goes with the process.
              server.detach();
              process.on("exit", () => server.stop());
              return server;
          });
    return shared;
}

