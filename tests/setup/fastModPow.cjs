// Test speed only: cognito-srp-helper's SRP runs its modular exponentiations on jsbn, in plain
// JavaScript, about 110 ms each for Cognito's 3072-bit group, some 70 times a run. The specs
// swap jsbn's BigInteger.prototype.modPow for OpenSSL's where the modulus is that group's prime
// (RFC 5054's 3072-bit group, whose prime is RFC 3526's MODP group 15), about 3 ms for SRP's
// exponents, and elsewhere for fixed-window exponentiation on JavaScript's own BigInt (about six
// times faster than jsbn). OpenSSL's is a Diffie-Hellman public key: that of private key
// `exponent` in a group over the prime with generator `base` is base^exponent mod prime
// (crypto.createPrivateKey on the PKCS#8 key, then crypto.createPublicKey, read from its SPKI).
// Not a DiffieHellman object (crypto.createDiffieHellman): on Node 24 (OpenSSL 3.5) OpenSSL
// checks the prime as it makes one, about 1.75 s a process. Nor crypto.diffieHellman with keys in
// group 15 itself (generator 2): on Node 20 (OpenSSL 3.0) OpenSSL knows the group and refuses the
// half of peer keys outside its prime-order subgroup.
// The same numbers: tests/fastModPow.spec.ts checks them against jsbn's on random inputs.
// OpenSSL is used for that one prime only, where the time goes (it refuses small moduli:
// ERR_OSSL_UNSUPPORTED). Deploy-time code and the commands keep jsbn's own.
"use strict";
const { createPrivateKey, createPublicKey, getDiffieHellman } = require("crypto");
const { BigInteger } = require("jsbn");

const jsbnModPow = BigInteger.prototype.modPow;

/** The window's width in bits: a table of 2^5 powers, then one multiplication every 5 squarings. */
const WINDOW_BITS = 5;

/** base^exponent mod modulus, on BigInt, for exponent >= 0 and modulus > 0. */
function modPow(base, exponent, modulus) {
    const b = ((base % modulus) + modulus) % modulus;
    const powers = [1n % modulus];
    for (let i = 1; i < 1 << WINDOW_BITS; i++) powers.push((powers[i - 1] * b) % modulus);
    const bits = exponent.toString(2);
    const digits = bits.padStart(Math.ceil(bits.length / WINDOW_BITS) * WINDOW_BITS, "0");
    let result = 1n % modulus;
    for (let i = 0; i < digits.length; i += WINDOW_BITS) {
        for (let j = 0; j < WINDOW_BITS; j++) result = (result * result) % modulus;
        const digit = parseInt(digits.slice(i, i + WINDOW_BITS), 2);
        if (digit > 0) result = (result * powers[digit]) % modulus;
    }
    return result;
}

/** A number's big-endian bytes (one zero byte for 0). */
function bytes(value) {
    const hex = value.toString(16);
    return Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, "hex");
}

/** A DER element: `tag`, then the length of `contents` (short or long form), then `contents`. */
function der(tag, ...contents) {
    const body = Buffer.concat(contents);
    const size = bytes(BigInt(body.length));
    const length = body.length < 0x80 ? [body.length] : [0x80 | size.length, ...size];
    return Buffer.concat([Buffer.from([tag, ...length]), body]);
}

/** A DER INTEGER of `value` >= 0: its bytes, after a zero byte where the first would read as a sign. */
function derInteger(value) {
    const digits = bytes(value);
    return der(0x02, Buffer.from(digits[0] & 0x80 ? [0] : []), digits);
}

/** Where the contents of the DER element at `offset` in `data` start and end. */
function derContents(data, offset) {
    const first = data[offset + 1];
    const lengthBytes = first & 0x80 ? first & 0x7f : 0;
    const start = offset + 2 + lengthBytes;
    return { start, end: start + (lengthBytes === 0 ? first : data.readUIntBE(offset + 2, lengthBytes)) };
}

/** The prime of SRP's 3072-bit group (RFC 5054), which is MODP group 15's (RFC 3526). */
const SRP_PRIME = BigInt(`0x${getDiffieHellman("modp15").getPrime("hex")}`);

/** The DER of a PKCS#8 private key's version, 0. */
const PKCS8_VERSION = derInteger(0n);

/** The DER of the OID of PKCS #3's dhKeyAgreement, 1.2.840.113549.1.3.1: a Diffie-Hellman key's algorithm. */
const DH_KEY_AGREEMENT = Buffer.from("06092a864886f70d010301", "hex");

/**
 * base^exponent mod SRP_PRIME by OpenSSL: the Diffie-Hellman public key of private key `exponent`
 * in the group over SRP_PRIME with generator `base`. For base from 0 to SRP_PRIME - 1 and exponent >= 0.
 */
function opensslModPow(base, exponent) {
    // PrivateKeyInfo: SEQUENCE { version, AlgorithmIdentifier { OID, DHParameter { prime, generator } }, OCTET STRING { INTEGER x } }.
    const parameters = der(0x30, derInteger(SRP_PRIME), derInteger(base));
    const privateKey = der(0x30, PKCS8_VERSION, der(0x30, DH_KEY_AGREEMENT, parameters), der(0x04, derInteger(exponent)));
    const spki = createPublicKey(createPrivateKey({ key: privateKey, format: "der", type: "pkcs8" })).export({ format: "der", type: "spki" });
    // SubjectPublicKeyInfo: SEQUENCE { AlgorithmIdentifier, BIT STRING { unused bits (0), INTEGER y } }.
    const algorithm = derContents(spki, derContents(spki, 0).start);
    const publicKey = derContents(spki, derContents(spki, algorithm.end).start + 1);
    return BigInt(`0x${spki.toString("hex", publicKey.start, publicKey.end)}`);
}

const toBigInt = (value) => (value.signum() < 0 ? -BigInt(`0x${value.negate().toString(16)}`) : BigInt(`0x${value.toString(16)}`));

BigInteger.prototype.modPow = function (exponent, modulus) {
    if (exponent.signum() < 0 || modulus.signum() <= 0) return jsbnModPow.call(this, exponent, modulus);
    const [b, e, m] = [toBigInt(this), toBigInt(exponent), toBigInt(modulus)];
    const result = m === SRP_PRIME ? opensslModPow(((b % m) + m) % m, e) : modPow(b, e, m);
    return new BigInteger(result.toString(16), 16);
};
BigInteger.prototype.modPow.jsbn = jsbnModPow;
