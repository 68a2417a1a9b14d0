import { randomBytes, randomInt } from "crypto";
import { PasswordPolicy, checkPasswordAgainstPolicy } from "../components/cognitoRules";

const UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ";
const LOWER = "abcdefghijkmnopqrstuvwxyz";
const DIGITS = "23456789";
/** Symbols Cognito counts, none that a shell or YAML would quote. */
const SYMBOLS = "!#%*()-_=+[]{}<>:?";

/** The prefix of every canary username: the verifier deletes only the user it created. */
export const CANARY_PREFIX = "signin-canary-";

/**
 * A fresh canary username. In a pool that signs in by e-mail it is an address at example.com
 * (reserved, and no message is sent); by phone only, a number in the fictional 555-01xx range.
 */
export function canaryUsername(usernameAttributes: readonly string[] = []): string {
    const suffix = randomBytes(6).toString("hex");
    if (usernameAttributes.includes("email")) return `${CANARY_PREFIX}${suffix}@example.com`;
    if (usernameAttributes.includes("phone_number")) return `+1555010${String(randomInt(0, 10_000)).padStart(4, "0")}`;
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
