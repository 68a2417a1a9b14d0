import * as assert from "assert";
import { SEED_PASSWORD_POLICY, checkPasswordAgainstPolicy } from "../deploy/components/cognitoRules";
import { CANARY_MARKER_ATTRIBUTE, CANARY_PREFIX, canaryName, canaryNameOf, canaryUsername, randomPassword } from "../deploy/verifier/canary";
import { VERIFY_COMMAND, optionsFromArgs } from "../deploy/verifier/cli";
import { ParsedCommandLine, parseCommandLine } from "../deploy/commandLine";
import { signInThroughChallenges } from "../deploy/verifier/challenges";
import { ChallengeOrTokens, CognitoCallError, CognitoSignIn, withoutSentSecrets } from "../deploy/verifier/cognitoSignIn";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { canSetUpTotp, passwordPolicyOf } from "../deploy/verifier/signIn";
import { STEP_GUARD_MS, TOTP_PERIOD_MS, stepOf, totpCode, waitBeforeCode } from "../deploy/verifier/totp";

// Pure parts of the verifier: no emulator, no mocks.
describe("sign-in verifier (pure)", () => {
    describe("TOTP", () => {
        it("makes RFC 6238's SHA-1 test vector (last 6 digits) at 59 s", () => {
            // RFC 6238 appendix B: secret "12345678901234567890", T = 59 s, code 94287082.
            assert.strictEqual(totpCode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", 59_000), "287082");
        });
        it("accepts the lower-case, unpadded secrets Cognito and moto send", () => {
            assert.strictEqual(totpCode("gezdgnbvgy3tqojqgezdgnbvgy3tqojq", 59_000), "287082");
        });
        it("waits out the last seconds of a step", () => {
            const stepStart = 1000 * TOTP_PERIOD_MS;
            assert.strictEqual(waitBeforeCode(stepStart + 1_000, undefined), 0);
            assert.strictEqual(waitBeforeCode(stepStart + TOTP_PERIOD_MS - STEP_GUARD_MS, undefined), STEP_GUARD_MS);
            assert.strictEqual(waitBeforeCode(stepStart + TOTP_PERIOD_MS - 1_000, undefined), 1_000);
        });
        it("waits for the step after a used code's, as Cognito takes each code once", () => {
            const stepStart = 1000 * TOTP_PERIOD_MS;
            assert.strictEqual(waitBeforeCode(stepStart + 5_000, stepOf(stepStart)), TOTP_PERIOD_MS - 5_000);
            assert.strictEqual(waitBeforeCode(stepStart + TOTP_PERIOD_MS + 1_000, stepOf(stepStart)), 0);
        });
    });

    describe("canary users", () => {
        it("names the canary so that it cannot be mistaken for a real user", () => {
            assert.match(canaryName(), new RegExp(`^${CANARY_PREFIX}[0-9a-f]{12}$`));
            assert.notStrictEqual(canaryName(), canaryName());
        });
        it("uses the name as the username, an example.com address in a pool that signs in by e-mail, a fictional number by phone", () => {
            const name = "signin-canary-0123456789ab";
            assert.deepStrictEqual(
                [canaryUsername(name), canaryUsername(name, ["email"]), /^\+1[2-9]\d{2}55501\d{2}$/.test(canaryUsername(name, ["phone_number"]))],
                [name, `${name}@example.com`, true],
            );
        });
        it("recognises a canary by its marker attribute alone, exactly", () => {
            const marked = (value: string) => ({ Attributes: [{ Name: "email", Value: "x@example.com" }, { Name: CANARY_MARKER_ATTRIBUTE, Value: value }] });
            assert.deepStrictEqual(
                [marked("signin-canary-0123456789ab"), marked("signin-canary-0123456789ab-x"), marked("signin-canary-notours"), { Attributes: [] }, {}].map(canaryNameOf),
                ["signin-canary-0123456789ab", undefined, undefined, undefined, undefined],
            );
        });
        it("makes passwords that satisfy the pool's policy", () => {
            for (const minimumLength of [6, 8, 24, 40, 99]) {
                const policy = { ...SEED_PASSWORD_POLICY, minimumLength };
                const password = randomPassword(policy);
                assert.strictEqual(password.length, Math.max(minimumLength, 24));
                assert.strictEqual(checkPasswordAgainstPolicy(password, policy), undefined);
            }
        });
    });

    describe("Cognito's answers", () => {
        it("reads MFAS_CAN_SETUP as Cognito sends it (JSON text) and as moto does (a list)", () => {
            assert.strictEqual(canSetUpTotp('["SMS_MFA","SOFTWARE_TOKEN_MFA"]'), true);
            assert.strictEqual(canSetUpTotp(["SOFTWARE_TOKEN_MFA"]), true);
            assert.strictEqual(canSetUpTotp('["SMS_MFA"]'), false);
            assert.strictEqual(canSetUpTotp(undefined), false);
        });
        it("reads a pool's password policy", () => {
            assert.deepStrictEqual(
                passwordPolicyOf({ MinimumLength: 12, RequireSymbols: false, TemporaryPasswordValidityDays: 3 }),
                { ...SEED_PASSWORD_POLICY, minimumLength: 12, requireSymbols: false, temporaryPasswordValidityDays: 3 },
            );
        });
    });

    describe("a failed call's message", () => {
        it("shows none of the values a request sent, but its names and ids, the longest replaced first", () => {
            const sent = {
                ClientId: "client-1",
                ChallengeName: "SOFTWARE_TOKEN_MFA",
                Session: "session-abc",
                ChallengeResponses: { USERNAME: "ops", SOFTWARE_TOKEN_MFA_CODE: "123456", SECRET_HASH: "hash=" },
                Tokens: ["session-abc-2"],
                Empty: "",
                Count: 3,
            };
            assert.strictEqual(
                withoutSentSecrets("bad session session-abc-2 and session-abc for ops (client-1, code 123456, hash hash=, SOFTWARE_TOKEN_MFA)", sent),
                "bad session [secret] and [secret] for ops (client-1, code [secret], hash [secret], SOFTWARE_TOKEN_MFA)",
            );
            assert.strictEqual(withoutSentSecrets("no request", undefined), "no request");
        });

        it("replaces in one pass: a short secret never takes a replacement apart, and a secret's regular-expression characters are its own", () => {
            assert.strictEqual(withoutSentSecrets("x s y, e", { AccessToken: "x s", Session: "e" }), "[secret] y, [secret]");
            assert.strictEqual(withoutSentSecrets("got a+b (not aab)", { UserCode: "a+b" }), "got [secret] (not aab)");
            assert.strictEqual(
                withoutSentSecrets("User canary-1@example.com, canary-1, P4ss!", { Username: "canary-1@example.com", TemporaryPassword: "P4ss!", UserAttributes: [{ Name: "custom:canary", Value: "canary-1" }] }),
                "User canary-1@example.com, canary-1, [secret]",
            );
        });

        it("keeps what an endpoint quotes of the request out of every sign-in step's failure (moto quotes sessions and tokens)", async () => {
            const quoted: string[] = [];
            // An endpoint that answers every call with an error quoting the whole request, as moto quotes a session it does not
            // know; but InitiateAuth, given `srpFirst`, which it answers with a PASSWORD_VERIFIER challenge, so that its answer is sent.
            let srpFirst = false;
            const client = {
                send: async (command: { input: object; constructor: { name: string } }) => {
                    if (srpFirst && command.constructor.name === "InitiateAuthCommand") {
                        const parameters = { SALT: "a1b2c3", SRP_B: "ab".repeat(192), SECRET_BLOCK: "c2VjcmV0LWJsb2Nr", USER_ID_FOR_SRP: "ops", USERNAME: "ops" };
                        return { ChallengeName: "PASSWORD_VERIFIER", Session: "session-srp", ChallengeParameters: parameters };
                    }
                    const message = `unknown ${JSON.stringify(command.input)}`;
                    quoted.push(message);
                    throw Object.assign(new Error(message), { name: "ResourceNotFoundException" });
                },
            } as unknown as CognitoIdentityProviderClient;
            const signIn = new CognitoSignIn(client, { userPoolId: "us-east-1_pool", endpointUrl: "http://127.0.0.1:1" }, "client-1", "client-secret");
            const challenge = { ChallengeName: "NEW_PASSWORD_REQUIRED", Session: "session-1", ChallengeParameters: { USERNAME: "ops" } };
            const failures: string[] = [];
            for (const step of [
                () => signIn.srp("srp", "ops", "Passw0rd!"),
                () => ((srpFirst = true), signIn.srp("verifier", "ops", "Passw0rd!")),
                () => signIn.newPassword("new", challenge, "ops", "New-Passw0rd!"),
                () => signIn.associateSoftwareToken("associate", challenge),
                () => signIn.verifySoftwareToken("verify", "session-2", "654321", "laptop"),
                () => signIn.softwareTokenMfa("mfa", challenge, "ops", "654321"),
                () => signIn.setTotpPreferred("preferred", "access-token-1"),
            ]) {
                await step().then(
                    () => assert.fail("the call passed"),
                    (error: CognitoCallError) => failures.push(error.message),
                );
            }
            // What the endpoint quoted held each secret (and SRP's values, read from it); what the failures say holds none of them.
            const values = (field: string) => quoted.flatMap((message) => [...message.matchAll(new RegExp(`"${field}":"([^"]+)"`, "g"))].map((match) => match[1]));
            const secrets = ["session-srp", "session-1", "session-2", "New-Passw0rd!", "654321", "access-token-1", ...["SRP_A", "SECRET_HASH", "PASSWORD_CLAIM_SIGNATURE", "PASSWORD_CLAIM_SECRET_BLOCK"].flatMap(values)];
            assert.deepStrictEqual(secrets.filter((secret) => !quoted.join(" ").includes(secret)), []);
            assert.deepStrictEqual(values("PASSWORD_CLAIM_SIGNATURE").length, 1, "the verifier's answer was sent");
            assert.deepStrictEqual(failures.filter((failure) => secrets.some((secret) => failure.includes(secret))), []);
            assert.deepStrictEqual(
                failures.map((failure) => failure.split(":")[0]),
                ["srp failed", "verifier failed", "new failed", "associate failed", "verify failed", "mfa failed", "preferred failed"],
            );
            assert.match(failures[0], /"AuthParameters":\{"USERNAME":"ops","CHALLENGE_NAME":"SRP_A","SECRET_HASH":"\[secret\]","SRP_A":"\[secret\]"\}/);
            assert.match(failures[5], /"ClientId":"client-1","ChallengeName":"SOFTWARE_TOKEN_MFA","Session":"\[secret\]","ChallengeResponses":\{"USERNAME":"ops","SOFTWARE_TOKEN_MFA_CODE":"\[secret\]","SECRET_HASH":"\[secret\]"\}/);
        });
    });

    describe("the challenge driver", () => {
        /** A stand-in for Cognito's sign-in calls: SRP answers `first`; SOFTWARE_TOKEN_MFA takes only code 123456. */
        function cognito(first: ChallengeOrTokens, calls: string[]): CognitoSignIn {
            const tokens = { AuthenticationResult: { AccessToken: "a", IdToken: "i", RefreshToken: "r" } };
            return {
                srp: async (step: string) => (calls.push(step), first),
                softwareTokenMfa: async (step: string, _challenge: ChallengeOrTokens, name: string, code: string) => {
                    calls.push(`${step} ${name} ${code}`);
                    if (code !== "123456") throw new CognitoCallError(step, "CodeMismatchException: Invalid code", "CodeMismatchException");
                    return tokens;
                },
            } as unknown as CognitoSignIn;
        }
        const noted = (calls: string[]) => ({ deviceName: "test", answered: (response: ChallengeOrTokens, step: string) => void calls.push(`answered ${step}: ${response.ChallengeName ?? "tokens"}`) });

        it("fails a challenge this sign-in does not answer, naming the step that led to it", async () => {
            const calls: string[] = [];
            await assert.rejects(signInThroughChallenges(cognito({ ChallengeName: "SMS_MFA" }, calls), "ops", "pw", { ...noted(calls), stepPrefix: "x: ", code: async () => "123456" }), {
                name: "CognitoCallError",
                message: "x: USER_SRP_AUTH failed: Cognito answered with the SMS_MFA challenge, which this sign-in does not answer",
            });
            assert.deepStrictEqual(calls, ["x: USER_SRP_AUTH", "answered x: USER_SRP_AUTH: SMS_MFA"]);
        });

        it("asks for another code while codeRejected lets it, answering as Cognito's name for the user", async () => {
            const calls: string[] = [];
            const codes = ["000000", "111111", "123456"];
            const tokens = await signInThroughChallenges(cognito({ ChallengeName: "SOFTWARE_TOKEN_MFA", ChallengeParameters: { USERNAME: "sub-1" } }, calls), "ops", "pw", {
                ...noted(calls),
                code: async () => codes.shift() as string,
                codeRejected: (tries) => void calls.push(`rejected ${tries}`),
            });
            assert.strictEqual(tokens.AccessToken, "a");
            assert.deepStrictEqual(calls, [
                "USER_SRP_AUTH",
                "answered USER_SRP_AUTH: SOFTWARE_TOKEN_MFA",
                "SOFTWARE_TOKEN_MFA sub-1 000000",
                "rejected 1",
                "SOFTWARE_TOKEN_MFA sub-1 111111",
                "rejected 2",
                "SOFTWARE_TOKEN_MFA sub-1 123456",
                "answered SOFTWARE_TOKEN_MFA: tokens",
            ]);
        });

        it("fails on a rejected code when nothing lets it ask again", async () => {
            await assert.rejects(signInThroughChallenges(cognito({ ChallengeName: "SOFTWARE_TOKEN_MFA" }, []), "ops", "pw", { ...noted([]), code: async () => "000000" }), {
                message: "SOFTWARE_TOKEN_MFA failed: CodeMismatchException: Invalid code",
            });
        });
    });

    describe("command line", () => {
        const noStack = () => assert.fail("the stack must not be read");
        const parsed = (argv: string[]) => parseCommandLine(VERIFY_COMMAND, argv) as ParsedCommandLine;

        it("takes the ids, region and endpoint", () => {
            assert.deepStrictEqual(
                optionsFromArgs(
                    parsed(["--user-pool-id", "eu-west-1_Abc123", "--client-id", "c1", "--region", "eu-west-1", "--endpoint-url", "http://127.0.0.1:5000"]),
                    noStack,
                ),
                { userPoolId: "eu-west-1_Abc123", clientId: "c1", region: "eu-west-1", endpointUrl: "http://127.0.0.1:5000" },
            );
        });
        it("reads the ids from the stack's outputs with --stack", () => {
            const outputs = (stack: string) => {
                assert.strictEqual(stack, "dev");
                return { userPoolId: "us-east-1_Xyz", userPoolClientId: "client9", adminTemporaryPassword: "[secret]" };
            };
            assert.deepStrictEqual(optionsFromArgs(parsed(["--stack", "dev"]), outputs), {
                userPoolId: "us-east-1_Xyz",
                clientId: "client9",
                region: undefined,
                endpointUrl: undefined,
            });
        });
        const usageErrors: [string[], string][] = [
            [[], "give --stack, or --user-pool-id and --client-id"],
            [["--user-pool-id", "us-east-1_Abc"], "give --stack, or --user-pool-id and --client-id"],
            [
                ["--user-pool-id", "Abc", "--client-id", "c"],
                '--user-pool-id must be a user pool id: its region, an underscore, then letters and digits, such as us-east-1_AbCdEf123 (got "Abc")',
            ],
            [["--user-pool-id", "us-east-1_Abc", "--client-id", "c d"], '--client-id must be an app client id: 1 to 128 letters and digits, such as 1example23456789abcdefghijk (got "c d")'],
            [["--stack", "dev", "--client-id", "c"], "--stack reads the ids from the stack's outputs: give --stack or --user-pool-id and --client-id, not both"],
            [
                ["--user-pool-id", "us-east-1_Abc", "--client-id", "c", "--endpoint-url", "127.0.0.1:5000"],
                '--endpoint-url must be an http:// or https:// URL, such as http://127.0.0.1:5000 (got "127.0.0.1:5000")',
            ],
            [["--pool", "x"], "unknown option --pool"],
            [["--stack", "../prod"], '--stack "../prod" is not a stack name: use letters, digits, - _ and .'],
            [["--user-pool-id", "us-east-1_Abc", "--client-id", "c", "--sweep-after", "soon"], '--sweep-after must be a whole number of minutes (got "soon")'],
        ];
        for (const [argv, message] of usageErrors) {
            it(`rejects ${JSON.stringify(argv)}`, () => {
                assert.throws(() => optionsFromArgs(parsed(argv), noStack), { message });
            });
        }
        it("says when a stack has not been deployed", () => {
            assert.throws(() => optionsFromArgs(parsed(["--stack", "new"]), () => ({})), {
                message: "stack new has no output userPoolId: has it been deployed with `pulumi up`?",
            });
        });
    });
});
