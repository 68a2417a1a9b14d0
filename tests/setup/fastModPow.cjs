// Test speed only: cognito-srp-helper's SRP runs its modular exponentiations on jsbn, in plain
// JavaScript, about 110 ms each for Cognito's 3072-bit group, some 70 times a run. The specs
// swap jsbn's BigInteger.prototype.modPow for OpenSSL's where the modulus is that group's prime
// (RFC 5054's 3072-bit group, whose prime is RFC 3526's MODP group 15: a Diffie-Hellman key
// agreement over it computes base^exponent mod prime, in about 3 ms), and elsewhere for
// fixed-window exponentiation on JavaScript's own BigInt (about six times faster than jsbn).
// The same numbers: tests/fastModPow.spec.ts checks them against jsbn's on random inputs.
// OpenSSL is used for that one prime only, because for others (a small prime, say) it returns 0
// instead of failing. Deploy-time code and the commands keep jsbn's own.
"use strict";
const { createDiffieHellman, getDiffieHellman } = require("crypto");
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

/** A number's big-endian bytes. */
function bytes(value) {
    const hex = value.toString(16);
    return Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, "hex");
}

/** The prime of SRP's 3072-bit group (RFC 5054), which is MODP group 15's (RFC 3526). */
const SRP_PRIME = BigInt(`0x${getDiffieHellman("modp15").getPrime("hex")}`);

/** A Diffie-Hellman group over SRP_PRIME, made on first use. */
let srpGroup;

/**
 * base^exponent mod SRP_PRIME by OpenSSL: the secret a Diffie-Hellman group over the prime agrees
 * on with private key `exponent` and peer key `base`. For modulus SRP_PRIME only, and a base and
 * exponent that OpenSSL takes (a base from 2 to the prime - 2, an exponent from 1 to the prime - 1); `undefined`
 * otherwise.
 */
function opensslModPow(base, exponent, modulus) {
    const b = ((base % modulus) + modulus) % modulus;
    if (modulus !== SRP_PRIME || exponent === 0n || exponent >= modulus || b < 2n || b > modulus - 2n) return undefined;
    srpGroup ??= createDiffieHellman(bytes(SRP_PRIME));
    srpGroup.setPrivateKey(bytes(exponent));
    return BigInt(`0x${srpGroup.computeSecret(bytes(b)).toString("hex")}`);
}

const toBigInt = (value) => (value.signum() < 0 ? -BigInt(`0x${value.negate().toString(16)}`) : BigInt(`0x${value.toString(16)}`));

BigInteger.prototype.modPow = function (exponent, modulus) {
    if (exponent.signum() < 0 || modulus.signum() <= 0) return jsbnModPow.call(this, exponent, modulus);
    const [b, e, m] = [toBigInt(this), toBigInt(exponent), toBigInt(modulus)];
    return new BigInteger((opensslModPow(b, e, m) ?? modPow(b, e, m)).toString(16), 16);
};
BigInteger.prototype.modPow.jsbn = jsbnModPow;
