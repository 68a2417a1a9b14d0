/**
 * How the checkers read what they are given: the stack files and Pulumi.yaml, the acceptance
 * file, a `pulumi preview --json` document, a baseline plan, and the same files as committed at
 * a git ref. One reader for all of them, so that every one refuses the same hostile inputs:
 * anything but a regular file (a FIFO, a directory, a symlink to /dev/zero), a file over its size
 * limit, text that is not UTF-8, and YAML outside the core schema.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import { Document, LineCounter, parseDocument, visit } from "yaml";

/** The largest YAML file read: a stack file, Pulumi.yaml, the acceptance file (1 MiB). */
export const YAML_LIMIT = 1024 * 1024;
/** The largest JSON plan read (16 MiB); a committed plan of this program is some 10 KiB. */
export const PLAN_LIMIT = 16 * 1024 * 1024;
/** The largest `pulumi preview --json` document read (64 MiB). */
export const PREVIEW_LIMIT = 64 * 1024 * 1024;

/** Bytes in words, for messages. */
function size(bytes: number): string {
    return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}

/** UTF-8 bytes as text; invalid UTF-8 is an error naming `where`. */
function utf8(bytes: Buffer, where: string): string {
    try {
        return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
        throw new Error(`${where}: is not UTF-8 text`);
    }
}

/**
 * The text of `file`, which must be a regular file (a symlink to one is fine) of at most `limit`
 * bytes. It is opened without blocking, so a FIFO is refused instead of waited on, and read only
 * up to the limit, so a device such as /dev/zero never fills memory. An error that the file
 * cannot be opened carries the system's `code` (`ENOENT` when it does not exist).
 */
export function readInputFile(file: string, limit: number): string {
    let fd: number;
    try {
        fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw Object.assign(new Error(`cannot read ${file}: ${code ?? (error as Error).message}`), { code });
    }
    try {
        const stat = fs.fstatSync(fd);
        if (!stat.isFile()) throw new Error(`${file}: is not a regular file (${kindOf(stat)})`);
        if (stat.size > limit) throw new Error(`${file}: is ${stat.size} bytes, more than the ${size(limit)} this reads`);
        const buffer = Buffer.alloc(Math.min(stat.size, limit) + 1);
        let length = 0;
        for (let read = -1; read !== 0 && length < buffer.length; length += read) {
            read = fs.readSync(fd, buffer, length, buffer.length - length, length);
        }
        if (length > limit) throw new Error(`${file}: grew past the ${size(limit)} this reads while it was read`);
        return utf8(buffer.subarray(0, length), file);
    } finally {
        fs.closeSync(fd);
    }
}

function kindOf(stat: fs.Stats): string {
    if (stat.isDirectory()) return "a directory";
    if (stat.isFIFO()) return "a FIFO";
    if (stat.isCharacterDevice() || stat.isBlockDevice()) return "a device";
    if (stat.isSocket()) return "a socket";
    return "not a file";
}

/** A git ref as given on a command line: refused when git could read it as an option. */
export function checkGitRef(ref: string, option = "--base-ref"): string {
    if (ref === "" || ref.startsWith("-") || /[\s\0]/.test(ref)) {
        throw new Error(`${option} ${JSON.stringify(ref)} is not a git commit or branch name`);
    }
    return ref;
}

function git(dir: string, args: readonly string[], maxBuffer = 1024 * 1024): Buffer {
    return execFileSync("git", ["-C", dir, ...args], { maxBuffer, stdio: ["ignore", "pipe", "pipe"] });
}

function gitError(where: string, error: unknown): Error {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? "").trim();
    return new Error(`cannot read ${where} with git: ${stderr || (error as Error).message}`);
}

/**
 * Why git could not read the commit `ref` in `dir`: that `ref` names no commit there, or git's own
 * error; `undefined` when it does name one. Asked only once reading at `ref` has failed, so that a
 * read that works takes one git process less.
 */
