/**
 * The component's rules that read more than one setting, by area: pool, client, groups, import,
 * admins and production. Each area checks what it owns, and reads of the other areas only what is
 * known valid: the values that passed their own checks (checkSettings.ts), and the facts an area
 * before it vouches for. None looks for another's problems.
 */
import { checkMfa, checkPasswordAgainstPolicy, checkUsername, PasswordPolicy } from "./cognitoRules";
import { ARGS_VOCABULARY, Vocabulary, checkSettings, planProblems, sortProblems } from "./checkSettings";
import { childNames } from "./childResources";
import { Problem } from "./problems";
import { TOTP_USER_POOL } from "./settings";
import type { AuthFlow, MfaConfiguration, ResolvedAdminUser, ResolvedTotpUserPoolArgs, TotpUserPoolArgs } from "./totpUserPoolArgs";

/**
 * Resolved args as the areas read them: a value that broke a rule is `null` (so is a default
 * derived from one), and a value left out without a default is `undefined`.
 */
export type Known<T> = T extends string | number | boolean
    ? T
    : T extends readonly (infer E)[]
      ? readonly (E extends string | number | boolean ? E : Known<E> | null)[]
      : T extends object
        ? { readonly [K in keyof T]?: Known<T[K]> | null }
        : T;

/** The resolved args, as the areas read them. */
export type KnownArgs = Known<ResolvedTotpUserPoolArgs>;

/** What an area found, and what it vouches for. */
export interface Area<Facts> {
    readonly problems: Problem[];
    readonly facts: Facts;
}

/** What the pool vouches for. */
export interface PoolFacts {
    /** The MFA mode, when valid. */
    readonly mfaConfiguration: MfaConfiguration | undefined;
    /** The whole password policy, when every field of it is valid. */
    readonly passwordPolicy: PasswordPolicy | undefined;
    /** The attributes that serve as the username: none when not set, or not valid. */
    readonly usernameAttributes: readonly string[];
    /** The attributes users can also sign in with: none when not set, or not valid. */
    readonly aliasAttributes: readonly string[];
    /** Cognito compares usernames without case. */
    readonly caseInsensitive: boolean;
}

/** The pool: MFA and its factor, and sign-in attributes that exclude each other. */
export function checkPool(args: KnownArgs): Area<PoolFacts> {
    const problems: Problem[] = [];
    const mfaConfiguration = args.mfaConfiguration ?? undefined;
    if (mfaConfiguration !== undefined && typeof args.softwareTokenMfa === "boolean") {
        const rule = checkMfa(mfaConfiguration, args.softwareTokenMfa);
        if (rule) problems.push({ path: "softwareTokenMfa", rule, value: args.softwareTokenMfa });
    }
    let aliasAttributes = args.aliasAttributes ?? undefined;
    if (args.usernameAttributes && aliasAttributes) {
        problems.push({ path: "aliasAttributes", rule: "must not be set together with usernameAttributes", value: aliasAttributes });
        aliasAttributes = undefined;
    }
    const policy = args.passwordPolicy;
    const fields = ["minimumLength", "requireLowercase", "requireUppercase", "requireNumbers", "requireSymbols", "temporaryPasswordValidityDays"] as const;
    const policyValid = policy !== undefined && policy !== null && fields.every((field) => policy[field] !== undefined && policy[field] !== null);
    return {
        problems,
        facts: {
            mfaConfiguration,
            passwordPolicy: policyValid ? (policy as PasswordPolicy) : undefined,
            usernameAttributes: args.usernameAttributes ?? [],
            aliasAttributes: aliasAttributes ?? [],
            caseInsensitive: args.usernameCaseSensitive === false,
        },
    };
}

/** What the app client vouches for. */
export interface ClientFacts {
    /** The auth flows, when valid. */
    readonly explicitAuthFlows: readonly AuthFlow[] | undefined;
}

/**
 * The app client: ALLOW_REFRESH_TOKEN_AUTH with refresh token rotation, or without it. AWS requires
 * neither of a client's flows (CreateUserPoolClient, ExplicitAuthFlows); without rotation, this
 * project requires ALLOW_REFRESH_TOKEN_AUTH so that apps can refresh their tokens, as the AWS CDK
 * does (aws-cdk-lib aws-cognito/lib/user-pool-client.ts adds it to every list of flows, after
 * aws/aws-cdk#7625, "Cognito REFRESH_TOKEN_AUTH should always be allowed"). With rotation, AWS's
 * developer guide (Refresh tokens): "You can't authenticate with REFRESH_TOKEN_AUTH in app clients
 * with refresh token rotation enabled."
 */
