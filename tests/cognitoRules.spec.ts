import * as assert from "assert";
import {
    COGNITO_PASSWORD_SYMBOLS,
    SEED_PASSWORD_POLICY,
    checkEmail,
    checkMfa,
    checkPasswordAgainstPolicy,
    checkPoolOrClientName,
    checkSubset,
    checkUsername,
    checkWholeNumber,
    passwordShortfalls,
    tagProblems,
} from "../deploy/components/cognitoRules";

// Pure functions: no Pulumi runtime, no mocks.
describe("Cognito's rules (pure)", () => {
    describe("pool and client names", () => {
        for (const name of ["a", "My Pool_1", "users+admins=all,.@-", "p".repeat(128)]) {
            it(`accepts ${JSON.stringify(name.slice(0, 20))}`, () => {
                assert.strictEqual(checkPoolOrClientName(name), undefined);
            });
        }
        for (const name of ["", "a/b", "p".repeat(129), "naïve", "a:b", 42, "a\u00a0b", "a\ufeffb", "a\u2028b", "a\u3000b"]) {
            it(`rejects ${JSON.stringify(name)}`, () => {
                assert.strictEqual(
                    checkPoolOrClientName(name),
                    "must be 1 to 128 characters, each a letter, digit, space or one of + = , . @ _ -",
                );
            });
        }
    });

    describe("usernames", () => {
        for (const name of ["admin", "jürgen.müller", "a+b@c", "u".repeat(128), "管理者"]) {
            it(`accepts ${JSON.stringify(name.slice(0, 20))}`, () => {
                assert.strictEqual(checkUsername(name), undefined);
            });
        }
        for (const name of ["", "site admin", "tab\tname", "u".repeat(129), "line\nbreak", "no\u00a0break", "bom\ufeff", "ls\u2028", "ideo\u3000space"]) {
            it(`rejects ${JSON.stringify(name.slice(0, 20))}`, () => {
                assert.strictEqual(checkUsername(name), "must be 1 to 128 characters with no spaces or control characters");
            });
        }
        it("needs an e-mail address when the pool signs in by e-mail", () => {
            assert.strictEqual(checkUsername("admin@example.com", ["email"]), undefined);
            assert.strictEqual(
                checkUsername("admin", ["email"]),
                'must be an e-mail address, as usernameAttributes is ["email"]',
            );
        });
        it("takes either form when the pool signs in by e-mail or phone", () => {
            assert.strictEqual(checkUsername("+15555550100", ["email", "phone_number"]), undefined);
            assert.strictEqual(
                checkUsername("admin", ["email", "phone_number"]),
                'must be an e-mail address or E.164 phone number (+15555550100), as usernameAttributes is ["email","phone_number"]',
            );
        });
    });

    describe("passwords against a policy", () => {
        it("accepts the seed policy's kind of password", () => {
            assert.deepStrictEqual(passwordShortfalls("Test-Passw0rd!", SEED_PASSWORD_POLICY), []);
        });
        it("counts every Cognito symbol as a symbol", () => {
            for (const symbol of COGNITO_PASSWORD_SYMBOLS) {
                assert.deepStrictEqual(passwordShortfalls(`Abcdef1${symbol}x`, SEED_PASSWORD_POLICY), [], symbol);
            }
        });
        it("refuses a space, tab or line break anywhere, as AWS's pattern [\\S]+ (Java) does", () => {
            for (const whitespace of [" ", "\t", "\n", "\r", "\f", "\u000b"]) {
                for (const password of [`Test-Passw0rd!${whitespace}`, `${whitespace}Test-Passw0rd!`, `Test-${whitespace}Passw0rd!`]) {
                    assert.deepStrictEqual(passwordShortfalls(password, SEED_PASSWORD_POLICY), ["no space, tab or line break"], JSON.stringify(password));
                }
            }
            assert.deepStrictEqual(passwordShortfalls("Abcdef1 x", SEED_PASSWORD_POLICY), [
                "no space, tab or line break",
                `a symbol (one of ${COGNITO_PASSWORD_SYMBOLS.split("").join(" ")})`,
            ], "an inner space is no symbol");
        });
        it("takes Unicode spaces that Java's \\S takes: a no-break space at the start is fine", () => {
            for (const space of ["\u00a0", "\ufeff", "\u2028", "\u3000"]) {
                assert.deepStrictEqual(passwordShortfalls(`${space}Test-Passw0rd!`, SEED_PASSWORD_POLICY), [], JSON.stringify(space));
            }
        });
        it("lists everything a password lacks", () => {
            assert.deepStrictEqual(passwordShortfalls(" abc", SEED_PASSWORD_POLICY), [
                "at least 8 characters",
                "no space, tab or line break",
                "an upper-case letter (A-Z)",
                "a digit (0-9)",
                `a symbol (one of ${COGNITO_PASSWORD_SYMBOLS.split("").join(" ")})`,
            ]);
        });
        it("rejects a password over 256 characters", () => {
            assert.deepStrictEqual(passwordShortfalls(`Aa1!${"a".repeat(253)}`, SEED_PASSWORD_POLICY), [
                "at most 256 characters",
            ]);
        });
        it("asks only for what the policy requires", () => {
            const lax = { ...SEED_PASSWORD_POLICY, minimumLength: 6, requireSymbols: false, requireUppercase: false };
            assert.strictEqual(checkPasswordAgainstPolicy("abcde1", lax), undefined);
            assert.strictEqual(
                checkPasswordAgainstPolicy("abcdef", lax),
                "must satisfy the password policy; it needs a digit (0-9)",
            );
        });
        it("does not count a non-Latin letter as upper or lower case", () => {
            assert.deepStrictEqual(passwordShortfalls("ÄÖÜäöü1!", SEED_PASSWORD_POLICY), [
                "an upper-case letter (A-Z)",
                "a lower-case letter (a-z)",
            ]);
        });
    });

    describe("MFA combinations", () => {
        it("accepts ON and OPTIONAL with TOTP, and OFF without", () => {
            assert.strictEqual(checkMfa("ON", true), undefined);
            assert.strictEqual(checkMfa("OPTIONAL", true), undefined);
            assert.strictEqual(checkMfa("OFF", false), undefined);
        });
        it("rejects what Cognito rejects at deploy time", () => {
            assert.strictEqual(
                checkMfa("ON", false),
                "must be true when mfaConfiguration is ON: Cognito rejects MFA ON with no second factor",
            );
            assert.strictEqual(
                checkMfa("OFF", true),
                "must be false when mfaConfiguration is OFF: Cognito rejects MFA OFF with a factor configured",
            );
        });
    });

    describe("numbers, lists, e-mail and tags", () => {
        it("takes whole numbers in range only", () => {
            assert.strictEqual(checkWholeNumber(6, 6, 99), undefined);
            assert.strictEqual(checkWholeNumber(99, 6, 99), undefined);
            assert.strictEqual(checkWholeNumber(5.5, 0, 365, "days"), "must be a whole number from 0 to 365 days");
            assert.strictEqual(checkWholeNumber("7", 0, 365), "must be a whole number from 0 to 365");
        });
        it("takes lists drawn from a set, without repeats", () => {
            const rule = "must be a list of one or more of a, b, without repeats";
            assert.strictEqual(checkSubset(["a"], ["a", "b"], true), undefined);
            assert.strictEqual(checkSubset(["a", "a"], ["a", "b"], true), rule);
            assert.strictEqual(checkSubset([], ["a", "b"], true), rule);
            assert.strictEqual(checkSubset("a", ["a", "b"], true), rule);
        });
        it("takes e-mail addresses", () => {
            assert.strictEqual(checkEmail("ops@example.com"), undefined);
            assert.strictEqual(checkEmail("ops@localhost"), "must be an e-mail address such as admin@example.com");
        });
        it("caps tags at 50", () => {
            const tags = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"]));
            assert.deepStrictEqual(tagProblems(tags), [{ path: "tags", rule: "must have at most 50 tags", value: "51 tags" }]);
        });
    });
});
