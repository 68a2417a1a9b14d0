import {
    AdminCreateUserCommand,
    CognitoIdentityProviderClient,
    CreateUserPoolClientCommand,
    CreateUserPoolCommand,
    InitiateAuthCommand,
    ListUsersCommand,
    SetUserPoolMfaConfigCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import * as assert from "assert";
import * as http from "http";
import { CognitoSignIn } from "../deploy/verifier/cognitoSignIn";
import { totpCode } from "../deploy/verifier/totp";
import { freePort, MotoServer, sharedMoto } from "./motoServer";

export * from "./motoServer";

// The SDK is pinned in package-lock.json, so its notice about future releases and Node 22 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

/** The run's moto server and an SDK client for it, once {@link useMoto}'s before hook has run. */
export interface MotoContext {
    readonly moto: MotoServer;
    readonly client: CognitoIdentityProviderClient;
}

/**
 * The one moto set-up of the emulator specs, for the enclosing `describe`: a before hook that
 * gets the test run's moto server (see {@link sharedMoto}: it skips the suite where moto_server
 * is missing) and an SDK client for it, and an after hook that destroys the client. Read the
 * returned context's fields inside tests and hooks, not while the suite is being defined.
 */
export function useMoto(): MotoContext {
    let moto: MotoServer | undefined;
    let client: CognitoIdentityProviderClient | undefined;
    before(async function () {
        moto = await sharedMoto(this);
        client = moto.client();
    });
    after(() => client?.destroy());
    return {
        get moto() {
            return moto ?? assert.fail("moto is not set up yet: read it inside a test or a hook");
        },
        get client() {
            return client ?? assert.fail("moto is not set up yet: read it inside a test or a hook");
        },
    };
}

/** A pool's ids in the emulator. */
export interface PoolIds {
    readonly userPoolId: string;
    readonly clientId: string;
}

/**
 * The seed boto3 script's own calls, in its order: CreateUserPool, CreateUserPoolClient,
 * SetUserPoolMfaConfig (ON, software token only), AdminCreateUser (SUPPRESS).
 * `mfa: "OFF"` skips turning MFA on, for the negative case.
 */
export async function createSeedPool(client: CognitoIdentityProviderClient, mfa: "ON" | "OFF" = "ON"): Promise<PoolIds> {
    const pool = await client.send(
        new CreateUserPoolCommand({
            PoolName: "seed-pool",
            Policies: {
                PasswordPolicy: {
                    MinimumLength: 8,
                    RequireUppercase: true,
                    RequireLowercase: true,
                    RequireNumbers: true,
                    RequireSymbols: true,
                    TemporaryPasswordValidityDays: 7,
                },
            },
            AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
        }),
    );
    const userPoolId = pool.UserPool?.Id as string;
    const appClient = await client.send(
        new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: "seed-pool-client", RefreshTokenValidity: 30 }),
    );
    if (mfa === "ON") {
        await client.send(
            new SetUserPoolMfaConfigCommand({
                UserPoolId: userPoolId,
                MfaConfiguration: "ON",
                SoftwareTokenMfaConfiguration: { Enabled: true },
            }),
        );
    }
    await client.send(
        new AdminCreateUserCommand({
            UserPoolId: userPoolId,
            Username: "admin",
            TemporaryPassword: "Seed-Passw0rd!",
            MessageAction: "SUPPRESS",
        }),
    );
    return { userPoolId, clientId: appClient.UserPoolClient?.ClientId as string };
}

/** moto's one TOTP secret for every user (its quirk), which must never be printed. */
export const MOTO_TOTP_SECRET = "asdfasdfasdf";

/** The current code for `secret`, away from a step's last half second (moto takes the current step's code only). */
export async function currentCode(secret: string): Promise<string> {
    const intoStep = Date.now() % 30_000;
    if (intoStep > 29_500) await new Promise((resolve) => setTimeout(resolve, 30_000 - intoStep));
    return totpCode(secret, Date.now());
}

/**
 * Takes a user with a temporary password through the first sign-in with the API directly, as an
 * app would but without SRP's slow arithmetic: USER_PASSWORD_AUTH (the one sign-in in which moto
 * checks the password) → NEW_PASSWORD_REQUIRED → MFA_SETUP (associate, verify) → tokens → TOTP
 * preferred. Afterwards the user is CONFIRMED with a software token.
 */
export async function enrolWithoutSrp(client: CognitoIdentityProviderClient, ids: PoolIds, username: string, temporaryPassword: string, password: string): Promise<void> {
    const signIn = new CognitoSignIn(client, { userPoolId: ids.userPoolId }, ids.clientId);
    const started = await client.send(
        new InitiateAuthCommand({ ClientId: ids.clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: username, PASSWORD: temporaryPassword } }),
    );
    const setUp = await signIn.newPassword("NEW_PASSWORD_REQUIRED", started, username, password);
    const associated = await signIn.associateSoftwareToken("AssociateSoftwareToken", setUp);
    const session = await signIn.verifySoftwareToken("VerifySoftwareToken", associated.session, await currentCode(associated.secret), "test");
    const tokens = await signIn.finishMfaSetup("MFA_SETUP", session, username);
    await signIn.setTotpPreferred("SetUserMFAPreference", tokens.AuthenticationResult?.AccessToken as string);
}

