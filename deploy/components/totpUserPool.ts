import * as cognito from "@pulumi/aws/cognito";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { validateTotpUserPoolArgs } from "./areaChecks";
import { checkedTemporaryPassword, childNames, generatedPasswordArgs } from "./childResources";
import { ValidationError, formatProblem } from "./problems";
import { ResolvedAdminUser, TotpUserPoolArgs } from "./totpUserPoolArgs";
import { TYPE_TOKENS } from "./typeTokens";

/** The app client settings this component fixes, left as they are while an existing client is adopted. */
export const ADOPTED_CLIENT_IGNORED = [
    "accessTokenValidity",
    "idTokenValidity",
    "tokenValidityUnits",
    "preventUserExistenceErrors",
    "enableTokenRevocation",
];

/**
 * An Amazon Cognito user pool that requires authenticator-app (TOTP) MFA, with an app client
 * and an admin user created with a temporary password and no invitation.
 *
 * Every arg is checked against Cognito's own rules before anything is declared, including the
 * temporary password against the password policy, so a bad value fails `pulumi preview`
 * instead of failing half-way through `pulumi up`.
 *
 * @example
 * // The seed script's pool, with a generated temporary password:
 * const pool = new TotpUserPool("auth", {
 *     poolName: "my-app-users",
 *     selfSignUp: true,
 *     adminUser: { username: "admin" },
 * });
 * export const adminTemporaryPassword = pool.generatedAdminTemporaryPassword;
 *
 * @example
 * // A temporary password from stack config (`pulumi config set --secret adminPassword ...`):
 * const config = new pulumi.Config();
 * new TotpUserPool("auth", {
 *     poolName: "my-app-users",
 *     adminUser: { username: "admin", temporaryPassword: config.requireSecret("adminPassword") },
 * });
 */
export class TotpUserPool extends pulumi.ComponentResource {
    /** The type token of this component. */
    static readonly TYPE = TYPE_TOKENS.component;

    /** The user pool, for settings this component does not cover. */
    readonly userPool: cognito.UserPool;
    /** The app client. */
    readonly userPoolClient: cognito.UserPoolClient;
    /** The admin user (`adminUser`). */
    readonly adminUser: cognito.User;
    /** Every admin user: `adminUser`, then `adminUsers`. */
    readonly adminUsers: cognito.User[];
    /** The user groups, in the order of `groups`. */
    readonly groups: cognito.UserGroup[];
    /** The user pool's id, such as `us-east-1_AbCdEf123`. */
    readonly userPoolId: pulumi.Output<string>;
    /** The user pool's ARN. */
    readonly userPoolArn: pulumi.Output<string>;
    /** The user pool's endpoint, such as `cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123`. */
    readonly userPoolEndpoint: pulumi.Output<string>;
    /** The app client's id. */
    readonly userPoolClientId: pulumi.Output<string>;
    /** The admin user's username. */
    readonly adminUsername: pulumi.Output<string>;
    /** Every admin user's username: `adminUser`, then `adminUsers`. */
    readonly adminUsernames: pulumi.Output<string[]>;
    /** The admin's generated temporary password, a secret; `undefined` when one was given or the admin was adopted. */
    readonly generatedAdminTemporaryPassword: pulumi.Output<string> | undefined;
    /** Every generated temporary password by username, a secret; `undefined` when none was generated. */
    readonly generatedAdminTemporaryPasswords: pulumi.Output<Record<string, string>> | undefined;

