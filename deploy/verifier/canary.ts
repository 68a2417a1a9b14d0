import { CognitoIdentityProviderClient, AdminDeleteUserCommand, ListUsersCommand, UserType } from "@aws-sdk/client-cognito-identity-provider";
import { randomBytes, randomInt } from "crypto";
import { PasswordPolicy, checkPasswordAgainstPolicy } from "../components/cognitoRules";
import { stepCaller } from "./cognitoSignIn";

const UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ";
const LOWER = "abcdefghijkmnopqrstuvwxyz";
const DIGITS = "23456789";
/** Symbols Cognito counts, none that a shell or YAML would quote. */
const SYMBOLS = "!#%*()-_=+[]{}<>:?";

/** The prefix of canary usernames (but for phone numbers), so that a stray canary is easy to spot. */
export const CANARY_PREFIX = "signin-canary-";

/**
 * A fresh canary username. In a pool that signs in by e-mail it is an address at example.com
 * (reserved, and no message is sent). In a pool that signs in by phone number only it is a
 * North American number in the 555-0100 to 555-0199 block, which is reserved for fiction, under
 * a random area code: such a name cannot carry the prefix.
 */
export function canaryUsername(usernameAttributes: readonly string[] = []): string {
    const suffix = randomBytes(6).toString("hex");
    if (usernameAttributes.includes("email")) return `${CANARY_PREFIX}${suffix}@example.com`;
    if (usernameAttributes.includes("phone_number")) {
        return `+1${randomInt(200, 1000)}55501${String(randomInt(0, 100)).padStart(2, "0")}`;
    }
    return `${CANARY_PREFIX}${suffix}`;
}

/** A canary's username, or its e-mail address in a pool that signs in by e-mail: nothing else matches. */
export const CANARY_PATTERN = new RegExp(`^${CANARY_PREFIX}[0-9a-f]{12}(@example\\.com)?$`);

/**
 * Canaries created longer ago than this are deleted when a run starts: a run takes a minute or
 * two, so such a canary was left by a run that was killed (SIGKILL, power lost) before it could
 * clean up, never by one still under way.
 */
export const CANARY_SWEEP_AFTER_MINUTES = 15;

/** The most users one sweep reads: 10 pages of 60. A pool never holds that many stray canaries. */
const SWEEP_MAX_PAGES = 10;

/**
 * Deletes the canaries that earlier runs left behind: users whose username (or, in a pool that
 * signs in by e-mail, whose e-mail address) matches {@link CANARY_PATTERN} exactly, created more
 * than `olderThanMinutes` ago. Never any other user. Returns the deleted canaries' names.
 */
export async function sweepStaleCanaries(
    client: CognitoIdentityProviderClient,
    call: ReturnType<typeof stepCaller>,
    userPoolId: string,
    olderThanMinutes: number,
    now = Date.now(),
): Promise<string[]> {
    const found = new Map<string, string>();
    for (const attribute of ["username", "email"]) {
        let token: string | undefined;
        for (let page = 0; page < SWEEP_MAX_PAGES; page++) {
            const listed = await call("ListUsers (stale canaries)", (abortSignal) =>
                client.send(
                    new ListUsersCommand({ UserPoolId: userPoolId, Filter: `${attribute} ^= "${CANARY_PREFIX}"`, Limit: 60, PaginationToken: token }),
                    { abortSignal },
                ),
            );
            for (const user of listed.Users ?? []) {
                const name = canaryName(user);
                if (name && user.Username && isOlderThan(user, olderThanMinutes, now)) found.set(user.Username, name);
            }
            token = listed.PaginationToken;
            if (!token) break;
        }
    }
    for (const username of found.keys()) {
        await call("AdminDeleteUser (stale canary)", (abortSignal) =>
            client.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: username }), { abortSignal }),
        );
    }
    return [...found.values()];
}

/** The canary name of a user (its username or e-mail address), or `undefined` when it is not a canary. */
function canaryName(user: UserType): string | undefined {
    const email = user.Attributes?.find((a) => a.Name === "email")?.Value;
    return [user.Username, email].find((name): name is string => typeof name === "string" && CANARY_PATTERN.test(name));
}

function isOlderThan(user: UserType, minutes: number, now: number): boolean {
    const created = user.UserCreateDate ? new Date(user.UserCreateDate).getTime() : NaN;
    return Number.isFinite(created) && now - created >= minutes * 60_000;
}

/** A random password that satisfies `policy`: every class, at least 24 characters. */
export function randomPassword(policy: PasswordPolicy): string {
    const length = Math.max(policy.minimumLength, 24);
    const all = UPPER + LOWER + DIGITS + SYMBOLS;
    const characters = [UPPER, LOWER, DIGITS, SYMBOLS].map(pick);
    while (characters.length < length) characters.push(pick(all));
    for (let i = characters.length - 1; i > 0; i--) {
        const j = randomInt(0, i + 1);
        [characters[i], characters[j]] = [characters[j], characters[i]];
    }
    const password = characters.join("");
    if (checkPasswordAgainstPolicy(password, policy)) {
        throw new Error("internal error: a generated password does not satisfy the pool's policy");
    }
    return password;
}

function pick(alphabet: string): string {
    return alphabet[randomInt(0, alphabet.length)];
}
