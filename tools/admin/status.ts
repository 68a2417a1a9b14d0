/**
 * `npm run admin:status`: read-only. For each admin user: its status, when it was created, when
 * its temporary password expires (and whether it has), and whether TOTP is enrolled. Exit 1
 * when an admin is missing or its temporary password has expired, with the command that fixes it.
 */
import {
    AdminGetUserCommand,
    CognitoIdentityProviderClient,
    DescribeUserPoolCommand,
    ListUsersCommand,
    UserType,
} from "@aws-sdk/client-cognito-identity-provider";
import { CommandSpec, EXIT, UsageError, checkStackName, npmBannerNote, runCommand, runMain } from "../../deploy/commandLine";
import { readStackOutputs, stringOutput } from "../../deploy/stackOutputs";
import { CANARY_PATTERN } from "../../deploy/verifier/canary";
import { CognitoEndpoint, cognitoClient, stepCaller } from "../../deploy/verifier/cognitoSignIn";
import { reissueCommand } from "./reissue";

/** The most users read when no username is given: 10 pages of 60. */
const MAX_PAGES = 10;
const DAY_MS = 86_400_000;

/** One admin user's state. */
export interface AdminState {
    readonly username: string;
    /** Whether the user exists in the pool. */
    readonly found: boolean;
    /** Cognito's user status, such as FORCE_CHANGE_PASSWORD or CONFIRMED. */
    readonly status?: string;
    readonly enabled?: boolean;
    /** When the user was created (ISO 8601). */
    readonly created?: string;
    /** When the user was last changed (ISO 8601), such as a temporary password re-issued. */
    readonly lastModified?: string;
    /**
     * While the status is FORCE_CHANGE_PASSWORD: when the temporary password expires, counted
     * from the user's last change (its creation, or a re-issued password) plus the pool's
     * TemporaryPasswordValidityDays.
     */
    readonly temporaryPasswordExpires?: string;
    readonly temporaryPasswordExpired?: boolean;
    /** Whether an authenticator app (TOTP) is enrolled. */
    readonly totpEnrolled?: boolean;
}

/** The admin users of one pool. */
export interface PoolAdminStatus {
    readonly userPoolId: string;
    readonly temporaryPasswordValidityDays: number;
    readonly admins: readonly AdminState[];
    /** Sign-in canaries found in the pool: a check that could not clean up (the next one deletes them). */
    readonly canaries: readonly string[];
}

/** Reads the state of `usernames` (or of every user, when none is given). Read-only. */
export async function readAdminStatus(
    endpoint: CognitoEndpoint,
    usernames: readonly string[],
    now: number,
    client: CognitoIdentityProviderClient = cognitoClient(endpoint),
): Promise<PoolAdminStatus> {
    const call = stepCaller(endpoint);
    const userPoolId = endpoint.userPoolId;
    const { UserPool: pool } = await call("DescribeUserPool", (abortSignal) =>
        client.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }), { abortSignal }),
    );
    const validityDays = pool?.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays ?? 7;
    const listed = await listUsers(client, call, userPoolId);
    const canaries = listed.filter((user) => CANARY_PATTERN.test(user.Username ?? "")).map((user) => user.Username as string);
    const names = usernames.length > 0 ? usernames : listed.map((user) => user.Username as string).filter((name) => !canaries.includes(name));
    const admins: AdminState[] = [];
    for (const username of names) {
        let user;
        try {
            user = await call(`AdminGetUser ${username}`, (abortSignal) =>
                client.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }), { abortSignal }),
            );
        } catch (error) {
            if ((error as { errorName?: string }).errorName === "UserNotFoundException") {
                admins.push({ username, found: false });
                continue;
            }
            throw error;
        }
        const created = user.UserCreateDate ? new Date(user.UserCreateDate) : undefined;
        const lastModified = user.UserLastModifiedDate ? new Date(user.UserLastModifiedDate) : created;
        const mustChange = user.UserStatus === "FORCE_CHANGE_PASSWORD";
        const expires = mustChange && lastModified ? new Date(lastModified.getTime() + validityDays * DAY_MS) : undefined;
        admins.push({
            username,
            found: true,
            status: user.UserStatus,
            enabled: user.Enabled,
            created: created?.toISOString(),
            lastModified: lastModified?.toISOString(),
            ...(expires ? { temporaryPasswordExpires: expires.toISOString(), temporaryPasswordExpired: expires.getTime() <= now } : {}),
            totpEnrolled: (user.UserMFASettingList ?? []).includes("SOFTWARE_TOKEN_MFA") || user.PreferredMfaSetting === "SOFTWARE_TOKEN_MFA",
        });
    }
    return { userPoolId, temporaryPasswordValidityDays: validityDays, admins, canaries };
}

/** ListUsers, every page up to {@link MAX_PAGES}. */
async function listUsers(client: CognitoIdentityProviderClient, call: ReturnType<typeof stepCaller>, userPoolId: string): Promise<UserType[]> {
    const users: UserType[] = [];
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
        const listed = await call("ListUsers", (abortSignal) =>
            client.send(new ListUsersCommand({ UserPoolId: userPoolId, Limit: 60, PaginationToken: token }), { abortSignal }),
        );
        users.push(...(listed.Users ?? []));
        token = listed.PaginationToken;
        if (!token) break;
    }
    return users;
}

/**
 * What is wrong, each with the command that fixes it; empty when every admin is fine.
 * `mainAdmin` is the stack's `adminUsername` user, whose re-issue key differs from the others'.
 */
