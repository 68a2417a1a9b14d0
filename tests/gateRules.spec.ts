import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { checkPool, validateTotpUserPoolArgs } from "../deploy/components/areaChecks";
import { checkMfa } from "../deploy/components/cognitoRules";
import type { TotpUserPoolArgs } from "../deploy/components/totpUserPoolArgs";
import { ACCEPTANCE_FILE, committedAcceptedChanges } from "../tools/plan/acceptance";
import { Step, planSteps, previewSteps, spentNote, userLossText, userLosses } from "../tools/plan/impact";
import { Plan } from "../tools/plan/plan";
import { parsePreviewDocument, parseUrn } from "../tools/plan/previewDocument";
import { TYPES, testGit, testGitInit } from "./support";

/** The problems the component's checks find in `args`, each as its path and rule. */
function problemsOf(args: unknown): { path: string; rule: string }[] {
    return validateTotpUserPoolArgs(args as TotpUserPoolArgs).problems.map(({ path, rule }) => ({ path, rule }));
}

describe("gate rules: the component's checks across settings", () => {
    it("vouches for the password policy only when every field of it is known", () => {
        assert.strictEqual(checkPool({ passwordPolicy: { minimumLength: 8 } }).facts.passwordPolicy, undefined);
        const whole = { minimumLength: 8, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: false, temporaryPasswordValidityDays: 7 };
        assert.deepStrictEqual(checkPool({ passwordPolicy: whole }).facts.passwordPolicy, whole);
    });

    it("asks only for the admin user when an adopted admin (import.adminUser) is missing", () => {
        assert.deepStrictEqual(problemsOf({ poolName: "users", adminUser: null, import: { userPoolId: "us-east-1_Abc123", adminUser: true } }), [
            { path: "adminUser", rule: "is required" },
        ]);
    });

    it("says that MFA's factor must be true or false when it is neither", () => {
        assert.strictEqual(checkMfa("ON", "true"), "must be true or false");
        assert.strictEqual(checkMfa("OFF", undefined), "must be true or false");
    });
});

