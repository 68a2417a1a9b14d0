import {
    AdminCreateUserCommand,
    CognitoIdentityProviderClient,
    CreateUserPoolClientCommand,
    CreateUserPoolCommand,
    ListUsersCommand,
    SetUserPoolMfaConfigCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { EmulatedPool } from "../tools/emulator/emulatorPool";

// The SDK is pinned in package-lock.json, so its notice about future releases and Node 22 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

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

/** A moto server of this test run's own, on a free loopback port, with TOTP checking on. */
export class MotoServer {
    private constructor(
        private readonly process: ChildProcess,
        /** The endpoint to point the AWS SDK at. */
        readonly endpoint: string,
    ) {}

    /** Starts moto_server and waits (up to 20 s) until it answers. */
    static async start(executable: string): Promise<MotoServer> {
        const port = await freePort();
        const child = spawn(executable, ["-H", "127.0.0.1", "-p", String(port)], {
            env: { ...process.env, MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP: "true" },
            stdio: "ignore",
        });
        const server = new MotoServer(child, `http://127.0.0.1:${port}`);
        const deadline = Date.now() + 20_000;
        while (Date.now() < deadline) {
            if (child.exitCode !== null) throw new Error(`moto_server exited with status ${child.exitCode}`);
            try {
                await server.reset();
                return server;
            } catch {
                await new Promise((resolve) => setTimeout(resolve, 100));
            }
        }
        server.stop();
        throw new Error(`moto_server did not answer on ${server.endpoint} within 20 s`);
    }

    /** Clears every pool and user. */
    async reset(): Promise<void> {
        const response = await fetch(`${this.endpoint}/moto-api/reset`, { method: "POST" });
        if (!response.ok) throw new Error(`moto reset answered ${response.status}`);
    }

    /** Stops the server by its process id. */
    stop(): void {
        if (this.process.pid !== undefined && this.process.exitCode === null) {
            process.kill(this.process.pid, "SIGTERM");
        }
    }

    /** An SDK client for this server, with dummy credentials. */
    client(): CognitoIdentityProviderClient {
        return new CognitoIdentityProviderClient({
            region: "us-east-1",
            endpoint: this.endpoint,
            credentials: { accessKeyId: "test", secretAccessKey: "test" },
        });
    }
}

/**
 * Gives the standard credential chain dummy keys, as an emulator needs, until the returned
 * function puts the environment back.
 */
export function useDummyCredentials(): () => void {
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = "test";
    process.env.AWS_SECRET_ACCESS_KEY = "test";
    return () => {
        for (const [key, value] of [["AWS_ACCESS_KEY_ID", saved.id], ["AWS_SECRET_ACCESS_KEY", saved.secret]] as const) {
            if (value === undefined) delete process.env[key];
            else process.env[key] = value;
        }
    };
}

/**
 * The seed boto3 script's own calls, in its order: CreateUserPool, CreateUserPoolClient,
 * SetUserPoolMfaConfig (ON, software token only), AdminCreateUser (SUPPRESS).
 * `mfa: "OFF"` skips turning MFA on, for the negative case.
 */
export async function createSeedPool(client: CognitoIdentityProviderClient, mfa: "ON" | "OFF" = "ON"): Promise<EmulatedPool> {
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

/** The usernames in a pool, sorted. */
export async function usernames(client: CognitoIdentityProviderClient, userPoolId: string): Promise<string[]> {
    const { Users } = await client.send(new ListUsersCommand({ UserPoolId: userPoolId }));
    return (Users ?? []).map((u) => u.Username as string).sort();
}

/** What a {@link FaultyProxy} does to one Cognito operation. */
export interface Fault {
    /** Forward the call, then hold the answer back this long. */
    readonly delayMs?: number;
    /** Answer with this AWS error instead of forwarding the call. */
    readonly error?: string;
}

/**
 * A loopback proxy in front of moto that breaks chosen operations (by `X-Amz-Target`), to see
 * what the verifier does when AWS is slow or says no at the worst moment.
 */
export class FaultyProxy {
    private constructor(
        private readonly server: import("http").Server,
        /** The endpoint to point the verifier at. */
        readonly endpoint: string,
    ) {}

    static async start(target: string, faults: Readonly<Record<string, Fault>>): Promise<FaultyProxy> {
        const http = await import("http");
        const server = http.createServer((req, res) => {
            const chunks: Buffer[] = [];
            req.on("data", (chunk: Buffer) => chunks.push(chunk));
            req.on("end", async () => {
                const operation = String(req.headers["x-amz-target"] ?? "").split(".").pop() ?? "";
                const fault = faults[operation];
                if (fault?.error) {
                    res.writeHead(400, { "content-type": "application/x-amz-json-1.1" });
                    res.end(JSON.stringify({ __type: fault.error, message: `${fault.error} from the test proxy` }));
                    return;
                }
                const headers = Object.fromEntries(
                    Object.entries(req.headers).filter(([key]) => key !== "host" && key !== "content-length"),
                ) as Record<string, string>;
                const answer = await fetch(`${target}${req.url}`, { method: req.method, headers, body: Buffer.concat(chunks) });
                const body = Buffer.from(await answer.arrayBuffer());
                if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
                if (res.destroyed) return;
                res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" });
                res.end(body);
            });
        });
        const port = await freePort();
        await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
        return new FaultyProxy(server, `http://127.0.0.1:${port}`);
    }

    /** Stops the proxy, dropping any held answer. */
    stop(): Promise<void> {
        this.server.closeAllConnections();
        return new Promise((resolve) => this.server.close(() => resolve()));
    }
}
