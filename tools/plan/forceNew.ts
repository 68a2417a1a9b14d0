import { TYPE_TOKENS } from "../../deploy/components/typeTokens";

/**
 * Which input changes make a provider replace a resource (delete it and create a new one)
 * instead of updating it in place.
 *
 * Source for the Cognito types: terraform-provider-aws, `internal/service/cognitoidp`, the
 * `ForceNew` (SDKv2) and `RequiresReplace` (plugin framework) markers of `user_pool.go`,
 * `user_pool_client.go`, `user.go`, `user_group.go` and `user_in_group.go`, read at v6.58.0 (the
 * newest release read; @pulumi/aws 7.x bridges v6). The list changes over time: since v6.6.0 a
 * pool's `name` is updated in place (UpdateUserPool's PoolName, hashicorp/terraform-provider-aws
 * PR #42639). Schema attributes (`schemas`) are not ForceNew: removing or changing one fails at
 * deploy time ("cannot modify or remove schema items") instead.
 *
 * `region` replaces every type: the provider's CustomizeDiff `forceNewIfRegionChanges` (SDKv2,
 * internal/provider/sdkv2/region.go) and the plan modifier
 * `resourceForceNewIfRegionChangesInterceptor` (plugin framework,
 * internal/provider/framework/region.go) force a new resource when the planned region differs
 * from the recorded one, and a resource that sets no region is planned in the provider's
 * (`defaultRegion`, `resourceDefaultRegionInterceptor`). So a new `aws:region` replaces every
 * Cognito resource: the offline plan puts the provider's region into each one's inputs (plan.ts,
 * `withProviderRegion`). @pulumi/aws 7 dropped the provider-level replacement of v6
 * (`ForcesProviderReplace` on region, pulumi/pulumi-aws#3497, removed for v7 and in
 * pulumi/pulumi-aws#5656): region now acts per resource, and no other key of the AWS provider's
 * configuration forces a replacement (the bridge's `DiffConfig`, pkg/tfbridge/provider.go, replaces
 * a provider only for keys marked `ForcesProviderReplace`). `random` and `command` take no
 * provider configuration.
 *
 * Source for `random`: every input of terraform-provider-random's `random_password` has
 * RequiresReplace, so any change, `keepers` included, generates a new password.
 *
 * A resource's own `replaceOnChanges` option adds to this (see `replaceReasonsOf`): that is how
 * @pulumi/command's `local.Command` declares that a change of `triggers` replaces it.
 */
export const FORCE_NEW: Readonly<Record<string, readonly string[] | "every input">> = {
    [TYPE_TOKENS.userPool]: ["aliasAttributes", "usernameAttributes", "usernameConfiguration.caseSensitive", "region"],
    [TYPE_TOKENS.client]: ["userPoolId", "generateSecret", "region"],
    [TYPE_TOKENS.user]: ["userPoolId", "username", "region"],
    [TYPE_TOKENS.group]: ["name", "userPoolId", "region"],
    [TYPE_TOKENS.membership]: ["groupName", "userPoolId", "username", "region"],
    [TYPE_TOKENS.randomPassword]: "every input",
};

/**
 * Custom resource types whose provider forces no new resource for any input: only their own
 * `replaceOnChanges` does. @pulumi/command's `local.Command` updates in place (it runs `update`),
 * and its SDK sets `replaceOnChanges: ["triggers[*]"]` itself.
 */
export const UPDATED_IN_PLACE: readonly string[] = [TYPE_TOKENS.command];

/** The input through which an AWS resource carries its region: the provider's, unless the resource sets its own. */
export const REGION_INPUT = "region";

/** Whether a custom resource of `type` takes the provider's region as an input that replaces it: see {@link FORCE_NEW}. */
export function takesProviderRegion(type: string): boolean {
    const forceNew = FORCE_NEW[type];
    return Array.isArray(forceNew) && forceNew.includes(REGION_INPUT);
}

/**
 * Top-level inputs the provider holds as sets, so that their order means nothing: the `TypeSet`
 * attributes of `user_pool.go` and the `SetAttribute` ones of `user_pool_client.go` (v6.58.0).
 * Sets nested in blocks (recovery mechanisms, sign-in factors) are compared in order.
 */
export const SET_INPUTS: Readonly<Record<string, readonly string[]>> = {
    [TYPE_TOKENS.userPool]: ["aliasAttributes", "usernameAttributes", "autoVerifiedAttributes"],
    [TYPE_TOKENS.client]: ["explicitAuthFlows", "allowedOauthFlows", "allowedOauthScopes", "callbackUrls", "logoutUrls", "readAttributes", "supportedIdentityProviders", "writeAttributes"],
};

/** The types whose replacement or deletion loses users: the pool (all of them) and a user (that one). */
export const USER_HOLDING_TYPES = {
    userPool: TYPE_TOKENS.userPool,
    user: TYPE_TOKENS.user,
} as const;
