import * as assert from "assert";
import { DEV_LIKE } from "./checkSupport";
import { Answer, ScriptedPrompter } from "./scriptedPrompter";
import {
    AdminCreateUserCommand,
    AdminDeleteUserCommand,
    AdminGetUserCommand,
    AdminGetUserCommandOutput,
    CognitoIdentityProviderClient,
    CreateUserPoolClientCommand,
    InitiateAuthCommand,
    InitiateAuthCommandOutput,
} from "@aws-sdk/client-cognito-identity-provider";
import { randomBytes } from "crypto";
import * as fs from "fs";
import { parseCommandLine } from "../../deploy/commandLine";
import { FIRST_SIGN_IN_COMMAND, RunContext, optionsFromArgs } from "../../tools/admin/firstSignIn";
import { Clock, FirstSignInOptions, INTERRUPTED, firstSignIn, qrCodeLines } from "../../tools/admin/firstSignInFlow";
import { FaultRule, FaultyProxy, MotoServer, createSeedPool, currentCode, enrolWithoutSrp, useMoto } from "../moto";
import { filesChangedSince } from "../support";

/** moto's one TOTP secret for every user (its quirk), as the flow shows it for typing by hand. */
const SHOWN_SECRET = "  ASDF ASDF ASDF";

/**
 * The URI in the QR code for moto's secret. otpauth re-encodes the secret from its bytes: moto's
 * 12 characters carry 4 bits more than whole bytes, so the last one comes back as A, not F. Both
 * give the same codes. Cognito's secrets are whole bytes, and come back unchanged.
 */
const QR_URI = "otpauth://totp/seed-pool:admin?issuer=seed-pool&secret=ASDFASDFASDA&algorithm=SHA1&digits=6&period=30";

/** What the seed pool's policy asks for, as the flow says it. */
const POLICY_NEEDS =
    "at least 8 characters, an upper-case letter (A-Z), a lower-case letter (a-z), a digit (0-9), " +
    "a symbol (one of ^ $ * . [ ] { } ( ) ? \" ! @ # % & / \\ , > < ' : ; | _ ~ ` = + -)";

const HEADER = (userPoolId: string) => [
    `First sign-in of admin to user pool seed-pool (${userPoolId}).`,
    "Passwords are typed without echo. Ctrl-C stops at any point and says what changed.",
];
const NEW_PASSWORD_STEPS = [
    "? Temporary password: ",
    "✔ Temporary password accepted: Cognito asks for a new password.",
    `Choose a new password. It needs ${POLICY_NEEDS}.`,
    "? New password: ",
    "? New password again: ",
    "✔ New password set.",
];
const SET_UP_APP = "Set up your authenticator app (Google Authenticator, Microsoft Authenticator, 1Password, …). Scan this QR code:";
const BY_HAND = "or add this key by hand (time-based, 6 digits, every 30 s):";
const ENROLLED = ['✔ Authenticator enrolled as "authenticator (admin:first-sign-in)"; signed in.', "✔ TOTP is admin's preferred MFA."];
const DONE = [
    "Done: admin has a password of their own and an authenticator app.",
    "Keep the app safe. If it is ever lost, an administrator gets you back in with npm run admin:recover.",
];
const PASSWORD_SET_BUT_NO_APP = [
    "  The new password is set: admin is CONFIRMED and the temporary password no longer works, but no authenticator is enrolled yet.",
    "  To finish, run this command again and type the NEW password at the first prompt: it goes straight to the authenticator.",
];

const MISMATCH =
    "✘ That code does not match. Type the code the app shows now (%d left); if codes keep failing, check that the phone sets its clock automatically.";

/** An answer that stops the flow, as Ctrl-C at the question does. */
function interrupt(stop: AbortController): () => never {
    return () => {
        stop.abort();
        throw new Error("interrupted");
    };
}

/** A password no file can hold unless the flow leaked it: random, and within the seed pool's policy. */
function freshPassword(kind: string): string {
    return `${kind}-${randomBytes(6).toString("hex")}-Aa1!`;
}

