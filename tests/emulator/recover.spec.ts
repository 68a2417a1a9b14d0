import * as assert from "assert";
import {
    AdminAddUserToGroupCommand,
    AdminCreateUserCommand,
    AdminDeleteUserCommand,
    AdminGetUserCommand,
    AdminListGroupsForUserCommand,
    AdminRemoveUserFromGroupCommand,
    AdminSetUserMFAPreferenceCommand,
    AdminSetUserPasswordCommand,
    CognitoIdentityProviderClient,
    CreateGroupCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { execFileSync } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { totpCode } from "../../deploy/verifier/totp";
import { firstSignIn } from "../../tools/admin/firstSignInFlow";
import { RecoverOptions, recoverAdmin } from "../../tools/admin/recover";
import { main as adminStatusMain } from "../../tools/admin/status";
import { FaultyProxy, MOTO_TOTP_SECRET, MotoServer, PoolIds, createSeedPool, enrolWithoutSrp, useMoto } from "../moto";
import { runInProcess } from "../support";
import { ScriptedPrompter } from "./scriptedPrompter";

/** A username Cognito accepts that a shell would run as a command, were it pasted unquoted or in plain quotes: it creates `file`. */
function hostileUsername(file: string): string {
    return `x'";touch\${IFS}${file};#`;
}

describe("admin:recover, and the sign-in after it, against the moto Cognito emulator (with the tests' AdminDeleteSoftwareToken)", function () {
    this.timeout(30_000);
    const emulator = useMoto();
    let moto: MotoServer;
    let client: CognitoIdentityProviderClient;
    let ids: PoolIds;

    before(async () => {
        ({ moto, client } = emulator);
        ids = await createSeedPool(client);
    });

    /**
     * A whole first sign-in with admin:first-sign-in, scripted: `temporaryPassword`, a new
     * password of the admin's own, then a code from moto's authenticator. Fails unless it exits 0.
     */
    async function firstSignInAs(username: string, temporaryPassword: string, endpointUrl = moto.endpoint): Promise<ScriptedPrompter> {
        const password = `Own-${randomBytes(6).toString("hex")}-Aa1!`;
        const prompter = new ScriptedPrompter([
            ["Temporary password: ", temporaryPassword],
            ["New password: ", password],
            ["New password again: ", password],
            ["6-digit code from the app: ", () => totpCode(MOTO_TOTP_SECRET, Date.now())],
        ]);
        const status = await firstSignIn({ userPoolId: ids.userPoolId, clientId: ids.clientId, endpointUrl, username, check: false }, prompter);
        assert.strictEqual(status, 0, prompter.transcript.join("\n"));
        prompter.assertDone();
        return prompter;
    }

    /** An admin who finished the first sign-in: its own password, CONFIRMED, TOTP enrolled. */
    async function enrolledAdmin(username = `ops-${randomBytes(3).toString("hex")}`): Promise<string> {
        await client.send(new AdminCreateUserCommand({ UserPoolId: ids.userPoolId, Username: username, TemporaryPassword: "Temp-Passw0rd!", MessageAction: "SUPPRESS" }));
        await enrolWithoutSrp(client, ids, username, "Temp-Passw0rd!", "Own-Passw0rd!");
        return username;
    }

    /** What `pulumi up` does after a new passwordReissue label: AdminSetUserPassword, Permanent false (the provider's user.go). */
    async function reissue(username: string, temporaryPassword = "Reissued-Passw0rd!"): Promise<void> {
        await client.send(new AdminSetUserPasswordCommand({ UserPoolId: ids.userPoolId, Username: username, Password: temporaryPassword, Permanent: false }));
    }

    const recover = (username: string, prompter: ScriptedPrompter, extra: Partial<RecoverOptions> = {}) =>
        recoverAdmin({ userPoolId: ids.userPoolId, endpointUrl: moto.endpoint, username, stack: "prod", mainAdmin: false, adminUsersIndex: 2, ...extra }, prompter, "2026-11-26");

    /** admin:status --json of one user. */
    async function statusOf(username: string): Promise<Record<string, unknown>> {
        const run = await runInProcess((argv) => adminStatusMain(argv), ["--user-pool-id", ids.userPoolId, "--username", username, "--endpoint-url", moto.endpoint, "--json"]);
        return (JSON.parse(run.stdout) as { admins: Record<string, unknown>[] }).admins[0];
    }

    it("refuses to delete an authenticator before the password is re-issued, and prints the one change that re-issues it", async () => {
        const username = await enrolledAdmin();
        const prompter = new ScriptedPrompter([]);
        assert.strictEqual(await recover(username, prompter), 1);
        assert.deepStrictEqual(prompter.transcript, [
            `Recovering admin ${username} of user pool ${ids.userPoolId} (status CONFIRMED, authenticator enrolled).`,
            "A lost authenticator app takes two steps, in this order:",
            "  1. A new temporary password, through Pulumi, so that the old password stops working:",
            "       pulumi config set --path 'adminUsers[2].passwordReissue' '2026-11-26 recovery' --stack prod",
            `     in a pull request: npm run plan -- --stack prod --diff shows ${username}'s generated temporary password replaced`,
            "     and the user updated in place, nothing else. Merge it, and let `pulumi up` deploy it. (A password of your own:",
            "     set a new temporaryPassword secret instead.)",
            `  2. Delete ${username}'s authenticator (AdminDeleteSoftwareToken): at the next sign-in Cognito asks for a new one.`,
            `✘ Do step 1 first, then run this again: npm run admin:status -- --stack prod shows ${username} as FORCE_CHANGE_PASSWORD once it is deployed.`,
            "  (If the password is safe, such as after a phone reset, --keep-password goes straight to step 2.)",
        ]);
        assert.strictEqual((await statusOf(username)).totpEnrolled, true);
    });

    it("end to end: an enrolled admin, re-issued, is recovered (the username typed); its first sign-in enrols a new authenticator; admin:status shows it enrolled", async () => {
        const username = await enrolledAdmin();
        await reissue(username);
        const prompter = new ScriptedPrompter([[`Type the username (${username}) to delete its authenticator now: `, username]]);
        assert.strictEqual(await recover(username, prompter), 0);
        prompter.assertDone();
        assert.deepStrictEqual(prompter.transcript.slice(-4), [
            `✔ Deleted ${username}'s authenticator (AdminDeleteSoftwareToken).`,
            `Next, ${username} signs in and enrols a new authenticator app:`,
            `  npm run admin:first-sign-in -- --stack prod --username ${username}`,
            "  with the new temporary password (a generated one: pulumi stack output adminTemporaryPasswords --show-secrets --stack prod).",
        ]);
        const recovered = await statusOf(username);
        assert.deepStrictEqual([recovered.status, recovered.totpEnrolled], ["FORCE_CHANGE_PASSWORD", false]);

        const signIn = await firstSignInAs(username, "Reissued-Passw0rd!");
        assert.deepStrictEqual(
            signIn.transcript.filter((line) => line.startsWith("? ") || line.startsWith("Set up your authenticator app")),
            [
                "? Temporary password: ",
                "? New password: ",
                "? New password again: ",
                "Set up your authenticator app (Google Authenticator, Microsoft Authenticator, 1Password, …). Scan this QR code:",
                "? 6-digit code from the app: ",
            ],
        );
        const status = await statusOf(username);
        assert.deepStrictEqual([status.status, status.totpEnrolled, status.totpSource], ["CONFIRMED", true, "AdminGetUserAuthFactors"]);
    });

    it("changes nothing when the typed username is not the admin's", async () => {
        const username = await enrolledAdmin();
        await reissue(username);
        const prompter = new ScriptedPrompter([[`Type the username (${username}) to delete its authenticator now: `, "someone-else"]]);
        assert.strictEqual(await recover(username, prompter), 1);
        assert.strictEqual(prompter.transcript[prompter.transcript.length - 1], `✘ That is not ${username}: nothing was changed.`);
        assert.strictEqual((await statusOf(username)).totpEnrolled, true);
    });

    it("says there was none, asking nothing, when AdminGetUserAuthFactors lists no software token", async () => {
        const username = `new-${randomBytes(3).toString("hex")}`;
        await client.send(new AdminCreateUserCommand({ UserPoolId: ids.userPoolId, Username: username, TemporaryPassword: "Temp-Passw0rd!", MessageAction: "SUPPRESS" }));
        const prompter = new ScriptedPrompter([]);
        assert.strictEqual(await recover(username, prompter), 0);
        assert.deepStrictEqual(prompter.transcript.slice(0, 1).concat(prompter.transcript.slice(-4, -3)), [
            `Recovering admin ${username} of user pool ${ids.userPoolId} (status FORCE_CHANGE_PASSWORD, no authenticator).`,
            `✔ ${username} has no authenticator (AdminGetUserAuthFactors lists no SOFTWARE_TOKEN): nothing to delete.`,
        ]);
    });

    it("where the endpoint lacks AdminGetUserAuthFactors, deletes the token anyway when AdminGetUser does not list it (which it may not), and says so", async () => {
        const username = await enrolledAdmin();
        // Enrolled, but no longer in UserMFASettingList: the lists do not always show an enrolled token.
        await client.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: ids.userPoolId, Username: username, SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: false } }));
        const proxy = await FaultyProxy.start(moto.endpoint, { AdminGetUserAuthFactors: { error: "UnknownOperationException" } });
        const prompter = new ScriptedPrompter([]);
        try {
            assert.strictEqual(await recover(username, prompter, { endpointUrl: proxy.endpoint, keepPassword: true, yes: true }), 0);
        } finally {
            await proxy.stop();
        }
        assert.deepStrictEqual(
            [prompter.transcript[0], prompter.transcript[prompter.transcript.length - 4], prompter.transcript[prompter.transcript.length - 1]],
            [
                `Recovering admin ${username} of user pool ${ids.userPoolId} (status CONFIRMED, authenticator not listed by AdminGetUser; this endpoint lacks AdminGetUserAuthFactors, so one may exist either way).`,
                `✔ AdminDeleteSoftwareToken done: ${username} has no authenticator now (whether there was one, this endpoint could not say).`,
                "  with the password it has.",
            ],
        );
        assert.deepStrictEqual(proxy.calls.filter((call) => call.operation === "AdminDeleteSoftwareToken").map((call) => call.body), [{ UserPoolId: ids.userPoolId, Username: username }]);
        assert.strictEqual((await statusOf(username)).totpEnrolled, false);
    });

    it("says plainly when the endpoint lacks AdminDeleteSoftwareToken, changes nothing, and prints the way back there: recreate", async () => {
        const username = await enrolledAdmin();
        await reissue(username);
        const proxy = await FaultyProxy.start(moto.endpoint, { AdminDeleteSoftwareToken: { error: "UnknownOperationException" } });
        const prompter = new ScriptedPrompter([]);
        try {
            assert.strictEqual(await recover(username, prompter, { endpointUrl: proxy.endpoint, stack: "dev", adminUsersIndex: 0, yes: true }), 1);
        } finally {
            await proxy.stop();
        }
        assert.deepStrictEqual(prompter.transcript.slice(-5), [
            "✘ The endpoint does not know AdminDeleteSoftwareToken (UnknownOperationException: UnknownOperationException from the test proxy): Cognito added it on 26 August 2026, " +
                "and some regions, partitions and emulators lack it. Nothing was changed.",
            `  The way back there: Pulumi deletes ${username}'s user and creates it afresh, with a new temporary password, its groups, and no authenticator:`,
            "       pulumi config set --path 'adminUsers[0].recreate' '2026-11-26 recovery' --stack dev",
            `     in a pull request: npm run plan -- --stack dev --diff shows ${username}'s user and group memberships replaced`,
            "     (a new sub), and asks for the replacement to be accepted in plans/accepted-changes.yaml. Not where users are protected or retained.",
        ]);
        assert.strictEqual((await statusOf(username)).totpEnrolled, true);
    });

    it("prints commands that, pasted into sh, pass a username full of shell syntax as one argument; with pool ids, both keys, as it cannot tell which", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "recover-paste-"));
        try {
            const username = hostileUsername(path.join(dir, "pwned"));
            await enrolledAdmin(username);
            const refused = new ScriptedPrompter([]);
            await recover(username, refused, { adminUsersIndex: undefined });
            const unknownKey = new ScriptedPrompter([]);
            await recover(username, unknownKey, { stack: undefined, mainAdmin: undefined, adminUsersIndex: undefined });
            const done = new ScriptedPrompter([]);
            assert.strictEqual(await recover(username, done, { keepPassword: true, yes: true }), 0);
            // A stub pulumi and npm that write each argument list, NUL-separated, one line a call.
            const log = path.join(dir, "calls");
            for (const stub of ["pulumi", "npm"]) {
                fs.writeFileSync(path.join(dir, stub), `#!/bin/sh\n{ printf '%s\\0' "${stub}" "$@"; printf '\\n'; } >> '${log}'\n`, { mode: 0o755 });
            }
            const commands = [...refused.transcript, ...done.transcript].filter((line) => /^ +(pulumi|npm) /.test(line)).map((line) => line.trim());
            const [ifMain, ifListed] = /^ {7}(pulumi .*) if .* else (pulumi .*) \(without --stack, this cannot tell which\)$/.exec(unknownKey.transcript[3])?.slice(1) ?? assert.fail(unknownKey.transcript[3]);
            for (const command of [...commands, ifMain.replace(" --stack <stack>", ""), ifListed.replace(" --stack <stack>", "")]) {
                execFileSync("/bin/sh", ["-c", command], { env: { ...process.env, PATH: `${dir}${path.delimiter}${process.env.PATH}` } });
            }
            const calls = fs.readFileSync(log, "utf8").trimEnd().split("\n").map((line) => line.split("\0").slice(0, -1));
            assert.deepStrictEqual(calls, [
                ["pulumi", "config", "set", "--path", `adminUsers[<index of ${username}>].passwordReissue`, "2026-11-26 recovery", "--stack", "prod"],
                ["npm", "run", "admin:first-sign-in", "--", "--stack", "prod", "--username", username],
                ["pulumi", "config", "set", "adminPasswordReissue", "2026-11-26 recovery"],
                ["pulumi", "config", "set", "--path", `adminUsers[<index of ${username}>].passwordReissue`, "2026-11-26 recovery"],
            ]);
            assert.strictEqual(fs.existsSync(path.join(dir, "pwned")), false, "the username ran as a command");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("a lost phone, by recreate: the recreated admin goes through NEW_PASSWORD_REQUIRED, then MFA_SETUP, and admin:first-sign-in enrols a new authenticator", async () => {
        const username = await enrolledAdmin();
        const group = `admins-${randomBytes(3).toString("hex")}`;
        await client.send(new CreateGroupCommand({ UserPoolId: ids.userPoolId, GroupName: group }));
        await client.send(new AdminAddUserToGroupCommand({ UserPoolId: ids.userPoolId, Username: username, GroupName: group }));
        const subOf = async () =>
            (await client.send(new AdminGetUserCommand({ UserPoolId: ids.userPoolId, Username: username }))).UserAttributes?.find((a) => a.Name === "sub")?.Value;
        const oldSub = await subOf();
        // What `pulumi up` does for a new recreate label (npm run plan --diff: the membership and the
        // user replaced, delete first): the provider's calls for aws_cognito_user_in_group and aws_cognito_user.
        await client.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: ids.userPoolId, Username: username, GroupName: group }));
        await client.send(new AdminDeleteUserCommand({ UserPoolId: ids.userPoolId, Username: username }));
        await client.send(new AdminCreateUserCommand({ UserPoolId: ids.userPoolId, Username: username, TemporaryPassword: "Recreated-Passw0rd!", MessageAction: "SUPPRESS" }));
        await client.send(new AdminAddUserToGroupCommand({ UserPoolId: ids.userPoolId, Username: username, GroupName: group }));

        await firstSignInAs(username, "Recreated-Passw0rd!");
        const user = await client.send(new AdminGetUserCommand({ UserPoolId: ids.userPoolId, Username: username }));
        const groups = await client.send(new AdminListGroupsForUserCommand({ UserPoolId: ids.userPoolId, Username: username }));
        assert.deepStrictEqual(
            [user.UserStatus, user.UserMFASettingList, user.PreferredMfaSetting, groups.Groups?.map((g) => g.GroupName), (await subOf()) !== oldSub],
            ["CONFIRMED", ["SOFTWARE_TOKEN_MFA"], "SOFTWARE_TOKEN_MFA", [group], true],
        );
    });

    it("a forgotten password: after the re-issue, admin:first-sign-in sets a new password, then takes a code from the app the admin still has", async () => {
        // moto signs such a user in without asking for TOTP; Cognito asks for the enrolled app's
        // code (SOFTWARE_TOKEN_MFA). The proxy answers as Cognito does.
        const username = await enrolledAdmin();
        await reissue(username);
        const challenge = { ChallengeName: "SOFTWARE_TOKEN_MFA", Session: "session-after-new-password", ChallengeParameters: { USERNAME: username } };
        const cognito = await FaultyProxy.start(moto.endpoint, {
            RespondToAuthChallenge: (body) =>
                body.ChallengeName === "NEW_PASSWORD_REQUIRED"
                    ? { answer: challenge }
                    : body.ChallengeName === "SOFTWARE_TOKEN_MFA"
                      ? (body.ChallengeResponses as Record<string, string>).SOFTWARE_TOKEN_MFA_CODE === totpCode(MOTO_TOTP_SECRET, Date.now())
                          ? { answer: { AuthenticationResult: { AccessToken: "access", IdToken: "id", RefreshToken: "refresh" } } }
                          : { error: { name: "CodeMismatchException", message: "Invalid code received for user" } }
                      : undefined,
        });
        const newPassword = `New-${randomBytes(6).toString("hex")}-Aa1!`;
        const prompter = new ScriptedPrompter([
            ["Temporary password: ", "Reissued-Passw0rd!"],
            ["New password: ", newPassword],
            ["New password again: ", newPassword],
            ["6-digit code from the app: ", "000000"],
            ["6-digit code from the app: ", () => totpCode(MOTO_TOTP_SECRET, Date.now())],
        ]);
        try {
            const status = await firstSignIn({ userPoolId: ids.userPoolId, clientId: ids.clientId, endpointUrl: cognito.endpoint, username, check: false }, prompter);
            assert.strictEqual(status, 0, prompter.transcript.join("\n"));
        } finally {
            await cognito.stop();
        }
        prompter.assertDone();
        assert.deepStrictEqual(prompter.transcript.slice(-6), [
            `${username}'s authenticator app is still enrolled: Cognito asks for its code.`,
            "? 6-digit code from the app: ",
            "✘ That code does not match. Type the code the app shows now (2 tries left); if codes keep failing, check that the phone sets its clock automatically.",
            "? 6-digit code from the app: ",
            "✔ Signed in with the new password and the app's code.",
            `Done: ${username} has a new password, and signs in with the authenticator app it had.`,
        ]);
    });
});
