/**
 * Which stack config key belongs to an admin, and the commands every admin tool prints with it:
 * the `pulumi config set` that re-issues its temporary password or recreates its user. Every
 * command is quoted for the shell (see `shellCommand`), so that it can be pasted as printed.
 */
import * as path from "path";
import { Placeholder, shellCommand } from "../../deploy/commandLine";
import { readStackFile } from "../mock/stackFile";

/** Which admin of which stack. */
export interface ReissueTarget {
    /** The admin's username. */
    readonly username: string;
    /** The stack, when known. */
    readonly stack?: string;
    /** Whether the admin is the stack's `adminUsername` user (else one of `adminUsers`); `undefined` when that cannot be told without the stack. */
    readonly mainAdmin?: boolean;
    /** The admin's index in the stack file's `adminUsers`, when known. */
    readonly adminUsersIndex?: number;
}

const ROOT = path.resolve(__dirname, "..", "..");

/**
 * The admin `username` of `stack`: whether it is the stack's `adminUsername` (from the stack's
 * outputs) and, if not, its index in `adminUsers` (from the stack file, when it is readable).
 * @param stackFile The stack file. Default: `Pulumi.<stack>.yaml` in the project's root.
 */
export function adminOfStack(
    stack: string,
    username: string,
    outputs: Readonly<Record<string, unknown>>,
    stackFile: string = path.join(ROOT, `Pulumi.${stack}.yaml`),
): ReissueTarget {
    if (outputs.adminUsername === username) return { username, stack, mainAdmin: true };
    let listed: unknown;
    try {
        listed = JSON.parse(readStackFile(stackFile).values["cognito-totp:adminUsers"] ?? "[]");
    } catch {
        listed = [];
    }
    const index = Array.isArray(listed) ? listed.findIndex((admin) => (admin as { username?: unknown })?.username === username) : -1;
    return { username, stack, mainAdmin: false, ...(index >= 0 ? { adminUsersIndex: index } : {}) };
}

/** `--stack <name>`, or `--stack <stack>` for the reader to fill in. */
export function stackWords(stack: string | undefined): (string | Placeholder)[] {
    return ["--stack", stack ?? new Placeholder("<stack>")];
}

/**
 * The `pulumi config set` that re-issues one admin's generated temporary password: its
 * `passwordReissue` label set to `label`. Then `pulumi up` resets that admin alone to
 * FORCE_CHANGE_PASSWORD with a new password.
 */
export function reissueCommand(target: ReissueTarget, label: string): string {
    return labelCommand(target, "adminPasswordReissue", "passwordReissue", label);
}

/**
 * The `pulumi config set` that recreates one admin's user: its `recreate` label set to `label`.
 * Then `pulumi up` deletes the user and creates it afresh, with a new generated temporary
 * password, its group memberships, and no authenticator.
 */
export function recreateCommand(target: ReissueTarget, label: string): string {
    return labelCommand(target, "adminRecreate", "recreate", label);
}

/** The stack output that shows the admin's generated temporary password: one for the adminUsername user, one by username for the others. */
export function temporaryPasswordOutput(target: ReissueTarget): string {
    if (target.mainAdmin === undefined) return "adminTemporaryPassword (the adminUsername user) or adminTemporaryPasswords (by username)";
    return target.mainAdmin ? "adminTemporaryPassword" : "adminTemporaryPasswords";
}

/**
 * `pulumi config set` of one admin's label: `mainKey` for the adminUsername user, else
 * `adminUsers[i].field`. Without the stack, whether the admin is the adminUsername user cannot
 * be told: both commands, each with its condition.
 */
function labelCommand(target: ReissueTarget, mainKey: string, field: string, label: string): string {
    const main = shellCommand(["pulumi", "config", "set", mainKey, label, ...stackWords(target.stack)]);
    const listedKey = `adminUsers[${target.adminUsersIndex ?? `<index of ${target.username}>`}].${field}`;
    const listed = shellCommand(["pulumi", "config", "set", "--path", listedKey, label, ...stackWords(target.stack)]);
    if (target.mainAdmin === undefined) {
        return `${main} if ${target.username} is the stack's adminUsername, else ${listed} (without --stack, this cannot tell which)`;
    }
    return target.mainAdmin ? main : listed;
}
