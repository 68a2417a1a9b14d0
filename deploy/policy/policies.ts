import * as aws from "@pulumi/aws";
import { Resource } from "@pulumi/pulumi";
import { EnforcementLevel, ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import {
    UserPoolClientProps,
    UserPoolProps,
    clientSecretViolations,
    passwordPolicyViolations,
    prodDeletionProtectionViolations,
    prodMfaViolations,
    prodPasswordAuthViolations,
    stackOfUrn,
    tokenValidityUnitsViolations,
} from "./rules";

type Rule<T> = (props: T, stack: string) => string[];

/** A policy that runs `rule` on every resource of one type, reporting each message it returns. */
function policyOn<T, TResource extends Resource, TArgs>(
    resourceClass: { new (name: string, args: TArgs, ...rest: any[]): TResource },
    name: string,
    description: string,
    level: EnforcementLevel,
    rule: Rule<T>,
): ResourceValidationPolicy {
    return {
        name,
        description,
        enforcementLevel: level,
        validateResource: validateResourceOfType(resourceClass, (props, args, report) => {
            for (const message of rule(props as T, stackOfUrn(args.urn))) report(message);
        }),
    };
}

const poolPolicy = (name: string, description: string, level: EnforcementLevel, rule: Rule<UserPoolProps>) =>
    policyOn(aws.cognito.UserPool, name, description, level, rule);
const clientPolicy = (name: string, description: string, level: EnforcementLevel, rule: Rule<UserPoolClientProps>) =>
    policyOn(aws.cognito.UserPoolClient, name, description, level, rule);

/** The baseline: every user pool and app client in a stack, whichever program declared it. */
export const policies: ResourceValidationPolicy[] = [
    poolPolicy("cognito-prod-mfa-totp", "In stacks named prod*, user pools require MFA (ON) with TOTP.", "mandatory", prodMfaViolations),
    poolPolicy(
        "cognito-password-policy-baseline",
        "User pools ask for passwords at least as strong as the seed script's.",
        "mandatory",
        (pool) => passwordPolicyViolations(pool),
    ),
    poolPolicy(
        "cognito-prod-deletion-protection",
        "In stacks named prod*, user pools have deletion protection ACTIVE.",
        "mandatory",
        prodDeletionProtectionViolations,
    ),
    clientPolicy(
        "cognito-client-token-validity-units",
        "App clients that set token lifetimes declare their units.",
        "mandatory",
        (client) => tokenValidityUnitsViolations(client),
    ),
    clientPolicy(
        "cognito-prod-no-password-auth",
        "In stacks named prod*, app clients do not allow ALLOW_USER_PASSWORD_AUTH.",
        "mandatory",
        prodPasswordAuthViolations,
    ),
    clientPolicy(
        "cognito-no-secret-on-browser-client",
        "App clients that allow SRP sign-in from browsers have no client secret.",
        "advisory",
        (client) => clientSecretViolations(client),
    ),
];
