import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DELETION_IS_SECURITY, SECURITY_RULES, Values, classifyDeleted, classifyInput } from "../tools/drift/classify";
import { CHECK_DRIFT_COMMAND, DRIFT_EXIT, main as checkDriftMain } from "../tools/drift/checkDrift";
import { DRIFT_OPS, driftOf, parsePropertyPath } from "../tools/drift/findings";
import { code, valueText } from "../tools/drift/report";
import { PreviewError, STEP_OPS, UNKNOWN_VALUE, parsePreviewDocument, parseUrn } from "../tools/plan/previewDocument";
import { PROJECT, ROOT, runInProcess } from "./support";

const FIXTURES = path.join(ROOT, "tests", "fixtures");
const DRIFT = path.join(FIXTURES, "drift");
const POOL = "aws:cognito/userPool:UserPool";
const CLIENT = "aws:cognito/userPoolClient:UserPoolClient";
const USER = "aws:cognito/user:User";
const GROUP = "aws:cognito/userGroup:UserGroup";

/** The prod fixture pool's declared inputs, the baseline the classification cases start from. */
const PROD_POOL: Values = {
    accountRecoverySetting: { recoveryMechanisms: [{ name: "admin_only", priority: 1 }] },
    adminCreateUserConfig: { allowAdminCreateUserOnly: true },
    deletionProtection: "ACTIVE",
    mfaConfiguration: "ON",
    passwordPolicy: { minimumLength: 14, passwordHistorySize: 5, requireLowercase: true, requireNumbers: true, requireSymbols: true, requireUppercase: true, temporaryPasswordValidityDays: 3 },
    softwareTokenMfaConfiguration: { enabled: true },
    tags: { environment: "prod" },
    userPoolAddOns: { advancedSecurityMode: "AUDIT" },
    userPoolTier: "PLUS",
};

/** The dev fixture pool's: self sign-up, no deletion protection, LITE, no threat protection. */
const DEV_POOL: Values = {
    ...PROD_POOL,
    adminCreateUserConfig: { allowAdminCreateUserOnly: false },
    deletionProtection: "INACTIVE",
    passwordPolicy: { minimumLength: 8, requireLowercase: true, requireNumbers: true, requireSymbols: true, requireUppercase: true, temporaryPasswordValidityDays: 7 },
    userPoolAddOns: undefined,
    userPoolTier: "LITE",
};

const APP_CLIENT: Values = {
    accessTokenValidity: 60,
    enableTokenRevocation: true,
    explicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    idTokenValidity: 60,
    preventUserExistenceErrors: "ENABLED",
    refreshTokenValidity: 30,
    tokenValidityUnits: { accessToken: "minutes", idToken: "minutes", refreshToken: "days" },
};

/** `base` with the value at the dotted `at` set (`undefined` removes it). */
function withValue(base: Values, at: string, value: unknown): Values {
    const copy = structuredClone(base) as Record<string, unknown>;
    const keys = at.split(".");
    let here = copy;
    for (const key of keys.slice(0, -1)) here = (here[key] ??= {}) as Record<string, unknown>;
    if (value === undefined) delete here[keys[keys.length - 1]];
    else here[keys[keys.length - 1]] = value;
    return copy;
}

