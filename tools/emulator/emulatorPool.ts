import {
    AdminCreateUserCommand,
    CognitoIdentityProviderClient,
    CreateUserPoolClientCommand,
    CreateUserPoolCommand,
    SetUserPoolMfaConfigCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import * as path from "path";
import { CommandSpec, EXIT, UsageError, checkStackName, runCommand, runMain } from "../../deploy/commandLine";
import { MockRuntime, isWireSecret, onlyOfType } from "../mock/mockRuntime";
import { StackFile, projectName, readStackFile, stackFilePaths } from "../mock/stackFile";

/** Ids of a pool made in an emulator. */
export interface EmulatedPool {
    readonly userPoolId: string;
    readonly clientId: string;
}

type Inputs = Readonly<Record<string, unknown>>;

/**
 * Makes, through the Cognito API, the pool, client and user that the program declared, with the
 * calls the AWS provider makes: CreateUserPool, then SetUserPoolMfaConfig, CreateUserPoolClient,
 * AdminCreateUser. An input this does not know fails loudly, so that nothing declared is skipped.
 */
export async function createDeclaredPool(
    client: CognitoIdentityProviderClient,
    declared: { userPool: Inputs; client: Inputs; user: Inputs },
    abortSignal?: AbortSignal,
): Promise<EmulatedPool> {
    const pool = take(declared.userPool, "user pool");
    const poolInputs = {
        PoolName: pool.string("name"),
        Policies: { PasswordPolicy: pascalKeys(pool.object("passwordPolicy")) },
        AdminCreateUserConfig: pascalKeys(pool.object("adminCreateUserConfig")),
        DeletionProtection: pool.optional("deletionProtection") as "ACTIVE" | "INACTIVE" | undefined,
        UsernameConfiguration: pascalKeys(pool.optional("usernameConfiguration") as Inputs | undefined) as
            | { CaseSensitive: boolean }
            | undefined,
        UsernameAttributes: pool.optional("usernameAttributes") as ("email" | "phone_number")[] | undefined,
        AliasAttributes: pool.optional("aliasAttributes") as ("email" | "phone_number" | "preferred_username")[] | undefined,
        UserPoolTags: pool.optional("tags") as Record<string, string> | undefined,
        UserPoolTier: pool.optional("userPoolTier") as "LITE" | "ESSENTIALS" | "PLUS" | undefined,
        AccountRecoverySetting: pascalKeys(pool.optional("accountRecoverySetting") as Inputs | undefined) as never,
        UserPoolAddOns: pascalKeys(pool.optional("userPoolAddOns") as Inputs | undefined) as never,
    };
    const mfaConfiguration = pool.string("mfaConfiguration") as "ON" | "OFF" | "OPTIONAL";
    const softwareToken = pool.optional("softwareTokenMfaConfiguration") as { enabled: boolean } | undefined;
    pool.done();
    const created = await client.send(new CreateUserPoolCommand(poolInputs), { abortSignal });
    const userPoolId = created.UserPool?.Id as string;
    // As the provider does: SetUserPoolMfaConfig only when MFA is not OFF.
    if (mfaConfiguration !== "OFF") {
        await client.send(
            new SetUserPoolMfaConfigCommand({
                UserPoolId: userPoolId,
                MfaConfiguration: mfaConfiguration,
                SoftwareTokenMfaConfiguration: softwareToken ? { Enabled: softwareToken.enabled } : undefined,
            }),
            { abortSignal },
        );
    }

    const app = take(declared.client, "app client");
    app.string("userPoolId");
    const clientInputs = {
        UserPoolId: userPoolId,
        ClientName: app.string("name"),
        GenerateSecret: app.optional("generateSecret") as boolean | undefined,
        RefreshTokenValidity: app.optional("refreshTokenValidity") as number | undefined,
        AccessTokenValidity: app.optional("accessTokenValidity") as number | undefined,
        IdTokenValidity: app.optional("idTokenValidity") as number | undefined,
        TokenValidityUnits: pascalKeys(app.optional("tokenValidityUnits") as Inputs | undefined),
        ExplicitAuthFlows: app.optional("explicitAuthFlows") as never,
        PreventUserExistenceErrors: app.optional("preventUserExistenceErrors") as "ENABLED" | "LEGACY" | undefined,
        EnableTokenRevocation: app.optional("enableTokenRevocation") as boolean | undefined,
        RefreshTokenRotation: pascalKeys(app.optional("refreshTokenRotation") as Inputs | undefined) as never,
    };
    app.done();
    const appClient = await client.send(new CreateUserPoolClientCommand(clientInputs), { abortSignal });

    const user = take(declared.user, "admin user");
    user.string("userPoolId");
    const password = user.object("temporaryPassword");
    const attributes = user.optional("attributes") as Record<string, string> | undefined;
    const userInputs = {
        UserPoolId: userPoolId,
        Username: user.string("username"),
        TemporaryPassword: isWireSecret(password) ? String(password.value) : fail("the temporary password is not a secret"),
        MessageAction: user.string("messageAction") as "SUPPRESS",
        UserAttributes: attributes && Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    };
    user.done();
    await client.send(new AdminCreateUserCommand(userInputs), { abortSignal });
    return { userPoolId, clientId: appClient.UserPoolClient?.ClientId as string };
}

function fail(message: string): never {
    throw new Error(message);
}

/** Reads declared inputs, and at `done()` fails on any input not read. */
function take(inputs: Inputs, what: string) {
    const read = new Set<string>();
    const get = (key: string) => {
        read.add(key);
        return inputs[key];
    };
    return {
        string: (key: string) => {
            const value = get(key);
            return typeof value === "string" ? value : fail(`the ${what}'s ${key} is not a string`);
        },
        object: (key: string) => {
            const value = get(key);
            return typeof value === "object" && value !== null ? (value as Inputs) : fail(`the ${what} has no ${key}`);
        },
        optional: (key: string) => get(key),
        done: () => {
            const unread = Object.keys(inputs).filter((key) => !read.has(key));
            if (unread.length > 0) fail(`the ${what} declares inputs the emulator set-up does not send: ${unread.join(", ")}`);
        },
    };
}

/** `{ minimumLength: 8 }` → `{ MinimumLength: 8 }`, at every depth and in lists, for the Cognito API. */
function pascalKeys<T extends Inputs | undefined>(value: T): Record<string, never> | undefined {
    if (value === undefined) return undefined;
    const convert = (item: unknown): unknown =>
        Array.isArray(item)
            ? item.map(convert)
            : typeof item === "object" && item !== null
              ? Object.fromEntries(Object.entries(item).map(([k, v]) => [k[0].toUpperCase() + k.slice(1), convert(v)]))
              : item;
    return convert(value) as Record<string, never>;
}

/** One call's deadline, and the whole run's: a silent endpoint fails the run within 30 s. */
const CALL_TIMEOUT_MS = 10_000;
const RUN_TIMEOUT_MS = 25_000;

export const EMULATOR_POOL_COMMAND: CommandSpec = {
    name: "npm run emulator:pool --",
    summary:
        "Makes, in a Cognito emulator such as moto, the pool, app client and admin user that a stack declares (the program runs under Pulumi's mocks with the stack file's config), and prints the verify:signin command for them.",
    usage: ["--endpoint-url <url> [--stack <name>]"],
    options: {
        "endpoint-url": { type: "string", value: "<url>", description: "The emulator, such as http://127.0.0.1:5000 (moto_server)." },
        stack: { type: "string", short: "s", value: "<name>", description: "The stack whose Pulumi.<name>.yaml is used. Default: dev." },
    },
    footer: `Every call has a ${CALL_TIMEOUT_MS / 1000} s deadline, and the whole run ${RUN_TIMEOUT_MS / 1000} s. Exit status: 0 made; 1 failed; 2 usage error.`,
};

export async function main(argv: readonly string[]): Promise<number> {
    return runCommand(EMULATOR_POOL_COMMAND, argv, async ({ values }) => {
        const endpoint = values["endpoint-url"];
        if (typeof endpoint !== "string") throw new UsageError("give --endpoint-url, such as http://127.0.0.1:5000");
        if (!/^https?:\/\/[^/\s]+/.test(endpoint) || !URL.canParse(endpoint)) {
            throw new UsageError(`--endpoint-url must be an http:// or https:// URL, such as http://127.0.0.1:5000 (got ${JSON.stringify(endpoint)})`);
        }
        const stack = checkStackName(typeof values.stack === "string" ? values.stack : "dev");
        const root = path.resolve(__dirname, "..", "..");
        const files = stackFilePaths(root);
        const file = Object.prototype.hasOwnProperty.call(files, stack) ? files[stack] : undefined;
        if (!file) throw new UsageError(`there is no Pulumi.${stack}.yaml; the stacks are ${Object.keys(files).join(", ") || "none"}`);
        const ids = await emulateStack(endpoint, readStackFile(file));
        console.log(`npm run verify:signin -- --user-pool-id ${ids.userPoolId} --client-id ${ids.clientId} --endpoint-url ${endpoint}`);
        return EXIT.ok;
    });
}

/** Deadlines of {@link emulateStack}: one call's, and the whole run's. */
export interface EmulatorDeadlines {
    readonly callTimeoutMs: number;
    readonly runTimeoutMs: number;
}

/**
 * Runs the program for a stack file under the mocks and makes the pool, client and admin user it
 * declares in the emulator at `endpoint`. A failure says what to do in words.
 */
export async function emulateStack(
    endpoint: string,
    config: StackFile,
    deadlines: EmulatorDeadlines = { callTimeoutMs: CALL_TIMEOUT_MS, runTimeoutMs: RUN_TIMEOUT_MS },
): Promise<EmulatedPool> {
    const root = path.resolve(__dirname, "..", "..");
    const runtime = await MockRuntime.create(projectName(root), config.stack);
    const run = await runtime.runProgram(path.join(root, "index.ts"), config);
    const client = new CognitoIdentityProviderClient({
        region: config.values["aws:region"] ?? "us-east-1",
        endpoint,
        // An emulator checks no signature: no AWS credentials are needed, or used.
        credentials: { accessKeyId: "emulator", secretAccessKey: "emulator" },
        maxAttempts: 1,
        requestHandler: { connectionTimeout: Math.min(5_000, deadlines.callTimeoutMs), requestTimeout: deadlines.callTimeoutMs, throwOnRequestTimeout: true },
    });
    try {
        return await createDeclaredPool(
            client,
            {
                userPool: onlyOfType(run.registrations, "aws:cognito/userPool:UserPool").inputs,
                client: onlyOfType(run.registrations, "aws:cognito/userPoolClient:UserPoolClient").inputs,
                user: onlyOfType(run.registrations, "aws:cognito/user:User").inputs,
            },
            AbortSignal.timeout(deadlines.runTimeoutMs),
        );
    } catch (error) {
        throw new Error(emulatorError(error, endpoint));
    } finally {
        client.destroy();
    }
}

/** A failed call to the emulator, in words that say what to do. */
export function emulatorError(error: unknown, endpoint: string): string {
    const err = error as { name?: string; message?: string; code?: string; cause?: { code?: string } };
    const code = err.code ?? err.cause?.code;
    if (code === "ECONNREFUSED") {
        return `nothing answers at ${endpoint}: is moto_server running? Start it with: MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP=true moto_server -H 127.0.0.1 -p <port>`;
    }
    if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `cannot resolve the host of ${endpoint} (${code})`;
    if (err.name === "TimeoutError" || err.name === "AbortError" || code === "ETIMEDOUT") {
        return `${endpoint} accepted the connection but did not answer in time: is it a Cognito emulator (moto_server)?`;
    }
    return `the emulator at ${endpoint} refused the pool: ${err.name && err.name !== "Error" ? `${err.name}: ` : ""}${err.message ?? String(error)}`;
}

if (require.main === module) runMain(main);
