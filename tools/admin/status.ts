/**
 * `npm run admin:status`: read-only. For each admin user: its status, its groups, when its
 * temporary password expires and how many days are left, and whether a TOTP authenticator is
 * enrolled (AdminGetUserAuthFactors where the endpoint has it, else AdminGetUser). Exit 1 when an
 * admin cannot get in (missing, or its temporary password expired), 5 when one will soon, with
 * the command that fixes it. For people, and for the scheduled check (`--json`).
 */
import {
    AdminListGroupsForUserCommand,
    CognitoIdentityProviderClient,
    DescribeUserPoolCommand,
    ListUsersCommand,
    ListUsersInGroupCommand,
    UserType,
} from "@aws-sdk/client-cognito-identity-provider";
import { EXIT, UsageError, npmBannerNote, runCommand, runMain, shellCommand } from "../../deploy/commandLine";
import { poolCommand, readStackOutputs, resolvePool } from "../../deploy/stackOutputs";
import { canaryNameOf, listMarkedUsers } from "../../deploy/verifier/canary";
import { CognitoEndpoint, cognitoClient, stepCaller } from "../../deploy/verifier/cognitoSignIn";
import { ReissueTarget, adminOfStack, reissueCommand, stackWords } from "./reissue";
import { TotpSource, UserReader } from "./userState";

/** The exit statuses of admin:status. */
export const STATUS_EXIT = {
    /** Every admin can get in, and no temporary password expires within the warning days. */
    ok: EXIT.ok,
    /** An admin cannot get in: missing, or its temporary password expired. */
    cannotGetIn: EXIT.failed,
    /** The command line was wrong. */
    usage: EXIT.usage,
    /** An admin's temporary password expires within the warning days. */
    expiresSoon: 5,
} as const;

/** The default of `--warn-days`. */
export const WARN_DAYS = 2;

/** The most users read from one list: 10 pages of 60. */
const MAX_PAGES = 10;
const DAY_MS = 86_400_000;

/** Why a user is listed. */
export type ListedAs =
    /** The stack declares it (stack output adminUsernames). */
    | "declared"
    /** It is in a group of a declared admin (with --all). */
    | "group member"
    /** Every user of the pool is listed (--user-pool-id without --username). */
    | "pool user"
    /** It was named with --username. */
    | "named";

/** Whether an admin can get in: `missing` and `expired` cannot; `expires soon` will not within the warning days. */
export type Condition = "ok" | "expires soon" | "expired" | "missing";

/** One admin user's state. */
export interface AdminState {
    readonly username: string;
    /** Why it is listed. */
    readonly listedAs: ListedAs;
    /** Whether the user exists in the pool. */
    readonly found: boolean;
    /** Whether it can get in; see {@link Condition}. */
    readonly condition: Condition;
    /** Cognito's user status, such as FORCE_CHANGE_PASSWORD or CONFIRMED. */
    readonly status?: string;
    readonly enabled?: boolean;
    /** Its groups, sorted. */
    readonly groups?: readonly string[];
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
    /** Days until then, rounded down to a tenth; 0 or less once expired. */
    readonly temporaryPasswordDaysLeft?: number;
    readonly temporaryPasswordExpired?: boolean;
    /** Whether an authenticator app (TOTP) is enrolled. */
    readonly totpEnrolled?: boolean;
    /** Who said so: AdminGetUserAuthFactors, or AdminGetUser where the endpoint lacks it (which may miss an enrolled token). */
    readonly totpSource?: TotpSource;
}

/** The admin users of one pool. */
export interface PoolAdminStatus {
    readonly userPoolId: string;
    /** The stack, with --stack. */
    readonly stack?: string;
    /** When it was read (ISO 8601). */
    readonly checkedAt: string;
    readonly temporaryPasswordValidityDays: number;
    /** A temporary password expiring within this many days makes the exit status 5. */
    readonly warnDays: number;
    readonly admins: readonly AdminState[];
    /** Sign-in canaries found in the pool: a check that could not clean up (a later one deletes them). */
    readonly canaries: readonly string[];
}

/** Which users to read. */
export type Selection =
    /** The declared admins, and with `groups`, every other user in their groups. */
    | { readonly kind: "declared"; readonly usernames: readonly string[]; readonly groups: boolean }
    /** These users. */
    | { readonly kind: "named"; readonly usernames: readonly string[] }
    /** Every user of the pool. */
    | { readonly kind: "pool" };