/** The current code for the key the flow showed for typing by hand. */
function codeFromScreen(printed: readonly string[]): Promise<string> {
    return currentCode(printed[printed.indexOf(BY_HAND) + 1].replace(/\s+/g, ""));
}

/** A 6-digit code that is not the current one. */
async function wrongCode(printed: readonly string[]): Promise<string> {
    return (await codeFromScreen(printed)) === "000000" ? "111111" : "000000";
}

/**
 * A clock that starts 12.345 s into a 30-second step and never really waits: it moves on by
 * each wait, and records it. moto takes a code twice, so nothing needs the real wait.
 */
class FakeClock implements Clock {
    static readonly START = 60_000_000 * 30_000 + 12_345;
    readonly waits: number[] = [];
    private elapsed = 0;

    now(): number {
        return FakeClock.START + this.elapsed;
    }

    async sleep(ms: number): Promise<void> {
        this.waits.push(ms);
        this.elapsed += ms;
    }
}

describe("admin:first-sign-in against the moto Cognito emulator", function () {
    this.timeout(20_000);
    const suiteStarted = Date.now();
    /** Every password the flows were given, for the leak scan at the end. */
    const typedPasswords: string[] = [];
    const emulator = useMoto();
    let moto: MotoServer;
    let admin: CognitoIdentityProviderClient;
    let ids: { userPoolId: string; clientId: string };
    let temporaryPassword: string;

    before(async () => {
        ({ moto, client: admin } = emulator);
        ids = await createSeedPool(admin);
    });

    /** A fresh admin in the seed pool, with a fresh temporary password (FORCE_CHANGE_PASSWORD), as the seed script makes it. */
    beforeEach(async () => {
        temporaryPassword = freshPassword("Temp");
        typedPasswords.push(temporaryPassword);
        await admin.send(new AdminDeleteUserCommand({ UserPoolId: ids.userPoolId, Username: "admin" }));
        await admin.send(new AdminCreateUserCommand({ UserPoolId: ids.userPoolId, Username: "admin", TemporaryPassword: temporaryPassword, MessageAction: "SUPPRESS" }));
    });

    function options(overrides: Partial<FirstSignInOptions> = {}): FirstSignInOptions {
        return { ...ids, username: "admin", region: "us-east-1", endpointUrl: moto.endpoint, check: false, ...overrides };
    }

    /** A script that answers the temporary password, a fresh new password twice, then `codes`; and that new password. */
    function withNewPassword(...codes: [string, Answer][]): { password: string; prompter: ScriptedPrompter } {
        const password = newPassword();
        const answers: [string, Answer][] = [
            ["Temporary password: ", temporaryPassword],
            ["New password: ", password],
            ["New password again: ", password],
        ];
        return { password, prompter: new ScriptedPrompter([...answers, ...codes]) };
    }

    function newPassword(): string {
        const password = freshPassword("New");
        typedPasswords.push(password);
        return password;
    }

    async function adminUser(): Promise<AdminGetUserCommandOutput> {
        return admin.send(new AdminGetUserCommand({ UserPoolId: ids.userPoolId, Username: "admin" }));
    }

    /** Fails unless admin is CONFIRMED with a software token, preferred. */
    async function assertEnrolled(): Promise<void> {
        const user = await adminUser();
        assert.deepStrictEqual([user.UserStatus, user.UserMFASettingList, user.PreferredMfaSetting], ["CONFIRMED", ["SOFTWARE_TOKEN_MFA"], "SOFTWARE_TOKEN_MFA"]);
    }

    /** USER_PASSWORD_AUTH, the one sign-in in which moto checks the password. */
    function passwordSignIn(password: string): Promise<InitiateAuthCommandOutput> {
        return admin.send(
            new InitiateAuthCommand({ ClientId: ids.clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "admin", PASSWORD: password } }),
        );
    }

    /** The QR code's lines, once drawn. */
    let drawnQrLines: Promise<string[]> | undefined;
    /** The QR code's lines for the URI, as the qrcode package draws it: drawn once (some 10 ms a drawing), as the URI is the same in every test. */
    function qrLines(): Promise<string[]> {
        if (!drawnQrLines) {
            const { toString } = require("qrcode") as { toString(text: string, options: object): Promise<string> };
            drawnQrLines = toString(QR_URI, { type: "terminal", small: true }).then(qrCodeLines);
        }
        return drawnQrLines;
    }

    /** The authenticator's set-up: the QR code, the key by hand, and the question for a code. */
    async function enrolment(): Promise<string[]> {
        return [SET_UP_APP, ...(await qrLines()), BY_HAND, SHOWN_SECRET, "? 6-digit code from the app: "];
    }

    /** The lines from the header up to the first code prompt, for a first sign-in that went straight. */
    async function upToTheCode(): Promise<string[]> {
        return [...HEADER(ids.userPoolId), ...NEW_PASSWORD_STEPS, ...(await enrolment())];
    }

    it("runs the whole first sign-in, then signs in once more after a countdown to the next code", async () => {
        const { prompter } = withNewPassword(["6-digit code from the app: ", codeFromScreen], ["6-digit code from the app, now: ", codeFromScreen]);
        const clock = new FakeClock();
        const status = await firstSignIn(options({ check: true }), prompter, clock);
        assert.strictEqual(status, 0);
        prompter.assertDone();
        // 12.345 s into the step of the enrolment code: 17.655 s to the next one.
        assert.deepStrictEqual(clock.waits, [655, ...Array(17).fill(1000)]);
        assert.deepStrictEqual(prompter.transcript, [
            ...(await upToTheCode()),
            ...ENROLLED,
            "Checking: one more sign-in with the new password and a fresh code.",
            "Cognito takes each code once: waiting 18 s for the app's next code.",
            ...Array.from({ length: 18 }, (_, i) => `…   ${18 - i} s…`),
            "? 6-digit code from the app, now: ",
            "✔ Signed in with the new password and a fresh code: the authenticator works.",
            ...DONE,
        ]);
        await assertEnrolled();
    });

    /**
     * A first sign-in through a proxy that refuses it as `faults` say, with `typed` as the
     * temporary password: its transcript, once it has exited 1 and the user is still untouched.
     */
    async function refusedSignIn(faults: Record<string, FaultRule>, typed: string, overrides: Partial<FirstSignInOptions> = {}): Promise<string[]> {
        const proxy = await FaultyProxy.start(moto.endpoint, faults);
        const prompter = new ScriptedPrompter([["Temporary password: ", typed]]);
        try {
            assert.strictEqual(await firstSignIn(options({ endpointUrl: proxy.endpoint, ...overrides }), prompter, new FakeClock()), 1);
        } finally {
            await proxy.stop();
        }
        assert.strictEqual((await adminUser()).UserStatus, "FORCE_CHANGE_PASSWORD");
        return prompter.transcript;
    }

    it("stops on a wrong temporary password, in Cognito's words, and changes nothing", async () => {
        const wrong = freshPassword("Wrong");
        typedPasswords.push(wrong);
        // moto never checks an SRP password: the proxy answers PASSWORD_VERIFIER as Cognito does.
        const refused = { error: { name: "NotAuthorizedException", message: "Incorrect username or password." } };
        assert.deepStrictEqual(await refusedSignIn({ RespondToAuthChallenge: (body) => (body.ChallengeName === "PASSWORD_VERIFIER" ? refused : undefined) }, wrong), [
            ...HEADER(ids.userPoolId),
            "? Temporary password: ",
            '✘ Cognito did not accept the username and temporary password (Cognito: "Incorrect username or password."). Nothing changed.',
            "  Check the username (admin) and the temporary password; a generated one is shown by pulumi stack output adminTemporaryPassword --show-secrets --stack <stack>.",
            "  Cognito locks a user out for a while after several wrong passwords.",
        ]);
    });

    it("stops on an expired temporary password, with the commands that re-issue it for the stack", async () => {
        const expired = { error: { name: "NotAuthorizedException", message: "Temporary password has expired and must be reset by an administrator." } };
        assert.deepStrictEqual(await refusedSignIn({ InitiateAuth: expired }, temporaryPassword, { stack: "dev", mainAdmin: true }), [
            ...HEADER(ids.userPoolId),
            "? Temporary password: ",
            '✘ admin\'s temporary password has expired (Cognito: "Temporary password has expired and must be reset by an administrator."). Nothing changed.',
            "  Re-issue it, then run this command again:",
            "  - a generated password: pulumi config set adminPasswordReissue '<any new text>' --stack dev && pulumi up --stack dev",
            "    then read it with: pulumi stack output adminTemporaryPassword --show-secrets --stack dev",
            "  - a password you set: pulumi config set --secret adminTemporaryPassword --stack dev && pulumi up --stack dev",
            "  npm run admin:status -- --stack dev shows when the new one expires.",
        ]);
    });

    it("refuses a weak new password, naming what it lacks, and two that differ, then asks again after a wrong code", async () => {
        const password = newPassword();
        const prompter = new ScriptedPrompter([
            ["Temporary password: ", temporaryPassword],
            ["New password: ", "weakpassword"],
            ["New password: ", password],
            ["New password again: ", `${password}x`],
            ["New password: ", password],
            ["New password again: ", password],
            ["6-digit code from the app: ", wrongCode],
            ["6-digit code from the app: ", "12 34"],
            ["6-digit code from the app: ", codeFromScreen],
        ]);
        assert.strictEqual(await firstSignIn(options(), prompter, new FakeClock()), 0);
        assert.deepStrictEqual(prompter.transcript, [
            ...HEADER(ids.userPoolId),
            ...NEW_PASSWORD_STEPS.slice(0, 4),
            "✘ That password needs an upper-case letter (A-Z), a digit (0-9), a symbol (one of ^ $ * . [ ] { } ( ) ? \" ! @ # % & / \\ , > < ' : ; | _ ~ ` = + -). Try another.",
            "? New password: ",
            "? New password again: ",
            "✘ The two passwords differ. Try again.",
            ...NEW_PASSWORD_STEPS.slice(3),
            ...(await enrolment()),
            MISMATCH.replace("%d", "2 tries"),
            "? 6-digit code from the app: ",
            "✘ A code is 6 digits, such as 123456.",
            "? 6-digit code from the app: ",
            ...ENROLLED,
            ...DONE,
        ]);
        await assertEnrolled();
    });

    it("stops after three wrong codes, saying the new password is set; run again with it, it finishes", async () => {
        const wrong: [string, Answer] = ["6-digit code from the app: ", wrongCode];
        const { password, prompter: stopped } = withNewPassword(wrong, wrong, wrong);
        assert.strictEqual(await firstSignIn(options(), stopped, new FakeClock()), 1);
        assert.deepStrictEqual(stopped.transcript, [
            ...(await upToTheCode()),
            MISMATCH.replace("%d", "2 tries"),
            "? 6-digit code from the app: ",
            MISMATCH.replace("%d", "1 try"),
            "? 6-digit code from the app: ",
            "✘ The code did not match, 3 times. Check that the phone sets its clock automatically, and that the app shows admin's entry.",
            ...PASSWORD_SET_BUT_NO_APP,
        ]);

        const resumed = new ScriptedPrompter([
            ["Temporary password: ", password],
            ["6-digit code from the app: ", codeFromScreen],
        ]);
        assert.strictEqual(await firstSignIn(options(), resumed, new FakeClock()), 0);
        assert.deepStrictEqual(resumed.transcript, [
            ...HEADER(ids.userPoolId),
            "? Temporary password: ",
            "✔ That is already this user's own password (an earlier run set it): going on with the authenticator.",
            ...(await enrolment()),
            ...ENROLLED,
            ...DONE,
        ]);
        await assertEnrolled();
    });

    it("stopped at the temporary password, says nothing changed", async () => {
        const stop = new AbortController();
        const prompter = new ScriptedPrompter([["Temporary password: ", interrupt(stop)]]);
        assert.strictEqual(await firstSignIn(options({ cancel: stop.signal }), prompter, new FakeClock()), INTERRUPTED);
        assert.deepStrictEqual(prompter.transcript, [
            ...HEADER(ids.userPoolId),
            "? Temporary password: ",
            "Stopped.",
            "  Nothing changed: the temporary password still works until it expires (npm run admin:status shows when).",
        ]);
        assert.strictEqual((await adminUser()).UserStatus, "FORCE_CHANGE_PASSWORD");
    });

    it("stopped at the code prompt, says the new password is set, as moto shows (through an app client with a secret)", async () => {
        const withSecret = await admin.send(new CreateUserPoolClientCommand({ UserPoolId: ids.userPoolId, ClientName: "with-secret", GenerateSecret: true }));
        const stop = new AbortController();
        const { password, prompter } = withNewPassword(["6-digit code from the app: ", interrupt(stop)]);
        const clientId = withSecret.UserPoolClient?.ClientId as string;
        assert.strictEqual(await firstSignIn(options({ clientId, cancel: stop.signal }), prompter, new FakeClock()), INTERRUPTED);
        assert.deepStrictEqual(prompter.transcript, [...(await upToTheCode()), "Stopped.", ...PASSWORD_SET_BUT_NO_APP]);
        // moto: CONFIRMED with no MFA, and only the new password works (USER_PASSWORD_AUTH checks it; SRP does not).
        const user = await adminUser();
        assert.strictEqual(user.UserStatus, "CONFIRMED");
        assert.deepStrictEqual(user.UserMFASettingList, []);
        await assert.rejects(passwordSignIn(temporaryPassword), { name: "NotAuthorizedException", message: "Incorrect username or password." });
        const tokens = (await passwordSignIn(password)).AuthenticationResult ?? {};
        assert.deepStrictEqual(Object.keys(tokens).sort(), ["AccessToken", "ExpiresIn", "IdToken", "RefreshToken", "TokenType"]);
    });

    it("stops without changing anything for a user who has already finished the first sign-in", async () => {
        const password = newPassword();
        await enrolWithoutSrp(admin, ids, "admin", temporaryPassword, password);
        const before = await adminUser();
        assert.deepStrictEqual([before.UserStatus, before.UserMFASettingList], ["CONFIRMED", ["SOFTWARE_TOKEN_MFA"]]);

        const again = new ScriptedPrompter([["Temporary password: ", password]]);
        assert.strictEqual(await firstSignIn(options(), again, new FakeClock()), 1);
        assert.deepStrictEqual(again.transcript, [
            ...HEADER(ids.userPoolId),
            "? Temporary password: ",
            "✘ admin has already finished the first sign-in: Cognito asks for an authenticator code, not a new password. Nothing changed.",
            "  npm run admin:status shows the user's state.",
        ]);
        const after = await adminUser();
        assert.deepStrictEqual(
            [after.UserStatus, after.UserMFASettingList, after.PreferredMfaSetting, after.UserLastModifiedDate],
            [before.UserStatus, before.UserMFASettingList, before.PreferredMfaSetting, before.UserLastModifiedDate],
        );
    });

    it("writes no password or TOTP secret to any file in the repository", () => {
        const secrets = [...typedPasswords, "asdfasdfasdf", "ASDF ASDF ASDF", "ASDFASDFASDA"];
        const leaks = filesChangedSince(suiteStarted).filter((file) => {
            const text = fs.readFileSync(file, "utf8").toLowerCase();
            return secrets.some((secret) => text.includes(secret.toLowerCase()));
        });
        assert.deepStrictEqual(leaks, []);
    });
});

