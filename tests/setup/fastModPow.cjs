// Test speed only: cognito-srp-helper's SRP runs its modular exponentiations on jsbn, in plain
// JavaScript, about 110 ms each for Cognito's 3072-bit group, some 70 times a run. The specs
// swap jsbn's BigInteger.prototype.modPow for square-and-multiply on JavaScript's own BigInt:
// the same numbers (tests/fastModPow.spec.ts checks them against jsbn's on random inputs),
// about five times faster. Deploy-time code and the commands keep jsbn's own.
"use strict";
const { BigInteger } = require("jsbn");

const jsbnModPow = BigInteger.prototype.modPow;

/** base^exponent mod modulus, on BigInt. */
function modPow(base, exponent, modulus) {
    let result = 1n;
    let b = ((base % modulus) + modulus) % modulus;
    for (let e = exponent; e > 0n; e >>= 1n) {
        if (e & 1n) result = (result * b) % modulus;
        b = (b * b) % modulus;
    }
    return result % modulus;
}

const toBigInt = (value) => (value.signum() < 0 ? -BigInt(`0x${value.negate().toString(16)}`) : BigInt(`0x${value.toString(16)}`));

BigInteger.prototype.modPow = function (exponent, modulus) {
    if (exponent.signum() < 0 || modulus.signum() <= 0) return jsbnModPow.call(this, exponent, modulus);
    return new BigInteger(modPow(toBigInt(this), toBigInt(exponent), toBigInt(modulus)).toString(16), 16);
};
BigInteger.prototype.modPow.jsbn = jsbnModPow;