/** Reads the state of the selected users. Read-only. */
export async function readAdminStatus(
    endpoint: CognitoEndpoint,
    selection: Selection,
    now: number,
    warnDays = WARN_DAYS,
    client: CognitoIdentityProviderClient = cognitoClient(endpoint),
): Promise<PoolAdminStatus> {
    const call = stepCaller(endpoint);
    const userPoolId = endpoint.userPoolId;
    const { UserPool: pool } = await call("DescribeUserPool", (abortSignal) =>
        client.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }), { abortSignal }),
    );
    const validityDays = pool?.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays ?? 7;
    const listed = selection.kind === "pool" ? await listAll(client, call, userPoolId) : await listMarkedUsers(client, call, userPoolId);
    const canaries = listed.filter((user) => canaryNameOf(user)).map((user) => user.Username as string);
    const queue: [string, ListedAs][] =
        selection.kind === "pool"
            ? listed.filter((user) => !canaryNameOf(user)).map((user) => [user.Username as string, "pool user"])
            : selection.usernames.map((username) => [username, selection.kind]);
    const reader = new UserReader(client, call, userPoolId);
    const admins: AdminState[] = [];
    const seen = new Set<string>();
    const searchedGroups = new Set<string>();
    for (let next = queue.shift(); next; next = queue.shift()) {
        const [username, listedAs] = next;
        if (seen.has(username)) continue;
        seen.add(username);
        const user = await reader.user(username);
        if (!user) {
            admins.push({ username, listedAs, found: false, condition: "missing" });
            continue;
        }
        const groups = await groupsOf(client, call, userPoolId, username);
        if (selection.kind === "declared" && selection.groups && listedAs === "declared") {
            for (const group of groups.filter((name) => !searchedGroups.has(name))) {
                searchedGroups.add(group);
                for (const member of await membersOf(client, call, userPoolId, group)) queue.push([member, "group member"]);
            }
        }
        const totp = await reader.totp(user);
        const created = user.UserCreateDate ? new Date(user.UserCreateDate) : undefined;
        const lastModified = user.UserLastModifiedDate ? new Date(user.UserLastModifiedDate) : created;
        const mustChange = user.UserStatus === "FORCE_CHANGE_PASSWORD";
        const expires = mustChange && lastModified ? new Date(lastModified.getTime() + validityDays * DAY_MS) : undefined;
        const daysLeft = expires ? Math.floor(((expires.getTime() - now) / DAY_MS) * 10) / 10 : undefined;
        const expired = expires ? expires.getTime() <= now : undefined;
        admins.push({
            username,
            listedAs,
            found: true,
            condition: expired ? "expired" : expires && expires.getTime() - now <= warnDays * DAY_MS ? "expires soon" : "ok",
            status: user.UserStatus,
            enabled: user.Enabled,
            groups,
            created: created?.toISOString(),
            lastModified: lastModified?.toISOString(),
            ...(expires ? { temporaryPasswordExpires: expires.toISOString(), temporaryPasswordDaysLeft: daysLeft, temporaryPasswordExpired: expired } : {}),
            totpEnrolled: totp.enrolled,
            totpSource: totp.source,
        });
    }
    return {
        userPoolId,
        checkedAt: new Date(now).toISOString(),
        temporaryPasswordValidityDays: validityDays,
        warnDays,
        admins,
        canaries,
    };
}

/** Every page of a list call, up to {@link MAX_PAGES}. */
async function pages<T>(read: (token: string | undefined) => Promise<{ items?: T[]; token?: string }>): Promise<T[]> {
    const items: T[] = [];
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
        const answer = await read(token);
        items.push(...(answer.items ?? []));
        token = answer.token;
        if (!token) break;
    }
    return items;
}

/** ListUsers: every user of the pool. */
function listAll(client: CognitoIdentityProviderClient, call: ReturnType<typeof stepCaller>, userPoolId: string): Promise<UserType[]> {
    return pages(async (token) => {
        const listed = await call("ListUsers", (abortSignal) =>
            client.send(new ListUsersCommand({ UserPoolId: userPoolId, Limit: 60, PaginationToken: token }), { abortSignal }),
        );
        return { items: listed.Users, token: listed.PaginationToken };
    });
}

/** AdminListGroupsForUser: a user's groups, sorted. */
async function groupsOf(client: CognitoIdentityProviderClient, call: ReturnType<typeof stepCaller>, userPoolId: string, username: string): Promise<string[]> {
    const groups = await pages(async (token) => {
        const listed = await call(`AdminListGroupsForUser ${username}`, (abortSignal) =>
            client.send(new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: username, Limit: 60, NextToken: token }), { abortSignal }),
        );
        return { items: listed.Groups, token: listed.NextToken };
    });
    return groups.map((group) => group.GroupName as string).sort();
}