/** The usernames in a pool, sorted. */
export async function usernames(client: CognitoIdentityProviderClient, userPoolId: string): Promise<string[]> {
    const { Users } = await client.send(new ListUsersCommand({ UserPoolId: userPoolId }));
    return (Users ?? []).map((u) => u.Username as string).sort();
}

/**
 * Sends one request with Node's http module (not fetch, whose first call loads undici: some 50 ms
 * of CPU in each mocha worker) and resolves to the answer's status, headers and body.
 */
export function forward(
    url: string,
    method: string,
    headers: Readonly<Record<string, string>>,
    body: Buffer,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
    return new Promise((resolve, reject) => {
        const request = http.request(url, { method, headers: { ...headers, "content-length": String(body.length) }, agent: false }, (response) => {
            const chunks: Buffer[] = [];
            response.on("data", (chunk: Buffer) => chunks.push(chunk));
            response.on("end", () => resolve({ status: response.statusCode ?? 500, headers: response.headers, body: Buffer.concat(chunks) }));
            response.once("error", reject);
        });
        request.once("error", reject);
        request.end(body);
    });
}

/** What a {@link FaultyProxy} does to one Cognito operation. */
export interface Fault {
    /** Forward the call, then hold the answer back this long. */
    readonly delayMs?: number;
    /** Answer with this AWS error (its name, or its name and message) instead of forwarding the call. */
    readonly error?: string | { readonly name: string; readonly message: string };
    /** Answer with this JSON document instead of forwarding the call, as Cognito would where moto cannot. */
    readonly answer?: Readonly<Record<string, unknown>>;
}

/** The fault for one call: fixed, or chosen from the call's JSON body (`undefined` forwards it). */
export type FaultRule = Fault | ((body: Record<string, unknown>) => Fault | undefined);

/**
 * A loopback proxy in front of moto that breaks chosen operations (by `X-Amz-Target`): it holds
 * an answer back, answers with an error in Cognito's own words, or answers a call that moto
 * cannot. It records every call it sees.
 */
export class FaultyProxy {
    /** Every call, in order: its operation and its JSON body. */
    readonly calls: { readonly operation: string; readonly body: Record<string, unknown> }[] = [];

    private constructor(
        private readonly server: http.Server,
        /** The endpoint to point the code under test at. */
        readonly endpoint: string,
    ) {}

    static async start(target: string, faults: Readonly<Record<string, FaultRule>>): Promise<FaultyProxy> {
        let proxy: FaultyProxy | undefined;
        const server = http.createServer((req, res) => {
            const chunks: Buffer[] = [];
            req.on("data", (chunk: Buffer) => chunks.push(chunk));
            req.on("end", async () => {
                const operation = String(req.headers["x-amz-target"] ?? "").split(".").pop() ?? "";
                const body = Buffer.concat(chunks);
                const parsed = JSON.parse(body.toString() || "{}") as Record<string, unknown>;
                proxy?.calls.push({ operation, body: parsed });
                const rule = faults[operation];
                const fault = typeof rule === "function" ? rule(parsed) : rule;
                if (fault?.error) {
                    const { name, message } = typeof fault.error === "string" ? { name: fault.error, message: `${fault.error} from the test proxy` } : fault.error;
                    res.writeHead(400, { "content-type": "application/x-amz-json-1.1" });
                    res.end(JSON.stringify({ __type: name, message }));
                    return;
                }
                if (fault?.answer) {
                    res.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
                    res.end(JSON.stringify(fault.answer));
                    return;
                }
                // Not accept-encoding: the answer goes back without the target's content-encoding, so it must come uncompressed.
                const headers = Object.fromEntries(
                    Object.entries(req.headers).filter(([key]) => !["host", "content-length", "connection", "accept-encoding"].includes(key)),
                ) as Record<string, string>;
                const answer = await forward(`${target}${req.url}`, req.method ?? "POST", headers, body);
                if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
                if (res.destroyed) return;
                res.writeHead(answer.status, { "content-type": answer.headers["content-type"] ?? "application/json" });
                res.end(answer.body);
            });
        });
        const port = await freePort();
        await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
        proxy = new FaultyProxy(server, `http://127.0.0.1:${port}`);
        return proxy;
    }

    /** Stops the proxy, dropping any held answer. */
    stop(): Promise<void> {
        this.server.closeAllConnections();
        return new Promise((resolve) => this.server.close(() => resolve()));
    }
}
