/**
 * Base58check, as legacy Bitcoin addresses (P2PKH '1…', P2SH '3…') use it: 25 bytes, the last 4 being the first 4 of
 * the double SHA-256 of the other 21. Both steps are done here, in a few hundred integer operations: node:crypto's
 * createHash spends microseconds setting up for each 21-byte message, which made checking the candidate addresses in
 * a text one of extraction's largest costs. base58check.test.ts checks both against node:crypto and @scure/base.
 */

const BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const BASE58_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE58_ALPHABET.length; i++) BASE58_VALUE[BASE58_ALPHABET.charCodeAt(i)] = i;

// eslint-disable-next-line @typescript-eslint/unbound-method
const charCodeAt = String.prototype.charCodeAt; // see extract.ts: not slowed by what other modules do

/** The bytes a base58 string stands for (each leading '1' a zero byte), if exactly 25 of them; else null. */
export function base58To25Bytes(value: string): Uint8Array | null {
  let zeros = 0;
  while (zeros < value.length && charCodeAt.call(value, zeros) === 49) zeros++;
  // The number in seven 32-bit words, most significant first: 224 bits, of which 25 bytes need 200.
  const words = new Float64Array(7);
  for (let i = zeros; i < value.length; i++) {
    const c = charCodeAt.call(value, i);
    let carry = c < 128 ? (BASE58_VALUE[c] as number) : -1;
    if (carry < 0) return null;
    for (let j = 6; j >= 0; j--) {
      const x = (words[j] as number) * 58 + carry;
      carry = Math.floor(x / 0x100000000);
      words[j] = x - carry * 0x100000000;
    }
    // Past 224 bits: far more than 25 bytes.
    if (carry !== 0) return null;
  }
  // More than 200 bits: more than 25 bytes.
  if ((words[0] as number) >= 0x100) return null;
  const bytes = new Uint8Array(25);
  bytes[0] = words[0] as number;
  for (let j = 1; j < 7; j++) {
    const w = words[j] as number;
    bytes[4 * j - 3] = w >>> 24;
    bytes[4 * j - 2] = (w >>> 16) & 0xff;
    bytes[4 * j - 1] = (w >>> 8) & 0xff;
    bytes[4 * j] = w & 0xff;
  }
  let leading = 0;
  while (leading < 25 && bytes[leading] === 0) leading++;
  // The number's own bytes follow the zero bytes written as '1's.
  return zeros + (25 - leading) === 25 ? bytes : null;
}

/** Whether 25 bytes end with base58check's checksum of the first 21. */
export function checksumHolds(bytes: Uint8Array): boolean {
  sha256Into(bytes.subarray(0, 21), ONCE);
  sha256Into(ONCE, TWICE);
  return TWICE[0] === bytes[21] && TWICE[1] === bytes[22] && TWICE[2] === bytes[23] && TWICE[3] === bytes[24];
}
const ONCE = new Uint8Array(32);
const TWICE = new Uint8Array(32);

// SHA-256 (FIPS 180-4): the first 32 bits of the fractional parts of the cube roots of the first 64 primes, and of
// the square roots of the first 8.
const K = Uint32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const H0 = Uint32Array.from([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);
const W = new Uint32Array(64);

const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));

/** SHA-256 of a message of at most 55 bytes: one padded block. */
export function sha256Short(message: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  sha256Into(message, out);
  return out;
}

function sha256Into(message: Uint8Array, out: Uint8Array): void {
  const n = message.length;
  if (n > 55) throw new RangeError('sha256Short takes at most 55 bytes');
  // The block: the message, a 1 bit, zeros, and the message's length in bits in its last 8 bytes.
  for (let t = 0; t < 16; t++) {
    let w = 0;
    for (let k = 4 * t; k < 4 * t + 4; k++)
      w = (w << 8) | (k < n ? (message[k] as number) : k === n ? 0x80 : 0);
    W[t] = w;
  }
  W[15] = n * 8;
  for (let t = 16; t < 64; t++) {
    const w15 = W[t - 15] as number;
    const w2 = W[t - 2] as number;
    const s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >>> 3);
    const s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >>> 10);
    W[t] = (W[t - 16] as number) + s0 + (W[t - 7] as number) + s1;
  }
  let a = H0[0] as number;
  let b = H0[1] as number;
  let c = H0[2] as number;
  let d = H0[3] as number;
  let e = H0[4] as number;
  let f = H0[5] as number;
  let g = H0[6] as number;
  let h = H0[7] as number;
  for (let t = 0; t < 64; t++) {
    const t1 =
      (h +
        (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) +
        ((e & f) ^ (~e & g)) +
        (K[t] as number) +
        (W[t] as number)) |
      0;
    const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  put(out, 0, (H0[0] as number) + a);
  put(out, 4, (H0[1] as number) + b);
  put(out, 8, (H0[2] as number) + c);
  put(out, 12, (H0[3] as number) + d);
  put(out, 16, (H0[4] as number) + e);
  put(out, 20, (H0[5] as number) + f);
  put(out, 24, (H0[6] as number) + g);
  put(out, 28, (H0[7] as number) + h);
}

/** A 32-bit word (taken modulo 2^32), big-endian, at out[at]. */
function put(out: Uint8Array, at: number, word: number): void {
  out[at] = word >>> 24;
  out[at + 1] = (word >>> 16) & 0xff;
  out[at + 2] = (word >>> 8) & 0xff;
  out[at + 3] = word & 0xff;
}
