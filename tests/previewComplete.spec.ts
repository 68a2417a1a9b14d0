import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { checkWhole, readWholePreviewFile } from "../tools/plan/previewComplete";
import { parsePreviewDocument } from "../tools/plan/previewDocument";
import { main as checkPreviewMain } from "../tools/plan/checkPreview";
import { main as checkDriftMain } from "../tools/drift/checkDrift";
import { ROOT, runInProcess } from "./support";

const SCOPE = { stack: "dev", project: "cognito-totp" };
const FIXTURE = path.join(ROOT, "tests", "fixtures", "preview", "dev-admin-user-delete.json");
const whole = () => JSON.parse(fs.readFileSync(FIXTURE, "utf8")) as { steps: { op: string; urn: string }[]; changeSummary?: Record<string, number>; duration?: number };

/** A preview cut short or made up: what the CLI prints after a cancel, or no CLI prints at all. */
describe("a preview the checkers judge is whole (tools/plan/previewComplete.ts)", () => {
    it("passes a whole preview", () => {
        assert.doesNotThrow(() => checkWhole(parsePreviewDocument(whole(), SCOPE)));
        assert.strictEqual(readWholePreviewFile(FIXTURE, SCOPE).steps.length, whole().steps.length);
    });

    it("refuses one without a changeSummary (cancelled: the steps stop where it stopped), or with an empty one", () => {
        const message = "has no changeSummary: the preview did not run to its end (cancelled or failed), so steps may be missing; run it again";
        const { changeSummary: _, ...cancelled } = whole();
        assert.throws(() => checkWhole(parsePreviewDocument({ ...cancelled, steps: cancelled.steps.slice(0, 1) }, SCOPE)), { name: "PreviewError", message });
        assert.throws(() => checkWhole(parsePreviewDocument({ steps: [] }, SCOPE)), { name: "PreviewError", message });
        assert.throws(() => checkWhole(parsePreviewDocument({ ...whole(), changeSummary: {} }, SCOPE)), { name: "PreviewError", message });
    });

    it("refuses one without the stack's own step", () => {
        const document = whole();
        const steps = document.steps.filter((step) => !step.urn.includes("pulumi:pulumi:Stack"));
        assert.strictEqual(steps.length, document.steps.length - 1);
        assert.throws(() => checkWhole(parsePreviewDocument({ ...document, steps }, SCOPE)), {
            name: "PreviewError",
            message: "has no step for the stack itself (pulumi:pulumi:Stack), which every whole preview has: steps are missing",
        });
    });

    it("refuses one whose changeSummary counts more steps of an op than it lists (a delete taken out)", () => {
        const document = whole();
        assert.strictEqual(document.changeSummary?.delete, 1);
        const steps = document.steps.filter((step) => step.op !== "delete");
        assert.throws(() => checkWhole(parsePreviewDocument({ ...document, steps }, SCOPE)), {
            name: "PreviewError",
            message: "counts 1 delete in its changeSummary but lists 0 delete step(s): steps are missing",
        });
    });

    it("stops check:preview and check:drift on a cut-short preview, naming the file", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "preview-whole-"));
        try {
            fs.copyFileSync(path.join(ROOT, "tests", "fixtures", "project", "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
            fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config: {}\n");
            const { changeSummary: _, ...cancelled } = whole();
            const file = path.join(dir, "cancelled.json");
            fs.writeFileSync(file, JSON.stringify({ ...cancelled, steps: cancelled.steps.filter((step) => step.op !== "delete") }));
            for (const main of [checkPreviewMain, checkDriftMain]) {
                await assert.rejects(runInProcess(main, ["--stack", "dev", file, "--project-dir", dir]), {
                    name: "PreviewError",
                    message: `${file} has no changeSummary: the preview did not run to its end (cancelled or failed), so steps may be missing; run it again`,
                });
            }
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
