import * as assert from "assert";
import { Prompter } from "../../tools/admin/terminalPrompter";

/** An answer: typed text, or made from what the flow has printed so far. */
export type Answer = string | ((printed: readonly string[]) => string | Promise<string>);

/**
 * A {@link Prompter} that answers each question in turn, and fails the test on a question it
 * did not expect. `transcript` holds the lines said, `? question` for each question asked, and
 * `… status` for each countdown status: never an answer.
 */
export class ScriptedPrompter implements Prompter {
    readonly transcript: string[] = [];
    private next = 0;

    constructor(private readonly script: ReadonlyArray<readonly [question: string, answer: Answer]>) {}

    secret(question: string): Promise<string> {
        return this.answer(question);
    }

    text(question: string): Promise<string> {
        return this.answer(question);
    }

    say(line: string): void {
        this.transcript.push(line);
    }

    status(line: string): void {
        this.transcript.push(`… ${line}`);
    }

    /** Every question was asked. */
    assertDone(): void {
        assert.strictEqual(this.next, this.script.length, `only ${this.next} of ${this.script.length} questions were asked`);
    }

    private async answer(question: string): Promise<string> {
        this.transcript.push(`? ${question}`);
        const entry = this.script[this.next++];
        assert.ok(entry, `unexpected question ${JSON.stringify(question)}`);
        assert.strictEqual(question, entry[0]);
        return typeof entry[1] === "string" ? entry[1] : entry[1](this.transcript);
    }
}

