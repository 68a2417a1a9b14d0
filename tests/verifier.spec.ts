import * as assert from "assert";
import { SEED_PASSWORD_POLICY, checkPasswordAgainstPolicy } from "../deploy/components/cognitoRules";
import { CANARY_PREFIX, canaryUsername, randomPassword } from "../deploy/verifier/canary";
import { VERIFY_COMMAND, optionsFromArgs } from "../deploy/verifier/cli";
import { ParsedCommandLine, parseCommandLine } from "../deploy/commandLine";
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
            assert.match(canaryUsername(), new RegExp(`^${CANARY_PREFIX}[0-9a-f]{12}$`));
            assert.notStrictEqual(canaryUsername(), canaryUsername());
        });
        it("uses an example.com address in a pool that signs in by e-mail", () => {
            assert.match(canaryUsername(["email"]), new RegExp(`^${CANARY_PREFIX}[0-9a-f]{12}@example\\.com$`));
        });
        it("uses a fictional number in a pool that signs in by phone only", () => {
            assert.match(canaryUsername(["phone_number"]), /^\+1[2-9]\d{2}55501\d{2}$/);
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
            [[], "give --user-pool-id and --client-id, or --stack"],
            [["--user-pool-id", "us-east-1_Abc"], "give --user-pool-id and --client-id, or --stack"],
            [["--user-pool-id", "Abc", "--client-id", "c"], '--user-pool-id must look like us-east-1_AbCdEf123 (got "Abc")'],
            [["--stack", "dev", "--client-id", "c"], "--stack reads the ids from the stack: give either --stack or both ids, not both"],
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
