import * as assert from "assert";
import { AdminCreateUserCommand, CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { ChildProcess, spawn } from "child_process";
import * as net from "net";
import * as path from "path";
import { verifySignIn } from "../deploy/verifier/signIn";
import { main as adminStatusMain } from "../tools/admin/status";
import { EmulatedPool, emulateStack, main as emulatorPoolMain } from "../tools/emulator/emulatorPool";
import { readStackFile } from "../tools/mock/stackFile";
import { MOTO_HINT, MotoServer, createSeedPool, findMotoServer, freePort, usernames } from "./moto";
import { ROOT, runInProcess } from "./support";

const DAY_MS = 86_400_000;

/** The verifier as a real child process, the way `local.Command` runs it, and the lines it has printed so far. */
class VerifierProcess {
    readonly lines: string[] = [];
    private readonly child: ChildProcess;
    readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

    constructor(ids: EmulatedPool, endpoint: string) {
        this.child = spawn(
            process.execPath,
            ["-r", "sucrase/register/ts", path.join(ROOT, "deploy", "verifier", "cli.ts"), "--user-pool-id", ids.userPoolId, "--client-id", ids.clientId, "--endpoint-url", endpoint],
            { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
        );
        for (const stream of [this.child.stdout, this.child.stderr]) {
            let partial = "";
            stream?.on("data", (chunk: Buffer) => {
                const text = partial + chunk.toString();
                const parts = text.split("\n");
                partial = parts.pop() ?? "";
                this.lines.push(...parts);
            });
        }
        this.exited = new Promise((resolve) => this.child.on("exit", (code, signal) => resolve({ code, signal })));
    }

    /** Waits (up to 20 s) until a printed line matches. */
    async waitFor(pattern: RegExp): Promise<void> {
        const deadline = Date.now() + 20_000;
        while (!this.lines.some((line) => pattern.test(line))) {
            if (Date.now() > deadline) throw new Error(`no line matched ${pattern}:\n${this.lines.join("\n")}`);
            await new Promise((resolve) => setTimeout(resolve, 25));
        }
    }

    kill(signal: NodeJS.Signals): void {
        this.child.kill(signal);
    }
}

describe("operations against the moto Cognito emulator", function () {
    this.timeout(30_000);
    let moto: MotoServer | undefined;
    let client: CognitoIdentityProviderClient;

    before(async function () {
        const executable = findMotoServer();
        if (!executable) {
            if (process.env.CI === "true") throw new Error(`moto_server is not on PATH, and CI must run these tests. Install it: ${MOTO_HINT}`);
            this.skip();
        }
        moto = await MotoServer.start(executable as string);
        client = moto.client();
    });

    after(() => {
        client?.destroy();
        moto?.stop();
    });

    beforeEach(async () => {
        await moto?.reset();
    });

    describe("the sign-in check, interrupted", () => {
        it("deletes its canary and exits 143 when sent SIGTERM while it waits for the next TOTP step", async () => {
            const ids = await createSeedPool(client);
            const verifier = new VerifierProcess(ids, moto!.endpoint);
            await verifier.waitFor(/^✔ sign-in 2: USER_SRP_AUTH/);
            await verifier.waitFor(/^… waiting \d+ s for a fresh TOTP step$/);
            verifier.kill("SIGTERM");
            assert.deepStrictEqual(await verifier.exited, { code: 143, signal: null });
            assert.match(verifier.lines.join("\n"), /✔ AdminDeleteUser: canary signin-canary-[0-9a-f]{12} deleted\nSTOPPED by SIGTERM/);
            assert.deepStrictEqual(await usernames(client, ids.userPoolId), ["admin"]);
        });

        it("leaves a canary when killed outright (SIGKILL), and the next run sweeps it, touching no other user", async () => {
            const ids = await createSeedPool(client);
            const others = ["signin-canary-notours", "signin-canary-0123456789ab-x", "ops"];
            for (const username of others) {
                await client.send(new AdminCreateUserCommand({ UserPoolId: ids.userPoolId, Username: username, TemporaryPassword: "Seed-Passw0rd!", MessageAction: "SUPPRESS" }));
            }
            const killed = new VerifierProcess(ids, moto!.endpoint);
            await killed.waitFor(/^✔ AdminCreateUser: canary signin-canary-[0-9a-f]{12}/);
            killed.kill("SIGKILL");
            assert.deepStrictEqual(await killed.exited, { code: null, signal: "SIGKILL" });
            const left = (await usernames(client, ids.userPoolId)).filter((name) => /^signin-canary-[0-9a-f]{12}$/.test(name));
            assert.strictEqual(left.length, 1, "the killed run left its canary");

            const young: string[] = [];
            await verifySignIn({ ...ids, endpointUrl: moto!.endpoint, log: (line) => young.push(line) }, { singleUseCodes: false });
            assert.deepStrictEqual(young.filter((line) => line.includes("swept")), [], "a canary younger than the bound is left alone");

            const lines: string[] = [];
            await verifySignIn({ ...ids, endpointUrl: moto!.endpoint, sweepAfterMinutes: 0, log: (line) => lines.push(line) }, { singleUseCodes: false });
            assert.deepStrictEqual(lines.filter((line) => line.includes("swept")), [`✔ swept canary ${left[0]}, left by an earlier run that could not delete it`]);
            assert.deepStrictEqual(await usernames(client, ids.userPoolId), ["admin", ...others].sort());
        });
    });

    describe("npm run admin:status", () => {
        it("reports a fresh admin as FORCE_CHANGE_PASSWORD, not expired, with no TOTP; then expired once the clock passes the validity (exit 1)", async () => {
            const ids = await createSeedPool(client);
            const argv = ["--user-pool-id", ids.userPoolId, "--username", "admin", "--endpoint-url", moto!.endpoint, "--json"];
            const fresh = await runInProcess((a) => adminStatusMain(a, () => Date.now()), argv);
            assert.strictEqual(fresh.status, 0, fresh.stderr);
            const status = JSON.parse(fresh.stdout) as { temporaryPasswordValidityDays: number; admins: Record<string, unknown>[]; problems: string[] };
            assert.strictEqual(status.temporaryPasswordValidityDays, 7);
            const admin = status.admins[0];
            assert.deepStrictEqual(
                [admin.username, admin.found, admin.status, admin.temporaryPasswordExpired, admin.totpEnrolled],
                ["admin", true, "FORCE_CHANGE_PASSWORD", false, false],
            );
            assert.strictEqual(Date.parse(admin.temporaryPasswordExpires as string) - Date.parse(admin.lastModified as string), 7 * DAY_MS);
            assert.deepStrictEqual(status.problems, []);

            const later = await runInProcess((a) => adminStatusMain(a, () => Date.now() + 8 * DAY_MS), argv.slice(0, -1));
            assert.strictEqual(later.status, 1);
            assert.match(later.stdout, /\n {2}admin +FORCE_CHANGE_PASSWORD +\d{4}-\d\d-\d\d \d\d:\d\d +EXPIRED \d{4}-/);
            assert.match(later.stdout, /✘ admin's temporary password expired on .*pulumi config set adminPasswordRotation <any new text> && pulumi up;/);
        });

        it("reads the pool and the admins from the stack's outputs, and fails (exit 1) for an admin that is missing", async () => {
            const ids = await createSeedPool(client);
            const outputs = (stack: string) => {
                assert.strictEqual(stack, "dev");
                return { userPoolId: ids.userPoolId, adminUsernames: ["admin", "ops"], adminTemporaryPassword: "[secret]" };
            };
            const run = await runInProcess((a) => adminStatusMain(a, () => Date.now(), outputs), ["--stack", "dev", "--endpoint-url", moto!.endpoint]);
            assert.strictEqual(run.status, 1);
            assert.match(run.stdout, /\n {2}ops +MISSING\n/);
            assert.match(run.stdout, /✘ ops is missing from the pool\. Let Pulumi see that it is gone, then create it again: pulumi refresh --stack dev && pulumi up --stack dev\n$/);
        });

        it("is a usage error (exit 2) without a pool", async () => {
            const run = await runInProcess((a) => adminStatusMain(a), []);
            assert.deepStrictEqual([run.status, run.stderr.split("\n")[0]], [2, "error: give --stack, or --user-pool-id"]);
        });
    });

    describe("npm run emulator:pool", () => {
        const dev = () => readStackFile(path.join(ROOT, "tests", "fixtures", "Pulumi.seed.yaml"));

        it("makes the declared pool and prints the verifier's command", async () => {
            const run = await runInProcess(emulatorPoolMain, ["--endpoint-url", moto!.endpoint, "--stack", "dev"]);
            assert.strictEqual(run.status, 0, run.stderr);
            assert.match(run.stdout, new RegExp(`^npm run verify:signin -- --user-pool-id us-east-1_\\w+ --client-id \\w+ --endpoint-url ${moto!.endpoint}\\n$`));
        });

        it("sends what the provider sends: prod's feature plan, threat protection, recovery and password history", async () => {
            const { DescribeUserPoolCommand } = await import("@aws-sdk/client-cognito-identity-provider");
            const ids = await emulateStack(moto!.endpoint, readStackFile(path.join(ROOT, "Pulumi.prod.yaml")));
            const pool = (await client.send(new DescribeUserPoolCommand({ UserPoolId: ids.userPoolId }))).UserPool;
            assert.strictEqual(pool?.UserPoolTier, "PLUS");
            assert.deepStrictEqual(pool?.UserPoolAddOns, { AdvancedSecurityMode: "AUDIT" });
            assert.deepStrictEqual(pool?.AccountRecoverySetting, { RecoveryMechanisms: [{ Name: "admin_only", Priority: 1 }] });
            assert.strictEqual(pool?.Policies?.PasswordPolicy?.PasswordHistorySize, 5);
            assert.strictEqual(pool?.MfaConfiguration, "ON");
        });

        it("says moto is not running when nothing answers", async () => {
            const endpoint = `http://127.0.0.1:${await freePort()}`;
            await assert.rejects(emulateStack(endpoint, dev()), {
                message: `nothing answers at ${endpoint}: is moto_server running? Start it with: MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP=true moto_server -H 127.0.0.1 -p <port>`,
            });
        });

        it("gives up on an endpoint that accepts connections and never answers", async () => {
            const silent = net.createServer(() => undefined);
            await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
            const endpoint = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
            try {
                await assert.rejects(emulateStack(endpoint, dev(), { callTimeoutMs: 300, runTimeoutMs: 2_000 }), {
                    message: `${endpoint} accepted the connection but did not answer in time: is it a Cognito emulator (moto_server)?`,
                });
            } finally {
                silent.close();
            }
        });

        const usage: [string[], string][] = [
            [["--endpoint-url", "127.0.0.1:5000"], 'error: --endpoint-url must be an http:// or https:// URL, such as http://127.0.0.1:5000 (got "127.0.0.1:5000")'],
            [["--endpoint-url", "http://127.0.0.1:5000", "--stack", "nope"], "error: there is no Pulumi.nope.yaml; the stacks are "],
            [["http://127.0.0.1:5000", "dev"], 'error: unexpected argument "http://127.0.0.1:5000": this command takes options only'],
            [[], "error: give --endpoint-url, such as http://127.0.0.1:5000"],
        ];
        for (const [argv, message] of usage) {
            it(`refuses ${JSON.stringify(argv)} (exit 2), naming the problem`, async () => {
                const run = await runInProcess(emulatorPoolMain, argv);
                assert.strictEqual(run.status, 2);
                assert.ok(run.stderr.startsWith(message), run.stderr);
            });
        }
    });
});
