/**
 * Whether a `pulumi preview --json` document is whole: the preview ran to its end, so no step is
 * missing. pulumi/pulumi pkg/backend/display/json.go (`ShowPreviewDigest`) prints the digest even
 * after a cancel, with the steps seen so far (deletes come last) and no `changeSummary`, which
 * only the engine's SummaryEvent sets; and it always prints the step of the root stack resource
 * (`pulumi:pulumi:Stack`). A document read by {@link readPreviewFile} and then by this is one that
 * `check:preview` and `check:drift` may judge; any other fails, naming the file.
 */
import { TYPE_TOKENS } from "../../deploy/components/typeTokens";
import { PreviewDocument, PreviewError, PreviewScope, readPreviewFile } from "./previewDocument";

/** Throws a {@link PreviewError} when `document` is not a whole preview (see the module's comment). */
export function checkWhole(document: PreviewDocument): void {
    const summary = Object.entries(document.changeSummary);
    if (summary.length === 0) {
        throw new PreviewError("has no changeSummary: the preview did not run to its end (cancelled or failed), so steps may be missing; run it again");
    }
    if (!document.steps.some((step) => step.type === TYPE_TOKENS.stack)) {
        throw new PreviewError(`has no step for the stack itself (${TYPE_TOKENS.stack}), which every whole preview has: steps are missing`);
    }
    for (const [op, count] of summary) {
        if (op === "same") continue;
        const listed = document.steps.filter((step) => step.op === op).length;
        if (listed < count) throw new PreviewError(`counts ${count} ${op} in its changeSummary but lists ${listed} ${op} step(s): steps are missing`);
    }
}

/** What `judge` makes of a preview read from `file`; a {@link PreviewError} it throws names the file. */
export function judgingFile<T>(file: string, judge: () => T): T {
    try {
        return judge();
    } catch (error) {
        if (error instanceof PreviewError) throw new PreviewError(`${file} ${error.message}`);
        throw error;
    }
}

/** The preview `file` of `scope`, read, checked and whole; every problem names the file. */
export function readWholePreviewFile(file: string, scope: PreviewScope): PreviewDocument {
    const document = readPreviewFile(file, scope);
    judgingFile(file, () => checkWhole(document));
    return document;
}
