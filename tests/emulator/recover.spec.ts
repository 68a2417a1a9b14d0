import * as assert from "assert";
import {
    AdminAddUserToGroupCommand,
    AdminCreateUserCommand,
    AdminDeleteUserCommand,
    AdminGetUserCommand,
    AdminListGroupsForUserCommand,
    AdminRemoveUserFromGroupCommand,
    AdminSetUserPasswordCommand,
    CognitoIdentityProviderClient,
    CreateGroupCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { randomBytes } from "crypto";
import { firstSignIn } from "../../tools/admin/firstSignIn";
import { recoverAdmin } from "../../tools/admin/recover";
import { totpCode } from "../../deploy/verifier/totp";
import { EmulatedPool } from "../../tools/emulator/emulatorPool";
import { FaultyProxy, MotoServer, createSeedPool, sharedMoto } from "../moto";
import { ScriptedPrompter } from "./scriptedPrompter";

/** moto's one TOTP secret for every user (its quirk). */
const MOTO_TOTP_SECRET = "ASDFASDFASDF";

describe("admin:recover, and the sign-in after it, against the moto Cognito emulator", function () {
    this.timeout(30_000);
    let moto: MotoServer | undefined;
    let client: CognitoIdentityProviderClient;
    /** Answers AdminDeleteSoftwareToken as Cognito does since 26 August 2026 (moto 5.2.1 lacks it), and records it. */
    let stub: FaultyProxy;
    let ids: EmulatedPool;

    before(async function () {
        moto = await sharedMoto(this);
        client = moto.client();
        stub = await FaultyProxy.start(moto.endpoint, { AdminDeleteSoftwareToken: { answer: {} } });
        ids = await createSeedPool(client);
    });

    after(async () => {
        client?.destroy();
        await stub?.stop();
    });

    /**
     * A whole first sign-in with admin:first-sign-in, scripted: `temporaryPassword`, a new
     * password of the admin's own, then a code from moto's authenticator. Fails unless it exits 0.
     */
    async function firstSignInAs(username: string, temporaryPassword: string): Promise<{ password: string; prompter: ScriptedPrompter }> {
        const password = `Own-${randomBytes(6).toString("hex")}-Aa1!`;
        const prompter = new ScriptedPrompter([
            ["Temporary password: ", temporaryPassword],
            ["New password: ", password],
            ["New password again: ", password],
            ["6-digit code from the app: ", () => totpCode(MOTO_TOTP_SECRET, Date.now())],
        ]);
        const status = await firstSignIn({ userPoolId: ids.userPoolId, clientId: ids.clientId, endpointUrl: moto!.endpoint, username, check: false }, prompter);
        assert.strictEqual(status, 0, prompter.transcript.join("\n"));
        return { password, prompter };
    }

    /** An admin who finished the first sign-in with admin:first-sign-in: its own password, CONFIRMED, TOTP enrolled. */
    async function enrolledAdmin(): Promise<{ username: string; password: string }> {
        const username = `ops-${randomBytes(3).toString("hex")}`;
        await client.send(new AdminCreateUserCommand({ UserPoolId: ids.userPoolId, Username: username, TemporaryPassword: "Temp-Passw0rd!", MessageAction: "SUPPRESS" }));
        const { password } = await firstSignInAs(username, "Temp-Passw0rd!");
        return { username, password };
    }

    /** The AdminDeleteSoftwareToken calls for `username`. */
    function deletions(username: string): Record<string, unknown>[] {
        return stub.calls.filter((call) => call.operation === "AdminDeleteSoftwareToken" && call.body.Username === username).map((call) => call.body);
    }

    /** What `pulumi up` does after a new passwordReissue label: AdminSetUserPassword, Permanent false (the provider's user.go). */
    async function reissue(username: string, temporaryPassword: string): Promise<void> {
        await client.send(new AdminSetUserPasswordCommand({ UserPoolId: ids.userPoolId, Username: username, Password: temporaryPassword, Permanent: false }));
    }

    const recover = (username: string, prompter: ScriptedPrompter, extra: { keepPassword?: boolean; yes?: boolean } = {}) =>
        recoverAdmin({ userPoolId: ids.userPoolId, endpointUrl: stub.endpoint, username, stack: "prod", adminUsersIndex: 2, ...extra }, prompter, "2026-11-26");

    it("refuses to delete an authenticator before the password is re-issued, and prints the one change that re-issues it", async () => {
        const { username } = await enrolledAdmin();
        const prompter = new ScriptedPrompter([]);
        assert.strictEqual(await recover(username, prompter), 1);
        assert.deepStrictEqual(prompter.transcript, [
            `Recovering admin ${username} of user pool ${ids.userPoolId} (status CONFIRMED, authenticator enrolled).`,
            "A lost authenticator app takes two steps, in this order:",
            "  1. A new temporary password, through Pulumi, so that the old password stops working:",
            `       pulumi config set --path 'adminUsers[2].passwordReissue' "2026-11-26 recovery" --stack prod`,
            `     in a pull request: npm run plan -- --stack prod --diff shows ${username}'s generated temporary password replaced`,
            "     and the user updated in place, nothing else. Merge it, and let `pulumi up` deploy it. (A password of your own:",
            "     set a new temporaryPassword secret instead.)",
            `  2. Delete ${username}'s authenticator (AdminDeleteSoftwareToken): at the next sign-in Cognito asks for a new one.`,
            `✘ Do step 1 first, then run this again: npm run admin:status -- --stack prod shows ${username} as FORCE_CHANGE_PASSWORD once it is deployed.`,
            "  (If the password is safe, such as after a phone reset, --keep-password goes straight to step 2.)",
        ]);
        assert.deepStrictEqual(deletions(username), []);
    });

    it("once re-issued, deletes the authenticator after the username is typed, and says what the admin does next", async () => {
        const { username } = await enrolledAdmin();
        await reissue(username, "Reissued-Passw0rd!");
        const prompter = new ScriptedPrompter([[`Type the username (${username}) to delete its authenticator now: `, username]]);
        assert.strictEqual(await recover(username, prompter), 0);
        prompter.assertDone();
        assert.deepStrictEqual(deletions(username), [{ UserPoolId: ids.userPoolId, Username: username }]);
        assert.deepStrictEqual(prompter.transcript.slice(-4), [
            `✔ ${username}'s authenticator is deleted.`,
            `Next, ${username} signs in and enrols a new authenticator app:`,
            `  npm run admin:first-sign-in -- --stack prod --username ${username}`,
            "  with the new temporary password (a generated one: pulumi stack output adminTemporaryPasswords --show-secrets --stack prod, or adminTemporaryPassword for the adminUsername user).",
        ]);
    });

    it("changes nothing when the typed username is not the admin's", async () => {
        const { username } = await enrolledAdmin();
        await reissue(username, "Reissued-Passw0rd!");
        const prompter = new ScriptedPrompter([[`Type the username (${username}) to delete its authenticator now: `, "someone-else"]]);
        assert.strictEqual(await recover(username, prompter), 1);
        assert.strictEqual(prompter.transcript[prompter.transcript.length - 1], `✘ That is not ${username}: nothing was changed.`);
        assert.deepStrictEqual(deletions(username), []);
    });

    it("with --keep-password and --yes, deletes the authenticator of a CONFIRMED admin without asking", async () => {
        const { username } = await enrolledAdmin();
        const prompter = new ScriptedPrompter([]);
        assert.strictEqual(await recover(username, prompter, { keepPassword: true, yes: true }), 0);
        assert.deepStrictEqual(deletions(username), [{ UserPoolId: ids.userPoolId, Username: username }]);
        assert.strictEqual(prompter.transcript[prompter.transcript.length - 1], "  with the password it has.");
    });

    it("says plainly when the endpoint lacks AdminDeleteSoftwareToken (moto itself), changes nothing, and prints the way back there: recreate", async () => {
        const { username } = await enrolledAdmin();
        await reissue(username, "Reissued-Passw0rd!");
        const prompter = new ScriptedPrompter([]);
        const status = await recoverAdmin({ userPoolId: ids.userPoolId, endpointUrl: moto!.endpoint, username, stack: "dev", adminUsersIndex: 0, yes: true }, prompter, "2026-11-26");
        assert.strictEqual(status, 1);
        const lines = prompter.transcript.slice(-5);
        assert.match(lines[0], /^✘ The endpoint does not know AdminDeleteSoftwareToken \(.*\): Cognito added it on 26 August 2026, and emulators such as moto 5\.2\.1 lack it\. Nothing was changed\.$/);
        assert.deepStrictEqual(lines.slice(1), [
            `  The way back there: Pulumi deletes ${username}'s user and creates it afresh, with a new temporary password, its groups, and no authenticator:`,
            `       pulumi config set --path 'adminUsers[0].recreate' "2026-11-26 recovery" --stack dev`,
            `     in a pull request: npm run plan -- --stack dev --diff shows ${username}'s user and group memberships replaced`,
            "     (a new sub), and asks for the replacement to be accepted in plans/accepted-changes.yaml. Not where users are protected or retained.",
        ]);
        const user = await client.send(new AdminGetUserCommand({ UserPoolId: ids.userPoolId, Username: username }));
        assert.deepStrictEqual(user.UserMFASettingList, ["SOFTWARE_TOKEN_MFA"]);
    });

    it("a lost phone, by recreate: the recreated admin goes through NEW_PASSWORD_REQUIRED, then MFA_SETUP, and admin:first-sign-in enrols a new authenticator", async () => {
        const { username } = await enrolledAdmin();
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

        const { prompter } = await firstSignInAs(username, "Recreated-Passw0rd!");
        prompter.assertDone();
        const asked = prompter.transcript.filter((line) => line.startsWith("? ") || line.startsWith("Set up your authenticator app"));
        assert.deepStrictEqual(asked, [
            "? Temporary password: ",
            "? New password: ",
            "? New password again: ",
            "Set up your authenticator app (Google Authenticator, Microsoft Authenticator, 1Password, …). Scan this QR code:",
            "? 6-digit code from the app: ",
        ]);
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
        const { username } = await enrolledAdmin();
        await reissue(username, "Reissued-Passw0rd!");
        const challenge = { ChallengeName: "SOFTWARE_TOKEN_MFA", Session: "session-after-new-password", ChallengeParameters: { USERNAME: username } };
        const cognito = await FaultyProxy.start(moto!.endpoint, {
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
