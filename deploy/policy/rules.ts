/**
 * The security baseline, as pure functions over a resource's declared inputs. Each returns the
 * violations it finds, as messages; an empty list means the resource complies. Its figures come
 * from the definition of the component's settings (deploy/components/settings.ts) where it has
 * them: the seed's password policy, and the feature plan threat protection needs.
 */
import { PasswordPolicy, SEED_PASSWORD_POLICY } from "../components/cognitoRules";
import { TOTP_USER_POOL } from "../components/settings";
import { TYPE_TOKENS } from "../components/typeTokens";

/** The seed script's password policy, the floor: the defaults of `passwordPolicy`. */
export const BASELINE_PASSWORD_POLICY = SEED_PASSWORD_POLICY;

/** The feature plans threat protection needs, as its setting says. */
const THREAT_PROTECTION_PLANS = TOTP_USER_POOL.fields.threatProtection.plan?.needs ?? [];

/** The type of this program's component, whose recorded `production` marks a production pool. */
export const COMPONENT_TYPE = TYPE_TOKENS.component;

/** The stack tag that marks every pool of a stack as production, whichever program declared it. */
export const PRODUCTION_TAG = "cognito-totp:production";

/** The inputs of a user pool that the rules read (as `aws.cognito.UserPool` declares them). */
export interface UserPoolProps {
    readonly mfaConfiguration?: string;
    readonly softwareTokenMfaConfiguration?: { readonly enabled?: boolean };
    readonly deletionProtection?: string;
    readonly userPoolAddOns?: { readonly advancedSecurityMode?: string };
    readonly passwordPolicy?: Partial<PasswordPolicy>;
}

/** The inputs of an app client that the rules read (as `aws.cognito.UserPoolClient` declares them). */
export interface UserPoolClientProps {
    readonly accessTokenValidity?: number;
    readonly idTokenValidity?: number;
    readonly refreshTokenValidity?: number;
    readonly tokenValidityUnits?: object;
    readonly explicitAuthFlows?: readonly string[];
    readonly generateSecret?: boolean;
}

/** A resource of a stack as a stack policy sees it: its type, props, protect option and parent. */
export interface StackResource {
    readonly type: string;
    readonly props: Record<string, unknown>;
    readonly opts: { readonly protect: boolean };
    readonly parent?: StackResource;
}

/**
 * Whether a resource belongs to production: the stack is tagged `cognito-totp:production=true`,
 * or the resource sits in a TotpUserPool component whose `production` is true. Never guessed from
 * the stack's name.
 */
export function isProduction(resource: StackResource, stackTags: ReadonlyMap<string, string>): boolean {
    if (stackTags.get(PRODUCTION_TAG) === "true") return true;
    for (let at: StackResource | undefined = resource.parent; at; at = at.parent) {
        if (at.type === COMPONENT_TYPE && at.props.production === true) return true;
    }
    return false;
}

/** In production, MFA must be ON with software tokens (TOTP). */
export function productionMfaViolations(pool: UserPoolProps): string[] {
    const violations: string[] = [];
    if (pool.mfaConfiguration !== "ON") {
        violations.push(`MFA must be ON in production, not ${pool.mfaConfiguration ?? "OFF (unset)"}.`);
    }
    if (pool.softwareTokenMfaConfiguration?.enabled !== true) {
        violations.push("Software-token (TOTP) MFA must be enabled in production.");
    }
    return violations;
}

/**
 * The password policy must be at least as strong as the seed script's: 8 or more characters,
 * upper and lower case, digits and symbols, temporary passwords valid for 7 days at most. A pool
 * with no password policy gets Cognito's defaults, which are exactly that. Within a declared
 * policy, a requirement left out is off, and a length left out is Cognito's 8.
 */
export function passwordPolicyViolations(pool: UserPoolProps): string[] {
    const policy = pool.passwordPolicy;
    if (policy === undefined) return [];
    const baseline = BASELINE_PASSWORD_POLICY;
    const violations: string[] = [];
    const minimumLength = policy.minimumLength ?? 8;
    if (minimumLength < baseline.minimumLength) {
        violations.push(`Passwords must be at least ${baseline.minimumLength} characters long, not ${minimumLength}.`);
    }
    const required: [keyof NonNullable<UserPoolProps["passwordPolicy"]>, string][] = [
        ["requireLowercase", "lower-case letters"],
        ["requireUppercase", "upper-case letters"],
        ["requireNumbers", "digits"],
        ["requireSymbols", "symbols"],
    ];
    for (const [field, what] of required) {
        if (policy[field] !== true) violations.push(`Passwords must require ${what} (${field}).`);
    }
    const validity = policy.temporaryPasswordValidityDays ?? baseline.temporaryPasswordValidityDays;
    if (validity > baseline.temporaryPasswordValidityDays) {
        violations.push(
            `Temporary passwords must expire within ${baseline.temporaryPasswordValidityDays} days, not ${validity}.`,
        );
    }
    return violations;
}

/** In production, deletion protection must be ACTIVE. */
export function productionDeletionProtectionViolations(pool: UserPoolProps): string[] {
    return pool.deletionProtection !== "ACTIVE"
        ? [`Deletion protection must be ACTIVE in production, not ${pool.deletionProtection ?? "INACTIVE (unset)"}.`]
        : [];
}

/** In production, threat protection should at least watch (AUDIT): an advisory, since it needs a higher feature plan (PLUS). */
export function productionThreatProtectionAdvice(pool: UserPoolProps): string[] {
    const mode = pool.userPoolAddOns?.advancedSecurityMode;
    return mode === "AUDIT" || mode === "ENFORCED"
        ? []
        : [
              `Threat protection is ${mode ?? "OFF (unset)"} in production: set featurePlan ${THREAT_PROTECTION_PLANS.join(" or ")} and threatProtection AUDIT to log risky sign-ins, ` +
                  "then ENFORCED once the logs look right.",
          ];
}

/** A client that sets a token lifetime must say its units: access and ID lifetimes default to hours. */
export function tokenValidityUnitsViolations(client: UserPoolClientProps): string[] {
    const setsLifetime = [client.accessTokenValidity, client.idTokenValidity, client.refreshTokenValidity].some(
        (value) => value !== undefined,
    );
    return setsLifetime && client.tokenValidityUnits === undefined
        ? ["Token lifetimes are set without tokenValidityUnits: access and ID token lifetimes would be read as hours."]
        : [];
}

/** In production, no client may send passwords in the clear (ALLOW_USER_PASSWORD_AUTH). */
export function productionPasswordAuthViolations(client: UserPoolClientProps): string[] {
    return client.explicitAuthFlows?.includes("ALLOW_USER_PASSWORD_AUTH")
        ? ["ALLOW_USER_PASSWORD_AUTH sends passwords to Cognito in the clear: use SRP (ALLOW_USER_SRP_AUTH) in production."]
        : [];
}

/** In production, a pool and its users carry Pulumi's `protect`, so that no change can delete them. */
export function productionProtectViolations(resource: StackResource): string[] {
    return resource.opts.protect
        ? []
        : [`${resource.type === TYPE_TOKENS.userPool ? "This user pool" : "This user"} must carry Pulumi's protect option in production.`];
}

/** A client with a secret is for servers: browsers, which sign in with SRP, cannot keep one. */
export function clientSecretViolations(client: UserPoolClientProps): string[] {
    return client.generateSecret === true && client.explicitAuthFlows?.includes("ALLOW_USER_SRP_AUTH")
        ? ["This client has a secret and allows SRP sign-in: a browser app cannot keep a secret. Use a client without one for browsers."]
        : [];
}
