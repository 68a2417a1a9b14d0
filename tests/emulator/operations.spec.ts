import * as assert from "assert";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import * as net from "net";
import * as path from "path";
import { main as adminStatusMain } from "../../tools/admin/status";
import { emulateStack, main as emulatorPoolMain } from "../../tools/emulator/emulatorPool";
import { readStackFile } from "../../tools/mock/stackFile";
import { MotoServer, createSeedPool, freePort, sharedMoto } from "../moto";
import { ROOT, runInProcess } from "../support";

const DAY_MS = 86_400_000;

describe("operations against the moto Cognito emulator", function () {
    this.timeout(30_000);
    let moto: MotoServer | undefined;
    let client: CognitoIdentityProviderClient;

    before(async function () {
        moto = await sharedMoto(this);
        client = moto.client();
    });

    after(() => {
        client?.destroy();
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
            assert.match(
                later.stdout,
                /✘ admin's temporary password expired on .*pulumi config set --path 'adminUsers\[<index of admin>\]\.passwordReissue' "<any new text>" --stack <stack> && pulumi up;/,
            );
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
