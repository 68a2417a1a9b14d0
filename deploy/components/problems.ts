import * as pulumi from "@pulumi/pulumi";

/** One broken rule, found before anything is declared. */
export interface Problem {
    /** Where the value sits, as a dotted path (`passwordPolicy.minimumLength`). */
    readonly path: string;
    /** The rule, in words, starting with a verb: `must be a whole number from 6 to 99`. */
    readonly rule: string;
    /** The value received. Never shown when `secret` is set. */
    readonly value: unknown;
    /** The value is a secret: the message says so instead of showing it. */
    readonly secret?: boolean;
    /** The value may hold a secret (it sits where a temporary password can be): it is not shown either. */
    readonly mayHoldSecret?: boolean;
    /** The value is left out of the message altogether (it may be anything, even a secret). */
    readonly hideValue?: boolean;
}

/** The longest string value quoted in full in an error message. */
const MAX_QUOTED_LENGTH = 64;

/** Shows a received value in an error message: JSON, long strings cut, secrets and what may hold one hidden. */
export function describeValue(value: unknown, secret = false, mayHoldSecret = false): string {
    if (secret) {
        return "value not shown: it is a secret";
    }
    if (mayHoldSecret) {
        return "value not shown: it may hold a secret";
    }
    if (value === undefined) {
        return "not set";
    }
    if (typeof value === "string" && [...value].length > MAX_QUOTED_LENGTH) {
        const head = [...value].slice(0, MAX_QUOTED_LENGTH).join("");
        return `got ${JSON.stringify(head + "…")}, ${[...value].length} characters`;
    }
    return `got ${JSON.stringify(value)}`;
}

/** `key: rule (got value)`, for one problem whose path has been turned into a key. */
export function formatProblem(key: string, problem: Problem): string {
    return problem.hideValue
        ? `${key}: ${problem.rule}`
        : `${key}: ${problem.rule} (${describeValue(problem.value, problem.secret, problem.mayHoldSecret)})`;
}

/**
 * The error thrown when args or stack config break a rule. It is a `pulumi.RunError`,
 * which Pulumi prints without a stack trace: the message is the whole story.
 */
export class ValidationError extends pulumi.RunError {
    /** The problems, each already turned into a line of the message. */
    readonly lines: readonly string[];

    constructor(heading: string, lines: readonly string[]) {
        super([heading, ...lines.map((line) => `  - ${line}`)].join("\n"));
        this.name = "ValidationError";
        this.lines = lines;
    }
}
