import * as assert from "assert";
import {
    AdminCreateUserCommand,
    CreateUserPoolClientCommand,
    CreateUserPoolCommand,
    ListUsersCommand,
    SetUserPoolMfaConfigCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import { CANARY_MIN_SWEEP_AGE_MINUTES, sweepStaleCanaries } from "../../deploy/verifier/canary";
import { signInCheckCommand } from "../../deploy/stack/signInCheck";
import { stepCaller } from "../../deploy/verifier/cognitoSignIn";
import { verifySignIn } from "../../deploy/verifier/signIn";
import { FaultyProxy, PoolIds, createSeedPool, useMoto, usernames } from "../moto";
import { ROOT } from "../support";
import { MOTO_SEAMS } from "./checkSupport";

/** How a verifier process is started: as the sign-in check's command under /bin/sh (as `local.Command` runs it), or with `npm run`. */
type Start = "the check's command" | "npm run";

/**
 * The verifier as a real process tree, started as `start` says, with the specs' faster modPow
 * (tests/setup/fastModPow.cjs), sent `signal` as soon as the lines it has printed satisfy `when`.
 */
class VerifierProcess {
    readonly lines: string[] = [];
    private readonly child: ChildProcess;
    readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

    constructor(start: Start, ids: PoolIds, endpoint: string, signal: NodeJS.Signals, when: (lines: readonly string[]) => boolean) {
        const env = { ...process.env, NODE_OPTIONS: "--require ./tests/setup/fastModPow.cjs" };
        this.child =
            start === "npm run"
                ? spawn("npm", ["run", "--silent", "verify:signin", "--", "--user-pool-id", ids.userPoolId, "--client-id", ids.clientId, "--endpoint-url", endpoint], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] })
                : spawn("/bin/sh", ["-c", signInCheckCommand({ endpointUrl: endpoint })], {
                      cwd: ROOT,
                      env: { ...env, USER_POOL_ID: ids.userPoolId, USER_POOL_CLIENT_ID: ids.clientId, COGNITO_ENDPOINT_URL: endpoint },
                      stdio: ["ignore", "pipe", "pipe"],
                  });
        let sent = false;
        for (const stream of [this.child.stdout, this.child.stderr]) {
            let partial = "";
            stream?.on("data", (chunk: Buffer) => {
                const text = partial + chunk.toString();
                const parts = text.split("\n");
                partial = parts.pop() ?? "";
                this.lines.push(...parts);
                if (!sent && when(this.lines)) {
                    sent = true;
                    this.child.kill(signal);
                }
            });
        }
        this.exited = new Promise((resolve) => this.child.on("exit", (code, exitSignal) => resolve({ code, signal: exitSignal })));
    }
}

/** The processes (but this one) whose command line mentions `text`, such as a pool's id. */
function processesMentioning(text: string): string[] {
    return fs.readdirSync("/proc").filter((pid) => /^\d+$/.test(pid) && Number(pid) !== process.pid).flatMap((pid) => {
        try {
            const command = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
            return command.includes(text) ? [`${pid} ${command}`] : [];
        } catch {
            return [];
        }
    });
}

/** Whether a verifier has printed that its canary exists. */
const canaryMade = (lines: readonly string[]) => lines.some((line) => /^✔ AdminCreateUser: canary signin-canary-[0-9a-f]{12}/.test(line));

