import * as assert from "assert";
import { AdminCreateUserCommand, CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import { CANARY_SWEEP_AFTER_MINUTES, sweepStaleCanaries } from "../../deploy/verifier/canary";
import { stepCaller } from "../../deploy/verifier/cognitoSignIn";
import { verifySignIn } from "../../deploy/verifier/signIn";
import { EmulatedPool } from "../../tools/emulator/emulatorPool";
import { FaultyProxy, MotoServer, createSeedPool, sharedMoto, usernames } from "../moto";
import { ROOT } from "../support";
import { MOTO_SEAMS } from "./checkSupport";

/**
 * The verifier as a real child process, the way `local.Command` runs it, sent `signal` as soon as
 * the lines it has printed satisfy `when`.
 */
class VerifierProcess {
    readonly lines: string[] = [];
    private readonly child: ChildProcess;
    readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

    constructor(ids: EmulatedPool, endpoint: string, signal: NodeJS.Signals, when: (lines: readonly string[]) => boolean) {
        this.child = spawn(
            process.execPath,
            // The verifier's own command line, plus the specs' faster modPow (tests/setup/fastModPow.cjs).
            ["-r", "./deploy/typescript.cjs", "-r", "./tests/setup/fastModPow.cjs", path.join(ROOT, "deploy", "verifier", "cli.ts"), "--user-pool-id", ids.userPoolId, "--client-id", ids.clientId, "--endpoint-url", endpoint],
            { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
        );
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
        let sent = false;
        this.exited = new Promise((resolve) => this.child.on("exit", (code, exitSignal) => resolve({ code, signal: exitSignal })));
    }
}

describe("the sign-in check, interrupted, against the moto Cognito emulator", function () {
    this.timeout(30_000);
    let moto: MotoServer | undefined;
    let client: CognitoIdentityProviderClient;

    before(async function () {
        moto = await sharedMoto(this);
        client = moto.client();
    });

    after(async () => {
        client?.destroy();
        await proxy?.stop();
    });

    // Both verifiers run at once, from the start: each is signalled at its moment.
    let proxy: FaultyProxy;
    let terminated: { ids: EmulatedPool; verifier: VerifierProcess };
    let killed: { ids: EmulatedPool; verifier: VerifierProcess };
    const others = ["signin-canary-notours", "signin-canary-0123456789ab-x", "ops"];

    before(async () => {
        const [first, second] = await Promise.all([createSeedPool(client), createSeedPool(client)]);
        for (const username of others) {
            await client.send(new AdminCreateUserCommand({ UserPoolId: second.userPoolId, Username: username, TemporaryPassword: "Seed-Passw0rd!", MessageAction: "SUPPRESS" }));
        }
        // SIGTERM while VerifySoftwareToken's answer is held back: in the middle of a call.
        proxy = await FaultyProxy.start(moto!.endpoint, { VerifySoftwareToken: { delayMs: 10_000 } });
        const verifying = (lines: readonly string[]) => lines.some((line) => line.startsWith("✔ AssociateSoftwareToken"));
        terminated = { ids: first, verifier: new VerifierProcess(first, proxy.endpoint, "SIGTERM", verifying) };
        // SIGKILL as soon as its canary exists.
        killed = {
            ids: second,
            verifier: new VerifierProcess(second, moto!.endpoint, "SIGKILL", (lines) => lines.some((line) => /^✔ AdminCreateUser: canary signin-canary-[0-9a-f]{12}/.test(line))),
        };
    });

    it("deletes its canary and exits 143 when sent SIGTERM in the middle of a call", async () => {
        const { ids, verifier } = terminated;
        assert.deepStrictEqual(await verifier.exited, { code: 143, signal: null });
        assert.match(verifier.lines.join("\n"), /✔ AdminDeleteUser: canary signin-canary-[0-9a-f]{12} deleted\nSTOPPED by SIGTERM/);
        assert.deepStrictEqual(await usernames(client, ids.userPoolId), ["admin"]);
    });

    it("deletes its canary when stopped while it waits for the next TOTP step (SIGTERM's abort signal, in this process)", async () => {
        const ids = await createSeedPool(client);
        const stop = new AbortController();
        const lines: string[] = [];
        const log = (line: string) => {
            lines.push(line);
            // The wait for the step after the enrolment code's, which Cognito's single-use codes need.
            if (line.startsWith("… waiting") && lines.some((l) => l.startsWith("✔ sign-in 2: USER_SRP_AUTH"))) stop.abort();
        };
        await assert.rejects(
            verifySignIn({ ...ids, endpointUrl: moto!.endpoint, cancel: stop.signal, log }, { ...MOTO_SEAMS, singleUseCodes: true }),
            { message: 'sign-in verification failed at step "waiting for a fresh TOTP step": interrupted' },
        );
        assert.match(lines[lines.length - 1], /^✔ AdminDeleteUser: canary signin-canary-[0-9a-f]{12} deleted$/);
        assert.deepStrictEqual(await usernames(client, ids.userPoolId), ["admin"]);
    });

    it("leaves a canary when killed outright (SIGKILL), and the next run sweeps it, touching no other user", async () => {
        const { ids, verifier } = killed;
        assert.deepStrictEqual(await verifier.exited, { code: null, signal: "SIGKILL" });
        const left = (await usernames(client, ids.userPoolId)).filter((name) => /^signin-canary-[0-9a-f]{12}$/.test(name));
        assert.strictEqual(left.length, 1, "the killed run left its canary");

        const call = stepCaller({ userPoolId: ids.userPoolId });
        assert.deepStrictEqual(await sweepStaleCanaries(client, call, ids.userPoolId, CANARY_SWEEP_AFTER_MINUTES), [], "a canary younger than the bound is left alone");

        const lines: string[] = [];
        await verifySignIn({ ...ids, endpointUrl: moto!.endpoint, sweepAfterMinutes: 0, log: (line) => lines.push(line) }, MOTO_SEAMS);
        assert.deepStrictEqual(lines.filter((line) => line.includes("swept")), [`✔ swept canary ${left[0]}, left by an earlier run that could not delete it`]);
        assert.deepStrictEqual(await usernames(client, ids.userPoolId), ["admin", ...others].sort());
    });
});
