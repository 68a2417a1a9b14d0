import * as assert from "assert";
import { SEED_PASSWORD_POLICY } from "../deploy/components/cognitoRules";
import { policies } from "../deploy/policy/policies";
import {
    BASELINE_PASSWORD_POLICY,
    clientSecretViolations,
    passwordPolicyViolations,
    prodDeletionProtectionViolations,
    prodMfaViolations,
    prodPasswordAuthViolations,
    stackOfUrn,
    tokenValidityUnitsViolations,
} from "../deploy/policy/rules";

const SEED_POLICY = { ...BASELINE_PASSWORD_POLICY };
const TOTP_ON = { mfaConfiguration: "ON", softwareTokenMfaConfiguration: { enabled: true } };

/** Runs one policy of the pack on a resource, as the policy runtime would, and returns its violations. */
async function violations(policyName: string, type: string, stack: string, props: object): Promise<string[]> {
    const policy = policies.find((p) => p.name === policyName);
    assert.ok(policy, policyName);
    const reported: string[] = [];
    const args = {
        type,
        props,
        urn: `urn:pulumi:${stack}::proj::${type}::res`,
        name: "res",
        isType: (cls: { __pulumiType?: string }) => cls.__pulumiType === type,
        notApplicable: () => undefined,
    };
    const validate = policy.validateResource;
    assert.ok(typeof validate === "function", `${policyName} validates with one function`);
    await validate(args as never, (message: string) => reported.push(message));
    return reported;
}

const POOL = "aws:cognito/userPool:UserPool";
const CLIENT = "aws:cognito/userPoolClient:UserPoolClient";

