import {
    AdminAddUserToGroupCommand,
    AdminCreateUserCommand,
    CognitoIdentityProviderClient,
    CreateGroupCommand,
    CreateUserPoolClientCommand,
    CreateUserPoolCommand,
    SetUserPoolMfaConfigCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import * as path from "path";
import { CommandSpec, EXIT, UsageError, checkStackName, runCommand, runMain, shellCommand } from "../../deploy/commandLine";
import { checkEndpointUrl } from "../../deploy/stackOutputs";
import { TYPE_TOKENS } from "../../deploy/components/typeTokens";
import { MockRuntime, isWireSecret, onlyOfType } from "../mock/mockRuntime";
import { ENCRYPTED_STAND_IN, StackFile, configText, projectName, readStackFile, stackFilePaths, withPlaceholders } from "../mock/stackFile";

const ROOT = path.resolve(__dirname, "..", "..");

/** An admin user made in the emulator. */
export interface EmulatedAdmin {
    readonly username: string;
    /** Its temporary password: the mocks' generated stand-in, the stack file's plain value, or {@link ENCRYPTED_STAND_IN}. */
    readonly temporaryPassword: string;
    /** Its groups, in the order declared. */
    readonly groups: readonly string[];
}

/** Ids of a pool made in an emulator, and what was made in it. */
export interface EmulatedPool {
    readonly userPoolId: string;
    readonly clientId: string;
    /** The admin users, in the order declared. */
    readonly admins: readonly EmulatedAdmin[];
    /** The groups, in the order declared. */
    readonly groups: readonly string[];
}

type Inputs = Readonly<Record<string, unknown>>;

/** What the program declared, by kind: the resources the emulator makes. */
export interface DeclaredPool {
    readonly userPool: Inputs;
    readonly client: Inputs;
    readonly users: readonly Inputs[];
    readonly groups: readonly Inputs[];
    readonly memberships: readonly Inputs[];
}

/**
 * Makes, through the Cognito API, what the program declared, with the calls the AWS provider
 * makes: CreateUserPool, then SetUserPoolMfaConfig, CreateUserPoolClient, CreateGroup for each
 * group, AdminCreateUser for each admin, AdminAddUserToGroup for each membership. An input this
 * does not know fails loudly, so that nothing declared is skipped.
 */
export async function createDeclaredPool(client: CognitoIdentityProviderClient, declared: DeclaredPool, abortSignal?: AbortSignal): Promise<EmulatedPool> {
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

    const groups: string[] = [];
    for (const declaredGroup of declared.groups) {
        const group = take(declaredGroup, "group");
        group.string("userPoolId");
        const name = group.string("name");
        const about = { Description: group.optional("description") as string | undefined, Precedence: group.optional("precedence") as number | undefined };
        group.done();
        await client.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: name, ...about }), { abortSignal });
        groups.push(name);
    }

    const admins: { username: string; temporaryPassword: string; groups: string[] }[] = [];
    for (const declaredUser of declared.users) {
        const user = take(declaredUser, "admin user");
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
        admins.push({ username: userInputs.Username, temporaryPassword: userInputs.TemporaryPassword, groups: [] });
    }

    for (const declaredMembership of declared.memberships) {
        const membership = take(declaredMembership, "group membership");
        membership.string("userPoolId");
        const inputs = { UserPoolId: userPoolId, GroupName: membership.string("groupName"), Username: membership.string("username") };
        membership.done();
        await client.send(new AdminAddUserToGroupCommand(inputs), { abortSignal });
        admins.find((admin) => admin.username === inputs.Username)?.groups.push(inputs.GroupName);
    }
    return { userPoolId, clientId: appClient.UserPoolClient?.ClientId as string, admins, groups };
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
        "Makes, in a Cognito emulator such as moto, what a stack declares: the pool, app client, groups, every admin user and its group memberships " +
        "(the program runs under Pulumi's mocks with the stack file's config). Prints the ids, each admin, and the commands for a local rehearsal.",
    usage: ["--endpoint-url <url> [--stack <name>] [--show-temporary-passwords]"],
    options: {
        "endpoint-url": { type: "string", value: "<url>", description: "The emulator, such as http://127.0.0.1:5000 (moto_server)." },
        stack: { type: "string", short: "s", value: "<name>", description: "The stack whose Pulumi.<name>.yaml is used. Default: dev." },
        "show-temporary-passwords": {
            type: "boolean",
            description:
                "Print each admin's temporary password in the emulator: the mocks' generated stand-in (the same on every run), or the stack file's own, " +
                "with a secure: value replaced by a stand-in. Never a deployed stack's.",
        },
    },
    footer: `Every call has a ${CALL_TIMEOUT_MS / 1000} s deadline, and the whole run ${RUN_TIMEOUT_MS / 1000} s. Exit status: 0 made; 1 failed; 2 usage error.`,
};