describe("gate rules: what a change does to users", () => {
    const SCOPE = { stack: "dev", project: "p" };
    const urnOf = (type: string, name: string) => `urn:pulumi:dev::p::c:c:C$${type}::${name}`;
    const stateOf = (urn: string, fields: Record<string, unknown> = {}) => ({ urn, custom: true, type: parseUrn(urn)?.type, ...fields });
    const stepsOf = (...steps: Record<string, unknown>[]): Step[] => previewSteps(parsePreviewDocument({ steps }, SCOPE));
    const user = urnOf(TYPES.user, "cognito-admin-user-ops");

    it("takes an import in a preview as a create", () => {
        const [step] = stepsOf({ op: "import", urn: user, newState: stateOf(user, { inputs: { username: "ops" } }) });
        assert.deepStrictEqual([step.op, step.newInputs], ["create", { username: "ops" }]);
    });

    it("reads the inputs and protection of an unchanged resource from its state", () => {
        const [step] = stepsOf({ op: "same", urn: user, oldState: stateOf(user, { inputs: { username: "ops" }, protect: true }), newState: stateOf(user, { inputs: { username: "ops" } }) });
        assert.deepStrictEqual([step.op, step.oldInputs, step.oldOptions], ["same", { username: "ops" }, { protect: true, retainOnDelete: false }]);
    });

    it("names the replacementTrigger only where the replace step changes it", () => {
        const [step] = stepsOf(
            { op: "create-replacement", urn: user, replaceReasons: ["username"], oldState: stateOf(user, { replacementTrigger: "a" }), newState: stateOf(user, { replacementTrigger: "b" }) },
            { op: "delete-replaced", urn: user, oldState: stateOf(user, { replacementTrigger: "a" }) },
        );
        assert.deepStrictEqual([step.op, step.replaceReasons], ["replace", ["username"]]);
    });

    it("reads a replace step that has only one of its states", () => {
        const created = { op: "create-replacement", urn: user };
        const onlyNew = stepsOf(created, { op: "replace", urn: user, replaceReasons: ["username"], newState: stateOf(user, { replacementTrigger: "b" }) });
        const onlyOld = stepsOf(created, { op: "replace", urn: user, replaceReasons: ["username"], oldState: stateOf(user, { replacementTrigger: "a" }) });
        assert.deepStrictEqual([onlyNew[0].replaceReasons, onlyOld[0].replaceReasons], [["username"], ["username"]]);
    });

    it("gives a resource that a preview deletes no reasons of a replacement", () => {
        const [step] = stepsOf({ op: "replace", urn: user, replaceReasons: ["username"] }, { op: "create-replacement", urn: user }, { op: "delete", urn: user, oldState: stateOf(user) });
        assert.deepStrictEqual([step.op, step.replaceReasons], ["delete", []]);
    });

    it("takes a region on one side only as no change, whichever side has it", () => {
        const pool = (inputs: Record<string, unknown>): Plan => ({
            note: "",
            project: "p",
            stack: "dev",
            resources: [{ urn: urnOf(TYPES.userPool, "cognito-user-pool"), type: TYPES.userPool, name: "cognito-user-pool", parent: null, options: {}, inputs }],
            outputs: {},
        });
        const withRegion = pool({ name: "users", region: "us-east-1" });
        const without = pool({ name: "users" });
        assert.deepStrictEqual(planSteps(withRegion, without).map((step) => [step.op, step.diffs]), [["same", []]]);
        assert.deepStrictEqual(planSteps(without, withRegion).map((step) => [step.op, step.diffs]), [["same", []]]);
    });

    it("names every reason of a spent entry", () => {
        const entry = { stack: "dev", resource: "cognito-user-pool", op: "replace" as const, reasons: ["aliasAttributes", "usernameConfiguration"], why: "w" };
        assert.strictEqual(
            spentNote(entry, "F.yaml"),
            'F.yaml: the entry for dev cognito-user-pool replace [aliasAttributes, usernameConfiguration] (why: "w") accepted an earlier change; it accepts nothing now: remove it.',
        );
    });

    it("dates an entry to copy with the day alone, by default", () => {
        const losses = userLosses(stepsOf({ op: "delete", urn: user, oldState: stateOf(user) }), "dev", []);
        const why = userLossText(losses, "F.yaml").find((line) => line.startsWith("    why: "));
        assert.match(why ?? "", /^ {4}why: "\d{4}-\d{2}-\d{2}: <why losing these users is intended>"$/);
    });
});

describe("gate rules: the acceptance file as committed", () => {
    let repository: string;

    before(() => {
        repository = fs.mkdtempSync(path.join(os.tmpdir(), "gate-rules-"));
        testGitInit(repository);
        testGit(repository, "commit", "-q", "--allow-empty", "-m", "no acceptance file");
        fs.mkdirSync(path.join(repository, "plans"));
        fs.writeFileSync(path.join(repository, ACCEPTANCE_FILE), "- stack: dev\n  resource: cognito-user-pool\n  op: delete\n  why: ''\n");
        testGit(repository, "add", "--all");
        testGit(repository, "commit", "-q", "-m", "an entry without a why");
    });

    after(() => fs.rmSync(repository, { recursive: true, force: true }));

    it("holds no entries at a commit without the file", () => {
        assert.deepStrictEqual(committedAcceptedChanges(repository, "HEAD~1"), []);
    });

    it("names the commit and the file in what is wrong with an entry", () => {
        assert.throws(() => committedAcceptedChanges(repository, "HEAD"), {
            message:
                "HEAD:plans/accepted-changes.yaml: entry 0 (dev cognito-user-pool): why is empty: write why losing these users is intended, and when (each change needs a why of its own)",
        });
    });
});
