import * as cognito from "@pulumi/aws/cognito";
import { Resource } from "@pulumi/pulumi";
import { EnforcementLevel, ResourceValidationPolicy, StackValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import {
    StackResource,
    UserPoolClientProps,
    UserPoolProps,
    clientSecretViolations,
    isProduction,
    passwordPolicyViolations,
    productionDeletionProtectionViolations,
    productionMfaViolations,
    productionPasswordAuthViolations,
    productionProtectViolations,
    productionThreatProtectionAdvice,
    tokenValidityUnitsViolations,
} from "./rules";
import { TYPE_TOKENS } from "../components/typeTokens";

const { userPool: POOL, client: CLIENT, user: USER } = TYPE_TOKENS;

/** A policy that runs `rule` on every resource of one type, reporting each message it returns. */
function policyOn<T, TResource extends Resource, TArgs>(
    resourceClass: { new (name: string, args: TArgs, ...rest: any[]): TResource },
    name: string,
    description: string,
    level: EnforcementLevel,
    rule: (props: T) => string[],
): ResourceValidationPolicy {
    return {
        name,
        description,
        enforcementLevel: level,
        validateResource: validateResourceOfType(resourceClass, (props, _args, report) => {
            for (const message of rule(props as T)) report(message);
        }),
    };
}

/**
 * A policy that runs `rule` on every production resource of the given types. Production is what
 * the stack says explicitly (see `isProduction`), so it is a stack policy: only a stack policy
 * sees a resource's parent, and with it the component's `production`.
 */
function productionPolicy(
    name: string,
    description: string,
    level: EnforcementLevel,
    types: readonly string[],
    rule: (resource: StackResource) => string[],
): StackValidationPolicy {
    return {
        name,
        description,
        enforcementLevel: level,
        validateStack: (args, report) => {
            for (const resource of args.resources) {
                if (!types.includes(resource.type) || !isProduction(resource, args.stackTags)) continue;
                for (const message of rule(resource)) report(message, resource.urn);
            }
        },
    };
}

/** The baseline: every user pool and app client in a stack, whichever program declared it. */
export const policies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
    policyOn(cognito.UserPool, "cognito-password-policy-baseline", "User pools ask for passwords at least as strong as the seed script's.", "mandatory", passwordPolicyViolations),
    policyOn(cognito.UserPoolClient, "cognito-client-token-validity-units", "App clients that set token lifetimes declare their units.", "mandatory", tokenValidityUnitsViolations),
    policyOn(cognito.UserPoolClient, "cognito-no-secret-on-browser-client", "App clients that allow SRP sign-in from browsers have no client secret.", "advisory", clientSecretViolations),
    productionPolicy("cognito-production-mfa-totp", "Production user pools require MFA (ON) with TOTP.", "mandatory", [POOL], (r) => productionMfaViolations(r.props as UserPoolProps)),
    productionPolicy("cognito-production-deletion-protection", "Production user pools have deletion protection ACTIVE.", "mandatory", [POOL], (r) =>
        productionDeletionProtectionViolations(r.props as UserPoolProps),
    ),
    productionPolicy("cognito-production-protect", "Production user pools and users carry Pulumi's protect option.", "mandatory", [POOL, USER], productionProtectViolations),
    productionPolicy("cognito-production-no-password-auth", "Production app clients do not allow ALLOW_USER_PASSWORD_AUTH.", "mandatory", [CLIENT], (r) =>
        productionPasswordAuthViolations(r.props as UserPoolClientProps),
    ),
    productionPolicy("cognito-production-threat-protection", "Production user pools run threat protection (AUDIT or ENFORCED; needs PLUS).", "advisory", [POOL], (r) =>
        productionThreatProtectionAdvice(r.props as UserPoolProps),
    ),
];
