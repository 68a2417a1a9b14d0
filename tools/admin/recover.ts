/**
 * `npm run admin:recover`: the one way back for an admin who lost the authenticator app (or
 * the phone with it). Cognito has, since 26 August 2026, AdminDeleteSoftwareToken: it deletes a
 * user's TOTP factor, and a pool that requires MFA then asks the user for a new one
 * (MFA_SETUP) at the next sign-in (API reference, AdminDeleteSoftwareToken:
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminDeleteSoftwareToken.html).
 * Recovery is two steps, in this order:
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
import { AdminDeleteSoftwareTokenCommand, CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { EXIT, UsageError, runCommand, runMain, shellCommand } from "../../deploy/commandLine";
import { checkUsername } from "../../deploy/components/cognitoRules";
import { poolCommand, readStackOutputs, resolvePool } from "../../deploy/stackOutputs";
import { CognitoEndpoint, CognitoCallError, cognitoClient, isUnknownOperation, stepCaller } from "../../deploy/verifier/cognitoSignIn";
import { INTERRUPTED } from "./firstSignInFlow";
import { ReissueTarget, adminOfStack, recreateCommand, reissueCommand, stackWords, temporaryPasswordOutput } from "./reissue";
import { Prompter, runOnTerminal } from "./terminalPrompter";
import { TotpState, UserReader } from "./userState";

/** Who to recover, and where. */
export interface RecoverOptions extends CognitoEndpoint, ReissueTarget {
    /** The password is safe (a reset phone, not a stolen one): delete the authenticator without a new password. */
    readonly keepPassword?: boolean;
    /** Go ahead without asking for the username to be typed. */
    readonly yes?: boolean;
}

/** What the recovery found, and did, about the authenticator. */
type Outcome = "deleted" | "deleted if there was one" | "there was none";

/**
 * Runs the recovery and returns the exit status: 0 when the authenticator was deleted (or there
 * was none), 1 when a step must come first, the admin declined, or the endpoint lacks
 * AdminDeleteSoftwareToken; {@link INTERRUPTED} when `options.cancel` aborts. Read-only until
 * the typed confirmation; then one call, AdminDeleteSoftwareToken, made whenever a software token
 * may exist: not decided from AdminGetUser's MFA lists, which do not always show an enrolled token.
 */
export async function recoverAdmin(
    options: RecoverOptions,
    prompter: Prompter,
    today: string = new Date().toISOString().slice(0, 10),
    client: CognitoIdentityProviderClient = cognitoClient(options),
): Promise<number> {
    const call = stepCaller(options);
    const { username } = options;
    const stack = stackWords(options.stack);
    let deleting = false;
    try {
        const reader = new UserReader(client, call, options.userPoolId);
        const user = await reader.user(username);
        if (!user) {
            prompter.say(
                `✘ There is no user ${username} in user pool ${options.userPoolId}. If Pulumi still declares it: ` +
                    `${shellCommand(["pulumi", "refresh", ...stack])} && ${shellCommand(["pulumi", "up", ...stack])}`,
            );
            return EXIT.failed;
        }
        const totp = await reader.totp(user);
        const reissued = user.UserStatus === "FORCE_CHANGE_PASSWORD";
        prompter.say(`Recovering admin ${username} of user pool ${options.userPoolId} (status ${user.UserStatus}, ${authenticatorWords(totp)}).`);
        prompter.say("A lost authenticator app takes two steps, in this order:");
        prompter.say(`  1. A new temporary password, through Pulumi, so that the old password stops working${reissued ? ": done (FORCE_CHANGE_PASSWORD)." : options.keepPassword ? ": skipped (--keep-password)." : ":"}`);
        if (!reissued && !options.keepPassword) {
            prompter.say(`       ${reissueCommand(options, `${today} recovery`)}`);
            prompter.say(`     in a pull request: ${shellCommand(["npm", "run", "plan", "--", ...stack, "--diff"])} shows ${username}'s generated temporary password replaced`);
            prompter.say("     and the user updated in place, nothing else. Merge it, and let `pulumi up` deploy it. (A password of your own:");
            prompter.say("     set a new temporaryPassword secret instead.)");
        }
        prompter.say(`  2. Delete ${username}'s authenticator (AdminDeleteSoftwareToken): at the next sign-in Cognito asks for a new one.`);
        if (!reissued && !options.keepPassword) {
            prompter.say(
                `✘ Do step 1 first, then run this again: ${shellCommand(["npm", "run", "admin:status", "--", ...stack])} shows ${username} as FORCE_CHANGE_PASSWORD once it is deployed.`,
            );
            prompter.say("  (If the password is safe, such as after a phone reset, --keep-password goes straight to step 2.)");
            return EXIT.failed;
        }
        let outcome: Outcome;
        if (totp.source === "AdminGetUserAuthFactors" && !totp.enrolled) {
            outcome = "there was none";
        } else {
            if (!options.yes) {
                const typed = await prompter.text(`Type the username (${username}) to delete its authenticator now: `);
                if (typed.trim() !== username) {
                    prompter.say(`✘ That is not ${username}: nothing was changed.`);
                    return EXIT.failed;
                }
            }
            deleting = true;
            try {
                await call("AdminDeleteSoftwareToken", (abortSignal) =>
                    client.send(new AdminDeleteSoftwareTokenCommand({ UserPoolId: options.userPoolId, Username: username }), { abortSignal }),
                );
                outcome = totp.enrolled ? "deleted" : "deleted if there was one";
            } catch (error) {
                if (!isUnknownOperation(error)) throw error;
                recreateFallback(options, prompter, error as CognitoCallError, today);
                return EXIT.failed;
            }
            deleting = false;
        }
        prompter.say(outcomeLine(username, outcome));
        prompter.say(`Next, ${username} signs in and enrols a new authenticator app:`);
        prompter.say(`  ${shellCommand(["npm", "run", "admin:first-sign-in", "--", ...stack, "--username", username])}`);
        prompter.say(
            options.keepPassword && !reissued
                ? "  with the password it has."
                : `  with the new temporary password (a generated one: pulumi stack output ${temporaryPasswordOutput(options)} --show-secrets ${shellCommand(stack)}).`,
        );
        return EXIT.ok;
    } catch (error) {
        if (!options.cancel?.aborted) throw error;
        prompter.say(
            deleting
                ? "Stopped while AdminDeleteSoftwareToken was on its way: the authenticator may or may not be deleted. Run this command again to find out."
                : "Stopped: nothing was changed.",
        );
        return INTERRUPTED;
    }
}

