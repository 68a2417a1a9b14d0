// Test speed only: cognito-srp-helper's SRP runs its modular exponentiations on jsbn, in plain
// JavaScript, about 110 ms each for Cognito's 3072-bit group, some 70 times a run. The specs
// swap jsbn's BigInteger.prototype.modPow for fixed-window exponentiation on JavaScript's own
// BigInt: the same numbers (tests/fastModPow.spec.ts checks them against jsbn's on random
// inputs), about six times faster. Deploy-time code and the commands keep jsbn's own.
"use strict";
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

const toBigInt = (value) => (value.signum() < 0 ? -BigInt(`0x${value.negate().toString(16)}`) : BigInt(`0x${value.toString(16)}`));

BigInteger.prototype.modPow = function (exponent, modulus) {
    if (exponent.signum() < 0 || modulus.signum() <= 0) return jsbnModPow.call(this, exponent, modulus);
    return new BigInteger(modPow(toBigInt(this), toBigInt(exponent), toBigInt(modulus)).toString(16), 16);
};
BigInteger.prototype.modPow.jsbn = jsbnModPow;
