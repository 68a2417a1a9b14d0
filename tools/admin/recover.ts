/**
 * `npm run admin:recover`: the one way back for an admin who lost the authenticator app (or
 * the phone with it). Cognito has, since 26 August 2026, AdminDeleteSoftwareToken: it deletes a
 * user's TOTP factor, and a pool that requires MFA then asks the user for a new one
 * (MFA_SETUP) at the next sign-in. Recovery is two steps, in this order:
 *
 * 1. a new temporary password, through Pulumi (`passwordReissue`), so that Pulumi stays in charge
 *    of the admin and the old password stops working: a reviewed change that `plan --diff`
 *    shows as that admin's generated password replaced and the user updated in place;
 * 2. then this command deletes the admin's authenticator.
 *
 * The user is never deleted, so it keeps its sub, groups and attributes, and `protect` (prod)
 * need not be lifted. Without step 1 first, anyone with the old password could enrol an
 * authenticator of their own in between: the command refuses, unless `--keep-password` says the
 * password is safe (a phone reset, not stolen).
 */
import {
    AdminDeleteSoftwareTokenCommand,
    AdminGetUserCommand,
    CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { constants as osConstants } from "os";
import * as path from "path";
import { CommandSpec, EXIT, UsageError, checkStackName, runCommand, runMain } from "../../deploy/commandLine";
import { readStackOutputs, stringOutput } from "../../deploy/stackOutputs";
import { CognitoEndpoint, SignInVerificationError, cognitoClient, stepCaller } from "../../deploy/verifier/cognitoSignIn";
import { stopOnSignals } from "../../deploy/verifier/cli";
import { readStackFile } from "../mock/stackFile";
import { INTERRUPTED, Prompter, TerminalPrompter } from "./firstSignIn";
import { ReissueTarget, recreateCommand, reissueCommand } from "./reissue";

const ROOT = path.resolve(__dirname, "..", "..");

/** Who to recover, and where. */
export interface RecoverOptions extends CognitoEndpoint, ReissueTarget {
    /** The password is safe (a reset phone, not a stolen one): delete the authenticator without a new password. */
    readonly keepPassword?: boolean;
    /** Go ahead without asking for the username to be typed. */
    readonly yes?: boolean;
}

/**
 * Runs the recovery and returns the exit status: 0 when the authenticator was deleted (or there
 * was none), 1 when a step must come first or the admin declined. Read-only until the typed
 * confirmation; then one call, AdminDeleteSoftwareToken.
 */
export async function recoverAdmin(
    options: RecoverOptions,
    prompter: Prompter,
    today: string = new Date().toISOString().slice(0, 10),
    client: CognitoIdentityProviderClient = cognitoClient(options),
): Promise<number> {
    const call = stepCaller(options);
    const { username } = options;
    const stack = options.stack ? ` --stack ${options.stack}` : " --stack <stack>";
    let user;
    try {
        user = await call("AdminGetUser", (abortSignal) =>
            client.send(new AdminGetUserCommand({ UserPoolId: options.userPoolId, Username: username }), { abortSignal }),
        );
    } catch (error) {
        if ((error as SignInVerificationError).errorName !== "UserNotFoundException") throw error;
        prompter.say(`✘ There is no user ${username} in user pool ${options.userPoolId}. If Pulumi still declares it: pulumi refresh${stack} && pulumi up${stack}`);
        return EXIT.failed;
    }
    const enrolled = (user.UserMFASettingList ?? []).includes("SOFTWARE_TOKEN_MFA") || user.PreferredMfaSetting === "SOFTWARE_TOKEN_MFA";
    const reissued = user.UserStatus === "FORCE_CHANGE_PASSWORD";
    prompter.say(`Recovering admin ${username} of user pool ${options.userPoolId} (status ${user.UserStatus}, authenticator ${enrolled ? "enrolled" : "not enrolled"}).`);
    prompter.say("A lost authenticator app takes two steps, in this order:");
    prompter.say(`  1. A new temporary password, through Pulumi, so that the old password stops working${reissued ? ": done (FORCE_CHANGE_PASSWORD)." : options.keepPassword ? ": skipped (--keep-password)." : ":"}`);
    if (!reissued && !options.keepPassword) {
        prompter.say(`       ${reissueCommand(options, `${today} recovery`)}`);
        prompter.say(`     in a pull request: npm run plan -- --stack ${options.stack ?? "<stack>"} --diff shows ${username}'s generated temporary password replaced`);
        prompter.say("     and the user updated in place, nothing else. Merge it, and let `pulumi up` deploy it. (A password of your own:");
        prompter.say("     set a new temporaryPassword secret instead.)");
    }
    prompter.say(`  2. Delete ${username}'s authenticator (AdminDeleteSoftwareToken): at the next sign-in Cognito asks for a new one.`);
    if (!reissued && !options.keepPassword) {
        prompter.say(`✘ Do step 1 first, then run this again: npm run admin:status --${stack} shows ${username} as FORCE_CHANGE_PASSWORD once it is deployed.`);
        prompter.say("  (If the password is safe, such as after a phone reset, --keep-password goes straight to step 2.)");
        return EXIT.failed;
    }
    if (!enrolled) {
        prompter.say(`✔ ${username} has no authenticator to delete.`);
    } else {
        if (!options.yes) {
            const typed = await prompter.text(`Type the username (${username}) to delete its authenticator now: `);
            if (typed.trim() !== username) {
                prompter.say(`✘ That is not ${username}: nothing was changed.`);
                return EXIT.failed;
            }
        }
        try {
            await call("AdminDeleteSoftwareToken", (abortSignal) =>
                client.send(new AdminDeleteSoftwareTokenCommand({ UserPoolId: options.userPoolId, Username: username }), { abortSignal }),
            );
        } catch (error) {
            const err = error as SignInVerificationError;
            if (/SyntaxError|UnknownOperation|InvalidAction|Deserialization/.test(`${err.errorName} ${err.reason}`)) {
                prompter.say(
                    `✘ The endpoint does not know AdminDeleteSoftwareToken (${err.reason.split("\n")[0]}): Cognito added it on 26 August 2026, and emulators such as ` +
                        "moto 5.2.1 lack it. Nothing was changed.",
                );
                prompter.say(`  The way back there: Pulumi deletes ${username}'s user and creates it afresh, with a new temporary password, its groups, and no authenticator:`);
                prompter.say(`       ${recreateCommand(options, `${today} recovery`)}`);
                prompter.say(`     in a pull request: npm run plan -- --stack ${options.stack ?? "<stack>"} --diff shows ${username}'s user and group memberships replaced`);
                prompter.say("     (a new sub), and asks for the replacement to be accepted in plans/accepted-changes.yaml. Not where users are protected or retained.");
                return EXIT.failed;
            }
            throw error;
        }
        prompter.say(`✔ ${username}'s authenticator is deleted.`);
    }
    prompter.say(`Next, ${username} signs in and enrols a new authenticator app:`);
    prompter.say(`  npm run admin:first-sign-in --${stack} --username ${username}`);
    prompter.say(
        options.keepPassword && !reissued
            ? "  with the password it has."
            : `  with the new temporary password (a generated one: pulumi stack output adminTemporaryPasswords --show-secrets${stack}, or adminTemporaryPassword for the adminUsername user).`,
    );
    return EXIT.ok;
}

export const RECOVER_COMMAND: CommandSpec = {
    name: "npm run admin:recover --",
    summary: "Gets an admin who lost the authenticator app back in: a new temporary password through Pulumi, then AdminDeleteSoftwareToken.",
    usage: ["--stack <name> --username <name> [--keep-password] [--yes]", "--user-pool-id <id> --username <name> [--region <region>] [--endpoint-url <url>] [--keep-password] [--yes]"],
    options: {
        stack: { type: "string", short: "s", value: "<name>", description: "Read the pool id from the stack's outputs, and the admin's config key from its stack file." },
        "user-pool-id": { type: "string", value: "<id>", description: "The user pool's id." },
        username: { type: "string", value: "<name>", description: "The admin's username. Required." },
        region: { type: "string", value: "<region>", description: "The AWS region. Default: the region in the user pool's id." },
        "endpoint-url": { type: "string", value: "<url>", description: "A Cognito endpoint instead of AWS's." },
        "keep-password": { type: "boolean", description: "The password is safe (a reset phone, not a stolen one): skip the new temporary password." },
        yes: { type: "boolean", short: "y", description: "Do not ask for the username to be typed before deleting the authenticator." },
    },
    footer: [
        "Needs cognito-idp:AdminGetUser and cognito-idp:AdminDeleteSoftwareToken on the pool.",
        "Exit status: 0 the authenticator is deleted (or there was none); 1 a step must come first, or nothing was confirmed; 2 usage error;",
        "128 + the signal's number when interrupted.",
    ].join("\n"),
};

/** Runs the command on this process's terminal; `outputs` is a seam for tests (the stack's outputs). */
export async function main(argv: readonly string[], outputs = readStackOutputs): Promise<number> {
    return runCommand(RECOVER_COMMAND, argv, async ({ values }) => {
        const given = values as Record<string, string | boolean | undefined>;
        if (typeof given.username !== "string") throw new UsageError("give --username <name>: the admin to recover");
        const username = given.username;
        let userPoolId = typeof given["user-pool-id"] === "string" ? given["user-pool-id"] : undefined;
        const stack = typeof given.stack === "string" ? checkStackName(given.stack) : undefined;
        let mainAdmin: boolean | undefined;
        let adminUsersIndex: number | undefined;
        if (stack) {
            if (userPoolId !== undefined) throw new UsageError("give --stack or --user-pool-id, not both");
            const stackOutputs = outputs(stack);
            userPoolId = stringOutput(stackOutputs, "userPoolId", stack);
            mainAdmin = stackOutputs.adminUsername === username;
            const file = readStackFile(path.join(ROOT, `Pulumi.${stack}.yaml`));
            const listed = JSON.parse(file.values["cognito-totp:adminUsers"] ?? "[]") as { username?: string }[];
            const index = listed.findIndex((admin) => admin.username === username);
            adminUsersIndex = index >= 0 ? index : undefined;
        }
        if (!userPoolId) throw new UsageError("give --stack, or --user-pool-id");
        const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
        if (!interactive && !given.yes) throw new UsageError("not on a terminal, no one can type the username to confirm: pass --yes to go ahead anyway");
        const signals = stopOnSignals();
        const ctrlC = new AbortController();
        const cancel = AbortSignal.any([signals.cancel, ctrlC.signal]);
        const prompter = new TerminalPrompter(process.stdin, process.stdout, cancel, () => ctrlC.abort());
        try {
            const status = await recoverAdmin(
                {
                    userPoolId,
                    username,
                    stack,
                    mainAdmin,
                    adminUsersIndex,
                    region: typeof given.region === "string" ? given.region : undefined,
                    endpointUrl: typeof given["endpoint-url"] === "string" ? given["endpoint-url"] : undefined,
                    keepPassword: given["keep-password"] === true,
                    yes: given.yes === true,
                    cancel,
                },
                prompter,
            );
            const signal = signals.stoppedBy();
            return signal ? 128 + osConstants.signals[signal] : status;
        } catch (error) {
            if (!cancel.aborted) throw error;
            process.stdout.write("\nStopped: nothing was changed.\n");
            return INTERRUPTED;
        } finally {
            prompter.close();
            signals.release();
        }
    });
}

if (require.main === module) runMain((argv) => main(argv));
