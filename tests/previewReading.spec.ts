import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PreviewDocument, STEP_OPS, UNKNOWN_VALUE, parsePreviewDocument, parseUrn, readPreviewFile, resourceChanges } from "../tools/plan/previewDocument";

const SCOPE = { stack: "dev", project: "cognito-totp" };
const USER = "aws:cognito/user:User";
const POOL = "aws:cognito/userPool:UserPool";
/** The URN of a resource of `type` named `name`, a child of the program's component, as Pulumi writes it. */
const urnOf = (type: string, name: string) => `urn:pulumi:dev::cognito-totp::cognito-totp:cognito:TotpUserPool$${type}::${name}`;
const OPS_USER = urnOf(USER, "cognito-admin-user-ops");
const POOL_URN = urnOf(POOL, "cognito-user-pool");
/** The default AWS provider's reference, as a step's `provider` carries it. */
const PROVIDER = "urn:pulumi:dev::cognito-totp::pulumi:providers:aws::default_6_83_0::8b3c1a0e-7f2d-4d55-9a61-2f0e4c1b9d77";
/** A custom resource's state of `urn`, with `fields` besides. */
const stateOf = (urn: string, fields: Record<string, unknown> = {}) => ({ urn, custom: true, type: parseUrn(urn)?.type, ...fields });
/** The steps read from a document of `steps`. */
const read = (...steps: unknown[]) => parsePreviewDocument({ steps }, SCOPE).steps;
/** The PreviewError `parsePreviewDocument` throws for a document of `steps`. */
const refuses = (steps: unknown[], message: string) => assert.throws(() => parsePreviewDocument({ steps }, SCOPE), { name: "PreviewError", message });

