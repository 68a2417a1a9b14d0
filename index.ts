import { TotpUserPool } from "./deploy/components/totpUserPool";
import { declareSignInCheck } from "./deploy/stack/signInCheck";
import { readStackConfig } from "./deploy/stack/stackConfig";

const settings = readStackConfig();
const cognito = new TotpUserPool("cognito", settings.userPool);
if (settings.signInCheck) {
    declareSignInCheck(cognito, settings.signInCheck);
}

/** The user pool's id. */
export const userPoolId = cognito.userPoolId;
/** The user pool's ARN. */
export const userPoolArn = cognito.userPoolArn;
/** The user pool's endpoint (`cognito-idp.<region>.amazonaws.com/<id>`). */
export const userPoolEndpoint = cognito.userPoolEndpoint;
/** The app client's id. */
export const userPoolClientId = cognito.userPoolClientId;
/** The admin user's username. */
export const adminUsername = cognito.adminUsername;
/** Every admin user's username, for `npm run admin:status`. */
export const adminUsernames = cognito.adminUsernames;
/** The generated temporary password, a secret; absent when `adminTemporaryPassword` is set. */
export const adminTemporaryPassword = cognito.generatedAdminTemporaryPassword;
/** Every generated temporary password by username, a secret; only when `adminUsers` is set. */
export const adminTemporaryPasswords = settings.userPool.adminUsers?.length ? cognito.generatedAdminTemporaryPasswords : undefined;
