import * as aws from "@pulumi/aws";
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

function poolPolicy(name: string, description: string, level: EnforcementLevel, rule: Rule<UserPoolProps>): ResourceValidationPolicy {
    return {
        name,
        description,
        enforcementLevel: level,
        validateResource: validateResourceOfType(aws.cognito.UserPool, (props, args, report) => {
            for (const message of rule(props as UserPoolProps, stackOfUrn(args.urn))) report(message);
        }),
    };
}

function clientPolicy(name: string, description: string, level: EnforcementLevel, rule: Rule<UserPoolClientProps>): ResourceValidationPolicy {
    return {
        name,
        description,
        enforcementLevel: level,
        validateResource: validateResourceOfType(aws.cognito.UserPoolClient, (props, args, report) => {
            for (const message of rule(props as UserPoolClientProps, stackOfUrn(args.urn))) report(message);
        }),
    };
}

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
