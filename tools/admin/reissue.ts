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
    const stack = target.stack ? ` --stack ${target.stack}` : " --stack <stack>";
    const key = target.mainAdmin
        ? "adminPasswordReissue"
        : `--path 'adminUsers[${target.adminUsersIndex ?? `<index of ${target.username}>`}].passwordReissue'`;
    return `pulumi config set ${key} ${JSON.stringify(label)}${stack}`;
}
