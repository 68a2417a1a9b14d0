/**
 * The type tokens of every resource this program declares, in one place: the component, its
 * children, the sign-in check, and the stack at the root of every URN. The deploy code, the
 * policy pack, the offline plan and the tools read them from here; `tests/typeTokens.spec.ts`
 * checks each against the token its SDK class registers with (`__pulumiType`).
 */
export const TYPE_TOKENS = {
    /** The {@link TotpUserPool} component (its token since before the component package). */
    component: "cognito-totp:cognito:TotpUserPool",
    /** `aws.cognito.UserPool`. */
    userPool: "aws:cognito/userPool:UserPool",
    /** `aws.cognito.UserPoolClient`. */
    client: "aws:cognito/userPoolClient:UserPoolClient",
    /** `aws.cognito.User`. */
    user: "aws:cognito/user:User",
    /** `aws.cognito.UserGroup`. */
    group: "aws:cognito/userGroup:UserGroup",
    /** `aws.cognito.UserInGroup`. */
    membership: "aws:cognito/userInGroup:UserInGroup",
    /** `random.RandomPassword`, a generated temporary password. */
    randomPassword: "random:index/randomPassword:RandomPassword",
    /** `command.local.Command`, the post-deploy sign-in check. */
    command: "command:local:Command",
    /** The stack itself, the root of every resource tree. */
    stack: "pulumi:pulumi:Stack",
} as const;