/** The authenticator as the first line tells it, with the source where that is not authoritative. */
function authenticatorWords(totp: TotpState): string {
    if (totp.source === "AdminGetUserAuthFactors") return totp.enrolled ? "authenticator enrolled" : "no authenticator";
    return `authenticator ${totp.enrolled ? "enrolled" : "not listed"} by AdminGetUser; this endpoint lacks AdminGetUserAuthFactors, so one may exist either way`;
}

/** What was done about the authenticator, in one line. */
function outcomeLine(username: string, outcome: Outcome): string {
    switch (outcome) {
        case "deleted":
            return `✔ Deleted ${username}'s authenticator (AdminDeleteSoftwareToken).`;
        case "deleted if there was one":
            return `✔ AdminDeleteSoftwareToken done: ${username} has no authenticator now (whether there was one, this endpoint could not say).`;
        case "there was none":
            return `✔ ${username} has no authenticator (AdminGetUserAuthFactors lists no SOFTWARE_TOKEN): nothing to delete.`;
    }
}

/** Where the endpoint lacks AdminDeleteSoftwareToken: nothing changed, and the way back there is to recreate the user. */
function recreateFallback(options: RecoverOptions, prompter: Prompter, error: CognitoCallError, today: string): void {
    const { username } = options;
    prompter.say(
        `✘ The endpoint does not know AdminDeleteSoftwareToken (${error.reason.split("\n")[0]}): Cognito added it on 26 August 2026, and some ` +
            "regions, partitions and emulators lack it. Nothing was changed.",
    );
    prompter.say(`  The way back there: Pulumi deletes ${username}'s user and creates it afresh, with a new temporary password, its groups, and no authenticator:`);
    prompter.say(`       ${recreateCommand(options, `${today} recovery`)}`);
    prompter.say(`     in a pull request: ${shellCommand(["npm", "run", "plan", "--", ...stackWords(options.stack), "--diff"])} shows ${username}'s user and group memberships replaced`);
    prompter.say("     (a new sub), and asks for the replacement to be accepted in plans/accepted-changes.yaml. Not where users are protected or retained.");
}

export const RECOVER_COMMAND = poolCommand("admin", { stack: "--username <name>", ids: "--username <name>", both: "[--keep-password] [--yes]" }, {
    name: "npm run admin:recover --",
    summary: "Gets an admin who lost the authenticator app back in: a new temporary password through Pulumi, then AdminDeleteSoftwareToken.",
    options: {
        username: { type: "string", value: "<name>", description: "The admin's username. Required." },
        "keep-password": { type: "boolean", description: "The password is safe (a reset phone, not a stolen one): skip the new temporary password." },
        yes: { type: "boolean", short: "y", description: "Do not ask for the username to be typed before deleting the authenticator." },
    },
    footer: [
        "With --stack, the commands it prints name the admin's own config key (adminPasswordReissue, or adminUsers[i].passwordReissue);",
        "with --user-pool-id, it cannot tell which, and prints both.",
        "Needs cognito-idp:AdminGetUser, AdminGetUserAuthFactors and AdminDeleteSoftwareToken on the pool.",
        "Exit status: 0 the authenticator is deleted (or there was none); 1 a step must come first, nothing was confirmed, the user is missing,",
        "or the endpoint lacks AdminDeleteSoftwareToken (the way back there is printed); 2 usage error;",
        "128 + the signal's number when interrupted (130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP).",
    ].join("\n"),
});

/**
 * Runs the command on this process's terminal.
 * @param outputs Reads a stack's outputs (a seam for tests). Default: the Pulumi CLI.
 * @param stackFile The stack file of a stack (a seam for tests). Default: `Pulumi.<stack>.yaml` in the project's root.
 */
export async function main(argv: readonly string[], outputs = readStackOutputs, stackFile?: (stack: string) => string): Promise<number> {
    return runCommand(RECOVER_COMMAND, argv, async ({ values }) => {
        if (typeof values.username !== "string") throw new UsageError("give --username <name>: the admin to recover");
        const username = values.username;
        const rule = checkUsername(username);
        if (rule) throw new UsageError(`--username ${rule} (got ${JSON.stringify(username)})`);
        const pool = resolvePool(values, "admin", outputs);
        const admin: ReissueTarget = pool.stack === undefined ? { username } : adminOfStack(pool.stack, username, pool.outputs ?? {}, stackFile?.(pool.stack));
        const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
        if (!interactive && !values.yes) throw new UsageError("not on a terminal, no one can type the username to confirm: pass --yes to go ahead anyway");
        return runOnTerminal((prompter, cancel) =>
            recoverAdmin(
                {
                    ...admin,
                    userPoolId: pool.userPoolId,
                    region: pool.region,
                    endpointUrl: pool.endpointUrl,
                    keepPassword: values["keep-password"] === true,
                    yes: values.yes === true,
                    cancel,
                },
                prompter,
            ),
        );
    });
}

if (require.main === module) runMain((argv) => main(argv));