function notACommit(dir: string, ref: string): Error | undefined {
    try {
        git(dir, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
        return undefined;
    } catch (error) {
        return (error as { status?: number }).status === 1 ? new Error(`${ref} is not a commit here`) : (error as Error);
    }
}

/**
 * The text of `relativePath` (from `dir`, which may be a folder inside the repository, such as a
 * project in a monorepo) as committed at `ref` in the git repository at `dir`; `undefined` when
 * the commit has no such file. Only a regular file (a blob of mode 100644 or 100755) of at most
 * `limit` bytes is read: a symlink, a directory or a submodule at that path is an error.
 */
export function readCommittedFile(dir: string, ref: string, relativePath: string, limit: number): string | undefined {
    const where = `${ref}:${relativePath}`;
    checkGitRef(ref);
    let entry: string;
    try {
        // The commit `ref` names (^{commit}: not a tree or a blob), read in the one git process; --long: the entry's size too, after its object name.
        // Without --full-tree, git takes the path from `dir`, as the working tree's file is read.
        entry = git(dir, ["ls-tree", "-z", "--long", `${ref}^{commit}`, "--", relativePath]).toString("utf8");
    } catch (error) {
        throw gitError(where, notACommit(dir, ref) ?? error);
    }
    if (entry === "") return undefined;
    const [mode, type, object, length] = entry.split("\0")[0].split(/[ \t]+/);
    if (type !== "blob" || (mode !== "100644" && mode !== "100755")) {
        throw new Error(`${where}: is not a regular file (git mode ${mode}, ${type})`);
    }
    try {
        const bytes = Number(length);
        if (bytes > limit) throw new Error(`is ${bytes} bytes, more than the ${size(limit)} this reads`);
        return utf8(git(dir, ["cat-file", "blob", object], limit + 1), where);
    } catch (error) {
        if (!(error as { stderr?: unknown }).stderr) throw new Error(`${where}: ${(error as Error).message}`);
        throw gitError(where, error);
    }
}

/** The tags of YAML's core schema; any other (`!!omap`, `!!set`, `!!binary`, `!custom`) is refused. */
const CORE_TAGS = new Set(["map", "seq", "str", "null", "bool", "int", "float"].map((name) => `tag:yaml.org,2002:${name}`));

/**
 * A plain scalar that the YAML 1.2 core schema and the Pulumi CLI's reader (gopkg.in/yaml.v3,
 * resolve.go: `strconv.ParseInt(strings.Replace(in, "_", "", -1), 0, 64)`) read differently:
 * `014` (14 here, 12 there), `1_4` (text here, 14 there), `0b11` (text here, 3 there).
 */
const AMBIGUOUS_NUMBER = /^[-+]?(0[0-9_]+|0b[01_]+|[0-9][0-9_]*_[0-9_]*)$/i;

/**
 * The value of a YAML document, parsed with the core schema (the YAML 1.2 one Pulumi's YAML reader
 * resolves plain scalars with). A syntax error, a duplicate key, a warning, an unresolved alias or
 * a tag outside the core schema is an error naming `where`, the line and the column. An empty
 * document is `null`.
 */
export function parseYaml(text: string, where: string): unknown {
    return readYaml(text, where, false);
}

/**
 * {@link parseYaml} for a file the Pulumi CLI reads too (Pulumi.yaml, a stack file): a plain number
 * that the CLI reads otherwise ({@link AMBIGUOUS_NUMBER}) is an error as well, naming the file, the
 * line and the column: the offline plan would show one value and `pulumi up` deploy another.
 */
export function parseCliYaml(text: string, where: string): unknown {
    return readYaml(text, where, true);
}

/**
 * What readYaml made of a text lately, by where and how it read it: its value, or its error's
 * message. A test process reads the same stack file hundreds of times; a command, once.
 */
const readLately = new Map<string, { value: unknown } | { message: string }>();
/** How many texts readLately holds before it starts again. */
const READ_LATELY_LIMIT = 256;

function readYaml(text: string, where: string, cliNumbers: boolean): unknown {
    const key = `${cliNumbers}\0${where}\0${text}`;
    let read = readLately.get(key);
    if (read === undefined) {
        try {
            read = { value: readYamlDocument(text, where, cliNumbers) };
        } catch (error) {
            read = { message: (error as Error).message };
        }
        if (readLately.size >= READ_LATELY_LIMIT) readLately.clear();
        readLately.set(key, read);
    }
    if ("message" in read) throw new Error(read.message);
    // A copy: a caller may change what it is given.
    return structuredClone(read.value);
}

function readYamlDocument(text: string, where: string, cliNumbers: boolean): unknown {
    const lines = new LineCounter();
    const document = parseDocument(text, { schema: "core", lineCounter: lines, uniqueKeys: true, strict: true, prettyErrors: true });
    const at = (offset: number) => {
        const { line, col } = lines.linePos(offset);
        return `${where}:${line}:${col}`;
    };
    const problem = [...document.errors, ...document.warnings][0];
    if (problem) throw new Error(`${at(problem.pos[0])}: ${problem.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")}`);
    visit(document, (_, node) => {
        const tagged = node as { tag?: string; range?: [number, number, number]; type?: string; source?: string } | null;
        if (tagged?.tag !== undefined && !CORE_TAGS.has(tagged.tag)) {
            throw new Error(`${at(tagged.range?.[0] ?? 0)}: the tag ${tagged.tag.replace("tag:yaml.org,2002:", "!!")} is not plain YAML (core schema): write the value without it`);
        }
        if (cliNumbers && tagged?.type === "PLAIN" && typeof tagged.source === "string" && AMBIGUOUS_NUMBER.test(tagged.source)) {
            throw new Error(
                `${at(tagged.range?.[0] ?? 0)}: ${tagged.source} is a number the Pulumi CLI reads otherwise (a leading 0 is octal to it, _ and 0b are digits): ` +
                    "write it in plain decimal, or quote it if it is text",
            );
        }
    });
    return toValue(document, where);
}

function toValue(document: Document, where: string): unknown {
    try {
        return document.toJS({ maxAliasCount: 100 }) ?? null;
    } catch (error) {
        throw new Error(`${where}: ${(error as Error).message}`);
    }
}

/**
 * How deep lists and objects may nest in a JSON document read here (a preview, a plan,
 * stacks.json): far deeper than any of them (a preview's values sit some 6 levels down, and
 * Cognito's inputs nest a few more), far shallower than the depth at which comparing two values
 * runs out of stack (some 2,000 here).
 */
export const MAX_JSON_DEPTH = 100;

/** How deep lists and objects nest in the JSON text `text`, which JSON.parse has read. */
function jsonDepth(text: string): number {
    let depth = 0;
    let deepest = 0;
    let inString = false;
    for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (inString) {
            if (code === 0x5c) i++; // a backslash: the next character is escaped
            else if (code === 0x22) inString = false;
        } else if (code === 0x22) {
            inString = true;
        } else if (code === 0x5b || code === 0x7b) {
            deepest = Math.max(deepest, ++depth);
        } else if (code === 0x5d || code === 0x7d) {
            depth--;
        }
    }
    return deepest;
}

/** A JSON document's value; a syntax error, or lists and objects nested deeper than {@link MAX_JSON_DEPTH}, names `where`. */
export function parseJson(text: string, where: string): unknown {
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch (error) {
        throw new Error(`${where}: is not JSON: ${(error as Error).message}`);
    }
    const depth = jsonDepth(text);
    if (depth > MAX_JSON_DEPTH) throw new Error(`${where}: nests lists and objects ${depth} deep, deeper than the ${MAX_JSON_DEPTH} this reads`);
    return value;
}