export function adminProblems(status: PoolAdminStatus, stack: string | undefined, mainAdmin?: string): string[] {
    const s = stack ? ` --stack ${stack}` : "";
    const problems: string[] = [];
    for (const admin of status.admins) {
        if (!admin.found) {
            problems.push(
                `${admin.username} is missing from the pool. Let Pulumi see that it is gone, then create it again: pulumi refresh${s} && pulumi up${s}`,
            );
        } else if (admin.temporaryPasswordExpired) {
            const reissue = reissueCommand({ username: admin.username, stack, mainAdmin: admin.username === mainAdmin }, "<any new text>");
            problems.push(
                `${admin.username}'s temporary password expired on ${admin.temporaryPasswordExpires}. Re-issue it: for a generated password, ` +
                    `${reissue} && pulumi up${s}; for one you set, set a new one with ` +
                    `pulumi config set --secret adminTemporaryPassword${s} (or that user's adminUsers[i].temporaryPassword) && pulumi up${s}`,
            );
        }
    }
    return problems;
}

/** The status as a table. */
export function statusText(status: PoolAdminStatus): string[] {
    const rows = status.admins.map((admin) => [
        admin.username,
        admin.found ? `${admin.status ?? "?"}${admin.enabled === false ? " (disabled)" : ""}` : "MISSING",
        admin.created ? admin.created.replace("T", " ").slice(0, 16) : "",
        !admin.found
            ? ""
            : admin.temporaryPasswordExpires
              ? `${admin.temporaryPasswordExpired ? "EXPIRED" : "expires"} ${admin.temporaryPasswordExpires.replace("T", " ").slice(0, 16)}`
              : "changed by the user",
        !admin.found ? "" : admin.totpEnrolled ? "enrolled" : "not enrolled",
    ]);
    const header = ["USERNAME", "STATUS", "CREATED (UTC)", "TEMPORARY PASSWORD (UTC)", "TOTP"];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)) + 2);
    const line = (cells: string[]) => "  " + cells.map((cell, i) => cell.padEnd(widths[i])).join("").trimEnd();
    return [
        `Admin users of user pool ${status.userPoolId} (temporary passwords valid ${status.temporaryPasswordValidityDays} days)`,
        line(header),
        ...rows.map(line),
        ...(status.canaries.length
            ? [`  sign-in canaries left in the pool (the next sign-in check deletes them): ${status.canaries.join(", ")}`]
            : []),
    ];
}

export const ADMIN_STATUS_COMMAND: CommandSpec = {
    name: "npm run admin:status --",
    summary: "Shows each admin user's status, temporary-password expiry and TOTP enrolment. Read-only.",
    usage: ["--stack <name> [--json]", "--user-pool-id <id> [--username <name>]... [--region <region>] [--endpoint-url <url>] [--json]"],
    options: {
        stack: { type: "string", short: "s", value: "<name>", description: "Read the pool id and admin usernames from `pulumi stack output --json --stack <name>`." },
        "user-pool-id": { type: "string", value: "<id>", description: "The user pool's id." },
        username: { type: "string", multiple: true, value: "<name>", description: "An admin's username. Default: every user in the pool." },
        region: { type: "string", value: "<region>", description: "The AWS region. Default: the region in the user pool's id." },
        "endpoint-url": { type: "string", value: "<url>", description: "A Cognito endpoint instead of AWS's, such as a local moto server." },
        json: { type: "boolean", description: "Print JSON only." },
    },
    footer: [
        "Needs cognito-idp:DescribeUserPool, ListUsers and AdminGetUser.",
        "Exit status: 0 every admin is fine; 1 an admin is missing or its temporary password expired (the fix is printed); 2 usage error.",
    ].join("\n"),
};

/** Runs the command; `now` and `outputs` are seams for tests (a clock, and the stack's outputs). */
export async function main(argv: readonly string[], now = () => Date.now(), outputs = readStackOutputs): Promise<number> {
    return runCommand(ADMIN_STATUS_COMMAND, argv, async ({ values }) => {
        const given = values as Record<string, string | undefined>;
        let userPoolId = given["user-pool-id"];
        let usernames = (values.username as string[] | undefined) ?? [];
        const stack = given.stack === undefined ? undefined : checkStackName(given.stack);
        let mainAdmin: string | undefined;
        if (stack) {
            if (userPoolId !== undefined || usernames.length > 0) throw new UsageError("--stack reads the pool and the admins from the stack: give --stack alone, or --user-pool-id");
            const stackOutputs = outputs(stack);
            mainAdmin = typeof stackOutputs.adminUsername === "string" ? stackOutputs.adminUsername : undefined;
            userPoolId = stringOutput(stackOutputs, "userPoolId", stack);
            usernames = Array.isArray(stackOutputs.adminUsernames)
                ? (stackOutputs.adminUsernames as string[])
                : [stringOutput(stackOutputs, "adminUsername", stack)];
        }
        if (!userPoolId) throw new UsageError("give --stack, or --user-pool-id");
        if (!/^[\w-]+_[0-9a-zA-Z]+$/.test(userPoolId)) throw new UsageError(`--user-pool-id must look like us-east-1_AbCdEf123 (got ${JSON.stringify(userPoolId)})`);
        const status = await readAdminStatus({ userPoolId, region: given.region, endpointUrl: given["endpoint-url"] }, usernames, now());
        const problems = adminProblems(status, stack, mainAdmin);
        if (values.json) {
            const note = npmBannerNote("admin:status -- ... --json");
            if (note) process.stderr.write(note + "\n");
            process.stdout.write(JSON.stringify({ ...status, problems }, null, 2) + "\n");
        } else {
            process.stdout.write([...statusText(status), ...problems.map((p) => `✘ ${p}`)].join("\n") + "\n");
        }
        return problems.length > 0 ? EXIT.failed : EXIT.ok;
    });
}

if (require.main === module) runMain((argv) => main(argv));
