import * as assert from "assert";
import { AdminGetUserCommand, AdminSetUserPasswordCommand } from "@aws-sdk/client-cognito-identity-provider";
import { ChildProcess, execFileSync, spawn } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { totpCode } from "../../deploy/verifier/totp";
import { qrCodeLines } from "../../tools/admin/firstSignInFlow";
import { createSeedPool, useMoto } from "../moto";
import { ROOT, filesChangedSince } from "../support";

/**
 * A real terminal running one shell command line, that a test types into and reads. The
 * command's exit status is read from the screen, where the line ends it with `[exited N]`:
 * terminals are slow to tell it otherwise (tmux may keep the process unreaped for seconds).
 */
interface TestTerminal {
    /** Types `text`, then Enter. */
    typeLine(text: string): void;
    /** The text on the screen, scrollback included, without colours. */
    screen(): string;
    /** The process id of the shell that runs the command line. */
    shellPid(): number;
    /** Ends the command and the terminal, whatever state they are in. */
    stop(): void;
}

/** The command line (run by sh) in a detached tmux session, on a tmux server of this test's own; the pane stays after the command exits. */
class TmuxTerminal implements TestTerminal {
    private readonly server = ["-L", `first-sign-in-test-${process.pid}`];

    constructor(commandLine: string) {
        const window = ["-x", "100", "-y", "80", "-c", ROOT];
        this.tmux("-f", "/dev/null", "new-session", "-d", "-s", "test", ...window, "sh", "-c", commandLine, ";", "set-option", "-g", "remain-on-exit", "on");
    }

    /** Types `text` (literally), then Enter: two tmux commands, run by one tmux process. A `text` that ends with ";", which tmux would read as the end of a command, is refused. */
    typeLine(text: string): void {
        if (text.endsWith(";")) throw new Error("TmuxTerminal.typeLine: tmux would read the text's last character, a semicolon, as the end of a command");
        this.tmux("send-keys", "-t", "test", "-l", text, ";", "send-keys", "-t", "test", "Enter");
    }

    screen(): string {
        return this.tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "test");
    }

    shellPid(): number {
        return Number(this.tmux("display-message", "-p", "-t", "test", "#{pane_pid}"));
    }

    /** Kills the tmux server: a command still running gets SIGHUP. */
    stop(): void {
        try {
            this.tmux("kill-server");
        } catch {
            // Already gone.
        }
    }

    private tmux(...args: string[]): string {
        return execFileSync("tmux", [...this.server, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    }
}

/** The command line (run by sh) under util-linux `script`, which gives it a pseudo-terminal; the screen is its output, colours removed. */
class ScriptTerminal implements TestTerminal {
    private readonly child: ChildProcess;
    private output = "";

    constructor(commandLine: string) {
        // -E never: script must not copy what is typed (passwords) into its output.
        this.child = spawn("script", ["-q", "-E", "never", "-c", commandLine, "/dev/null"], {
            cwd: ROOT,
            env: { ...process.env, SHELL: "/bin/sh" },
            stdio: ["pipe", "pipe", "inherit"],
        });
        this.child.stdout?.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    }

    typeLine(text: string): void {
        this.child.stdin?.write(`${text}\r`);
    }

    screen(): string {
        return this.output.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "").replace(/\r/g, "");
    }

    shellPid(): number {
        return childOf(this.child.pid as number);
    }

    /** Stops script: the command loses its terminal and gets SIGHUP. */
    stop(): void {
        if (this.child.exitCode === null && this.child.pid !== undefined) process.kill(this.child.pid, "SIGTERM");
    }
}

/** The first child process of `pid`. */
function childOf(pid: number): number {
    return Number(fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(" ")[0]);
}

/** Whether a program is on PATH. */
function onPath(program: string): boolean {
    return (process.env.PATH ?? "").split(path.delimiter).some((dir) => {
        try {
            fs.accessSync(path.join(dir, program), fs.constants.X_OK);
            return true;
        } catch {
            return false;
        }
    });
}