export function checkClient(args: KnownArgs): Area<ClientFacts> {
    const problems: Problem[] = [];
    const flows = args.appClient?.explicitAuthFlows ?? undefined;
    const rotation = args.appClient?.refreshTokenRotation;
    if (flows !== undefined && rotation !== null && rotation?.enabled !== null) {
        const refreshing = flows.includes("ALLOW_REFRESH_TOKEN_AUTH");
        if (rotation?.enabled === true && refreshing) {
            problems.push({
                path: "appClient.explicitAuthFlows",
                rule:
                    'must not include ALLOW_REFRESH_TOKEN_AUTH with refresh token rotation: AWS says "You can\'t authenticate with REFRESH_TOKEN_AUTH in app clients ' +
                    'with refresh token rotation enabled" (apps refresh with GetTokensFromRefreshToken)',
                value: flows,
            });
        } else if (rotation?.enabled !== true && !refreshing) {
            problems.push({
                path: "appClient.explicitAuthFlows",
                rule: "must include ALLOW_REFRESH_TOKEN_AUTH, so that apps can refresh their tokens (a rule of this project, as of the AWS CDK), unless refresh token rotation is on",
                value: flows,
            });
        }
    }
    return { problems, facts: { explicitAuthFlows: problems.length === 0 ? flows : undefined } };
}

/** What the groups vouch for. */
export interface GroupFacts {
    /** The names of the groups. */
    readonly names: ReadonlySet<string>;
    /** Every group and its name is valid: a name not among them is not a group. */
    readonly complete: boolean;
}

/** The groups: each name once. */
export function checkGroups(args: KnownArgs): Area<GroupFacts> {
    const problems: Problem[] = [];
    const names = new Set<string>();
    let complete = args.groups !== null;
    (args.groups ?? []).forEach((group, index) => {
        const name = group?.name;
        if (typeof name !== "string") {
            complete = false;
        } else if (names.has(name)) {
            problems.push({ path: `groups[${index}].name`, rule: "must be unique among the groups", value: name });
        } else {
            names.add(name);
        }
    });
    return { problems, facts: { names, complete } };
}

/** What the import vouches for. */
export interface ImportFacts {
    /** The admin user (`adminUser`) is adopted. */
    readonly adoptsAdmin: boolean;
    /** The id of the pool to adopt, when valid. */
    readonly userPoolId: string | undefined;
}

/** The import: an adopted admin keeps the password it has. */
export function checkImport(args: KnownArgs): Area<ImportFacts> {
    const problems: Problem[] = [];
    const adoptsAdmin = args.import?.adminUser === true;
    if (adoptsAdmin && args.adminUser?.temporaryPassword !== undefined) {
        problems.push({
            path: "adminUser.temporaryPassword",
            rule: "must not be set when import.adminUser is true: an adopted admin keeps the password it has",
            value: undefined,
            secret: true,
        });
    }
    return { problems, facts: { adoptsAdmin, userPoolId: args.import?.userPoolId ?? undefined } };
}

/**
 * The admin users: usernames as the pool signs in, unique (ignoring case where Cognito does), one
 * e-mail address each where e-mail signs in, labels only where they can work, temporary passwords
 * that satisfy the policy, groups that exist, and no two children of one resource name.
 */
export function checkAdmins(args: KnownArgs, pool: PoolFacts, groups: GroupFacts, adoption: ImportFacts): Problem[] {
    const problems: Problem[] = [];
    const admins: [string, Known<ResolvedAdminUser> | null | undefined][] = [
        ["adminUser", args.adminUser],
        ...(args.adminUsers ?? []).map((user, index): [string, Known<ResolvedAdminUser> | null] => [`adminUsers[${index}]`, user]),
    ];
    // Each child's logical name (see childNames), by the path that makes it: two may not share one.
    const names = new Map<string, string>();
    const claim = (childName: string, path: string, value: unknown) => {
        const other = names.get(childName);
        if (other !== undefined && other !== path) {
            problems.push({ path, rule: `makes the resource name "${childName}" a second time; rename a user or a group`, value });
        }
        names.set(childName, path);
    };
    const seen = new Map<string, string>();
    // With e-mail as an alias or the username, Cognito lets one user only hold a given address.
    const emailSignsIn = pool.aliasAttributes.includes("email") || pool.usernameAttributes.includes("email");
    const emails = new Map<string, string>();
    for (const [path, admin] of admins) {
        if (!admin) continue;
        const username = admin.username ?? undefined;
        const memberships = admin.groups ?? [];
        if (username !== undefined) {
            const rule = checkUsername(username, pool.usernameAttributes, pool.aliasAttributes);
            if (rule) problems.push({ path: `${path}.username`, rule, value: username });
            const key = pool.caseInsensitive ? username.toLowerCase() : username;
            const twin = seen.get(key);
            if (twin !== undefined) {
                problems.push({
                    path: `${path}.username`,
                    rule:
                        twin === username
                            ? "must be unique among the admin users"
                            : `must be unique among the admin users ignoring case, as usernameCaseSensitive is false (${JSON.stringify(twin)} is taken)`,
                    value: username,
                });
            } else {
                seen.set(key, username);
                claim(childNames.user(username), `${path}.username`, username);
                for (const group of memberships) {
                    if (group !== null) claim(childNames.membership(username, group), `${path}.groups`, group);
                }
            }
        }
        const address = pool.usernameAttributes.includes("email") && username?.includes("@") ? username : admin.email ?? undefined;
        if (emailSignsIn && address !== undefined) {
            const holder = emails.get(address.toLowerCase());
            if (holder !== undefined) {
                problems.push({ path: `${path}.email`, rule: `must differ from ${holder}'s: with e-mail as a sign-in attribute, Cognito lets only one user have an address`, value: address });
            } else {
                emails.set(address.toLowerCase(), path);
            }
        }
        const adopted = path === "adminUser" && adoption.adoptsAdmin;
        const ownPassword = admin.temporaryPassword !== undefined;
        if (typeof admin.passwordReissue === "string") {
            const rule = ownPassword
                ? "must not be set with a temporary password of your own: set a new temporaryPassword to re-issue it"
                : adopted
                  ? "must not be set for an adopted admin (import.adminUser), which declares no password"
                  : undefined;
            if (rule) problems.push({ path: `${path}.passwordReissue`, rule, value: admin.passwordReissue });
        }
        if (typeof admin.recreate === "string") {
            const rule = adopted
                ? "must not be set for an adopted admin (import.adminUser), which stays protected and keeps its import id: Pulumi replaces neither"
                : ownPassword
                  ? "must not be set with a temporary password of your own, which the recreated user would get again: remove temporaryPassword, so that a new one is generated"
                  : args.protect === true || args.retainOnDelete === true
                    ? "must not be set where users are protected or retained (protect, retainOnDelete, production), as Pulumi cannot delete them: " +
                      "npm run admin:recover deletes the authenticator in place instead"
                    : undefined;
            if (rule) problems.push({ path: `${path}.recreate`, rule, value: admin.recreate });
        }
        if (typeof admin.temporaryPassword === "string" && pool.passwordPolicy) {
            const rule = checkPasswordAgainstPolicy(admin.temporaryPassword, pool.passwordPolicy);
            if (rule) problems.push({ path: `${path}.temporaryPassword`, rule, value: undefined, secret: true });
        }
        memberships.forEach((group, index, list) => {
            if (group === null) return;
            if (groups.complete && !groups.names.has(group)) problems.push({ path: `${path}.groups`, rule: "must name groups declared in groups", value: group });
            else if (list.indexOf(group) !== index) problems.push({ path: `${path}.groups`, rule: "must name each group once", value: group });
        });
    }
    return problems;
}

