/**
 * The command-line habits every command of this project shares, the Pulumi CLI's: `--stack X`,
 * `--stack=X` and `-s X` all work; `--help` prints the manual and exits 0; a usage error names
 * the bad argument and exits 2; `--json` prints JSON only. Parsed with Node's `util.parseArgs`.
 */
import { parseArgs } from "util";

/** Exit statuses shared by every command. */
export const EXIT = {
    /** It worked. */
    ok: 0,
    /** It ran, and what it checked failed. */
    failed: 1,
    /** The command line was wrong. */
    usage: 2,
} as const;

/** One option of a command. */
export interface OptionSpec {
    /** `string` takes a value; `boolean` is a flag. */
    readonly type: "string" | "boolean";
    /** A one-letter alias, such as `s` for `--stack`. */
    readonly short?: string;
    /** The option may be given more than once; its values are collected in order. */
    readonly multiple?: boolean;
    /** The placeholder for its value in the manual, such as `<name>`. */
    readonly value?: string;
    /** One line: what it does, and its default. */
    readonly description: string;
}

/** A command's manual and options. */
export interface CommandSpec {
    /** How people run it, such as `npm run plan --`. */
    readonly name: string;
    /** What it does, in one sentence. */
    readonly summary: string;
    /** Usage lines after the name, such as `--stack <name> [--json]`. */
    readonly usage: readonly string[];
    /** Its options, by long name. `--help` is added to every command. */
    readonly options: Readonly<Record<string, OptionSpec>>;
    /** How many positional arguments it takes (default none), and their name in errors. */
    readonly positionals?: { readonly max: number; readonly name: string };
    /** Text after the options: exit statuses, environment, examples. */
    readonly footer?: string;
}

/** What a command line parsed to. */
export interface ParsedCommandLine {
    /** Option values by long name: a string, a boolean, or a list for `multiple`. */
    readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
    /** Positional arguments. */
    readonly positionals: readonly string[];
}

/** A wrong command line: the message names the argument. */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

/** The manual of a command, as `--help` prints it. */
export function helpText(spec: CommandSpec): string {
    const options = { ...spec.options, help: { type: "boolean", short: "h", description: "Show this help and exit." } as OptionSpec };
    const rows = Object.entries(options).map(([name, option]) => {
        const flag = `${option.short ? `-${option.short}, ` : "    "}--${name}${option.value ? ` ${option.value}` : ""}`;
        return [flag, option.description + (option.multiple ? " May be repeated." : "")];
    });
    const width = Math.max(...rows.map(([flag]) => flag.length)) + 2;
    return [
        spec.summary,
        "",
        "Usage:",
        ...spec.usage.map((line) => `  ${spec.name} ${line}`),
        "",
        "Options:",
        ...rows.map(([flag, text]) => `  ${flag.padEnd(width)}${text}`),
        ...(spec.footer ? ["", spec.footer] : []),
    ].join("\n");
}

/**
 * Parses `argv` against `spec`. Returns `"help"` for `--help`/`-h`; throws a {@link UsageError}
 * naming the first bad argument.
 */
export function parseCommandLine(spec: CommandSpec, argv: readonly string[]): ParsedCommandLine | "help" {
    const options: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }> = {
        help: { type: "boolean", short: "h" },
    };
    for (const [name, option] of Object.entries(spec.options)) {
        options[name] = { type: option.type, multiple: option.multiple ?? false, ...(option.short ? { short: option.short } : {}) };
    }
    let parsed;
    try {
        parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
    } catch (error) {
        throw new UsageError(usageMessage(error as Error & { code?: string }));
    }
    if (parsed.values.help) return "help";
    const max = spec.positionals?.max ?? 0;
    if (parsed.positionals.length > max) {
        const extra = parsed.positionals[max];
        throw new UsageError(
            max === 0
                ? `unexpected argument ${JSON.stringify(extra)}: this command takes options only`
                : `unexpected argument ${JSON.stringify(extra)}: at most ${max} ${spec.positionals?.name}`,
        );
    }
    for (const [name, value] of Object.entries(parsed.values)) {
        const values = Array.isArray(value) ? value : [value];
        if (spec.options[name]?.type === "string" && values.some((v) => v === "" || (typeof v === "string" && v.startsWith("-")))) {
            throw new UsageError(`option --${name} needs a value`);
        }
    }
    return { values: parsed.values as ParsedCommandLine["values"], positionals: parsed.positionals };
}

/** util.parseArgs's messages, made short: each names the argument. */
function usageMessage(error: Error & { code?: string }): string {
    const first = error.message.split("\n")[0];
    const option = /--[\w-]+/.exec(first)?.[0] ?? /'(-[^',]+)/.exec(first)?.[1];
    if (error.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return `unknown option ${/'([^']+)'/.exec(first)?.[1] ?? first}`;
    if (error.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && option) {
        return /does not take/.test(first) ? `option ${option} does not take a value` : `option ${option} needs a value`;
    }
    return first;
}

/** A Pulumi stack name: letters, digits, `-`, `_` and `.`, as `pulumi stack init` accepts; `option` names it in the error. */
export function checkStackName(name: string, option = "--stack"): string {
    if (!/^[A-Za-z0-9_.-]{1,100}$/.test(name) || name === "." || name === "..") {
        throw new UsageError(`${option} ${JSON.stringify(name)} is not a stack name: use letters, digits, - _ and .`);
    }
    return name;
}

/**
 * Runs a command: parses `argv`, prints the manual for `--help` (exit 0), a usage error with a
 * pointer to `--help` (exit 2), and otherwise returns what `body` returns. A {@link UsageError}
 * thrown by `body` is a usage error too.
 */