describe("admin:first-sign-in command line", () => {
    const STACK_OUTPUTS = { userPoolId: "us-east-1_AbCdEf123", userPoolClientId: "1example23456789abcdefghijk", adminUsername: "admin" };
    const IDS = ["--user-pool-id", "us-east-1_AbCdEf123", "--client-id", "1example23456789abcdefghijk"];
    const notCalled = () => {
        throw new Error("the stack's outputs were read");
    };

    function parse(argv: readonly string[], context: Partial<RunContext> = {}) {
        const parsed = parseCommandLine(FIRST_SIGN_IN_COMMAND, argv);
        assert.notStrictEqual(parsed, "help");
        return optionsFromArgs(parsed as Exclude<typeof parsed, "help">, { terminal: true, env: {}, stackOutputs: () => STACK_OUTPUTS, stackFile: () => DEV_LIKE.dev, ...context });
    }

    const usageErrors: ReadonlyArray<readonly [string, readonly string[], Parameters<typeof parse>[1], string]> = [
        ["no pool", [], {}, "give --stack, or --user-pool-id and --client-id"],
        ["a stack and ids", ["--stack", "dev", ...IDS], {}, "--stack reads the ids from the stack's outputs: give --stack or --user-pool-id and --client-id, not both"],
        ["ids without a username", IDS, {}, "give --username with --user-pool-id (with --stack, it defaults to the stack's adminUsername)"],
        ["both --check and --no-check", ["--stack", "dev", "--check", "--no-check"], {}, "give --check or --no-check, not both"],
        ["a bad stack name", ["--stack", "dev stack"], {}, '--stack "dev stack" is not a stack name: use letters, digits, - _ and .'],
        [
            "no terminal, before reading the stack",
            ["--stack", "dev"],
            { terminal: false, stackOutputs: notCalled },
            "this command needs a terminal on both standard input and standard output: it asks for passwords without echo and shows a QR code. " +
                "To run it without one anyway, pass --allow-non-terminal (refused when CI is set).",
        ],
        [
            "--allow-non-terminal under CI",
            [...IDS, "--username", "admin", "--allow-non-terminal"],
            { terminal: false, env: { CI: "true" } },
            "--allow-non-terminal is refused when CI is set: the TOTP secret would end up in the CI log. Run this on your own machine.",
        ],
        [
            "--allow-non-terminal under CI, even on a terminal",
            [...IDS, "--username", "admin", "--allow-non-terminal"],
            { terminal: true, env: { CI: "1" } },
            "--allow-non-terminal is refused when CI is set: the TOTP secret would end up in the CI log. Run this on your own machine.",
        ],
        [
            "a bad user pool id",
            ["--user-pool-id", "pool", "--client-id", "abc", "--username", "admin"],
            {},
            '--user-pool-id must be a user pool id: its region, an underscore, then letters and digits, such as us-east-1_AbCdEf123 (got "pool")',
        ],
        [
            "a stack without a client",
            ["--stack", "dev"],
            { stackOutputs: () => ({ userPoolId: "us-east-1_AbCdEf123" }) },
            "stack dev has no output userPoolClientId: has it been deployed with `pulumi up`?",
        ],
    ];
    for (const [name, argv, context, message] of usageErrors) {
        it(`refuses ${name}`, () => {
            assert.throws(() => parse(argv, context), { name: "UsageError", message });
        });
    }

    it("takes the ids and the admin's username from the stack, with the check on", () => {
        assert.deepStrictEqual(parse(["--stack", "dev"]), {
            userPoolId: "us-east-1_AbCdEf123",
            clientId: "1example23456789abcdefghijk",
            username: "admin",
            region: undefined,
            endpointUrl: undefined,
            check: true,
            stack: "dev",
            mainAdmin: true,
        });
    });

    it("takes another admin's username with --stack, and its index in the stack file's adminUsers, and --no-check", () => {
        assert.deepStrictEqual(parse(["-s", "dev", "--username", "ops", "--no-check", "--region", "eu-west-1"]), {
            userPoolId: "us-east-1_AbCdEf123",
            clientId: "1example23456789abcdefghijk",
            username: "ops",
            region: "eu-west-1",
            endpointUrl: undefined,
            check: false,
            stack: "dev",
            mainAdmin: false,
            adminUsersIndex: 0,
        });
    });

    it("runs without a terminal with --allow-non-terminal when CI is not set", () => {
        assert.deepStrictEqual(parse([...IDS, "--username", "admin", "--endpoint-url", "http://127.0.0.1:5000", "--allow-non-terminal"], { terminal: false }), {
            userPoolId: "us-east-1_AbCdEf123",
            clientId: "1example23456789abcdefghijk",
            username: "admin",
            region: undefined,
            endpointUrl: "http://127.0.0.1:5000",
            check: true,
            stack: undefined,
            mainAdmin: undefined,
        });
    });
});