describe("check:drift", () => {
    describe("the security rules (classify.ts)", () => {
        // [what, type, drifted path, declared, the value in AWS at `at` (or a whole resource), verdict]
        const cases: [string, string, string, Values, [string, unknown], string][] = [
            ["MFA ON → OFF", POOL, "mfaConfiguration", PROD_POOL, ["mfaConfiguration", "OFF"], "security: MFA is lower than declared (OFF < OPTIONAL < ON)"],
            ["MFA ON → OPTIONAL", POOL, "mfaConfiguration", PROD_POOL, ["mfaConfiguration", "OPTIONAL"], "security: MFA is lower than declared (OFF < OPTIONAL < ON)"],
            ["MFA OPTIONAL declared, ON in AWS (stricter)", POOL, "mfaConfiguration", { ...PROD_POOL, mfaConfiguration: "OPTIONAL" }, ["mfaConfiguration", "ON"], "other: not weaker than declared: MFA"],
            ["MFA of a value no scale has", POOL, "mfaConfiguration", PROD_POOL, ["mfaConfiguration", "SOMETIMES"], "security: MFA cannot be ranked on OFF < OPTIONAL < ON"],
            ["TOTP disabled", POOL, "softwareTokenMfaConfiguration.enabled", PROD_POOL, ["softwareTokenMfaConfiguration.enabled", false], 'security: authenticator-app (TOTP) MFA is not true, as the stack declares'],
            ["TOTP's block gone", POOL, "softwareTokenMfaConfiguration", PROD_POOL, ["softwareTokenMfaConfiguration", null], 'security: authenticator-app (TOTP) MFA is not true, as the stack declares'],
            ["a shorter minimum length", POOL, "passwordPolicy.minimumLength", PROD_POOL, ["passwordPolicy.minimumLength", 10], "security: the minimum password length is lower than declared"],
            ["a longer minimum length (stricter)", POOL, "passwordPolicy.minimumLength", PROD_POOL, ["passwordPolicy.minimumLength", 16], "other: not weaker than declared: the minimum password length"],
            ["symbols no longer required", POOL, "passwordPolicy.requireSymbols", PROD_POOL, ["passwordPolicy.requireSymbols", false], "security: the password's required symbol is not true, as the stack declares"],
            ["the whole policy block, history off", POOL, "passwordPolicy", PROD_POOL, ["passwordPolicy.passwordHistorySize", undefined], "security: the number of earlier passwords a user may not reuse is lower than declared"],
            ["a longer password history (stricter)", POOL, "passwordPolicy.passwordHistorySize", PROD_POOL, ["passwordPolicy.passwordHistorySize", 10], "other: not weaker than declared: the number of earlier passwords a user may not reuse"],
            ["temporary passwords valid longer", POOL, "passwordPolicy.temporaryPasswordValidityDays", PROD_POOL, ["passwordPolicy.temporaryPasswordValidityDays", 7], "security: how long a temporary password is valid is higher than declared"],
            ["temporary passwords valid shorter (stricter)", POOL, "passwordPolicy.temporaryPasswordValidityDays", PROD_POOL, ["passwordPolicy.temporaryPasswordValidityDays", 1], "other: not weaker than declared: how long a temporary password is valid"],
            ["a lower feature plan", POOL, "userPoolTier", PROD_POOL, ["userPoolTier", "ESSENTIALS"], "security: the feature plan is lower than declared (LITE < ESSENTIALS < PLUS)"],
            ["a higher feature plan", POOL, "userPoolTier", DEV_POOL, ["userPoolTier", "PLUS"], "other: not weaker than declared: the feature plan"],
            ["threat protection off", POOL, "userPoolAddOns", PROD_POOL, ["userPoolAddOns", null], "security: threat protection is lower than declared (OFF < AUDIT < ENFORCED)"],
            ["threat protection enforced (stricter)", POOL, "userPoolAddOns.advancedSecurityMode", PROD_POOL, ["userPoolAddOns.advancedSecurityMode", "ENFORCED"], "other: not weaker than declared: threat protection"],
            ["deletion protection off where declared ACTIVE", POOL, "deletionProtection", PROD_POOL, ["deletionProtection", "INACTIVE"], 'security: deletion protection is not "ACTIVE", as the stack declares'],
            ["deletion protection on where declared INACTIVE", POOL, "deletionProtection", DEV_POOL, ["deletionProtection", "ACTIVE"], "other: not weaker than declared: deletion protection"],
            ["self sign-up turned on", POOL, "adminCreateUserConfig.allowAdminCreateUserOnly", PROD_POOL, ["adminCreateUserConfig.allowAdminCreateUserOnly", false], "security: admin-only sign-up (no self sign-up) is not true, as the stack declares"],
            ["self sign-up turned off where declared on", POOL, "adminCreateUserConfig.allowAdminCreateUserOnly", DEV_POOL, ["adminCreateUserConfig.allowAdminCreateUserOnly", true], "other: not weaker than declared: admin-only sign-up (no self sign-up)"],
            ["an e-mail recovery channel added", POOL, "accountRecoverySetting.recoveryMechanisms[1]", PROD_POOL, ["accountRecoverySetting.recoveryMechanisms", [{ name: "admin_only", priority: 1 }, { name: "verified_email", priority: 2 }]], "security: the account recovery channels gained a member the stack does not declare"],
            ["a Lambda trigger added", POOL, "lambdaConfig.preTokenGeneration", PROD_POOL, ["lambdaConfig", { preTokenGeneration: "arn:aws:lambda:us-east-1:111122223333:function:x" }], "security: the Lambda triggers in the sign-up and sign-in path is not as declared"],
            ["an empty Lambda block", POOL, "lambdaConfig", PROD_POOL, ["lambdaConfig", { preTokenGeneration: "", kmsKeyId: null }], "other: not weaker than declared: the Lambda triggers in the sign-up and sign-in path"],
            ["passwordless first factors allowed", POOL, "signInPolicy", PROD_POOL, ["signInPolicy", { allowedFirstAuthFactors: ["PASSWORD", "EMAIL_OTP"] }], "security: the first sign-in factors gained a member the stack does not declare"],
            ["a tag", POOL, "tags.environment", PROD_POOL, ["tags.environment", "production"], "other: not a setting check:drift judges for security"],
            ["an auth flow added", CLIENT, "explicitAuthFlows[2]", APP_CLIENT, ["explicitAuthFlows", ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"]], "security: the app client's auth flows gained a member the stack does not declare"],
            ["an auth flow removed", CLIENT, "explicitAuthFlows[1]", APP_CLIENT, ["explicitAuthFlows", ["ALLOW_USER_SRP_AUTH"]], "other: not weaker than declared: the app client's auth flows"],
            ["a callback URL added", CLIENT, "callbackUrls[0]", APP_CLIENT, ["callbackUrls", ["https://example.net/cb"]], "security: the app client's callback URLs, where tokens are sent gained a member the stack does not declare"],
            ["OAuth turned on", CLIENT, "allowedOauthFlowsUserPoolClient", APP_CLIENT, ["allowedOauthFlowsUserPoolClient", true], "security: whether the app client takes OAuth (hosted sign-in) is not false, as the stack declares"],
            ["user existence errors shown", CLIENT, "preventUserExistenceErrors", APP_CLIENT, ["preventUserExistenceErrors", "LEGACY"], 'security: the app client\'s hiding of whether a user exists is not "ENABLED", as the stack declares'],
            ["token revocation off", CLIENT, "enableTokenRevocation", APP_CLIENT, ["enableTokenRevocation", false], "security: refresh token revocation is not true, as the stack declares"],
            ["access tokens valid 120 minutes", CLIENT, "accessTokenValidity", APP_CLIENT, ["accessTokenValidity", 120], "security: the access token's validity is longer than declared"],
            ["access tokens counted in hours: 60 minutes become 60 hours", CLIENT, "tokenValidityUnits.accessToken", APP_CLIENT, ["tokenValidityUnits.accessToken", "hours"], "security: the access token's validity is longer than declared"],
            ["refresh tokens valid 10 days (stricter)", CLIENT, "refreshTokenValidity", APP_CLIENT, ["refreshTokenValidity", 10], "other: not weaker than declared: the refresh token's validity"],
            ["an admin's e-mail address changed", USER, "attributes.email", { attributes: { email: "admin@example.com" } }, ["attributes.email", "someone@example.net"], "security: the user's e-mail address, where codes and password resets go is not as declared"],
            ["a group given an IAM role", GROUP, "roleArn", { name: "admins" }, ["roleArn", "arn:aws:iam::111122223333:role/x"], "security: the group's IAM role, which its members get through an identity pool is not as declared"],
        ];
        for (const [what, type, drifted, declared, [at, now], verdict] of cases) {
            it(`${what}: ${verdict.split(":")[0]}`, () => {
                const result = classifyInput(type, parsePropertyPath(drifted), withValue(declared, at, now), declared);
                assert.strictEqual(`${result.class}: ${result.why}`, verdict);
            });
        }

        it("a value not known until apply cannot be compared, so it is security drift", () => {
            const result = classifyInput(POOL, ["passwordPolicy", "minimumLength"], PROD_POOL, withValue(PROD_POOL, "passwordPolicy.minimumLength", UNKNOWN_VALUE));
            assert.deepStrictEqual(result, { class: "security", why: "the minimum password length cannot be compared as numbers" });
        });

        it("the pool and a user deleted out of band are security drift; any other resource is other drift", () => {
            assert.deepStrictEqual(
                [POOL, USER, CLIENT, GROUP].map((type) => classifyDeleted(type)),
                [
                    { class: "security", why: "deleted out of band: the user pool is gone from AWS, and with it every user and every TOTP enrolment" },
                    { class: "security", why: "deleted out of band: the user is gone from AWS, so this admin cannot sign in" },
                    { class: "other", why: "deleted out of band" },
                    { class: "other", why: "deleted out of band" },
                ],
            );
            assert.deepStrictEqual(Object.keys(DELETION_IS_SECURITY), [POOL, USER]);
            assert.strictEqual(classifyDeleted("__proto__").class, "other");
        });

        it("names only types and inputs that @pulumi/aws really has", () => {
            for (const rule of SECURITY_RULES) {
                const [module, resource] = rule.type.slice(4).split(":");
                const typings = fs.readFileSync(path.join(ROOT, "node_modules", "@pulumi", "aws", `${module}.d.ts`), "utf8");
                const args = typings.slice(typings.indexOf(`export interface ${resource}Args {`));
                for (const rulePath of rule.paths) {
                    assert.match(args, new RegExp(`\\n    ${rulePath.split(".")[0]}\\??: pulumi\\.Input`), `${rule.type} has no input ${rulePath}`);
                }
            }
        });

        it("is the table of docs/drift.md", () => {
            const markdown = fs.readFileSync(path.join(ROOT, "docs", "drift.md"), "utf8");
            const lines = markdown.split("\n");
            const header = lines.indexOf("| Resource | Input | Security drift when the value in AWS is |");
            assert.ok(header >= 0, "docs/drift.md has no table of the security rules");
            const rows: string[][] = [];
            for (const line of lines.slice(header + 2)) {
                if (!line.startsWith("| ")) break;
                rows.push(line.slice(2, -2).split(" | ").map((cell) => cell.replace(/`/g, "")));
            }
            assert.deepStrictEqual(
                rows,
                SECURITY_RULES.map((rule) => [rule.type.split(":")[2], rule.paths.join(", "), rule.weakerWhen]),
            );
        });
    });

    describe("property paths as Pulumi prints them", () => {
        it("reads names, list indexes and quoted names", () => {
            assert.deepStrictEqual(
                ["mfaConfiguration", "passwordPolicy.minimumLength", "explicitAuthFlows[2]", 'tags["aws:cloudformation:stack-name"]', '["a.b"].c[0]', 'tags["say \\"hi\\""]', 'tags["a\\b"]'].map(parsePropertyPath),
                [["mfaConfiguration"], ["passwordPolicy", "minimumLength"], ["explicitAuthFlows", 2], ["tags", "aws:cloudformation:stack-name"], ["a.b", "c", 0], ["tags", 'say "hi"'], ["tags", "a\\b"]],
            );
        });

        for (const bad of ["", ".a", "a..b", "a.", "a[", "a[x]", 'a.["b"]', "a b", "a[-1]"]) {
            it(`refuses ${JSON.stringify(bad)}`, () => {
                assert.throws(() => parsePropertyPath(bad), PreviewError);
            });
        }
    });

    describe("the preview reader's detailedDiff (previewDocument.ts)", () => {
        const SCOPE = { stack: "dev", project: "p" };
        const urn = `urn:pulumi:dev::p::${POOL}::pool`;
        const withDiff = (detailedDiff: unknown) => parsePreviewDocument({ steps: [{ op: "update", urn, detailedDiff }] }, SCOPE).steps[0];

        it("keeps each path's kind and inputDiff, and reads null as none", () => {
            assert.deepStrictEqual(withDiff({ "tags.Env": { kind: "update", inputDiff: false }, "explicitAuthFlows[2]": { kind: "delete-replace", inputDiff: true } }).detailedDiff, {
                "tags.Env": { kind: "update", inputDiff: false },
                "explicitAuthFlows[2]": { kind: "delete-replace", inputDiff: true },
            });
            assert.strictEqual(withDiff(null).detailedDiff, undefined);
            assert.strictEqual(Object.getPrototypeOf(withDiff(JSON.parse('{"__proto__": {"kind": "add", "inputDiff": false}}')).detailedDiff), Object.prototype);
        });

        for (const [label, detailedDiff, message] of [
            ["a list", [], `step 0 (${urn}): detailedDiff is a list, not an object`],
            ["an entry that is a text", { a: "update" }, `step 0 (${urn}) detailedDiff "a": is string "update", not an object`],
            ["the event stream's diffKind", { a: { diffKind: "update", inputDiff: false } }, `step 0 (${urn}) detailedDiff "a": has a field this checker does not know, "diffKind" (the digest's PropertyDiff has kind and inputDiff): Pulumi's JSON has changed; update tools/plan/previewDocument.ts`],
            ["a kind Pulumi does not have", { a: { kind: "change", inputDiff: false } }, `step 0 (${urn}) detailedDiff "a": kind is string "change", not one of add, add-replace, delete, delete-replace, update, update-replace`],
            ["no inputDiff", { a: { kind: "add" } }, `step 0 (${urn}) detailedDiff "a": inputDiff is undefined, not true or false`],
        ] as const) {
            it(`fails on ${label}`, () => {
                assert.throws(() => withDiff(detailedDiff), { name: "PreviewError", message });
            });
        }
    });

    describe("reading the drift of a refresh preview (findings.ts)", () => {
        const SCOPE = { stack: "dev", project: "p" };
        const urnOf = (type: string, name: string) => `urn:pulumi:dev::p::c:c:C$${type}::${name}`;
        const stateOf = (urn: string, fields: Record<string, unknown> = {}) => ({ urn, custom: true, type: parseUrn(urn)?.type, ...fields });
        const pool = urnOf(POOL, "pool");
        const refresh = (urn: string) => ({ op: "refresh", urn, oldState: stateOf(urn), newState: stateOf(urn) });
        const drift = (...steps: Record<string, unknown>[]) => driftOf(parsePreviewDocument({ steps }, SCOPE));

        it("judges every op Pulumi prints, and no other", () => {
            assert.deepStrictEqual(
                Object.keys(DRIFT_OPS).sort(),
                Object.keys(STEP_OPS)
                    .filter((op) => STEP_OPS[op].effect !== "never-printed")
                    .sort(),
            );
        });

        for (const [label, steps, message] of [
            ["a preview without --refresh", [{ op: "update", urn: pool, oldState: stateOf(pool), newState: stateOf(pool), diffReasons: ["mfaConfiguration"] }], "has no refresh step: it was made without --refresh, so it compares the program with the state of the last deploy, not with AWS. Run pulumi preview --refresh --expect-no-changes --json --show-replacement-steps"],
            [
                "pulumi refresh --preview-only's update, which has no refresh step of its own",
                [refresh(urnOf(USER, "u")), { op: "update", urn: pool, oldState: stateOf(pool), newState: stateOf(pool), detailedDiff: { mfaConfiguration: { kind: "update", inputDiff: false } } }],
                `has the op update for ${pool} but no refresh step for it: this is not pulumi preview --refresh, where every resource of the state is refreshed first (pulumi refresh --preview-only prints what it finds as such steps, its diff the other way round)`,
            ],
            ["a read", [refresh(pool), { op: "read", urn: pool, newState: stateOf(pool) }], `has the op read for ${pool}, which check:drift does not judge: this program declares no resource that Pulumi reads or discards`],
            ["an update without its old state", [refresh(pool), { op: "update", urn: pool, newState: stateOf(pool), diffReasons: ["mfaConfiguration"] }], `has an update of ${pool} without its oldState: it cannot say what AWS has and what is declared`],
            ["a detailedDiff key that is no path", [refresh(pool), { op: "update", urn: pool, oldState: stateOf(pool), newState: stateOf(pool), detailedDiff: { "a..b": { kind: "update", inputDiff: false } } }], 'has the detailedDiff key "a..b", which is not a Pulumi property path (name.name[0]["quoted name"])'],
        ] as const) {
            it(`refuses ${label}`, () => {
                assert.throws(() => drift(...steps), { name: "PreviewError", message });
            });
        }

        it("reads a create of a resource it did not refresh as never deployed, a delete as no longer declared, a lone delete-replaced as pending deletion", () => {
            const user = urnOf(USER, "u");
            const group = urnOf(GROUP, "g");
            const report = drift(refresh(pool), { op: "create", urn: user, newState: stateOf(user) }, refresh(group), { op: "delete", urn: group, oldState: stateOf(group) }, { op: "delete-replaced", urn: pool, oldState: stateOf(pool) });
            assert.deepStrictEqual(
                report.resources.map((resource) => [resource.name, resource.op, resource.class, resource.findings]),
                [
                    ["pool", "delete", "other", [{ kind: "pending-delete", class: "other", why: "left pending deletion by an earlier failed replacement" }]],
                    ["u", "create", "other", [{ kind: "not-deployed", class: "other", why: "declared, but never deployed" }]],
                    ["g", "delete", "other", [{ kind: "undeclared", class: "other", why: "in the stack's state, but no longer declared" }]],
                ],
            );
            assert.strictEqual(report.refreshed, 2);
        });

        it("without a detailed diff, compares each input Pulumi names, block by block, and reports whole what reads the same", () => {
            const report = drift(refresh(pool), {
                op: "update",
                urn: pool,
                oldState: stateOf(pool, { outputs: { passwordPolicy: { minimumLength: 6, requireSymbols: true, temporaryPasswordValidityDays: 7 }, aliasAttributes: ["email", "phone_number"], tags: { a: "[secret]" } } }),
                newState: stateOf(pool, { inputs: { passwordPolicy: { minimumLength: 8, requireSymbols: true }, aliasAttributes: ["phone_number", "email"], tags: { a: "[secret]" } } }),
                diffReasons: ["passwordPolicy", "aliasAttributes", "tags"],
            });
            assert.deepStrictEqual(
                report.resources[0].findings.map((finding) => [finding.path, finding.cloud, finding.declared, finding.class]),
                [
                    ["passwordPolicy.minimumLength", 6, 8, "security"],
                    ["passwordPolicy.temporaryPasswordValidityDays", 7, undefined, "other"],
                    ["aliasAttributes", ["email", "phone_number"], ["phone_number", "email"], "other"],
                    ["tags", { a: "[secret]" }, { a: "[secret]" }, "other"],
                ],
            );
        });

        it("takes from a detailed diff what AWS lacks (add) and what it has that is not declared (delete), by Pulumi's path", () => {
            const client = urnOf(CLIENT, "client");
            const report = drift(refresh(client), {
                op: "update",
                urn: client,
                oldState: stateOf(client, { outputs: { explicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH"], tags: { "aws:x": "1" }, tokenValidityUnits: {} } }),
                newState: stateOf(client, { inputs: { explicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"], tags: { "aws:x": "2" }, tokenValidityUnits: { idToken: "minutes" } } }),
                detailedDiff: { "explicitAuthFlows[1]": { kind: "update", inputDiff: false }, 'tags["aws:x"]': { kind: "delete", inputDiff: false }, "tokenValidityUnits.idToken": { kind: "add", inputDiff: false } },
            });
            assert.deepStrictEqual(
                report.resources[0].findings.map((finding) => [finding.path, "cloud" in finding, finding.cloud, "declared" in finding, finding.declared, finding.class]),
                [
                    ["explicitAuthFlows[1]", true, "ALLOW_USER_PASSWORD_AUTH", true, "ALLOW_REFRESH_TOKEN_AUTH", "security"],
                    ['tags["aws:x"]', true, "1", false, undefined, "other"],
                    // Cognito counts an ID token without a unit in hours: 60 times the declared minutes.
                    ["tokenValidityUnits.idToken", false, undefined, true, "minutes", "security"],
                ],
            );
        });

        it("reports an update that names no input, rather than nothing", () => {
            const report = drift(refresh(pool), { op: "update", urn: pool, oldState: stateOf(pool), newState: stateOf(pool) });
            assert.deepStrictEqual(report.resources[0].findings, [{ kind: "input", class: "other", why: "pulumi preview plans an update but names no input" }]);
        });
    });

    describe("values and Markdown (report.ts)", () => {
        it("shows a secret as [secret], a value not known until apply as such, and unset as unset", () => {
            assert.deepStrictEqual(
                [
                    "[secret]",
                    { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "AAAB" },
                    { b: [UNKNOWN_VALUE], a: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", plaintext: '"hunter2"' } },
                    UNKNOWN_VALUE,
                    undefined,
                    null,
                ].map(valueText),
                ["[secret]", "[secret]", '{"a":"[secret]","b":["(unknown until apply)"]}', "(unknown until apply)", "unset", "null"],
            );
        });

        it("puts any text in a code span that it cannot close early", () => {
            assert.deepStrictEqual(["a", "a`b", "``x", "@team <img>", "two\nlines"].map(code), ["`a`", "`` a`b ``", "``` ``x ```", "`@team <img>`", "`two lines`"]);
        });
    });

    describe("npm run check:drift (in process, on the recorded-shape fixtures)", () => {
        let project: string;
        before(() => {
            // A project of its own: the fixture Pulumi.yaml and empty stack files, never the committed ones.
            project = fs.mkdtempSync(path.join(os.tmpdir(), "drift-project-"));
            fs.copyFileSync(path.join(FIXTURES, "project", "Pulumi.yaml"), path.join(project, "Pulumi.yaml"));
            for (const stack of ["dev", "prod"]) fs.writeFileSync(path.join(project, `Pulumi.${stack}.yaml`), "config: {}\n");
        });
        after(() => fs.rmSync(project, { recursive: true, force: true }));

        const check = (stack: string, file: string, ...argv: string[]) => runInProcess(checkDriftMain, ["--stack", stack, path.join(DRIFT, file), "--project-dir", project, ...argv]);
        const RESTORE_PROD = "`pulumi up --stack prod` puts back what `Pulumi.prod.yaml` declares. If the change was intended, change `Pulumi.prod.yaml` in a pull request so that it declares what is there now.";
        const FOOTER = "\nWhat each finding means, and the exit statuses: docs/drift.md.\n";

        it("exits 0 on no drift, 3 on security drift, 4 on other drift only", async () => {
            const statuses: [string, number][] = [];
            for (const file of fs.readdirSync(DRIFT).filter((name) => name.endsWith(".json") && name !== "dev-unknown-op.json")) {
                statuses.push([file, (await check(file.split("-")[0], file)).status]);
            }
            assert.deepStrictEqual(statuses.sort(), [
                ["dev-client-auth-flow-added.json", 3],
                ["dev-no-drift.json", 0],
                ["dev-pool-deleted.json", 3],
                ["dev-user-deleted.json", 3],
                ["prod-mfa-off.json", 3],
                ["prod-password-policy-stricter.json", 4],
                ["prod-tags-only.json", 4],
            ]);
            assert.deepStrictEqual(DRIFT_EXIT, { none: 0, security: 3, other: 4 });
        });

        it("no drift: says so, with the count of refreshed resources", async () => {
            const run = await check("dev", "dev-no-drift.json");
            assert.deepStrictEqual([run.status, run.stdout, run.stderr], [0, "**No drift in stack `dev`** (project `cognito-totp`): the 7 refreshed resources are as `Pulumi.dev.yaml` declares.\n", ""]);
        });

        it("mfaConfiguration ON → OFF: security drift that names it, its values and how to restore", async () => {
            const run = await check("prod", "prod-mfa-off.json");
            assert.strictEqual(run.status, 3);
            assert.strictEqual(
                run.stdout,
                [
                    "**Security drift in stack `prod`** (project `cognito-totp`): 1 security finding and 0 other, in 1 of 7 refreshed resources.",
                    "",
                    "**`cognito-user-pool`** (`aws:cognito/userPool:UserPool`; `pulumi up` would update it in place)",
                    "",
                    '- **security** `mfaConfiguration`: AWS has `"OFF"`; the stack declares `"ON"`. MFA is lower than declared (OFF < OPTIONAL < ON).',
                    `  - Restore: ${RESTORE_PROD}`,
                    FOOTER,
                ].join("\n"),
            );
        });

        it("mfaConfiguration ON → OFF as JSON: one document, the findings per resource with their class, and a summary", async () => {
            const run = await check("prod", "prod-mfa-off.json", "--json");
            assert.strictEqual(run.status, 3);
            assert.deepStrictEqual(JSON.parse(run.stdout), {
                stack: "prod",
                project: PROJECT,
                drift: "security",
                summary: { refreshed: 7, resources: 1, security: 1, other: 0 },
                resources: [
                    {
                        urn: "urn:pulumi:prod::cognito-totp::cognito-totp:cognito:TotpUserPool$aws:cognito/userPool:UserPool::cognito-user-pool",
                        type: POOL,
                        name: "cognito-user-pool",
                        op: "update",
                        class: "security",
                        findings: [{ kind: "input", path: "mfaConfiguration", cloud: "OFF", declared: "ON", class: "security", why: "MFA is lower than declared (OFF < OPTIONAL < ON)", restore: RESTORE_PROD }],
                    },
                ],
            });
        });

        it("tags only: other drift, each tag named, a tag added in AWS declared unset", async () => {
            const run = await check("prod", "prod-tags-only.json", "--json");
            assert.strictEqual(run.status, 4);
            const json = JSON.parse(run.stdout) as { drift: string; summary: unknown; resources: { findings: Record<string, unknown>[] }[] };
            assert.deepStrictEqual([json.drift, json.summary], ["other", { refreshed: 7, resources: 1, security: 0, other: 4 }]);
            const NOT_JUDGED = "not a setting check:drift judges for security";
            assert.deepStrictEqual(
                json.resources[0].findings.map(({ restore, ...finding }) => [finding, restore === RESTORE_PROD]),
                [
                    [{ kind: "input", path: "tags.CostCenter", cloud: "42", class: "other", why: NOT_JUDGED }, true],
                    [{ kind: "input", path: "tags.environment", cloud: "production", declared: "prod", class: "other", why: NOT_JUDGED }, true],
                    [{ kind: "input", path: "tagsAll.CostCenter", cloud: "42", class: "other", why: NOT_JUDGED }, true],
                    [{ kind: "input", path: "tagsAll.environment", cloud: "production", class: "other", why: NOT_JUDGED }, true],
                ],
            );
        });

        it("a stricter password policy: drift, not security drift", async () => {
            const run = await check("prod", "prod-password-policy-stricter.json");
            assert.strictEqual(run.status, 4);
            assert.strictEqual(
                run.stdout,
                [
                    "**Drift in stack `prod`** (project `cognito-totp`): 0 security findings and 2 other, in 1 of 7 refreshed resources.",
                    "",
                    "**`cognito-user-pool`** (`aws:cognito/userPool:UserPool`; `pulumi up` would update it in place)",
                    "",
                    "- other `passwordPolicy.minimumLength`: AWS has `16`; the stack declares `14`. Not weaker than declared: the minimum password length.",
                    `  - Restore: ${RESTORE_PROD}`,
                    "- other `passwordPolicy.temporaryPasswordValidityDays`: AWS has `1`; the stack declares `3`. Not weaker than declared: how long a temporary password is valid.",
                    `  - Restore: ${RESTORE_PROD}`,
                    FOOTER,
                ].join("\n"),
            );
        });

        it("an auth flow added to the app client, with detailedDiff null: security drift, from oldState.outputs against newState.inputs", async () => {
            const run = await check("dev", "dev-client-auth-flow-added.json");
            assert.strictEqual(run.status, 3);
            assert.strictEqual(
                run.stdout,
                [
                    "**Security drift in stack `dev`** (project `cognito-totp`): 1 security finding and 0 other, in 1 of 7 refreshed resources.",
                    "",
                    "**`cognito-app-client`** (`aws:cognito/userPoolClient:UserPoolClient`; `pulumi up` would update it in place)",
                    "",
                    '- **security** `explicitAuthFlows`: AWS has `["ALLOW_REFRESH_TOKEN_AUTH","ALLOW_USER_PASSWORD_AUTH","ALLOW_USER_SRP_AUTH"]`; the stack declares `["ALLOW_USER_SRP_AUTH","ALLOW_REFRESH_TOKEN_AUTH"]`. The app client\'s auth flows gained a member the stack does not declare.',
                    "  - Restore: `pulumi up --stack dev` puts back what `Pulumi.dev.yaml` declares. If the change was intended, change `Pulumi.dev.yaml` in a pull request so that it declares what is there now.",
                    FOOTER,
                ].join("\n"),
            );
        });

        it("the admin user deleted out of band: security drift, and how it comes back", async () => {
            const run = await check("dev", "dev-user-deleted.json");
            assert.strictEqual(run.status, 3);
            assert.strictEqual(
                run.stdout,
                [
                    "**Security drift in stack `dev`** (project `cognito-totp`): 1 security finding and 0 other, in 1 of 7 refreshed resources.",
                    "",
                    "**`cognito-admin-user-admin`** (`aws:cognito/user:User`; `pulumi up` would create it)",
                    "",
                    "- **security**: deleted out of band: the user is gone from AWS, so this admin cannot sign in.",
                    "  - Restore: `pulumi up --stack dev` creates it again with its temporary password (the admin signs in for the first time and enrols TOTP again). If the deletion was intended, change `Pulumi.dev.yaml` in a pull request so that it no longer declares it.",
                    FOOTER,
                ].join("\n"),
            );
        });

        it("the pool deleted out of band: security drift for the pool and its admin, other drift for the client and the sign-in check, unknown ids shown as such", async () => {
            const run = await check("dev", "dev-pool-deleted.json", "--json");
            assert.strictEqual(run.status, 3);
            const json = JSON.parse(run.stdout) as { summary: unknown; resources: { name: string; op: string; class: string; findings: { kind: string; path: string | null; declared?: unknown }[] }[] };
            assert.deepStrictEqual(json.summary, { refreshed: 7, resources: 4, security: 2, other: 4 });
            assert.deepStrictEqual(
                json.resources.map((resource) => [resource.name, resource.op, resource.class, resource.findings.map((finding) => `${finding.kind} ${finding.path}`)]),
                [
                    ["cognito-user-pool", "create", "security", ["deleted null"]],
                    ["cognito-app-client", "create", "other", ["deleted null"]],
                    ["cognito-admin-user-admin", "create", "security", ["deleted null"]],
                    ["cognito-sign-in-check", "replace", "other", ["input environment.USER_POOL_CLIENT_ID", "input environment.USER_POOL_ID", "input triggers"]],
                ],
            );
            assert.strictEqual(json.resources[3].findings[1].declared, "(unknown until apply)");
            assert.doesNotMatch(run.stdout, new RegExp(UNKNOWN_VALUE));
            const text = await check("dev", "dev-pool-deleted.json");
            assert.ok(
                text.stdout.includes(
                    "- **security**: deleted out of band: the user pool is gone from AWS, and with it every user and every TOTP enrolment.\n" +
                        "  - Restore: `pulumi up --stack dev` creates it again, as a new, empty pool with new ids (the apps need the new pool and client ids; each admin is created again with its temporary password, signs in for the first time and enrols TOTP again). If the deletion was intended, change `Pulumi.dev.yaml` in a pull request so that it no longer declares it.\n",
                ),
                text.stdout,
            );
            assert.ok(text.stdout.includes("- other `environment.USER_POOL_ID`: the state has `\"us-east-1_Dev789\"`; the stack declares `(unknown until apply)`. Not a setting check:drift judges for security.\n"), text.stdout);
        });

        it("fails (exit 1) on an op it does not know, naming the file, the step and the op", async () => {
            const file = path.join(DRIFT, "dev-unknown-op.json");
            await assert.rejects(check("dev", "dev-unknown-op.json"), {
                name: "PreviewError",
                message: `${file} step 8 (urn:pulumi:dev::cognito-totp::cognito-totp:cognito:TotpUserPool$aws:cognito/user:User::cognito-admin-user-admin): has the op "purge", which this checker does not know, so it cannot say what it does to urn:pulumi:dev::cognito-totp::cognito-totp:cognito:TotpUserPool$aws:cognito/user:User::cognito-admin-user-admin`,
            });
        });

        it("fails (exit 1) on the preview of another stack, and on a preview without --refresh, naming the file", async () => {
            await assert.rejects(check("dev", "prod-mfa-off.json"), {
                name: "PreviewError",
                message: /prod-mfa-off\.json step 0 \(urn:pulumi:prod::.*: is this the preview of another stack\?$/,
            });
            const noRefresh = path.join(project, "no-refresh.json");
            const document = JSON.parse(fs.readFileSync(path.join(DRIFT, "prod-mfa-off.json"), "utf8")) as { steps: { op: string }[] };
            fs.writeFileSync(noRefresh, JSON.stringify({ ...document, steps: document.steps.filter((step) => step.op !== "refresh") }));
            await assert.rejects(runInProcess(checkDriftMain, ["--stack", "prod", noRefresh, "--project-dir", project]), { name: "PreviewError", message: new RegExp(`^${noRefresh} has no refresh step: it was made without --refresh`) });
        });

        const usage: [string[], string][] = [
            [["--stack", "staging", path.join(DRIFT, "dev-no-drift.json")], "error: there is no Pulumi.staging.yaml in <project>; the stacks are dev, prod\n"],
            [[path.join(DRIFT, "dev-no-drift.json")], "error: give --stack <name>\n"],
            [["--stack", "dev"], "error: give the preview file: pulumi preview --refresh --expect-no-changes --json --show-replacement-steps > preview.json\n"],
            [["--stack", "dev", "a.json", "b.json"], 'error: unexpected argument "b.json": at most 1 preview file\n'],
            [["--stack", "dev", "--markdown", "a.json"], "error: unknown option --markdown\n"],
        ];
        for (const [argv, message] of usage) {
            it(`${JSON.stringify(argv.map((arg) => path.basename(arg)))} is a usage error (exit 2) that names the problem`, async () => {
                const run = await runInProcess(checkDriftMain, [...argv, "--project-dir", project]);
                assert.strictEqual(run.status, 2);
                assert.strictEqual(run.stderr.replace(project, "<project>"), `${message}Run \`npm run check:drift -- --help\` for usage.\n`);
            });
        }

        it("--help prints the manual with the exit statuses, and exits 0", async () => {
            const run = await runInProcess(checkDriftMain, ["--help"]);
            assert.strictEqual(run.status, 0);
            assert.ok(run.stdout.startsWith(`${CHECK_DRIFT_COMMAND.summary}\n\nUsage:\n  npm run check:drift -- --stack <name> <preview.json> [--project-dir <dir>] [--json]\n`), run.stdout);
            assert.ok(run.stdout.includes("\nExit status: 0 no drift; 3 security drift; 4 other drift only; 1 a preview it cannot read whole"), run.stdout);
        });
    });
});
