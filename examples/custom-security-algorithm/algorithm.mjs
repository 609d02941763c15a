/**
 * An OEM-style seed/key algorithm in a plain JavaScript module: udskit loads it by path (see
 * vehicle.yaml's `securityAlgorithms:`) and both the simulated ECU and the tester use it.
 *
 * key[i] = rotate-left(seed[i] XOR secret[i mod n], level mod 8) XOR i
 *
 * @param {Uint8Array} seed    the seed the ECU sent (67 L seed)
 * @param {number} level       the requestSeed sub-function (odd)
 * @param {Uint8Array} secret  the ECU's secret from the profile
 * @returns {Uint8Array}       the key for 27 L+1
 */
export default function rotateXor(seed, level, secret) {
  const n = level % 8;
  return seed.map((b, i) => {
    const x = b ^ secret[i % secret.length];
    return (((x << n) | (x >> (8 - n))) & 0xff) ^ i;
  });
}