describe("the sign-in check, interrupted, against the moto Cognito emulator", function () {
    this.timeout(30_000);
    const emulator = useMoto();
    after(() => proxy?.stop());

    // The verifiers run at once, from the start: each is signalled at its moment.
    let proxy: FaultyProxy;
    let terminated: { ids: PoolIds; verifier: VerifierProcess };
    let viaNpm: { ids: PoolIds; verifier: VerifierProcess };
    let killed: { ids: PoolIds; verifier: VerifierProcess };
    /** Users a sweep must never touch: names like a canary's, and a marker that is not quite one. */
    const others: [string, string | undefined][] = [
        ["signin-canary-notours", undefined],
        ["signin-canary-0123456789ab", undefined],
        ["ops", "signin-canary-0123456789ab-x"],
    ];

    before(async () => {
        const [first, second, third] = await Promise.all([createSeedPool(emulator.client), createSeedPool(emulator.client), createSeedPool(emulator.client)]);
        for (const [username, name] of others) {
            const UserAttributes = name ? [{ Name: "name", Value: name }] : undefined;
            await emulator.client.send(new AdminCreateUserCommand({ UserPoolId: second.userPoolId, Username: username, TemporaryPassword: "Seed-Passw0rd!", MessageAction: "SUPPRESS", UserAttributes }));
        }
        // SIGTERM to the shell the command provider starts, while VerifySoftwareToken's answer is held back: in the middle of a call.
        proxy = await FaultyProxy.start(emulator.moto.endpoint, { VerifySoftwareToken: { delayMs: 10_000 } });
        const verifying = (lines: readonly string[]) => lines.some((line) => line.startsWith("✔ AssociateSoftwareToken"));
        terminated = { ids: first, verifier: new VerifierProcess("the check's command", first, proxy.endpoint, "SIGTERM", verifying) };
        // SIGTERM to npm as soon as the canary exists.
        viaNpm = { ids: third, verifier: new VerifierProcess("npm run", third, emulator.moto.endpoint, "SIGTERM", canaryMade) };
        // SIGKILL as soon as its canary exists.
        killed = { ids: second, verifier: new VerifierProcess("the check's command", second, emulator.moto.endpoint, "SIGKILL", canaryMade) };
    });

    it("the check's command, sent SIGTERM in the middle of a call: the verifier itself gets it, deletes its canary and exits 143", async () => {
        const { ids, verifier } = terminated;
        assert.deepStrictEqual(await verifier.exited, { code: 143, signal: null });
        assert.match(verifier.lines.join("\n"), /✔ AdminDeleteUser: canary signin-canary-[0-9a-f]{12} deleted\nSTOPPED by SIGTERM/);
        assert.deepStrictEqual(await usernames(emulator.client, ids.userPoolId), ["admin"]);
    });

    it("npm run verify:signin, sent SIGTERM: npm passes it on, exits 143 with the verifier, and leaves no node process running and no canary", async () => {
        const { ids, verifier } = viaNpm;
        assert.deepStrictEqual(await verifier.exited, { code: 143, signal: null });
        assert.deepStrictEqual(processesMentioning(ids.userPoolId), []);
        assert.match(verifier.lines.join("\n"), /✔ AdminDeleteUser: canary signin-canary-[0-9a-f]{12} deleted\nSTOPPED by SIGTERM/);
        assert.deepStrictEqual(await usernames(emulator.client, ids.userPoolId), ["admin"]);
    });

    it("deletes its canary when stopped while it waits for the next TOTP step (SIGTERM's abort signal, in this process)", async () => {
        const ids = await createSeedPool(emulator.client);
        const stop = new AbortController();
        const lines: string[] = [];
        const log = (line: string) => {
            lines.push(line);
            // The wait for the step after the enrolment code's, which Cognito's single-use codes need.
            if (line.startsWith("… waiting") && lines.some((l) => l.startsWith("✔ sign-in 2: USER_SRP_AUTH"))) stop.abort();
        };
        await assert.rejects(
            verifySignIn({ ...ids, endpointUrl: emulator.moto.endpoint, cancel: stop.signal, log }, { ...MOTO_SEAMS, singleUseCodes: true }),
            { message: 'sign-in verification failed at step "waiting for a fresh TOTP step": interrupted' },
        );
        assert.match(lines[lines.length - 1], /^✔ AdminDeleteUser: canary signin-canary-[0-9a-f]{12} deleted$/);
        assert.deepStrictEqual(await usernames(emulator.client, ids.userPoolId), ["admin"]);
    });

    it("leaves a canary when killed outright (SIGKILL); a later run sweeps it only once it is older than any run can last, touching no other user", async () => {
        const { ids, verifier } = killed;
        assert.deepStrictEqual(await verifier.exited, { code: null, signal: "SIGKILL" });
        const left = (await usernames(emulator.client, ids.userPoolId)).filter((name) => /^signin-canary-[0-9a-f]{12}$/.test(name) && name !== "signin-canary-0123456789ab");
        assert.strictEqual(left.length, 1, "the killed run left its canary");

        // --sweep-after 0, as two runs at once might be given: a canary younger than a run's deadline may be the other run's, live.
        const call = stepCaller({ userPoolId: ids.userPoolId });
        assert.deepStrictEqual(await sweepStaleCanaries(emulator.client, call, ids.userPoolId, 0), [], "a canary younger than a run's deadline is left alone");

        const later = Date.now() + CANARY_MIN_SWEEP_AGE_MINUTES * 60_000;
        const lines: string[] = [];
        await verifySignIn({ ...ids, endpointUrl: emulator.moto.endpoint, sweepAfterMinutes: 0, log: (line) => lines.push(line) }, { ...MOTO_SEAMS, now: () => later });
        assert.deepStrictEqual(lines.filter((line) => line.includes("swept")), [`✔ swept canary ${left[0]}, left by an earlier run that could not delete it`]);
        assert.deepStrictEqual(await usernames(emulator.client, ids.userPoolId), ["admin", ...others.map(([username]) => username)].sort());
    });

    it("marks its canary in a pool whose usernames are phone numbers, where a sweep finds a left one by that mark alone", async () => {
        const pool = await emulator.client.send(new CreateUserPoolCommand({ PoolName: "by-phone", UsernameAttributes: ["phone_number"] }));
        const userPoolId = pool.UserPool?.Id as string;
        await emulator.client.send(new SetUserPoolMfaConfigCommand({ UserPoolId: userPoolId, MfaConfiguration: "ON", SoftwareTokenMfaConfiguration: { Enabled: true } }));
        const appClient = await emulator.client.send(new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: "app" }));
        const ids = { userPoolId, clientId: appClient.UserPoolClient?.ClientId as string };
        // What a killed run leaves in such a pool, and a real user.
        for (const [username, name] of [["+12025550142", "signin-canary-00000000abcd"], ["+12025550199", "Alex"]]) {
            await emulator.client.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: username, TemporaryPassword: "Seed-Passw0rd!", MessageAction: "SUPPRESS", UserAttributes: [{ Name: "name", Value: name }] }));
        }
        const later = Date.now() + CANARY_MIN_SWEEP_AGE_MINUTES * 60_000;
        const lines: string[] = [];
        const result = await verifySignIn({ ...ids, endpointUrl: emulator.moto.endpoint, sweepAfterMinutes: 0, log: (line) => lines.push(line) }, { ...MOTO_SEAMS, now: () => later });
        assert.match(result.canaryUsername, /^\+1[2-9]\d{2}55501\d{2}$/);
        assert.deepStrictEqual(lines.filter((line) => line.includes("swept")), ["✔ swept canary signin-canary-00000000abcd, left by an earlier run that could not delete it"]);
        // Such a pool names its users by an id of its own: the phone number is an attribute.
        const { Users } = await emulator.client.send(new ListUsersCommand({ UserPoolId: userPoolId }));
        assert.deepStrictEqual(Users?.map((user) => user.Attributes?.find((attribute) => attribute.Name === "phone_number")?.Value), ["+12025550199"]);
    });
});
