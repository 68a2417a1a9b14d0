import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { SEED_PASSWORD_POLICY } from "../deploy/components/cognitoRules";
import { TotpUserPool } from "../deploy/components/totpUserPool";
import { policies } from "../deploy/policy/policies";
import {
    BASELINE_PASSWORD_POLICY,
    COMPONENT_TYPE,
    PRODUCTION_TAG,
    StackResource,
    clientSecretViolations,
    isProduction,
    passwordPolicyViolations,
    productionDeletionProtectionViolations,
    productionMfaViolations,
    productionPasswordAuthViolations,
    productionProtectViolations,
    productionThreatProtectionAdvice,
    tokenValidityUnitsViolations,
} from "../deploy/policy/rules";
import { Plan } from "../tools/plan/plan";
import { stackFilePaths } from "../tools/mock/stackFile";
import { ROOT, TYPES } from "./support";

const SEED_POLICY = { ...BASELINE_PASSWORD_POLICY };
const TOTP_ON = { mfaConfiguration: "ON", softwareTokenMfaConfiguration: { enabled: true } };
const { userPool: POOL, client: CLIENT, user: USER } = TYPES;
const NO_TAGS: ReadonlyMap<string, string> = new Map();

function policy(name: string) {
    const found = policies.find((p) => p.name === name);
    assert.ok(found, name);
    return found;
}

/** Runs one resource policy of the pack on a resource, as the policy runtime would, and returns its violations. */
async function resourceViolations(policyName: string, type: string, props: object): Promise<string[]> {
    const validate = (policy(policyName) as ResourceValidationPolicy).validateResource;
    assert.ok(typeof validate === "function", `${policyName} validates resources with one function`);
    const reported: string[] = [];
    const notApplicable = new Error("not applicable");
    const args = {
        type,
        props,
        urn: `urn:pulumi:s::proj::${type}::res`,
        name: "res",
        isType: (cls: { __pulumiType?: string }) => cls.__pulumiType === type,
        // The policy runtime ends a validation that does not apply by a throw, as here.
        notApplicable: () => {
            throw notApplicable;
        },
    };
    try {
        await validate(args as never, (message: string) => reported.push(message));
    } catch (error) {
        if (error !== notApplicable) throw error;
    }
    return reported;
}

/** A stack resource for the stack policies, with a URN. */
type Resource = StackResource & { readonly urn: string; readonly name: string };

/** Runs one stack policy on a stack's resources, and returns its violations as `[name, message]`. */
async function stackViolations(policyName: string, resources: readonly Resource[], stackTags: ReadonlyMap<string, string> = NO_TAGS): Promise<[string, string][]> {
    const reported: [string, string][] = [];
    const byUrn = new Map(resources.map((r) => [r.urn, r.name]));
    await (policy(policyName) as StackValidationPolicy).validateStack({ resources, stackTags } as never, (message: string, urn?: string) =>
        reported.push([byUrn.get(urn ?? "") ?? "(stack)", message]),
    );
    return reported;
}

/** A stack of this program's shape: the component (with its recorded production), a pool, a client and a user. */
function stack(production: boolean, pool: object, options: { protect?: boolean; client?: object } = {}): Resource[] {
    const component: Resource = { urn: "c", name: "cognito", type: TotpUserPool.TYPE, props: { production }, opts: { protect: false } };
    const child = (name: string, type: string, props: object): Resource => ({ urn: name, name, type, props: props as Record<string, unknown>, opts: { protect: options.protect ?? false }, parent: component });
    return [component, child("pool", POOL, pool), child("client", CLIENT, options.client ?? {}), child("admin", USER, { username: "admin" })];
}

/** The resources of a committed plan, as the policy runtime would see them during a preview. */
function planResources(plan: Plan): Resource[] {
    const byName = new Map<string, Resource>();
    for (const r of plan.resources) {
        byName.set(r.name, {
            urn: r.urn,
            name: r.name,
            type: r.type,
            props: r.inputs as Record<string, unknown>,
            opts: { protect: r.options.protect === true },
            parent: r.parent === null ? undefined : byName.get(r.parent),
        });
    }
    return [...byName.values()];
}

