/** How an admin's temporary password is re-issued through Pulumi: one command, printed by every admin tool. */

/** Which admin of which stack. */
export interface ReissueTarget {
    /** The admin's username. */
    readonly username: string;
    /** The stack, when known. */
    readonly stack?: string;
    /** Whether the admin is the stack's `adminUsername` user (else one of `adminUsers`). */
    readonly mainAdmin?: boolean;
    /** The admin's index in the stack file's `adminUsers`, when known. */
    readonly adminUsersIndex?: number;
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

/** `pulumi config set` of one admin's label: `mainKey` for the adminUsername user, else `adminUsers[i].field`. */
function labelCommand(target: ReissueTarget, mainKey: string, field: string, label: string): string {
    const stack = target.stack ? ` --stack ${target.stack}` : " --stack <stack>";
    const key = target.mainAdmin ? mainKey : `--path 'adminUsers[${target.adminUsersIndex ?? `<index of ${target.username}>`}].${field}'`;
    return `pulumi config set ${key} ${JSON.stringify(label)}${stack}`;
}
