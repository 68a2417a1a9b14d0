import { randomBytes, randomInt } from "crypto";
import { PasswordPolicy, checkPasswordAgainstPolicy } from "../components/cognitoRules";

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