/** Production: protection that must stay on, and MFA ON; taking such a pool down is a change of its own. */
export function checkProduction(args: KnownArgs, pool: PoolFacts): Problem[] {
    if (args.production !== true) return [];
    const problems: Problem[] = [];
    const takeDown = "set production to false first, in a change of its own, to take this pool down on purpose";
    if (args.protect === false) problems.push({ path: "protect", rule: `must be true while production is true; ${takeDown}`, value: false });
    if (args.retainOnDelete === false) problems.push({ path: "retainOnDelete", rule: `must be true while production is true; ${takeDown}`, value: false });
    if (args.deletionProtection === "INACTIVE") problems.push({ path: "deletionProtection", rule: `must be ACTIVE while production is true; ${takeDown}`, value: "INACTIVE" });
    if (pool.mfaConfiguration !== undefined && pool.mfaConfiguration !== "ON") {
        problems.push({ path: "mfaConfiguration", rule: "must be ON while production is true: every production user signs in with TOTP", value: pool.mfaConfiguration });
    }
    return problems;
}

/** The args checked: every problem, the resolved args when there is none, and what the areas vouch for. */
export interface Validation {
    /** Every problem, in the order of the settings they are about. */
    readonly problems: readonly Problem[];
    /** The args with every default filled in; `undefined` when there is a problem. */
    readonly resolved: ResolvedTotpUserPoolArgs | undefined;
    /** What the pool vouches for. */
    readonly pool: PoolFacts;
    /** What the app client vouches for. */
    readonly client: ClientFacts;
    /** What the import vouches for. */
    readonly adoption: ImportFacts;
}

/**
 * Checks the component's args: each setting against its definition, the feature plan each needs,
 * then the areas. Pure: it declares nothing. A temporary password is checked here only when it is
 * text; its problem never carries its value.
 */
export function validateTotpUserPoolArgs(args: TotpUserPoolArgs, vocabulary: Vocabulary = ARGS_VOCABULARY): Validation {
    const checked = checkSettings(TOTP_USER_POOL, args, vocabulary);
    const known = checked.resolved as KnownArgs;
    const pool = checkPool(known);
    const client = checkClient(known);
    const groups = checkGroups(known);
    const adoption = checkImport(known);
    const problems = sortProblems(TOTP_USER_POOL, [
        ...checked.problems,
        ...planProblems(TOTP_USER_POOL, checked.resolved, known.featurePlan),
        ...pool.problems,
        ...client.problems,
        ...groups.problems,
        ...adoption.problems,
        ...checkAdmins(known, pool.facts, groups.facts, adoption.facts),
        ...checkProduction(known, pool.facts),
    ]);
    return {
        problems,
        resolved: problems.length === 0 ? (checked.resolved as unknown as ResolvedTotpUserPoolArgs) : undefined,
        pool: pool.facts,
        client: client.facts,
        adoption: adoption.facts,
    };
}