export async function runCommand(
    spec: CommandSpec,
    argv: readonly string[],
    body: (parsed: ParsedCommandLine) => Promise<number>,
): Promise<number> {
    try {
        const parsed = parseCommandLine(spec, argv);
        if (parsed === "help") {
            process.stdout.write(helpText(spec) + "\n");
            return EXIT.ok;
        }
        return await body(parsed);
    } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        process.stderr.write(`error: ${error.message}\nRun \`${spec.name} --help\` for usage.\n`);
        return EXIT.usage;
    }
}

/**
 * The entry point of a command module: runs `main` on the process's arguments and sets the exit
 * status. An unexpected error prints its message alone, with no stack trace, and exits 1.
 */
export function runMain(main: (argv: readonly string[]) => Promise<number>): void {
    // The AWS SDK is pinned in package-lock.json, so its notice about future releases and Node 22 is noise.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
    main(process.argv.slice(2)).then(
        (status) => (process.exitCode = status),
        (error: Error) => {
            process.stderr.write(`error: ${error.message}\n`);
            process.exitCode = EXIT.failed;
        },
    );
}

/** The signals that stop a command, by name, with their numbers. */
export const STOP_SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;

/** A signal that stops a command. */
export type StopSignal = keyof typeof STOP_SIGNALS;

/** The exit status of a command stopped by `signal`: 128 + its number, as a shell reports a process the signal ended. */
export function signalExitStatus(signal: StopSignal): number {
    return 128 + STOP_SIGNALS[signal];
}

/** What {@link stopOnSignals} hands a command. */
export interface SignalStop {
    /** Aborted by the first of SIGHUP, SIGINT, SIGTERM, or by {@link SignalStop.stop}. */
    readonly cancel: AbortSignal;
    /** The signal that stopped the command, if one did. */
    stoppedBy(): StopSignal | undefined;
    /** Stops the command as `signal` would: for a Ctrl-C that a terminal in raw mode hands over as a key. */
    stop(signal: StopSignal): void;
    /** Stops listening for the signals. */
    release(): void;
}

/**
 * Aborts a cancel signal on SIGHUP, SIGINT or SIGTERM, and records which, until `release` is
 * called. The process is not ended: the command cleans up (deletes a canary, puts the terminal
 * back) and then exits with {@link signalExitStatus}. Later signals are ignored: each clean-up
 * call has its own deadline.
 */
export function stopOnSignals(): SignalStop {
    const controller = new AbortController();
    let stoppedBy: StopSignal | undefined;
    const stop = (signal: StopSignal) => {
        stoppedBy ??= signal;
        controller.abort();
    };
    const handlers = (Object.keys(STOP_SIGNALS) as StopSignal[]).map((signal) => {
        const handler = () => stop(signal);
        process.on(signal, handler);
        return () => process.off(signal, handler);
    });
    return { cancel: controller.signal, stoppedBy: () => stoppedBy, stop, release: () => handlers.forEach((off) => off()) };
}

/**
 * Runs `body` with {@link stopOnSignals}: returns its exit status, or, once a signal stopped it,
 * {@link signalExitStatus} of that signal, also when `body` then threw (an interrupted call).
 * `stopped` is told the signal first, to say what was left behind.
 */
export async function runStoppable(body: (stop: SignalStop) => Promise<number>, stopped: (signal: StopSignal) => void = () => undefined): Promise<number> {
    const stop = stopOnSignals();
    try {
        let status: number;
        try {
            status = await body(stop);
        } catch (error) {
            if (!stop.stoppedBy()) throw error;
            status = EXIT.failed;
        }
        const signal = stop.stoppedBy();
        if (!signal) return status;
        stopped(signal);
        return signalExitStatus(signal);
    } finally {
        stop.release();
    }
}

/** A word of a printed command that is not to be pasted as it is: `<stack>`, for the reader to fill in. */
export class Placeholder {
    constructor(readonly text: string) {}
}

/**
 * One argument as a POSIX shell reads it back, unchanged and as one word: as it is when it holds
 * only characters no shell treats specially, else in single quotes (a quote inside as `'\''`).
 */
export function shellQuote(argument: string): string {
    return /^[\w@%+=:,./-]+$/.test(argument) ? argument : `'${argument.replace(/'/g, "'\\''")}'`;
}

/**
 * A command for people to copy and paste: each word quoted with {@link shellQuote}, but a
 * {@link Placeholder}, which is printed as it is.
 */
export function shellCommand(words: readonly (string | Placeholder)[]): string {
    return words.map((word) => (word instanceof Placeholder ? word.text : shellQuote(word))).join(" ");
}

/** A note for stderr when `--json` runs through `npm run` without `--silent`, whose banner lands on stdout. */
export function npmBannerNote(command: string): string | undefined {
    const viaNpm = process.env.npm_lifecycle_event !== undefined;
    const silent = process.env.npm_config_loglevel === "silent";
    return viaNpm && !silent
        ? `note: npm printed its own banner on stdout before this JSON; for JSON only, run \`npm run --silent ${command}\``
        : undefined;
}

/**
 * `text` with each of `secrets` (values a command knows and must never print) replaced by
 * `[secret]`, in one pass, the longest first: a secret that holds another is replaced whole, and
 * no replacement is taken apart by the next (a one-letter secret inside "[secret]"). An empty one
 * is passed over.
 */
export function withoutSecrets(text: string, secrets: readonly string[]): string {
    const anyOf = secrets
        .filter((secret) => secret !== "")
        .sort((a, b) => b.length - a.length)
        .map((secret) => secret.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&"))
        .join("|");
    return anyOf === "" ? text : text.replace(new RegExp(anyOf, "g"), "[secret]");
}