/**
 * Runs the command.
 * @param stackFiles The stack files by stack name (a seam for tests). Default: the project's.
 */
export async function main(argv: readonly string[], stackFiles: Readonly<Record<string, string>> = stackFilePaths(ROOT)): Promise<number> {
    return runCommand(EMULATOR_POOL_COMMAND, argv, async ({ values }) => {
        if (typeof values["endpoint-url"] !== "string") throw new UsageError("give --endpoint-url, such as http://127.0.0.1:5000");
        const endpoint = checkEndpointUrl(values["endpoint-url"]);
        const stack = checkStackName(typeof values.stack === "string" ? values.stack : "dev");
        const file = Object.prototype.hasOwnProperty.call(stackFiles, stack) ? stackFiles[stack] : undefined;
        if (!file) throw new UsageError(`there is no Pulumi.${stack}.yaml; the stacks are ${Object.keys(stackFiles).join(", ") || "none"}`);
        const made = await emulateStack(endpoint, readStackFile(file));
        console.log(emulatedPoolText(made, stack, endpoint, values["show-temporary-passwords"] === true).join("\n"));
        return EXIT.ok;
    });
}

/** What emulator:pool prints: the ids, the sign-in check's command, and each admin with its first sign-in's command. */
export function emulatedPoolText(made: EmulatedPool, stack: string, endpoint: string, showPasswords: boolean): string[] {
    const ids = ["--user-pool-id", made.userPoolId, "--client-id", made.clientId];
    return [
        `Made stack ${stack}'s pool in the emulator at ${endpoint}: user pool ${made.userPoolId}, app client ${made.clientId}` +
            (made.groups.length ? `, groups ${made.groups.join(", ")}` : "") +
            ".",
        "The sign-in check:",
        `  ${shellCommand(["npm", "run", "verify:signin", "--", ...ids, "--endpoint-url", endpoint])}`,
        `Admin users, each with its first sign-in (temporary passwords ${showPasswords ? "below" : "not shown: add --show-temporary-passwords, they are the same on every run"}):`,
        ...made.admins.flatMap((admin) => [
            `  ${admin.username}${admin.groups.length ? ` (groups ${admin.groups.join(", ")})` : ""}${showPasswords ? `: temporary password ${admin.temporaryPassword}` : ""}`,
            `    ${shellCommand(["npm", "run", "admin:first-sign-in", "--", ...ids, "--username", admin.username, "--endpoint-url", endpoint])}`,
        ]),
    ];
}

/** Deadlines of {@link emulateStack}: one call's, and the whole run's. */
export interface EmulatorDeadlines {
    readonly callTimeoutMs: number;
    readonly runTimeoutMs: number;
}

/**
 * Runs the program for a stack file under the mocks and makes what it declares in the emulator
 * at `endpoint`, with {@link ENCRYPTED_STAND_IN} for each `secure:` value. A failure says what to
 * do in words.
 */
export async function emulateStack(
    endpoint: string,
    file: StackFile,
    deadlines: EmulatorDeadlines = { callTimeoutMs: CALL_TIMEOUT_MS, runTimeoutMs: RUN_TIMEOUT_MS },
): Promise<EmulatedPool> {
    const runtime = await MockRuntime.create(projectName(ROOT), file.stack);
    const values = { ...file.values };
    for (const [key, value] of Object.entries(file.encrypted)) values[key] = configText(withPlaceholders(value, ENCRYPTED_STAND_IN));
    const run = await runtime.runProgram(path.join(ROOT, "index.ts"), { values, secretKeys: [...file.secretKeys, ...file.encryptedKeys] });
    const client = new CognitoIdentityProviderClient({
        region: file.values["aws:region"] ?? "us-east-1",
        endpoint,
        // An emulator checks no signature: no AWS credentials are needed, or used.
        credentials: { accessKeyId: "emulator", secretAccessKey: "emulator" },
        maxAttempts: 1,
        requestHandler: { connectionTimeout: Math.min(5_000, deadlines.callTimeoutMs), requestTimeout: deadlines.callTimeoutMs, throwOnRequestTimeout: true },
    });
    const ofType = (type: string) => run.registrations.filter((registration) => registration.type === type).map((registration) => registration.inputs);
    try {
        return await createDeclaredPool(
            client,
            {
                userPool: onlyOfType(run.registrations, TYPE_TOKENS.userPool).inputs,
                client: onlyOfType(run.registrations, TYPE_TOKENS.client).inputs,
                users: ofType(TYPE_TOKENS.user),
                groups: ofType(TYPE_TOKENS.group),
                memberships: ofType(TYPE_TOKENS.membership),
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

if (require.main === module) runMain((argv) => main(argv));