/** ListUsersInGroup: the usernames in a group. */
async function membersOf(client: CognitoIdentityProviderClient, call: ReturnType<typeof stepCaller>, userPoolId: string, group: string): Promise<string[]> {
    const users = await pages(async (token) => {
        const listed = await call(`ListUsersInGroup ${group}`, (abortSignal) =>
            client.send(new ListUsersInGroupCommand({ UserPoolId: userPoolId, GroupName: group, Limit: 60, NextToken: token }), { abortSignal }),
        );
        return { items: listed.Users, token: listed.NextToken };
    });
    return users.map((user) => user.Username as string);
}

/** What needs doing, each with the command that does it: `problems` stop an admin getting in (exit 1); `warnings` will soon (exit 5). */
export interface Findings {
    readonly problems: readonly string[];
    readonly warnings: readonly string[];
}

/**
 * The findings of a status, each with the command that fixes it.
 * @param adminOf Which config key is an admin's (see `adminOfStack`); without a stack, it cannot be told.
 */
export function findings(status: PoolAdminStatus, adminOf: (username: string) => ReissueTarget): Findings {
    const stack = stackWords(status.stack);
    const up = shellCommand(["pulumi", "up", ...stack]);
    const problems: string[] = [];
    const warnings: string[] = [];
    for (const admin of status.admins) {
        if (admin.condition === "missing") {
            problems.push(`${admin.username} is missing from the pool. Let Pulumi see that it is gone, then create it again: ${shellCommand(["pulumi", "refresh", ...stack])} && ${up}`);
            continue;
        }
        if (admin.condition === "ok") continue;
        const fix =
            admin.listedAs === "group member"
                ? "the stack does not declare it: re-issue its temporary password in Cognito (AdminSetUserPassword), or remove it from the group"
                : `re-issue it: for a generated password, ${reissueCommand(adminOf(admin.username), "<any new text>")} && ${up}; for one you set, set a new one with ` +
                  `${shellCommand(["pulumi", "config", "set", "--secret", "adminTemporaryPassword", ...stack])} (or that user's adminUsers[i].temporaryPassword) && ${up}`;
        if (admin.condition === "expired") problems.push(`${admin.username}'s temporary password expired on ${admin.temporaryPasswordExpires}. To let it in, ${fix}`);
        else warnings.push(`${admin.username}'s temporary password expires on ${admin.temporaryPasswordExpires} (${daysLeft(admin.temporaryPasswordDaysLeft)}). Hand it over before then, or ${fix}`);
    }
    return { problems, warnings };
}

/** "1 day left", "2.5 days left". */
function daysLeft(days: number | undefined): string {
    return `${days} day${days === 1 ? "" : "s"} left`;
}

/** The exit status for these findings. */
export function statusExit(found: Findings): number {
    return found.problems.length > 0 ? STATUS_EXIT.cannotGetIn : found.warnings.length > 0 ? STATUS_EXIT.expiresSoon : STATUS_EXIT.ok;
}

/** The status as a table. */
export function statusText(status: PoolAdminStatus): string[] {
    const rows = status.admins.map((admin) => [
        admin.username,
        admin.listedAs,
        admin.found ? `${admin.status ?? "?"}${admin.enabled === false ? " (disabled)" : ""}` : "MISSING",
        admin.created ? admin.created.replace("T", " ").slice(0, 16) : "",
        !admin.found
            ? ""
            : admin.temporaryPasswordExpires
              ? `${admin.temporaryPasswordExpired ? "EXPIRED" : "expires"} ${admin.temporaryPasswordExpires.replace("T", " ").slice(0, 16)}` +
                (admin.temporaryPasswordExpired ? "" : ` (${daysLeft(admin.temporaryPasswordDaysLeft)})`)
              : "changed by the user",
        !admin.found ? "" : `${admin.totpEnrolled ? "enrolled" : "not enrolled"}${admin.totpSource === "AdminGetUser" ? " (AdminGetUser)" : ""}`,
        (admin.groups ?? []).join(","),
    ]);
    const header = ["USERNAME", "LISTED AS", "STATUS", "CREATED (UTC)", "TEMPORARY PASSWORD (UTC)", "TOTP", "GROUPS"];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)) + 2);
    const line = (cells: string[]) => "  " + cells.map((cell, i) => cell.padEnd(widths[i])).join("").trimEnd();
    const fallback = status.admins.some((admin) => admin.totpSource === "AdminGetUser");
    return [
        `Admin users of user pool ${status.userPoolId}${status.stack ? ` (stack ${status.stack})` : ""}; temporary passwords valid ${status.temporaryPasswordValidityDays} days`,
        line(header),
        ...rows.map(line),
        ...(fallback ? ["  (AdminGetUser): this endpoint lacks AdminGetUserAuthFactors; AdminGetUser may not list an enrolled authenticator"] : []),
        ...(status.canaries.length ? [`  sign-in canaries left in the pool (a later sign-in check deletes them): ${status.canaries.join(", ")}`] : []),
    ];
}

