import {
    AdminCreateUserCommand,
    CognitoIdentityProviderClient,
    CreateUserPoolClientCommand,
    CreateUserPoolCommand,
    SetUserPoolMfaConfigCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import * as path from "path";
import { MockRuntime, isWireSecret, onlyOfType } from "../mock/mockRuntime";
import { projectName, readStackFile } from "../mock/stackFile";

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
    };
    const mfaConfiguration = pool.string("mfaConfiguration") as "ON" | "OFF" | "OPTIONAL";
    const softwareToken = pool.optional("softwareTokenMfaConfiguration") as { enabled: boolean } | undefined;
    pool.done();
    const created = await client.send(new CreateUserPoolCommand(poolInputs));
    const userPoolId = created.UserPool?.Id as string;
    await client.send(
        new SetUserPoolMfaConfigCommand({
            UserPoolId: userPoolId,
            MfaConfiguration: mfaConfiguration,
            SoftwareTokenMfaConfiguration: softwareToken ? { Enabled: softwareToken.enabled } : undefined,
        }),
    );

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
    };
    app.done();
    const appClient = await client.send(new CreateUserPoolClientCommand(clientInputs));

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
    await client.send(new AdminCreateUserCommand(userInputs));
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

/** `{ minimumLength: 8 }` → `{ MinimumLength: 8 }`, for the Cognito API. */
function pascalKeys<T extends Inputs | undefined>(value: T): Record<string, never> | undefined {
    if (value === undefined) return undefined;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k[0].toUpperCase() + k.slice(1), v])) as Record<string, never>;
}

/**
 * Makes, in a Cognito emulator, the pool, client and admin user that a stack declares: the
 * program runs under Pulumi's mocks with the stack file's config, and its declared inputs are
 * sent through the Cognito API. Prints the ids, ready for `npm run verify:signin`.
 *
 *   npm run emulator:pool -- <endpoint-url> [stack]
 */
async function main(argv: readonly string[]): Promise<number> {
    const [endpoint, stack = "dev"] = argv;
    if (!endpoint) {
        console.error("usage: npm run emulator:pool -- <endpoint-url> [stack]   (for example http://127.0.0.1:5000 dev)");
        return 2;
    }
    const root = path.resolve(__dirname, "..", "..");
    const file = readStackFile(path.join(root, `Pulumi.${stack}.yaml`));
    const runtime = await MockRuntime.create(projectName(root), stack);
    const run = await runtime.runProgram(path.join(root, "index.ts"), file);
    const client = new CognitoIdentityProviderClient({
        region: file.values["aws:region"] ?? "us-east-1",
        endpoint,
        requestHandler: { connectionTimeout: 5_000, requestTimeout: 10_000 },
    });
    try {
        const ids = await createDeclaredPool(client, {
            userPool: onlyOfType(run.registrations, "aws:cognito/userPool:UserPool").inputs,
            client: onlyOfType(run.registrations, "aws:cognito/userPoolClient:UserPoolClient").inputs,
            user: onlyOfType(run.registrations, "aws:cognito/user:User").inputs,
        });
        console.log(`npm run verify:signin -- --user-pool-id ${ids.userPoolId} --client-id ${ids.clientId} --endpoint-url ${endpoint}`);
        return 0;
    } finally {
        client.destroy();
    }
}

if (require.main === module) {
    // The SDK is pinned in package-lock.json, so its notice about future releases and Node 22 is noise here.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
    main(process.argv.slice(2)).then(
        (status) => (process.exitCode = status),
        (error: Error) => {
            console.error(error.message);
            process.exitCode = 1;
        },
    );
}