describe("reading a pulumi preview --json document (tools/plan/previewDocument.ts)", () => {
    describe("what each step says", () => {
        it("says in words what each op of Pulumi's engine does (pkg/resource/deploy/step.go)", () => {
            assert.deepStrictEqual(
                Object.entries(STEP_OPS).map(([op, { meaning }]) => [op, meaning]),
                [
                    ["same", "nothing to do"],
                    ["create", "creates a new resource"],
                    ["update", "updates the resource in place"],
                    ["delete", "deletes the resource"],
                    ["replace", "the logical step of a replacement: a new resource replaces the old one"],
                    ["create-replacement", "creates the new resource of a replacement"],
                    ["delete-replaced", "deletes the old resource of a replacement, or one an earlier failed replacement left pending deletion"],
                    ["read", "reads a resource Pulumi does not manage"],
                    ["read-replacement", "a managed resource is replaced by a read one, and the old one is deleted"],
                    ["refresh", "refreshes the state from the cloud (a refresh that finds it gone is printed as delete)"],
                    ["discard", "forgets a read resource; nothing is deleted"],
                    ["discard-replaced", "forgets a read resource that was replaced; nothing is deleted"],
                    ["import", "adopts an existing resource"],
                    ["import-replacement", "replaces a managed resource with an imported one; the old one is deleted"],
                    ["diff", "computes a diff in parallel; internal to the step executor"],
                    ["remove-pending-replace", "forgets a resource a delete-before-replace already deleted; internal"],
                    ["extend-parameterize", "parameterizes a provider; internal, with no resource"],
                ],
            );
        });

        it("refuses the engine-internal ops, saying what each does", () => {
            refuses([{ op: "diff", urn: OPS_USER }], `step 0 (${OPS_USER}): has the op diff, which Pulumi never prints in a preview (computes a diff in parallel; internal to the step executor)`);
            refuses([{ op: "extend-parameterize", urn: OPS_USER }], `step 0 (${OPS_USER}): has the op extend-parameterize, which Pulumi never prints in a preview (parameterizes a provider; internal, with no resource)`);
        });

        it("keeps the provider a step names, and names none where the step has none", () => {
            const [withProvider, without] = read(
                { op: "same", urn: OPS_USER, provider: PROVIDER, oldState: stateOf(OPS_USER), newState: stateOf(OPS_USER) },
                { op: "same", urn: POOL_URN, oldState: stateOf(POOL_URN), newState: stateOf(POOL_URN) },
            );
            assert.strictEqual(withProvider.provider, PROVIDER);
            assert.deepStrictEqual(Object.keys(withProvider), ["op", "urn", "type", "name", "provider", "oldState", "newState", "diffReasons", "replaceReasons"]);
            assert.deepStrictEqual(Object.keys(without), ["op", "urn", "type", "name", "oldState", "newState", "diffReasons", "replaceReasons"]);
        });

        it("refuses a provider that is not a text", () => {
            refuses([{ op: "same", urn: OPS_USER, provider: { urn: PROVIDER } }], `step 0 (${OPS_USER}): provider is an object, not text`);
        });

        it("refuses replace reasons that are not texts, naming them", () => {
            refuses([{ op: "update", urn: OPS_USER, replaceReasons: "attributes" }], `step 0 (${OPS_USER}) replaceReasons: is not a list of texts (string "attributes")`);
        });

        it("refuses a discard-replaced of a resource Pulumi manages: only a read resource is forgotten", () => {
            refuses(
                [{ op: "discard-replaced", urn: OPS_USER, oldState: stateOf(OPS_USER, { id: "ops" }) }],
                `step 0 (${OPS_USER}): is a discard-replaced of a resource Pulumi manages (its oldState is not external): only a read resource is discarded`,
            );
            assert.deepStrictEqual(
                read({ op: "discard-replaced", urn: OPS_USER, oldState: stateOf(OPS_USER, { external: true }) }).map((step) => [step.op, step.oldState?.external]),
                [["discard-replaced", true]],
            );
        });
    });

    describe("what a step's states say", () => {
        it("reads the id, the options and the flags the engine sets on a state", () => {
            const [step] = read({
                op: "delete-replaced",
                urn: OPS_USER,
                oldState: stateOf(OPS_USER, {
                    id: "us-east-1_AbC123/ops",
                    inputs: { username: "ops" },
                    outputs: { username: "ops", status: "CONFIRMED" },
                    protect: true,
                    retainOnDelete: true,
                    external: false,
                    delete: true,
                    pendingReplacement: true,
                    replacementTrigger: "2026-11-26 recovery",
                }),
            });
            assert.deepStrictEqual(step.oldState, {
                urn: OPS_USER,
                type: USER,
                custom: true,
                id: "us-east-1_AbC123/ops",
                inputs: { username: "ops" },
                outputs: { username: "ops", status: "CONFIRMED" },
                protect: true,
                retainOnDelete: true,
                external: false,
                delete: true,
                pendingReplacement: true,
                replacementTrigger: "2026-11-26 recovery",
            });
        });

        it("takes an absent flag as false, and names no id or replacementTrigger where the state has none", () => {
            const [step] = read({ op: "create", urn: OPS_USER, newState: stateOf(OPS_USER) });
            assert.deepStrictEqual(step.newState, {
                urn: OPS_USER,
                type: USER,
                custom: true,
                inputs: {},
                outputs: {},
                protect: false,
                retainOnDelete: false,
                external: false,
                delete: false,
                pendingReplacement: false,
            });
        });

        it("keeps the unknown-value placeholder as the id of a resource still to be created", () => {
            const [step] = read({ op: "create", urn: OPS_USER, newState: stateOf(OPS_USER, { id: UNKNOWN_VALUE }) });
            assert.strictEqual(step.newState?.id, UNKNOWN_VALUE);
        });

        it("refuses an id that is not a text", () => {
            refuses([{ op: "delete", urn: OPS_USER, oldState: stateOf(OPS_USER, { id: 42 }) }], `step 0 (${OPS_USER}) oldState: id is number 42, not text`);
        });

        it("refuses a state without a urn", () => {
            refuses([{ op: "delete", urn: OPS_USER, oldState: { custom: true, type: USER } }], `step 0 (${OPS_USER}) oldState: has no urn (undefined)`);
        });

        it("refuses a state that is of another resource's type than its step's, naming the new state", () => {
            const poolUnderUser = urnOf(POOL, "cognito-admin-user-ops");
            refuses(
                [{ op: "create", urn: OPS_USER, newState: { urn: poolUnderUser, custom: true, type: POOL } }],
                `step 0 (${OPS_USER}) newState: its type ${POOL} does not match the type of its URN (${POOL}) and of the step's (${USER})`,
            );
        });

        it("refuses a state whose type is the step's but not its own URN's", () => {
            refuses(
                [{ op: "delete", urn: POOL_URN, oldState: { urn: OPS_USER, custom: true, type: POOL } }],
                `step 0 (${POOL_URN}) oldState: its type ${POOL} does not match the type of its URN (${USER}) and of the step's (${POOL})`,
            );
        });
    });

    describe("what is a URN", () => {
        it("refuses text that only holds a URN, and a type of more than three parts", () => {
            for (const bad of [`x${OPS_USER}`, ` ${OPS_USER}`, "urn:pulumi:dev::cognito-totp::aws:cognito:user:User::ops", "urn:pulumi:dev::cognito-totp::a$aws:cognito/user:User:extra::ops"]) {
                assert.strictEqual(parseUrn(bad), undefined, bad);
            }
            refuses([{ op: "same", urn: `x${OPS_USER}` }], `step 0 (x${OPS_USER}): ${JSON.stringify(`x${OPS_USER}`)} is not a Pulumi URN (urn:pulumi:<stack>::<project>::<type>::<name>)`);
        });
    });

    describe("what the document says as a whole", () => {
        it("reads a document that says its state is not corrupt", () => {
            const document = parsePreviewDocument({ steps: [], maybeCorrupt: false, changeSummary: { same: 3 } }, SCOPE);
            assert.deepStrictEqual(document, { steps: [], changeSummary: { same: 3 } });
        });

        it("refuses diagnostics that are not a list", () => {
            assert.throws(() => parsePreviewDocument({ steps: [], diagnostics: { severity: "error" } }, SCOPE), {
                name: "PreviewError",
                message: "has diagnostics that are not a list (an object)",
            });
        });

        it("names the first line of an error diagnostic, without its indent, and at most 300 characters of it", () => {
            const refusal = (message?: string) => {
                try {
                    parsePreviewDocument({ steps: [], diagnostics: [{ severity: "warning", message: "w" }, { severity: "error", ...(message === undefined ? {} : { message }) }] }, SCOPE);
                } catch (error) {
                    return [(error as Error).name, (error as Error).message];
                }
                return "read";
            };
            const prefix = "reports an error, so its steps are incomplete: ";
            assert.deepStrictEqual(refusal("\n    error: the program failed: TypeError\n    at index.ts:3\n"), ["PreviewError", `${prefix}error: the program failed: TypeError`]);
            assert.deepStrictEqual(refusal(), ["PreviewError", prefix]);
            assert.deepStrictEqual(refusal(`error: ${"x".repeat(400)}`), ["PreviewError", `${prefix}error: ${"x".repeat(293)}`]);
        });

        it("describes a value it refuses by at most 80 characters of its JSON", () => {
            const long = "delete ".repeat(20);
            refuses([long], `step 0: is string ${JSON.stringify(long).slice(0, 80)}, not an object`);
        });

        it("refuses with a PreviewError even a value JSON cannot hold, in a document built in code", () => {
            refuses([{ op: Symbol("delete"), urn: OPS_USER }], `step 0 (${OPS_USER}): has no op (symbol undefined)`);
        });
    });

    describe("reading a preview file", () => {
        it("leaves the JSON parser's error as it is, naming the file once", () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "preview-reading-"));
            try {
                const file = path.join(dir, "preview.json");
                const text = '{"steps": [';
                fs.writeFileSync(file, text);
                const jsonError = (() => {
                    try {
                        JSON.parse(text);
                    } catch (error) {
                        return (error as Error).message;
                    }
                    return "parsed";
                })();
                assert.throws(() => readPreviewFile(file, SCOPE), { name: "Error", message: `${file}: is not JSON: ${jsonError}` });
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it("refuses, naming the file, lists and objects nested deeper than 100 (where comparing values would run out of stack), not counting brackets in text", () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "preview-reading-"));
            try {
                const file = path.join(dir, "preview.json");
                const nested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;
                const text = (depth: number) => `{"steps": [], "diagnostics": [{"severity": "info", "message": "\\\" [[[ {{{"}], "config": ${nested(depth - 1)}}`;
                fs.writeFileSync(file, text(100));
                assert.deepStrictEqual(readPreviewFile(file, SCOPE), { steps: [], changeSummary: {} });
                fs.writeFileSync(file, text(101));
                assert.throws(() => readPreviewFile(file, SCOPE), { name: "Error", message: `${file}: nests lists and objects 101 deep, deeper than the 100 this reads` });
                fs.writeFileSync(file, text(20_000));
                assert.throws(() => readPreviewFile(file, SCOPE), { message: `${file}: nests lists and objects 20000 deep, deeper than the 100 this reads` });
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    });

    describe("what a preview does to each resource", () => {
        it("counts a step it cannot judge as a deletion, in a document not made by the reader", () => {
            const step = { op: "diff", urn: OPS_USER, type: USER, name: "cognito-admin-user-ops", diffReasons: [], replaceReasons: [] };
            const document: PreviewDocument = { steps: [step], changeSummary: {} };
            assert.deepStrictEqual(resourceChanges(document), [{ urn: OPS_USER, type: USER, name: "cognito-admin-user-ops", effect: "deletes", steps: [step] }]);
        });
    });
});
