import * as assert from "assert";
import { randomBytes } from "crypto";
import { BigInteger } from "jsbn";

/** The modPow that tests/setup/fastModPow.cjs put in place of jsbn's, and jsbn's own. */
const fast = BigInteger.prototype.modPow;
const jsbn = (fast as unknown as { jsbn: typeof fast }).jsbn;

/** Cognito's SRP group: the 3072-bit prime of RFC 5054, as cognito-srp-helper has it. */
const N = new BigInteger(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
    16,
);

const random = (bytes: number) => new BigInteger(randomBytes(bytes).toString("hex"), 16);

describe("the specs' modPow (tests/setup/fastModPow.cjs)", () => {
    it("is in place of jsbn's, which it keeps", () => {
        assert.notStrictEqual(fast, jsbn);
        assert.strictEqual(typeof jsbn, "function");
    });

    /** base^exponent mod modulus by BigInt's plain square-and-multiply: exact, and at SRP's sizes about a tenth of jsbn's time. */
    const plain = (base: bigint, exponent: bigint, modulus: bigint): bigint => {
        let result = 1n;
        for (let b = ((base % modulus) + modulus) % modulus, e = exponent; e > 0n; e >>= 1n, b = (b * b) % modulus) if (e & 1n) result = (result * b) % modulus;
        return result;
    };
    const big = (value: BigInteger): bigint => (value.signum() < 0 ? -big(value.negate()) : BigInt(`0x${value.toString(16)}`));

    it("gives jsbn's numbers for small numbers, negative bases among them, and for SRP's modulus with edge-case bases and exponents", () => {
        const cases: [BigInteger, BigInteger, BigInteger][] = [];
        for (let i = 0; i < 5; i++) cases.push([random(40), random(40), random(48).add(BigInteger.ONE)], [random(40).negate(), random(40), random(48).add(BigInteger.ONE)]);
        // Edge cases of the base (and a zero exponent), with 16-bit exponents: modulo N, under
        // .mocharc.json's --max-opt=1, jsbn's own modPow takes some 45 ms with one, 150 ms with a
        // 64-bit one. Full-size exponents are the next test's.
        cases.push([BigInteger.ZERO, random(2), N], [random(8), BigInteger.ZERO, N], [N.add(BigInteger.ONE), random(2), N]);
        cases.push([N.subtract(BigInteger.ONE), random(2), N], [random(384).negate(), random(2).setBit(0), N]);
        for (const [base, exponent, modulus] of cases) {
            assert.strictEqual(fast.call(base, exponent, modulus).toString(16), jsbn.call(base, exponent, modulus).toString(16));
        }
    });

    it("gives the exact result for SRP's exponentiations at full size (g^a, and (B - kv)^(a + ux) mod N, whose base is often negative) and past them", () => {
        // g^a with a 1024-bit a; then (B - kv)^(a + ux), once with a negative base and an odd exponent,
        // so that a base's sign shows; then a full-size exponent, and one of N or more.
        for (const [base, exponent] of [
            [new BigInteger("2", 16), random(128)],
            [random(384), random(130)],
            [random(384).negate(), random(130).setBit(0)],
            [random(384), random(384)],
            [random(384), N.add(random(8))],
        ]) {
            assert.strictEqual(big(fast.call(base, exponent, N)), plain(big(base), big(exponent), big(N)));
        }
    });
});
