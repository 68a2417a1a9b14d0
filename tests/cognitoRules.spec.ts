import * as assert from "assert";
import {
    COGNITO_PASSWORD_SYMBOLS,
    SEED_PASSWORD_POLICY,
    checkAccountRecovery,
    checkClientId,
    checkEmail,
    checkMfa,
    checkOneOf,
    checkPasswordAgainstPolicy,
    checkPoolOrClientName,
    checkSubset,
    checkUserPoolId,
    checkUsername,
    checkWholeNumber,
    checkGroupDescription,
    checkGroupName,
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
        it("refuses a username that is not text, even one whose text form would pass", () => {
            for (const name of [7, ["admin"], undefined]) {
                assert.strictEqual(checkUsername(name), "must be 1 to 128 characters with no spaces or control characters", JSON.stringify(name));
            }
        });
        it("refuses a username that looks like an alias, and only a whole one", () => {
            assert.strictEqual(checkUsername("ops@example.com", [], ["email"]), "must not be an e-mail address, as aliasAttributes includes email (Cognito rejects it)");
            assert.strictEqual(checkUsername("+15555550100", [], ["phone_number"]), "must not be a phone number, as aliasAttributes includes phone_number (Cognito rejects it)");
            for (const name of ["x+15555550100", "+15555550100x", "+123", "ops@example.com", "x@y"]) {
                assert.strictEqual(checkUsername(name, [], ["phone_number"]), undefined, name);
            }
            assert.strictEqual(checkUsername("+15555550100", [], ["email", "preferred_username"]), undefined);
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
        it("takes a password of exactly 256 characters", () => {
            assert.deepStrictEqual(passwordShortfalls(`Aa1!${"a".repeat(252)}`, SEED_PASSWORD_POLICY), []);
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

    describe("groups", () => {
        it("takes a group name as a username, and says so", () => {
            assert.strictEqual(checkGroupName("admins"), undefined);
            for (const name of ["", "site admins", "g".repeat(129), 7]) {
                assert.strictEqual(checkGroupName(name), "must be 1 to 128 characters with no spaces", JSON.stringify(name));
            }
        });
        it("takes a description of up to 2048 characters", () => {
            assert.strictEqual(checkGroupDescription("d".repeat(2048)), undefined);
            assert.strictEqual(checkGroupDescription("d".repeat(2049)), "must be text of up to 2048 characters");
            assert.strictEqual(checkGroupDescription(["d"]), "must be text of up to 2048 characters");
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
            assert.strictEqual(checkWholeNumber(5, 6, 99), "must be a whole number from 6 to 99");
            assert.strictEqual(checkWholeNumber(100, 6, 99), "must be a whole number from 6 to 99");
            assert.strictEqual(checkWholeNumber(5.5, 0, 365, "days"), "must be a whole number from 0 to 365 days");
            assert.strictEqual(checkWholeNumber("7", 0, 365), "must be a whole number from 0 to 365");
        });
        it("takes one of a set, and nothing else", () => {
            assert.strictEqual(checkOneOf("ON", ["ON", "OFF"]), undefined);
            for (const value of ["on", "", 1, undefined, ["ON"]]) {
                assert.strictEqual(checkOneOf(value, ["ON", "OFF"]), "must be one of ON, OFF", JSON.stringify(value));
            }
        });
        it("takes lists drawn from a set, without repeats", () => {
            const rule = "must be a list of one or more of a, b, without repeats";
            assert.strictEqual(checkSubset(["a"], ["a", "b"]), undefined);
            assert.strictEqual(checkSubset(["b", "a"], ["a", "b"]), undefined);
            for (const value of [["a", "a"], [], "a", ["a", "c"], ["c", "a"], [1], null]) {
                assert.strictEqual(checkSubset(value, ["a", "b"]), rule, JSON.stringify(value));
            }
        });
        it("takes account recovery as one or two mechanisms in order, or admin_only alone", () => {
            const rule =
                "must be a list of one or two of verified_email, verified_phone_number, admin_only, in priority order, without repeats, and admin_only only on its own";
            for (const value of [["admin_only"], ["verified_email"], ["verified_phone_number", "verified_email"]]) {
                assert.strictEqual(checkAccountRecovery(value), undefined, JSON.stringify(value));
            }
            const refused = [[], "admin_only", ["sms"], ["verified_email", "verified_email"], ["admin_only", "verified_email"], ["verified_email", "verified_phone_number", "admin_only"]];
            for (const value of refused) {
                assert.strictEqual(checkAccountRecovery(value), rule, JSON.stringify(value));
            }
        });
        it("takes e-mail addresses of up to 2048 characters, with nothing before or after", () => {
            const rule = "must be an e-mail address such as admin@example.com";
            const longest = `${"a".repeat(2048 - "@example.com".length)}@example.com`;
            assert.strictEqual(checkEmail("ops@example.com"), undefined);
            assert.strictEqual(checkEmail(longest), undefined);
            for (const value of [`a${longest}`, "ops@localhost", "x y@example.com", "ops@example.com x", ["ops@example.com"], undefined]) {
                assert.strictEqual(checkEmail(value), rule, String(JSON.stringify(value)).slice(0, 40));
            }
        });
        it("caps tags at 50", () => {
            const tags = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, "v"]));
            assert.deepStrictEqual(tagProblems(tags(50)), []);
            assert.deepStrictEqual(tagProblems(tags(51)), [{ path: "tags", rule: "must have at most 50 tags", value: "51 tags" }]);
            assert.deepStrictEqual(tagProblems(tags(51), "pool.tags"), [{ path: "pool.tags", rule: "must have at most 50 tags", value: "51 tags" }]);
        });
        it("takes tag keys of 1 to 128 letters, digits, spaces and _ . : / = + - @, not starting with aws:", () => {
            const rule = "must have keys of 1 to 128 letters, digits, spaces or _ . : / = + - @, not starting with aws:";
            assert.deepStrictEqual(tagProblems({ [`k${"e".repeat(127)}`]: "v", "a b_c.d:e/f=g+h-i@j": "v", Ünïcødé: "v", k: "v" }), []);
            for (const key of ["", "k".repeat(129), "team!", "!team", "AWS:team", "a\tb"]) {
                assert.deepStrictEqual(tagProblems({ [key]: "v" }), [{ path: "tags", rule, value: key }], JSON.stringify(key));
            }
        });
        it("takes tag values of up to 256 of the same characters", () => {
            const rule = "must be a string of up to 256 letters, digits, spaces or _ . : / = + - @";
            assert.deepStrictEqual(tagProblems({ team: "v".repeat(256), empty: "" }), []);
            for (const value of ["v".repeat(257), "ok!", "!ok", 7, null]) {
                assert.deepStrictEqual(tagProblems({ team: value }), [{ path: "tags.team", rule, value }], JSON.stringify(value));
            }
        });
    });

    describe("ids", () => {
        const POOL_RULE = "must be a user pool id: its region, an underscore, then letters and digits, such as us-east-1_AbCdEf123";
        it("takes user pool ids of every region's form, up to 55 characters", () => {
            for (const id of ["us-east-1_Abc123", "us-gov-west-1_Abc123", "ap-southeast-2_x", `eu-west-1_${"a".repeat(45)}`]) {
                assert.strictEqual(checkUserPoolId(id), undefined, id);
            }
        });
        it("refuses anything else, such as trailing or leading junk, or 56 characters", () => {
            for (const id of [`eu-west-1_${"a".repeat(46)}`, "us-east-1_Abc/x", "xus-east-1_Abc", " us-east-1_Abc", "us-east-1", "us-east-1_", "useast1_Abc", ["us-east-1_Abc"], 7]) {
                assert.strictEqual(checkUserPoolId(id), POOL_RULE, JSON.stringify(id));
            }
        });
        it("takes app client ids of 1 to 128 letters, digits, _ and +", () => {
            const rule = "must be an app client id: 1 to 128 letters and digits, such as 1example23456789abcdefghijk";
            assert.strictEqual(checkClientId("1example23456789abcdefghij"), undefined);
            assert.strictEqual(checkClientId("a_b+c".padEnd(128, "x")), undefined);
            for (const id of ["", "x".repeat(129), "a-b", ["abc"], 7]) {
                assert.strictEqual(checkClientId(id), rule, JSON.stringify(id));
            }
        });
    });
});
