/**
 * The terminal as the admin commands see it: {@link Prompter}, which asks questions (passwords
 * without echo) and prints lines, and {@link TerminalPrompter}, the real one. Tests script a
 * Prompter of their own.
 */
import * as readline from "readline";
import { Writable } from "stream";
import { runStoppable } from "../../deploy/commandLine";

/** The terminal, as the flow sees it: questions, answers and lines. Tests script it. */
export interface Prompter {
    /** Asks `question` and reads one line without echoing it: a password. Rejects when the flow is interrupted. */
    secret(question: string): Promise<string>;
    /** Asks `question` and reads one line, echoed: a 6-digit code. Rejects when the flow is interrupted. */
    text(question: string): Promise<string>;
    /** Prints one line. */
    say(line: string): void;
    /** Shows a line that the next status, line or question replaces, such as a countdown. */
    status(line: string): void;
}

/**
 * The {@link Prompter} on this process's terminal: readline, echoing keys only while a code is
 * typed (never a password, nor keys typed ahead), and keeping no line history. Ctrl-C at any
 * time calls `onInterrupt`; a question waiting for its answer rejects as soon as `cancel`
 * aborts. {@link close} gives the terminal back in its normal mode.
 */
export class TerminalPrompter implements Prompter {
    private readonly lines: readline.Interface;
    private readonly answers: AsyncIterator<string>;
    private readonly isTerminal: boolean;
    private muted = true;
    private statusShown = false;

    constructor(
        /** Where answers are typed (standard input). */
        input: NodeJS.ReadableStream & { isTTY?: boolean },
        /** Where questions and lines go (standard output). */
        private readonly output: NodeJS.WritableStream & { isTTY?: boolean },
        /** Aborted when the flow is stopped: a waiting question rejects. */
        private readonly cancel: AbortSignal,
        /** Called on Ctrl-C, which the terminal, in raw mode, hands over as a key. */
        onInterrupt: () => void,
    ) {
        this.isTerminal = input.isTTY === true && output.isTTY === true;
        const echo = new Writable({
            write: (chunk: Buffer, _encoding, done) => {
                if (!this.muted) output.write(chunk);
                done();
            },
        });
        this.lines = readline.createInterface({ input, output: echo, terminal: this.isTerminal, historySize: 0 });
        this.lines.on("SIGINT", onInterrupt);
        this.answers = this.lines[Symbol.asyncIterator]();
    }

    /** Asks `question`; what is typed is not shown. */
    secret(question: string): Promise<string> {
        return this.ask(question, true);
    }

    /** Asks `question`; what is typed is shown. */
    text(question: string): Promise<string> {
        return this.ask(question, false);
    }

    /** Prints one line, in place of a status line. */
    say(line: string): void {
        this.clearStatus();
        this.output.write(`${line}\n`);
    }

    /** Shows `line` in place of the last status line; only on a terminal. */
    status(line: string): void {
        if (!this.isTerminal) return;
        this.output.write(`\r\x1b[2K${line}`);
        this.statusShown = true;
    }

    /** Stops reading, and puts the terminal back in its normal (cooked, echoing) mode. */
    close(): void {
        this.lines.close();
    }

    /**
     * Echo is on only while a visible question waits for its answer: keys typed ahead, during a
     * call to Cognito, may be a password. A password question is written past readline, which
     * would otherwise show a line typed ahead after it.
     */
    private async ask(question: string, secret: boolean): Promise<string> {
        this.clearStatus();
        this.lines.setPrompt(question);
        if (secret) {
            this.output.write(question);
        } else {
            this.muted = false;
            this.lines.prompt();
        }
        let answered = false;
        try {
            const answer = await untilAborted(this.answers.next(), this.cancel);
            if (answer.done) throw new Error("standard input closed before an answer");
            answered = true;
            return answer.value;
        } finally {
            this.muted = true;
            // readline ends a visible answer's line itself; a muted or abandoned one needs it ended.
            if (secret || !answered) this.output.write("\n");
        }
    }

    private clearStatus(): void {
        if (!this.statusShown) return;
        this.output.write("\r\x1b[2K");
        this.statusShown = false;
    }
}

/** `promise`, or a rejection as soon as `cancel` aborts. */
function untilAborted<T>(promise: Promise<T>, cancel: AbortSignal): Promise<T> {
    return new Promise((resolve, reject) => {
        const onAbort = () => reject(new Error("interrupted"));
        if (cancel.aborted) return onAbort();
        cancel.addEventListener("abort", onAbort, { once: true });
        promise.then(
            (value) => {
                cancel.removeEventListener("abort", onAbort);
                resolve(value);
            },
            (error) => {
                cancel.removeEventListener("abort", onAbort);
                reject(error);
            },
        );
    });
}

/**
 * Runs `body` with a {@link TerminalPrompter} on this process's terminal, stopped by SIGHUP,
 * SIGINT, SIGTERM or a Ctrl-C typed at a question; returns `body`'s exit status, or 128 + the
 * signal's number once stopped. The terminal is given back in its normal mode in every case.
 */
export function runOnTerminal(body: (prompter: TerminalPrompter, cancel: AbortSignal) => Promise<number>): Promise<number> {
    return runStoppable(async (stop) => {
        const prompter = new TerminalPrompter(process.stdin, process.stdout, stop.cancel, () => stop.stop("SIGINT"));
        try {
            return await body(prompter, stop.cancel);
        } finally {
            prompter.close();
        }
    });
}