export const ADMIN_STATUS_COMMAND = poolCommand("admin", { stack: "[--all]", ids: "[--username <name>]...", both: "[--warn-days <days>] [--json]" }, {
    name: "npm run admin:status --",
    summary: "Shows each admin user's status, groups, temporary-password expiry and TOTP enrolment. Read-only.",
    options: {
        all: {
            type: "boolean",
            description: "With --stack: also every other user in the declared admins' groups. With --user-pool-id: every user of the pool (the default there).",
        },
        username: { type: "string", multiple: true, value: "<name>", description: "With --user-pool-id: only this user. Default: every user in the pool." },
        "warn-days": { type: "string", value: "<days>", description: `Exit 5 when a temporary password expires within this many days. Default: ${WARN_DAYS}.` },
        json: { type: "boolean", description: "Print JSON only: the status, with its problems, warnings and exit status." },
    },
    footer: [
        "With --stack, the admins are those the stack declares (its adminUsernames output).",
        "Needs cognito-idp:DescribeUserPool, ListUsers, AdminGetUser, AdminGetUserAuthFactors, AdminListGroupsForUser and (with --all) ListUsersInGroup.",
        "Exit status: 0 every admin can get in; 1 an admin cannot (missing, or its temporary password expired; the fix is printed);",
        "5 an admin's temporary password expires within --warn-days; 2 usage error.",
    ].join("\n"),
});

/**
 * Runs the command.
 * @param now The clock (a seam for tests).
 * @param outputs Reads a stack's outputs (a seam for tests). Default: the Pulumi CLI.
 * @param stackFile The stack file of a stack (a seam for tests). Default: `Pulumi.<stack>.yaml` in the project's root.
 */
export async function main(argv: readonly string[], now = () => Date.now(), outputs = readStackOutputs, stackFile?: (stack: string) => string): Promise<number> {
    return runCommand(ADMIN_STATUS_COMMAND, argv, async ({ values }) => {
        const usernames = (values.username as string[] | undefined) ?? [];
        if (values.stack !== undefined && usernames.length > 0) throw new UsageError("--stack reads the admins from the stack: give --stack, or --user-pool-id with --username");
        if (values.all && usernames.length > 0) throw new UsageError("give --all or --username, not both");
        const warn = values["warn-days"];
        if (typeof warn === "string" && !/^\d+$/.test(warn)) throw new UsageError(`--warn-days must be a whole number of days (got ${JSON.stringify(warn)})`);
        const pool = resolvePool(values, "admin", outputs);
        let selection: Selection;
        if (pool.stack !== undefined) {
            const declared = pool.outputs?.adminUsernames;
            const names = Array.isArray(declared) && declared.every((name) => typeof name === "string") ? declared : [pool.outputs?.adminUsername];
            if (names.some((name) => typeof name !== "string")) throw new UsageError(`stack ${pool.stack} has no output adminUsernames: has it been deployed with \`pulumi up\`?`);
            selection = { kind: "declared", usernames: names as string[], groups: values.all === true };
        } else {
            selection = usernames.length > 0 ? { kind: "named", usernames } : { kind: "pool" };
        }
        const status = {
            ...(await readAdminStatus({ userPoolId: pool.userPoolId, region: pool.region, endpointUrl: pool.endpointUrl }, selection, now(), typeof warn === "string" ? Number(warn) : WARN_DAYS)),
            ...(pool.stack === undefined ? {} : { stack: pool.stack }),
        };
        const adminOf = (username: string): ReissueTarget =>
            pool.stack === undefined ? { username } : adminOfStack(pool.stack, username, pool.outputs ?? {}, stackFile?.(pool.stack));
        const found = findings(status, adminOf);
        const exitStatus = statusExit(found);
        if (values.json) {
            const note = npmBannerNote("admin:status -- ... --json");
            if (note) process.stderr.write(note + "\n");
            process.stdout.write(JSON.stringify({ ...status, ...found, exitStatus }, null, 2) + "\n");
        } else {
            process.stdout.write([...statusText(status), ...found.problems.map((p) => `✘ ${p}`), ...found.warnings.map((w) => `! ${w}`)].join("\n") + "\n");
        }
        return exitStatus;
    });
}

if (require.main === module) runMain((argv) => main(argv));