describe("the policy pack (CrossGuard)", () => {
    it("has the mandatory and advisory policies it documents", () => {
        assert.deepStrictEqual(
            policies.map((p) => [p.name, p.enforcementLevel]),
            [
                ["cognito-prod-mfa-totp", "mandatory"],
                ["cognito-password-policy-baseline", "mandatory"],
                ["cognito-prod-deletion-protection", "mandatory"],
                ["cognito-client-token-validity-units", "mandatory"],
                ["cognito-prod-no-password-auth", "mandatory"],
                ["cognito-no-secret-on-browser-client", "advisory"],
            ],
        );
    });

    it("keeps the same baseline as the program's seed policy", () => {
        assert.deepStrictEqual({ ...BASELINE_PASSWORD_POLICY }, SEED_PASSWORD_POLICY);
    });

    it("reads the stack from a URN", () => {
        assert.strictEqual(stackOfUrn("urn:pulumi:prod-eu::proj::aws:cognito/userPool:UserPool::p"), "prod-eu");
    });

    describe("MFA in prod", () => {
        it("passes ON with TOTP, and anything outside prod", () => {
            assert.deepStrictEqual(prodMfaViolations(TOTP_ON, "prod"), []);
            assert.deepStrictEqual(prodMfaViolations({ mfaConfiguration: "OFF" }, "dev"), []);
        });
        it("fails OPTIONAL, or no TOTP, in any stack named prod*", () => {
            assert.deepStrictEqual(prodMfaViolations({ mfaConfiguration: "OPTIONAL", softwareTokenMfaConfiguration: { enabled: true } }, "prod-eu"), [
                "MFA must be ON in prod-eu, not OPTIONAL.",
            ]);
            assert.deepStrictEqual(prodMfaViolations({}, "prod"), [
                "MFA must be ON in prod, not OFF (unset).",
                "Software-token (TOTP) MFA must be enabled in prod.",
            ]);
        });
    });

    describe("password policy", () => {
        it("passes the seed's policy, a stronger one, and none (Cognito's defaults)", () => {
            assert.deepStrictEqual(passwordPolicyViolations({ passwordPolicy: SEED_POLICY }), []);
            assert.deepStrictEqual(passwordPolicyViolations({ passwordPolicy: { ...SEED_POLICY, minimumLength: 14, temporaryPasswordValidityDays: 1 } }), []);
            assert.deepStrictEqual(passwordPolicyViolations({}), []);
        });
        it("fails anything weaker, naming each shortfall", () => {
            assert.deepStrictEqual(
                passwordPolicyViolations({ passwordPolicy: { minimumLength: 6, requireSymbols: false, requireNumbers: true, requireLowercase: true, temporaryPasswordValidityDays: 30 } }),
                [
                    "Passwords must be at least 8 characters long, not 6.",
                    "Passwords must require upper-case letters (requireUppercase).",
                    "Passwords must require symbols (requireSymbols).",
                    "Temporary passwords must expire within 7 days, not 30.",
                ],
            );
        });
    });

    describe("deletion protection in prod", () => {
        it("passes ACTIVE in prod and anything elsewhere", () => {
            assert.deepStrictEqual(prodDeletionProtectionViolations({ deletionProtection: "ACTIVE" }, "prod"), []);
            assert.deepStrictEqual(prodDeletionProtectionViolations({}, "staging"), []);
        });
        it("fails INACTIVE or unset in prod", () => {
            assert.deepStrictEqual(prodDeletionProtectionViolations({}, "prod"), [
                "Deletion protection must be ACTIVE in prod, not INACTIVE (unset).",
            ]);
        });
    });

    describe("app clients", () => {
        it("need units when they set a token lifetime", () => {
            assert.deepStrictEqual(tokenValidityUnitsViolations({}), []);
            assert.deepStrictEqual(tokenValidityUnitsViolations({ accessTokenValidity: 60, tokenValidityUnits: { accessToken: "minutes" } }), []);
            assert.deepStrictEqual(tokenValidityUnitsViolations({ accessTokenValidity: 60 }), [
                "Token lifetimes are set without tokenValidityUnits: access and ID token lifetimes would be read as hours.",
            ]);
        });
        it("may not allow USER_PASSWORD_AUTH in prod", () => {
            assert.deepStrictEqual(prodPasswordAuthViolations({ explicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"] }, "dev"), []);
            assert.deepStrictEqual(prodPasswordAuthViolations({ explicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"] }, "prod"), [
                "ALLOW_USER_PASSWORD_AUTH sends passwords to Cognito in the clear: use SRP (ALLOW_USER_SRP_AUTH) in prod.",
            ]);
        });
        it("should have no secret when browsers sign in with SRP", () => {
            assert.deepStrictEqual(clientSecretViolations({ generateSecret: true, explicitAuthFlows: ["ALLOW_REFRESH_TOKEN_AUTH"] }), []);
            assert.deepStrictEqual(clientSecretViolations({ generateSecret: true, explicitAuthFlows: ["ALLOW_USER_SRP_AUTH"] }), [
                "This client has a secret and allows SRP sign-in: a browser app cannot keep a secret. Use a client without one for browsers.",
            ]);
        });
    });

    describe("wired into the pack, for every pool and client in a stack", () => {
        it("reports a prod pool's MFA and deletion protection, and ignores other types", async () => {
            assert.deepStrictEqual(await violations("cognito-prod-mfa-totp", POOL, "prod", { mfaConfiguration: "OFF" }), [
                "MFA must be ON in prod, not OFF.",
                "Software-token (TOTP) MFA must be enabled in prod.",
            ]);
            assert.deepStrictEqual(await violations("cognito-prod-deletion-protection", POOL, "prod", {}), [
                "Deletion protection must be ACTIVE in prod, not INACTIVE (unset).",
            ]);
            assert.deepStrictEqual(await violations("cognito-prod-mfa-totp", POOL, "dev", { mfaConfiguration: "OFF" }), []);
        });
        it("reports a client's missing units and its password flow in prod", async () => {
            assert.deepStrictEqual(await violations("cognito-client-token-validity-units", CLIENT, "dev", { refreshTokenValidity: 30 }), [
                "Token lifetimes are set without tokenValidityUnits: access and ID token lifetimes would be read as hours.",
            ]);
            assert.deepStrictEqual(
                await violations("cognito-prod-no-password-auth", CLIENT, "prod", { explicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"] }),
                ["ALLOW_USER_PASSWORD_AUTH sends passwords to Cognito in the clear: use SRP (ALLOW_USER_SRP_AUTH) in prod."],
            );
        });
        it("finds nothing in what this program declares for each stack", async () => {
            const fs = await import("fs");
            const path = await import("path");
            for (const stack of ["dev", "staging", "prod"]) {
                const plan = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "plans", `${stack}.json`), "utf8")) as {
                    resources: { type: string; inputs: object }[];
                };
                const checked = plan.resources.filter((r) => r.type === POOL || r.type === CLIENT);
                assert.deepStrictEqual(checked.map((r) => r.type).sort(), [POOL, CLIENT].sort(), stack);
                for (const resource of checked) {
                    for (const policy of policies) {
                        assert.deepStrictEqual(await violations(policy.name, resource.type, stack, resource.inputs), [], `${stack} ${policy.name}`);
                    }
                }
            }
        });
    });
});
