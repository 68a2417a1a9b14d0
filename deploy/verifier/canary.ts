import { AdminDeleteUserCommand, AttributeType, CognitoIdentityProviderClient, ListUsersCommand, UserType } from "@aws-sdk/client-cognito-identity-provider";
import { randomBytes, randomInt } from "crypto";
import { PasswordPolicy, checkPasswordAgainstPolicy } from "../components/cognitoRules";
import { stepCaller } from "./cognitoSignIn";

const UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ";
const LOWER = "abcdefghijkmnopqrstuvwxyz";
const DIGITS = "23456789";
/** Symbols Cognito counts, none that a shell or YAML would quote. */
const SYMBOLS = "!#%*()-_=+[]{}<>:?";

/** The prefix of canary names (the marker), and of canary usernames but for phone numbers. */
export const CANARY_PREFIX = "signin-canary-";

/**
 * The standard attribute that marks a canary in every kind of pool, phone-number and e-mail
 * usernames included: its value is the canary's name. ListUsers can filter on it (`name` is one
 * of the standard attributes its Filter takes:
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUsers.html),
 * and moto 5.2.1 does too.
 */
export const CANARY_MARKER_ATTRIBUTE = "name";

/** A canary's name, the value of its marker attribute: nothing else matches. */
export const CANARY_PATTERN = new RegExp(`^${CANARY_PREFIX}[0-9a-f]{12}$`);

/** A fresh canary name, such as `signin-canary-0123456789ab`. */
export function canaryName(): string {
    return `${CANARY_PREFIX}${randomBytes(6).toString("hex")}`;
}

/**
 * The username of the canary named `name`. In a pool that signs in by e-mail it is an address at
 * example.com (reserved, and no message is sent). In a pool that signs in by phone number only
 * it is a North American number in the 555-0100 to 555-0199 block, which is reserved for
 * fiction, under a random area code: only its marker attribute says it is a canary.
 */
export function canaryUsername(name: string, usernameAttributes: readonly string[] = []): string {
    if (usernameAttributes.includes("email")) return `${name}@example.com`;
    if (usernameAttributes.includes("phone_number")) {
        return `+1${randomInt(200, 1000)}55501${String(randomInt(0, 100)).padStart(2, "0")}`;
    }
    return name;
}

/** A user's canary name, from its marker attribute, or `undefined` when it is not a canary. */
export function canaryNameOf(user: { readonly Attributes?: readonly AttributeType[] }): string | undefined {
    const marker = user.Attributes?.find((attribute) => attribute.Name === CANARY_MARKER_ATTRIBUTE)?.Value;
    return marker !== undefined && CANARY_PATTERN.test(marker) ? marker : undefined;
}

/**
 * A run's hard deadline: a run that has not finished by then stops itself and deletes its
 * canary. A run takes a minute or two (two waits of up to 30 s for a fresh TOTP step).
 */
export const RUN_DEADLINE_MINUTES = 5;

/**
 * The youngest canary a sweep may delete: a run's deadline, plus a minute for its canary's own
 * deletion (a call with its own deadline). A younger canary may belong to a run still under
 * way, such as a concurrent one, and is never swept, whatever `--sweep-after` says.
 */
export const CANARY_MIN_SWEEP_AGE_MINUTES = RUN_DEADLINE_MINUTES + 1;

/**
 * By default, canaries created longer ago than this are deleted when a run starts: such a canary
 * was left by a run that was killed (SIGKILL, power lost) before it could clean up.
 */
export const CANARY_SWEEP_AFTER_MINUTES = 15;

/** The most users one sweep reads: 10 pages of 60. A pool never holds that many stray canaries. */
const SWEEP_MAX_PAGES = 10;

/** The users carrying a canary marker (`name ^= "signin-canary-"`), every page up to {@link SWEEP_MAX_PAGES}. */
export async function listMarkedUsers(client: CognitoIdentityProviderClient, call: ReturnType<typeof stepCaller>, userPoolId: string): Promise<UserType[]> {
    const users: UserType[] = [];
    let token: string | undefined;
    for (let page = 0; page < SWEEP_MAX_PAGES; page++) {
        const listed = await call("ListUsers (canaries)", (abortSignal) =>
            client.send(
                new ListUsersCommand({ UserPoolId: userPoolId, Filter: `${CANARY_MARKER_ATTRIBUTE} ^= "${CANARY_PREFIX}"`, Limit: 60, PaginationToken: token }),
                { abortSignal },
            ),
        );
        users.push(...(listed.Users ?? []));
        token = listed.PaginationToken;
        if (!token) break;
    }
    return users;
}

/**
 * Deletes the canaries that earlier runs left behind: users whose marker attribute matches
 * {@link CANARY_PATTERN} exactly, created more than `olderThanMinutes` ago, and never less than
 * {@link CANARY_MIN_SWEEP_AGE_MINUTES}. Never any other user. Returns the deleted canaries' names.
 */
export async function sweepStaleCanaries(
    client: CognitoIdentityProviderClient,
    call: ReturnType<typeof stepCaller>,
    userPoolId: string,
    olderThanMinutes: number,
    now = Date.now(),
): Promise<string[]> {
    const minutes = Math.max(olderThanMinutes, CANARY_MIN_SWEEP_AGE_MINUTES);
    const swept: string[] = [];
    for (const user of await listMarkedUsers(client, call, userPoolId)) {
        const name = canaryNameOf(user);
        if (!name || !user.Username || !isOlderThan(user, minutes, now)) continue;
        await call("AdminDeleteUser (stale canary)", (abortSignal) =>
            client.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: user.Username }), { abortSignal }),
        );
        swept.push(name);
    }
    return swept;
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