describe("admin:first-sign-in in a real terminal", function () {
    this.timeout(30_000);
    const kind = onPath("tmux") ? "tmux" : onPath("script") ? "script" : undefined;
    let terminal: TestTerminal | undefined;

    before(function () {
        if (kind) return;
        if (process.env.CI === "true") throw new Error("CI must run the terminal test of admin:first-sign-in, but neither tmux nor script is on PATH");
        console.warn("\n  !!! SKIPPING the terminal test of admin:first-sign-in: neither tmux nor script is on PATH\n");
        this.skip();
    });
    const emulator = useMoto();
    after(() => terminal?.stop());

    /**
     * Polls until `ready` gives a value, failing with the screen after 15 s. The pause between
     * polls starts at 20 ms and grows by half each time, up to 200 ms: with tmux each poll is a
     * process (capture-pane), and the command's start alone takes half a second.
     */
    async function waitFor<T>(what: string, ready: () => T | undefined): Promise<T> {
        const deadline = Date.now() + 15_000;
        for (let pause = 20; ; pause = Math.min(pause * 1.5, 200)) {
            const value = ready();
            if (value !== undefined) return value;
            if (Date.now() > deadline) throw new Error(`no ${what} within 15 s; the screen:\n${terminal?.screen()}`);
            await new Promise((resolve) => setTimeout(resolve, pause));
        }
    }

    /** Waits until the screen's last line is `question`. */
    function question(text: string): Promise<true> {
        return waitFor(`question ${JSON.stringify(text)}`, () => (terminal?.screen().trimEnd().split("\n").pop()?.trim() === text.trim() ? true : undefined));
    }

    it(`runs the real command in a terminal (${kind ?? "none"}): QR code and key shown, passwords never, nothing in its arguments or environment`, async () => {
        const started = Date.now();
        const admin = emulator.client;
        const ids = await createSeedPool(admin);
        const temporaryPassword = `Temp-${randomBytes(6).toString("hex")}-Aa1!`;
        const newPassword = `New-${randomBytes(6).toString("hex")}-Aa1!`;
        await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: ids.userPoolId, Username: "admin", Password: temporaryPassword, Permanent: false }));
        const args = ["--user-pool-id", ids.userPoolId, "--client-id", ids.clientId, "--username", "admin", "--endpoint-url", emulator.moto.endpoint, "--no-check"];
        assert.ok(args.every((arg) => /^[\w:/.-]+$/.test(arg)), "every argument is safe in a shell command unquoted");
        const commandLine = `node -r ./deploy/typescript.cjs -r ./tests/setup/fastModPow.cjs tools/admin/firstSignIn.ts ${args.join(" ")}; echo "[exited $?]"`;
        terminal = kind === "tmux" ? new TmuxTerminal(commandLine) : new ScriptTerminal(commandLine);

        await question("Temporary password:");
        terminal.typeLine(temporaryPassword);
        await question("New password:");
        terminal.typeLine(newPassword);
        await question("New password again:");
        terminal.typeLine(newPassword);
        await question("6-digit code from the app:");

        const lines = terminal.screen().split("\n");
        const { toString } = require("qrcode") as { toString(text: string, options: object): Promise<string> };
        const uri = "otpauth://totp/seed-pool:admin?issuer=seed-pool&secret=ASDFASDFASDA&algorithm=SHA1&digits=6&period=30";
        const qr = qrCodeLines(await toString(uri, { type: "terminal", small: true })).map((line) => line.replace(/\x1b\[[0-9;]*m/g, "").trimEnd());
        const qrAt = lines.findIndex((line) => line.trimEnd() === qr[0]);
        assert.notStrictEqual(qrAt, -1, `no QR code on the screen:\n${lines.join("\n")}`);
        assert.deepStrictEqual(lines.slice(qrAt, qrAt + qr.length).map((line) => line.trimEnd()), qr);
        assert.ok(qr.every((line) => /[▀▄█]/.test(line)), "the QR code is drawn with block characters");
        assert.strictEqual(lines[qrAt + qr.length + 1], "  ASDF ASDF ASDF");

        const secrets = [temporaryPassword, newPassword, "ASDFASDFASDF", "asdfasdfasdf", "ASDF ASDF ASDF"];
        const pid = childOf(terminal.shellPid());
        assert.match(fs.readFileSync(`/proc/${pid}/cmdline`, "utf8"), /tools\/admin\/firstSignIn\.ts/);
        for (const file of [`/proc/${pid}/cmdline`, `/proc/${pid}/environ`]) {
            const text = fs.readFileSync(file, "utf8");
            assert.deepStrictEqual(secrets.filter((secret) => text.includes(secret)), [], `${file} holds a secret`);
        }

        // moto takes the current 30-second step's code only: keep clear of a step's last second.
        const intoStep = Date.now() % 30_000;
        if (intoStep > 29_000) await new Promise((resolve) => setTimeout(resolve, 30_000 - intoStep));
        terminal.typeLine(totpCode(lines[qrAt + qr.length + 1].replace(/\s+/g, ""), Date.now()));
        const status = await waitFor("exit", () => /^\[exited (\d+)\]$/m.exec(terminal?.screen() ?? "")?.[1]);
        const screen = terminal.screen();
        assert.strictEqual(status, "0", `exit status ${status}; the screen:\n${screen}`);
        assert.match(screen, /^Done: admin has a password of their own and an authenticator app\.$/m);
        assert.deepStrictEqual([temporaryPassword, newPassword].filter((password) => screen.includes(password)), [], "a typed password is on the screen");

        const user = await admin.send(new AdminGetUserCommand({ UserPoolId: ids.userPoolId, Username: "admin" }));
        assert.strictEqual(user.UserStatus, "CONFIRMED");
        assert.deepStrictEqual(user.UserMFASettingList, ["SOFTWARE_TOKEN_MFA"]);

        const leaks = filesChangedSince(started).filter((file) => secrets.some((secret) => fs.readFileSync(file, "utf8").includes(secret)));
        assert.deepStrictEqual(leaks, [], "a file written during the run holds a password or the TOTP secret");
    });
});
