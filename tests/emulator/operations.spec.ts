import * as assert from "assert";
import {
    AdminAddUserToGroupCommand,
    AdminCreateUserCommand,
    AdminDeleteUserCommand,
    AdminListGroupsForUserCommand,
    DescribeUserPoolCommand,
    InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import * as net from "net";
import * as path from "path";
import { main as adminStatusMain } from "../../tools/admin/status";
import { ENCRYPTED_STAND_IN } from "../../tools/mock/stackFile";
import { emulateStack, main as emulatorPoolMain } from "../../tools/emulator/emulatorPool";
import { readStackFile } from "../../tools/mock/stackFile";
import { createSeedPool, enrolWithoutSrp, freePort, useMoto } from "../moto";
import { ROOT, runInProcess } from "../support";
import { DEV_LIKE, printedIds } from "./checkSupport";

const DAY_MS = 86_400_000;
const PRODLIKE = path.join(ROOT, "tests", "fixtures", "emulator", "Pulumi.prodlike.yaml");

/** What admin:status --json prints, in the parts these tests read. */
interface StatusJson {
    readonly stack?: string;
    readonly admins: Record<string, unknown>[];
    readonly problems: string[];
    readonly warnings: string[];
    readonly exitStatus: number;
}

describe("operations against the moto Cognito emulator", function () {
    this.timeout(30_000);
    const emulator = useMoto();

    /** Runs emulator:pool for the dev-like fixture; returns the ids and each admin's temporary password, as printed. */
    async function devLikePool(): Promise<{ ids: { userPoolId: string; clientId: string }; passwords: Record<string, string>; stdout: string }> {
        const run = await runInProcess((argv) => emulatorPoolMain(argv, DEV_LIKE), ["--endpoint-url", emulator.moto.endpoint, "--show-temporary-passwords"]);
        assert.strictEqual(run.status, 0, run.stderr);
        const passwords = Object.fromEntries([...run.stdout.matchAll(/^ {2}(\S+) \(groups admins\): temporary password (\S+)$/gm)].map(([, username, password]) => [username, password]));
        return { ids: printedIds(run.stdout), passwords, stdout: run.stdout };
    }

    describe("npm run admin:status", () => {
        it("--stack --all: every declared admin and any other user of their groups, with expiry and days left (exit 0); TOTP once enrolled; exit 1 once one is deleted", async () => {
            const { ids, passwords } = await devLikePool();
            await emulator.client.send(new AdminCreateUserCommand({ UserPoolId: ids.userPoolId, Username: "auditor", TemporaryPassword: "Audit-Passw0rd!", MessageAction: "SUPPRESS" }));
            await emulator.client.send(new AdminAddUserToGroupCommand({ UserPoolId: ids.userPoolId, Username: "auditor", GroupName: "admins" }));
            const outputs = (stack: string) => {
                assert.strictEqual(stack, "dev");
                return { userPoolId: ids.userPoolId, userPoolClientId: ids.clientId, adminUsername: "admin", adminUsernames: ["admin", "ops"] };
            };
            const status = async () => {
                const run = await runInProcess((argv) => adminStatusMain(argv, () => Date.now(), outputs, () => DEV_LIKE.dev), ["--stack", "dev", "--all", "--json", "--endpoint-url", emulator.moto.endpoint]);
                const json = JSON.parse(run.stdout) as StatusJson;
                assert.strictEqual(json.exitStatus, run.status);
                return json;
            };
            /** An admin's row, less the times, which the tests check apart. */
            const row = ({ created, lastModified, temporaryPasswordExpires, ...rest }: Record<string, unknown>) => rest;

            const fresh = await status();
            assert.deepStrictEqual(fresh.admins.map(row), ["admin", "ops", "auditor"].map((username) => ({
                username,
                listedAs: username === "auditor" ? "group member" : "declared",
                found: true,
                condition: "ok",
                status: "FORCE_CHANGE_PASSWORD",
                enabled: true,
                groups: ["admins"],
                temporaryPasswordDaysLeft: 6.9,
                temporaryPasswordExpired: false,
                totpEnrolled: false,
                totpSource: "AdminGetUserAuthFactors",
            })));
            for (const admin of fresh.admins) assert.strictEqual(Date.parse(admin.temporaryPasswordExpires as string) - Date.parse(admin.lastModified as string), 7 * DAY_MS);
            assert.deepStrictEqual([fresh.stack, fresh.problems, fresh.warnings, fresh.exitStatus], ["dev", [], [], 0]);

            await enrolWithoutSrp(emulator.client, ids, "admin", passwords.admin, "Own-Passw0rd!");
            const enrolled = await status();
            assert.deepStrictEqual(row(enrolled.admins[0]), {
                username: "admin",
                listedAs: "declared",
                found: true,
                condition: "ok",
                status: "CONFIRMED",
                enabled: true,
                groups: ["admins"],
                totpEnrolled: true,
                totpSource: "AdminGetUserAuthFactors",
            });
            assert.strictEqual(enrolled.exitStatus, 0);

            await emulator.client.send(new AdminDeleteUserCommand({ UserPoolId: ids.userPoolId, Username: "ops" }));
            const missing = await status();
            assert.deepStrictEqual(
                [missing.admins.map((admin) => [admin.username, admin.condition]), missing.problems, missing.exitStatus],
                [
                    [["admin", "ok"], ["ops", "missing"], ["auditor", "ok"]],
                    ["ops is missing from the pool. Let Pulumi see that it is gone, then create it again: pulumi refresh --stack dev && pulumi up --stack dev"],
                    1,
                ],
            );
        });

        it("--user-pool-id: every user of the pool; exit 5 when a temporary password expires within --warn-days, 1 once it has, with a fix that says it cannot tell the key", async () => {
            const ids = await createSeedPool(emulator.client);
            const argv = ["--user-pool-id", ids.userPoolId, "--endpoint-url", emulator.moto.endpoint];
            const soon = await runInProcess((a) => adminStatusMain(a, () => Date.now() + 5.5 * DAY_MS), [...argv, "--json"]);
            const json = JSON.parse(soon.stdout) as StatusJson;
            assert.deepStrictEqual(
                [soon.status, json.admins.map((admin) => [admin.username, admin.listedAs, admin.condition, admin.temporaryPasswordDaysLeft]), json.problems, json.warnings.length],
                [5, [["admin", "pool user", "expires soon", 1.4]], [], 1],
            );
            assert.strictEqual((await runInProcess((a) => adminStatusMain(a, () => Date.now() + 5.5 * DAY_MS), [...argv, "--warn-days", "1"])).status, 0);

            const later = await runInProcess((a) => adminStatusMain(a, () => Date.now() + 8 * DAY_MS), argv);
            assert.strictEqual(later.status, 1);
            assert.match(later.stdout, /\n {2}admin +pool user +FORCE_CHANGE_PASSWORD +\d{4}-\d\d-\d\d \d\d:\d\d +EXPIRED \d{4}-\d\d-\d\d \d\d:\d\d +not enrolled\n/);
            assert.match(
                later.stdout,
                /✘ admin's temporary password expired on \S+\. To let it in, re-issue it: for a generated password, pulumi config set adminPasswordReissue '<any new text>' --stack <stack> if admin is the stack's adminUsername, else pulumi config set --path 'adminUsers\[<index of admin>\]\.passwordReissue' '<any new text>' --stack <stack> \(without --stack, this cannot tell which\) && pulumi up --stack <stack>;/,
            );
        });

        const usage: [string[], string][] = [
            [[], "error: give --stack, or --user-pool-id"],
            [["--stack", "dev", "--username", "ops"], "error: --stack reads the admins from the stack: give --stack, or --user-pool-id with --username"],
            [["--user-pool-id", "us-east-1_Abc", "--warn-days", "two"], 'error: --warn-days must be a whole number of days (got "two")'],
        ];
        for (const [argv, message] of usage) {
            it(`refuses ${JSON.stringify(argv)} (exit 2), naming the problem`, async () => {
                const run = await runInProcess((a) => adminStatusMain(a), argv);
                assert.deepStrictEqual([run.status, run.stderr.split("\n")[0]], [2, message]);
            });
        }
    });

    describe("npm run emulator:pool", () => {
        it("makes every admin, group and membership the stack declares, and prints each admin with its first sign-in command", async () => {
            const { ids, passwords, stdout } = await devLikePool();
            const { userPoolId, clientId } = ids;
            const first = (username: string) =>
                `    npm run admin:first-sign-in -- --user-pool-id ${userPoolId} --client-id ${clientId} --username ${username} --endpoint-url ${emulator.moto.endpoint}`;
            assert.deepStrictEqual(stdout.split("\n"), [
                `Made stack dev's pool in the emulator at ${emulator.moto.endpoint}: user pool ${userPoolId}, app client ${clientId}, groups admins.`,
                "The sign-in check:",
                `  npm run verify:signin -- --user-pool-id ${userPoolId} --client-id ${clientId} --endpoint-url ${emulator.moto.endpoint}`,
                "Admin users, each with its first sign-in (temporary passwords below):",
                `  admin (groups admins): temporary password ${passwords.admin}`,
                first("admin"),
                `  ops (groups admins): temporary password ${passwords.ops}`,
                first("ops"),
                "",
            ]);
            for (const username of ["admin", "ops"]) {
                const groups = await emulator.client.send(new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: username }));
                assert.deepStrictEqual(groups.Groups?.map((group) => group.GroupName), ["admins"], username);
            }
            const hidden = await runInProcess((argv) => emulatorPoolMain(argv, DEV_LIKE), ["--endpoint-url", emulator.moto.endpoint]);
            assert.deepStrictEqual(
                hidden.stdout.split("\n").filter((line) => line.startsWith("Admin users") || line.startsWith("  admin")),
                ["Admin users, each with its first sign-in (temporary passwords not shown: add --show-temporary-passwords, they are the same on every run):", "  admin (groups admins)"],
            );
        });

        it("sends what the provider sends (a production-like stack's plan, threat protection, recovery, password history), with a stand-in for a secure: password", async () => {
            const made = await emulateStack(emulator.moto.endpoint, readStackFile(PRODLIKE));
            const pool = (await emulator.client.send(new DescribeUserPoolCommand({ UserPoolId: made.userPoolId }))).UserPool;
            assert.deepStrictEqual(
                [pool?.UserPoolTier, pool?.UserPoolAddOns, pool?.AccountRecoverySetting, pool?.Policies?.PasswordPolicy?.PasswordHistorySize, pool?.MfaConfiguration],
                ["PLUS", { AdvancedSecurityMode: "AUDIT" }, { RecoveryMechanisms: [{ Name: "admin_only", Priority: 1 }] }, 5, "ON"],
            );
            assert.deepStrictEqual(made.admins, [{ username: "admin", temporaryPassword: ENCRYPTED_STAND_IN, groups: [] }]);
            const signIn = await emulator.client.send(
                new InitiateAuthCommand({ ClientId: made.clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "admin", PASSWORD: ENCRYPTED_STAND_IN } }),
            );
            assert.strictEqual(signIn.ChallengeName, "NEW_PASSWORD_REQUIRED");
        });

        it("says moto is not running when nothing answers", async () => {
            const endpoint = `http://127.0.0.1:${await freePort()}`;
            await assert.rejects(emulateStack(endpoint, readStackFile(DEV_LIKE.dev)), {
                message: `nothing answers at ${endpoint}: is moto_server running? Start it with: MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP=true moto_server -H 127.0.0.1 -p <port>`,
            });
        });

        it("gives up on an endpoint that accepts connections and never answers", async () => {
            const silent = net.createServer(() => undefined);
            await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
            const endpoint = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
            try {
                await assert.rejects(emulateStack(endpoint, readStackFile(DEV_LIKE.dev), { callTimeoutMs: 300, runTimeoutMs: 2_000 }), {
                    message: `${endpoint} accepted the connection but did not answer in time: is it a Cognito emulator (moto_server)?`,
                });
            } finally {
                silent.close();
            }
        });

        const usage: [string[], string][] = [
            [["--endpoint-url", "127.0.0.1:5000"], 'error: --endpoint-url must be an http:// or https:// URL, such as http://127.0.0.1:5000 (got "127.0.0.1:5000")'],
            [["--endpoint-url", "http://127.0.0.1:5000", "--stack", "nope"], "error: there is no Pulumi.nope.yaml; the stacks are dev"],
            [["http://127.0.0.1:5000", "dev"], 'error: unexpected argument "http://127.0.0.1:5000": this command takes options only'],
            [[], "error: give --endpoint-url, such as http://127.0.0.1:5000"],
        ];
        for (const [argv, message] of usage) {
            it(`refuses ${JSON.stringify(argv)} (exit 2), naming the problem`, async () => {
                const run = await runInProcess((a) => emulatorPoolMain(a, DEV_LIKE), argv);
                assert.deepStrictEqual([run.status, run.stderr.split("\n")[0]], [2, message]);
            });
        }
    });
});

describe("admin:status on an endpoint that does not answer: what happened, in words", () => {
    it("says it cannot reach an endpoint where nothing listens", async () => {
        const endpoint = `http://127.0.0.1:${await freePort()}`;
        await assert.rejects(runInProcess((a) => adminStatusMain(a), ["--user-pool-id", "us-east-1_Abc", "--endpoint-url", endpoint]), {
            message: `DescribeUserPool failed: cannot reach ${endpoint}: connection refused (ECONNREFUSED)`,
        });
    });

    it("says the endpoint closed the connection, not that it did not answer in time", async () => {
        const closing = net.createServer((socket) => socket.destroy());
        await new Promise<void>((resolve) => closing.listen(0, "127.0.0.1", resolve));
        const endpoint = `http://127.0.0.1:${(closing.address() as net.AddressInfo).port}`;
        try {
            await assert.rejects(runInProcess((a) => adminStatusMain(a), ["--user-pool-id", "us-east-1_Abc", "--endpoint-url", endpoint]), {
                message: `DescribeUserPool failed: ${endpoint} closed the connection without an answer (ECONNRESET)`,
            });
        } finally {
            closing.close();
        }
    });
});