    constructor(name: string, args: TotpUserPoolArgs, opts?: pulumi.ComponentResourceOptions) {
        const { problems, resolved } = validateTotpUserPoolArgs(args);
        if (!resolved) {
            throw new ValidationError(
                `TotpUserPool "${name}" has invalid args; nothing was declared:`,
                problems.map((problem) => formatProblem(problem.path ? `args.${problem.path}` : "args", problem)),
            );
        }
        // The args stay out of the component's own state, as they may hold a temporary password;
        // only `production` is recorded, for the policy pack's production rules.
        super(TotpUserPool.TYPE, name, { production: resolved.production }, opts);

        const policy = resolved.passwordPolicy;
        const adopt = resolved.import;
        // Unset options stay undefined, so that the component's own options reach its children.
        const keep = { protect: resolved.protect || undefined, retainOnDelete: resolved.retainOnDelete || undefined };
        // An adopted pool or admin holds real users: whatever the config says, Pulumi may not delete or replace it.
        const keepAdopted = { ...keep, protect: true };
        this.userPool = new cognito.UserPool(
            `${name}-user-pool`,
            {
                name: resolved.poolName,
                userPoolTier: resolved.featurePlan,
                passwordPolicy: {
                    minimumLength: policy.minimumLength,
                    requireLowercase: policy.requireLowercase,
                    requireUppercase: policy.requireUppercase,
                    requireNumbers: policy.requireNumbers,
                    requireSymbols: policy.requireSymbols,
                    temporaryPasswordValidityDays: policy.temporaryPasswordValidityDays,
                    // 0 turns history off, and Cognito then leaves it out of DescribeUserPool: not sent.
                    passwordHistorySize: policy.passwordHistorySize || undefined,
                },
                accountRecoverySetting: {
                    recoveryMechanisms: resolved.accountRecovery.map((name, index) => ({ name, priority: index + 1 })),
                },
                userPoolAddOns: resolved.threatProtection === "OFF" ? undefined : { advancedSecurityMode: resolved.threatProtection },
                adminCreateUserConfig: { allowAdminCreateUserOnly: !resolved.selfSignUp },
                mfaConfiguration: resolved.mfaConfiguration,
                softwareTokenMfaConfiguration: resolved.softwareTokenMfa ? { enabled: true } : undefined,
                usernameConfiguration:
                    resolved.usernameCaseSensitive === undefined
                        ? undefined
                        : { caseSensitive: resolved.usernameCaseSensitive },
                usernameAttributes: resolved.usernameAttributes ? [...resolved.usernameAttributes] : undefined,
                aliasAttributes: resolved.aliasAttributes ? [...resolved.aliasAttributes] : undefined,
                deletionProtection: resolved.deletionProtection,
                tags: resolved.tags && Object.keys(resolved.tags).length > 0 ? { ...resolved.tags } : undefined,
            },
            {
                parent: this,
                ...(adopt ? { ...keepAdopted, import: adopt.userPoolId } : keep),
                // A pool whose name is set asks to be deleted before its replacement is created (the
                // bridge's nameRequiresDeleteBeforeReplace, pkg/tfbridge/provider.go), and with it,
                // first, its client and users. Pool names need not be unique, so the new pool comes
                // first: its client and users are replaced into it, and the old pool's delete comes
                // last, where deletion protection stops it.
                deleteBeforeReplace: false,
            },
        );

        const client = resolved.appClient;
        this.userPoolClient = new cognito.UserPoolClient(
            `${name}-app-client`,
            {
                name: client.name,
                userPoolId: this.userPool.id,
                generateSecret: client.generateSecret,
                refreshTokenValidity: client.refreshTokenValidityDays,
                accessTokenValidity: client.accessTokenValidityMinutes,
                idTokenValidity: client.idTokenValidityMinutes,
                tokenValidityUnits: { refreshToken: "days", accessToken: "minutes", idToken: "minutes" },
                explicitAuthFlows: [...client.explicitAuthFlows],
                preventUserExistenceErrors: "ENABLED",
                enableTokenRevocation: true,
                refreshTokenRotation:
                    client.refreshTokenRotation === undefined
                        ? undefined
                        : client.refreshTokenRotation.enabled
                          ? { feature: "ENABLED", retryGracePeriodSeconds: client.refreshTokenRotation.retryGracePeriodSeconds ?? 0 }
                          : { feature: "DISABLED" },
            },
            {
                parent: this,
                // An adopted client is in use by apps: like the adopted pool, it may not be replaced or deleted.
                ...(adopt?.clientId ? keepAdopted : keep),
                ...(adopt?.clientId
                    ? {
                          import: `${adopt.userPoolId}/${adopt.clientId}`,
                          // While adopting, keep the client's own values of the settings this
                          // component fixes; drop import.clientId afterwards to apply them in place.
                          ignoreChanges: ADOPTED_CLIENT_IGNORED,
                      }
                    : {}),
            },
        );

        const groups = resolved.groups ?? [];
        this.groups = groups.map(
            (group) =>
                new cognito.UserGroup(
                    `${name}-${childNames.group(group.name)}`,
                    {
                        userPoolId: this.userPool.id,
                        name: group.name,
                        description: group.description,
                        precedence: group.precedence,
                    },
                    { parent: this, ...keep },
                ),
        );

        const generated: Record<string, pulumi.Output<string>> = {};
        const declareAdmin = (admin: ResolvedAdminUser, path: string, adopted: boolean): cognito.User => {
            let temporaryPassword: pulumi.Output<string> | undefined;
            if (adopted) {
                temporaryPassword = undefined;
            } else if (admin.temporaryPassword === undefined) {
                const password = new random.RandomPassword(
                    `${name}-${childNames.password(admin.username)}`,
                    generatedPasswordArgs(policy, resolved.adminPasswordRotation, admin.passwordReissue, admin.recreate),
                    { parent: this },
                );
                temporaryPassword = pulumi.secret(password.result);
                generated[admin.username] = temporaryPassword;
            } else {
                // A plain string was checked above; an Output is checked here, once its value is known.
                temporaryPassword = pulumi.secret(
                    pulumi
                        .output(admin.temporaryPassword)
                        .apply((password) => checkedTemporaryPassword(name, `${path}.temporaryPassword`, password, policy)),
                );
            }
            const user = new cognito.User(
                `${name}-${childNames.user(admin.username)}`,
                {
                    userPoolId: this.userPool.id,
                    username: admin.username,
                    temporaryPassword,
                    messageAction: "SUPPRESS",
                    attributes: admin.email === undefined ? undefined : { email: admin.email, email_verified: "true" },
                },
                {
                    parent: this,
                    ...(adopted ? keepAdopted : keep),
                    // A user replaced for any reason is deleted first: it keeps its username, and
                    // Cognito refuses a second user of that name in a pool. The label replaces it
                    // when set, and again when removed: the engine compares the recorded label
                    // with the new "" (shouldTriggerReplace, pulumi/pulumi
                    // pkg/resource/deploy/step_generator.go). A replacement its trigger forces
                    // never asks the provider for a diff, so only this option makes it delete
                    // first; the option also wins over the provider's choice ("The user can
                    // override the provider's decision", same file). The memberships, fed by the
                    // user, go before it and come back after it. A replaced pool's users are
                    // deleted before their successors exist in the new pool: they are lost with
                    // the old pool either way.
                    replacementTrigger: admin.recreate ?? "",
                    deleteBeforeReplace: true,
                    ...(adopted
                        ? {
                              import: `${adopt?.userPoolId}/${admin.username}`,
                              // Cognito never returns a password or the create-time message action.
                              ignoreChanges: ["temporaryPassword", "messageAction"],
                          }
                        : {}),
                },
            );
            for (const group of admin.groups ?? []) {
                new cognito.UserInGroup(
                    `${name}-${childNames.membership(admin.username, group)}`,
                    { userPoolId: this.userPool.id, groupName: group, username: user.username },
                    { parent: this, ...keep, dependsOn: this.groups.filter((_, i) => groups[i].name === group) },
                );
            }
            return user;
        };

        this.adminUser = declareAdmin(resolved.adminUser, "adminUser", adopt?.adminUser === true);
        this.adminUsers = [
            this.adminUser,
            ...(resolved.adminUsers ?? []).map((admin, index) => declareAdmin(admin, `adminUsers[${index}]`, false)),
        ];
        this.generatedAdminTemporaryPassword = generated[resolved.adminUser.username];
        this.generatedAdminTemporaryPasswords =
            Object.keys(generated).length > 0 ? pulumi.secret(pulumi.all(generated)) : undefined;

        this.userPoolId = this.userPool.id;
        this.userPoolArn = this.userPool.arn;
        this.userPoolEndpoint = this.userPool.endpoint;
        this.userPoolClientId = this.userPoolClient.id;
        this.adminUsername = this.adminUser.username;
        this.adminUsernames = pulumi.all(this.adminUsers.map((user) => user.username));
        this.registerOutputs({
            userPoolId: this.userPoolId,
            userPoolArn: this.userPoolArn,
            userPoolEndpoint: this.userPoolEndpoint,
            userPoolClientId: this.userPoolClientId,
            adminUsername: this.adminUsername,
            adminUsernames: this.adminUsernames,
            production: resolved.production,
            generatedAdminTemporaryPassword: this.generatedAdminTemporaryPassword,
            generatedAdminTemporaryPasswords: this.generatedAdminTemporaryPasswords,
        });
    }
}
