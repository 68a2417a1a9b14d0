import * as assert from "assert";
import { spawn } from "child_process";
import { once } from "events";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { gzipSync } from "zlib";
import { FaultyProxy, MotoServer, forward } from "./moto";

describe("the emulator specs' helpers (tests/moto.ts, tests/motoServer.ts), without moto", () => {
    describe("FaultyProxy", () => {
        it("asks its target for an uncompressed answer, since it passes the body on without the target's content-encoding", async () => {
            const seen: (string | undefined)[] = [];
            // A target that compresses whenever it may, as a server behind moto's place could.
            const target = http.createServer((req, res) => {
                seen.push(req.headers["accept-encoding"]);
                const body = Buffer.from(JSON.stringify({ UserPoolId: "us-east-1_x" }));
                const gzip = /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
                res.writeHead(200, { "content-type": "application/x-amz-json-1.1", ...(gzip ? { "content-encoding": "gzip" } : {}) });
                res.end(gzip ? gzipSync(body) : body);
            });
            target.listen(0, "127.0.0.1");
            await once(target, "listening");
            let proxy: FaultyProxy | undefined;
            try {
                proxy = await FaultyProxy.start(`http://127.0.0.1:${(target.address() as AddressInfo).port}`, {});
                const answer = await forward(
                    `${proxy.endpoint}/`,
                    "POST",
                    { "x-amz-target": "AWSCognitoIdentityProviderService.DescribeUserPool", "accept-encoding": "gzip, deflate" },
                    Buffer.from("{}"),
                );
                assert.deepStrictEqual({ encoding: answer.headers["content-encoding"], body: answer.body.toString() }, { encoding: undefined, body: '{"UserPoolId":"us-east-1_x"}' });
                assert.deepStrictEqual(seen, [undefined]);
                assert.deepStrictEqual(proxy.calls, [{ operation: "DescribeUserPool", body: {} }]);
            } finally {
                await proxy?.stop();
                await new Promise((resolve) => target.close(resolve));
            }
        });
    });

    describe("MotoServer.python()", () => {
        let dir: string;
        beforeEach(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "moto-python-"));
        });
        afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

        /** Starts a script named `name` whose first line names /bin/sh; resolves once it runs, with a way to end it. */
        async function script(name: string): Promise<{ pid: number; end: () => Promise<unknown> }> {
            const file = path.join(dir, name);
            // `read` is sh's own: the shell stays the process, and ends when its input closes.
            fs.writeFileSync(file, "#!/bin/sh\necho ready\nread line\nexit 0\n", { mode: 0o755 });
            const child = spawn(file, [], { stdio: ["pipe", "pipe", "ignore"] });
            const end = once(child, "close").then(([code]) => code);
            await once(child.stdout!, "data");
            return {
                pid: child.pid!,
                end: () => {
                    child.stdin!.end();
                    return end;
                },
            };
        }

        (fs.existsSync("/proc/self/cmdline") ? it : it.skip)("is the interpreter a moto_server script's first line names, read from its process; none for another script, an unknown or ended process", async () => {
            const started: Awaited<ReturnType<typeof script>>[] = [];
            let found: (string | undefined)[];
            try {
                for (const name of ["moto_server", "not_moto"]) started.push(await script(name));
                found = [MotoServer.at("http://127.0.0.1:1", started[0].pid).python(), MotoServer.at("http://127.0.0.1:1", started[1].pid).python(), MotoServer.at("http://127.0.0.1:1").python()];
            } finally {
                assert.deepStrictEqual(await Promise.all(started.map((run) => run.end())), started.map(() => 0));
            }
            assert.deepStrictEqual(found, ["/bin/sh", undefined, undefined]);
            assert.strictEqual(MotoServer.at("http://127.0.0.1:1", started[0].pid).python(), undefined);
        });
    });
});
