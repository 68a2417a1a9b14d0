/**
 * What the component's children are named, and how an admin's temporary password is generated and
 * checked: shared by the checks (areaChecks.ts) and the declarations (totpUserPool.ts).
 */
import { PasswordPolicy, checkPasswordAgainstPolicy } from "./cognitoRules";
import { Problem, ValidationError, formatProblem } from "./problems";

/** The symbols a generated temporary password draws from: all in Cognito's set, none that shells or YAML quote. */
export const GENERATED_PASSWORD_SYMBOLS = "!#%*()-_=+[]{}<>:?";

/** The fewest characters in a generated temporary password, whatever the policy's minimum. */
export const GENERATED_PASSWORD_MIN_LENGTH = 20;

/**
 * `@pulumi/random` RandomPassword args for a temporary password that satisfies `policy`. Every
 * character class is always asked for, so that changing the policy's classes does not make a new
 * password (a new temporary password resets its admin to "must change password"): only raising
 * `minimumLength` above {@link GENERATED_PASSWORD_MIN_LENGTH} does, or a new `rotation` label
 * (`adminPasswordRotation`), or this admin's `passwordReissue` or `recreate` label: together they
 * are the password's `keepers`.
 */
export function generatedPasswordArgs(policy: PasswordPolicy, rotation?: string, reissue?: string, recreate?: string) {
    const keepers = {
        ...(rotation === undefined ? {} : { adminPasswordRotation: rotation }),
        ...(reissue === undefined ? {} : { passwordReissue: reissue }),
        ...(recreate === undefined ? {} : { recreate }),
    };
    return {
        ...(Object.keys(keepers).length === 0 ? {} : { keepers }),
        length: Math.max(policy.minimumLength, GENERATED_PASSWORD_MIN_LENGTH),
        upper: true,
        lower: true,
        numeric: true,
        special: true,
        overrideSpecial: GENERATED_PASSWORD_SYMBOLS,
        minUpper: 1,
        minLower: 1,
        minNumeric: 1,
        minSpecial: 1,
    };
}

/**
 * The logical names of the component's per-user and per-group children, after the component's
 * own name. Each is named by username or group name, never by position, so that reordering or
 * moving a user between `adminUser` and `adminUsers` replaces nothing.
 */
export const childNames = {
    user: (username: string) => `admin-user-${username}`,
    password: (username: string) => `admin-temporary-password-${username}`,
    group: (group: string) => `group-${group}`,
    membership: (username: string, group: string) => `admin-user-${username}-in-${group}`,
};

/**
 * Returns `password` if it satisfies `policy`, and otherwise throws an error that names the
 * rule but not the password. For temporary passwords that arrive as Outputs, which may hold
 * anything once resolved.
 */
export function checkedTemporaryPassword(
    componentName: string,
    path: string,
    password: unknown,
    policy: PasswordPolicy,
): string {
    const rule = typeof password === "string" ? checkPasswordAgainstPolicy(password, policy) : "must be text";
    if (rule) {
        const problem: Problem = { path, rule, value: undefined, secret: true };
        throw new ValidationError(`TotpUserPool "${componentName}" has invalid args:`, [formatProblem(`args.${path}`, problem)]);
    }
    return password as string;
}
