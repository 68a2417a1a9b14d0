/**
 * An admin user's state as the admin tools read it: AdminGetUser for the user, and whether a
 * TOTP authenticator (software token) is enrolled, from AdminGetUserAuthFactors where the
 * endpoint has it. AdminGetUser's UserMFASettingList and PreferredMfaSetting do not always
 * reflect an enrolled token (amplify-js #1226, #11258), so they are the fallback only, and say so.
 *
 * AdminGetUserAuthFactors (in @aws-sdk/client-cognito-identity-provider 3.1169) answers
 * `ConfiguredUserAuthFactors`, which lists `SOFTWARE_TOKEN` for a registered TOTP factor
 * ("SOFTWARE_TOKEN can only be used as an MFA factor", the SDK's AdminGetUserAuthFactorsResponse),
 * and `UserMFASettingList`. See the API reference:
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminGetUserAuthFactors.html
 */
import {
    AdminGetUserAuthFactorsCommand,
    AdminGetUserCommand,
    AdminGetUserCommandOutput,
    CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { CognitoCallError, isUnknownOperation, stepCaller } from "../../deploy/verifier/cognitoSignIn";

/** Where the answer "TOTP enrolled" came from. */
export type TotpSource = "AdminGetUserAuthFactors" | "AdminGetUser";

/** Whether a user has a TOTP authenticator, and who said so. */
export interface TotpState {
    readonly enrolled: boolean;
    /** AdminGetUserAuthFactors (authoritative), or AdminGetUser where the endpoint lacks it (may miss an enrolled token). */
    readonly source: TotpSource;
}

/** Reads users of one pool; remembers whether the endpoint has AdminGetUserAuthFactors. */
export class UserReader {
    /** Whether AdminGetUserAuthFactors answered; `false` once the endpoint said it lacks it. */
    private authFactors = true;

    constructor(
        private readonly client: CognitoIdentityProviderClient,
        private readonly call: ReturnType<typeof stepCaller>,
        private readonly userPoolId: string,
    ) {}

    /** AdminGetUser, or `undefined` when there is no such user. */
    async user(username: string): Promise<AdminGetUserCommandOutput | undefined> {
        try {
            return await this.call(`AdminGetUser ${username}`, (abortSignal) =>
                this.client.send(new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: username }), { abortSignal }),
            );
        } catch (error) {
            if ((error as CognitoCallError).errorName === "UserNotFoundException") return undefined;
            throw error;
        }
    }

    /** Whether `user` has a TOTP authenticator: AdminGetUserAuthFactors where the endpoint has it, else AdminGetUser's lists. */
    async totp(user: AdminGetUserCommandOutput): Promise<TotpState> {
        const username = user.Username as string;
        if (this.authFactors) {
            try {
                const factors = await this.call(`AdminGetUserAuthFactors ${username}`, (abortSignal) =>
                    this.client.send(new AdminGetUserAuthFactorsCommand({ UserPoolId: this.userPoolId, Username: username }), { abortSignal }),
                );
                const enrolled =
                    (factors.ConfiguredUserAuthFactors ?? []).includes("SOFTWARE_TOKEN") || (factors.UserMFASettingList ?? []).includes("SOFTWARE_TOKEN_MFA");
                return { enrolled, source: "AdminGetUserAuthFactors" };
            } catch (error) {
                if (!isUnknownOperation(error)) throw error;
                this.authFactors = false;
            }
        }
        const enrolled = (user.UserMFASettingList ?? []).includes("SOFTWARE_TOKEN_MFA") || user.PreferredMfaSetting === "SOFTWARE_TOKEN_MFA";
        return { enrolled, source: "AdminGetUser" };
    }
}