describe("the policy pack (CrossGuard)", () => {
    it("has the mandatory and advisory policies it documents", () => {
        assert.deepStrictEqual(
            policies.map((p) => [p.name, p.enforcementLevel, "validateStack" in p ? "stack" : "resource"]),
            [
                ["cognito-password-policy-baseline", "mandatory", "resource"],
                ["cognito-client-token-validity-units", "mandatory", "resource"],
                ["cognito-no-secret-on-browser-client", "advisory", "resource"],
                ["cognito-production-mfa-totp", "mandatory", "stack"],
                ["cognito-production-deletion-protection", "mandatory", "stack"],
                ["cognito-production-protect", "mandatory", "stack"],
                ["cognito-production-no-password-auth", "mandatory", "stack"],
                ["cognito-production-threat-protection", "advisory", "stack"],
            ],
        );
    });

    it("keeps the program's seed policy as its baseline, from the definition of the settings", () => {
        assert.strictEqual(BASELINE_PASSWORD_POLICY, SEED_PASSWORD_POLICY);
        assert.deepStrictEqual({ ...BASELINE_PASSWORD_POLICY }, { minimumLength: 8, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: true, temporaryPasswordValidityDays: 7 });
    });

    describe("what is production", () => {
        const [, pool] = stack(true, {});
        it("is a pool in a component whose production is true, whatever the stack is called", () => {
            assert.strictEqual(isProduction(pool, NO_TAGS), true);
            assert.strictEqual(isProduction(stack(false, {})[1], NO_TAGS), false);
        });
        it("recognises the component this program declares", () => {
            assert.strictEqual(COMPONENT_TYPE, TotpUserPool.TYPE);
        });
        it("is a pool at any depth below the component, but not one in another component that says production", () => {
            const component: StackResource = { type: TotpUserPool.TYPE, props: { production: true }, opts: { protect: false } };
            const wrapper: StackResource = { type: "acme:index:Wrapper", props: { production: true }, opts: { protect: false }, parent: component };
            assert.strictEqual(isProduction({ type: POOL, props: {}, opts: { protect: false }, parent: wrapper }, NO_TAGS), true);
            const other: StackResource = { type: "acme:index:Wrapper", props: { production: true }, opts: { protect: false } };
            assert.strictEqual(isProduction({ type: POOL, props: {}, opts: { protect: false }, parent: other }, NO_TAGS), false);
            const notTrue: StackResource = { type: TotpUserPool.TYPE, props: { production: "true" }, opts: { protect: false } };
            assert.strictEqual(isProduction({ type: POOL, props: {}, opts: { protect: false }, parent: notTrue }, NO_TAGS), false);
        });
        it("is any pool of a stack tagged cognito-totp:production=true", () => {
            const loose: StackResource = { type: POOL, props: {}, opts: { protect: false } };
            assert.strictEqual(isProduction(loose, new Map([["cognito-totp:production", "true"]])), true);
            assert.strictEqual(isProduction(loose, new Map([["cognito-totp:production", "false"]])), false);
            assert.strictEqual(isProduction(loose, new Map([["production", "true"]])), false);
            assert.strictEqual(isProduction(loose, NO_TAGS), false);
        });
    });

    describe("rules", () => {
        it("MFA: ON with TOTP passes; OPTIONAL, or no TOTP, fails", () => {
            assert.deepStrictEqual(productionMfaViolations(TOTP_ON), []);
            assert.deepStrictEqual(productionMfaViolations({ mfaConfiguration: "OPTIONAL", softwareTokenMfaConfiguration: { enabled: true } }), [
                "MFA must be ON in production, not OPTIONAL.",
            ]);
            assert.deepStrictEqual(productionMfaViolations({}), [
                "MFA must be ON in production, not OFF (unset).",
                "Software-token (TOTP) MFA must be enabled in production.",
            ]);
        });
        it("password policy: the seed's, a stronger one and none pass; anything weaker fails, naming each shortfall", () => {
            assert.deepStrictEqual(passwordPolicyViolations({ passwordPolicy: SEED_POLICY }), []);
            assert.deepStrictEqual(passwordPolicyViolations({ passwordPolicy: { ...SEED_POLICY, minimumLength: 14, temporaryPasswordValidityDays: 1 } }), []);
            assert.deepStrictEqual(passwordPolicyViolations({}), []);
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
        it("password policy: names every requirement left off, and holds length and validity to their limits", () => {
            assert.deepStrictEqual(passwordPolicyViolations({ passwordPolicy: {} }), [
                "Passwords must require lower-case letters (requireLowercase).",
                "Passwords must require upper-case letters (requireUppercase).",
                "Passwords must require digits (requireNumbers).",
                "Passwords must require symbols (requireSymbols).",
            ]);
            const seed = (change: object) => passwordPolicyViolations({ passwordPolicy: { ...SEED_POLICY, ...change } });
            assert.deepStrictEqual(seed({ minimumLength: 8 }), []);
            assert.deepStrictEqual(seed({ minimumLength: 7 }), ["Passwords must be at least 8 characters long, not 7."]);
            assert.deepStrictEqual(seed({ minimumLength: undefined }), [], "Cognito's default length is 8");
            assert.deepStrictEqual(seed({ temporaryPasswordValidityDays: 7 }), []);
            assert.deepStrictEqual(seed({ temporaryPasswordValidityDays: 8 }), ["Temporary passwords must expire within 7 days, not 8."]);
            assert.deepStrictEqual(seed({ temporaryPasswordValidityDays: undefined }), [], "Cognito's default validity is 7 days");
            assert.deepStrictEqual(seed({ requireLowercase: false, requireNumbers: false }), [
                "Passwords must require lower-case letters (requireLowercase).",
                "Passwords must require digits (requireNumbers).",
            ]);
        });
        it("deletion protection: ACTIVE passes, INACTIVE or unset fails", () => {
            assert.deepStrictEqual(productionDeletionProtectionViolations({ deletionProtection: "ACTIVE" }), []);
            assert.deepStrictEqual(productionDeletionProtectionViolations({}), ["Deletion protection must be ACTIVE in production, not INACTIVE (unset)."]);
        });
        it("threat protection: AUDIT and ENFORCED pass; anything else gets advice", () => {
            assert.deepStrictEqual(productionThreatProtectionAdvice({ userPoolAddOns: { advancedSecurityMode: "AUDIT" } }), []);
            assert.deepStrictEqual(productionThreatProtectionAdvice({ userPoolAddOns: { advancedSecurityMode: "ENFORCED" } }), []);
            assert.deepStrictEqual(productionThreatProtectionAdvice({}), [
                "Threat protection is OFF (unset) in production: set featurePlan PLUS and threatProtection AUDIT to log risky sign-ins, then ENFORCED once the logs look right.",
            ]);
        });
        it("protect: a pool or a user without it fails", () => {
            assert.deepStrictEqual(productionProtectViolations({ type: POOL, props: {}, opts: { protect: true } }), []);
            assert.deepStrictEqual(productionProtectViolations({ type: POOL, props: {}, opts: { protect: false } }), ["This user pool must carry Pulumi's protect option in production."]);
            assert.deepStrictEqual(productionProtectViolations({ type: USER, props: {}, opts: { protect: false } }), ["This user must carry Pulumi's protect option in production."]);
        });
        it("app clients: units with lifetimes, no password flow in production, no secret with SRP", () => {
            assert.deepStrictEqual(tokenValidityUnitsViolations({}), []);
            assert.deepStrictEqual(tokenValidityUnitsViolations({ accessTokenValidity: 60, tokenValidityUnits: { accessToken: "minutes" } }), []);
            assert.deepStrictEqual(tokenValidityUnitsViolations({ accessTokenValidity: 60 }), [
                "Token lifetimes are set without tokenValidityUnits: access and ID token lifetimes would be read as hours.",
            ]);
            assert.deepStrictEqual(productionPasswordAuthViolations({ explicitAuthFlows: ["ALLOW_USER_SRP_AUTH"] }), []);
            assert.deepStrictEqual(productionPasswordAuthViolations({ explicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"] }), [
                "ALLOW_USER_PASSWORD_AUTH sends passwords to Cognito in the clear: use SRP (ALLOW_USER_SRP_AUTH) in production.",
            ]);
            assert.deepStrictEqual(productionPasswordAuthViolations({}), [], "a client without explicitAuthFlows");
            assert.deepStrictEqual(clientSecretViolations({ generateSecret: true }), [], "a client without explicitAuthFlows");
            assert.deepStrictEqual(clientSecretViolations({ generateSecret: false, explicitAuthFlows: ["ALLOW_USER_SRP_AUTH"] }), []);
            assert.deepStrictEqual(clientSecretViolations({ generateSecret: true, explicitAuthFlows: ["ALLOW_REFRESH_TOKEN_AUTH"] }), []);
            assert.deepStrictEqual(clientSecretViolations({ generateSecret: true, explicitAuthFlows: ["ALLOW_USER_SRP_AUTH"] }), [
                "This client has a secret and allows SRP sign-in: a browser app cannot keep a secret. Use a client without one for browsers.",
            ]);
        });
    });

    describe("wired into the pack", () => {
        it("checks every pool's password policy and every client's units, in any stack", async () => {
            assert.deepStrictEqual(await resourceViolations("cognito-password-policy-baseline", POOL, { passwordPolicy: { ...SEED_POLICY, minimumLength: 6 } }), [
                "Passwords must be at least 8 characters long, not 6.",
            ]);
            assert.deepStrictEqual(await resourceViolations("cognito-client-token-validity-units", CLIENT, { refreshTokenValidity: 30 }), [
                "Token lifetimes are set without tokenValidityUnits: access and ID token lifetimes would be read as hours.",
            ]);
            assert.deepStrictEqual(await resourceViolations("cognito-password-policy-baseline", CLIENT, {}), [], "other types are ignored");
        });

        it("holds production pools, clients and users to the production rules, and nothing else", async () => {
            const weak = stack(true, { mfaConfiguration: "OFF" }, { client: { explicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"] } });
            assert.deepStrictEqual(await stackViolations("cognito-production-mfa-totp", weak), [
                ["pool", "MFA must be ON in production, not OFF."],
                ["pool", "Software-token (TOTP) MFA must be enabled in production."],
            ]);
            assert.deepStrictEqual(await stackViolations("cognito-production-deletion-protection", weak), [
                ["pool", "Deletion protection must be ACTIVE in production, not INACTIVE (unset)."],
            ]);
            assert.deepStrictEqual(await stackViolations("cognito-production-protect", weak), [
                ["pool", "This user pool must carry Pulumi's protect option in production."],
                ["admin", "This user must carry Pulumi's protect option in production."],
            ]);
            assert.deepStrictEqual(await stackViolations("cognito-production-no-password-auth", weak), [
                ["client", "ALLOW_USER_PASSWORD_AUTH sends passwords to Cognito in the clear: use SRP (ALLOW_USER_SRP_AUTH) in production."],
            ]);
            const notProduction = stack(false, { mfaConfiguration: "OFF" }, { client: { explicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"] } });
            for (const name of policies.filter((p) => "validateStack" in p).map((p) => p.name)) {
                assert.deepStrictEqual(await stackViolations(name, notProduction), [], `${name} outside production`);
            }
            const tagged = await stackViolations("cognito-production-protect", notProduction, new Map([[PRODUCTION_TAG, "true"]]));
            assert.strictEqual(tagged.length, 2, "a tagged stack is production");
        });

        it("finds nothing in what this program declares for each stack file", async () => {
            for (const stackName of Object.keys(stackFilePaths(ROOT))) {
                const plan = JSON.parse(fs.readFileSync(path.join(ROOT, "plans", `${stackName}.json`), "utf8")) as Plan;
                const resources = planResources(plan);
                for (const p of policies) {
                    if ("validateStack" in p) {
                        assert.deepStrictEqual(await stackViolations(p.name, resources), [], `${stackName} ${p.name}`);
                        continue;
                    }
                    for (const r of resources.filter((r) => r.type === POOL || r.type === CLIENT)) {
                        assert.deepStrictEqual(await resourceViolations(p.name, r.type, r.props), [], `${stackName} ${p.name} ${r.name}`);
                    }
                }
            }
        });
    });
});
