/**
 * One gzip file from blocks compressed separately, in parallel (the way pigz does it).
 *
 * Each block is raw deflate ending in a sync flush: byte-aligned and not marked final, so the
 * blocks concatenate into one deflate stream. The file is a single gzip member (header, the
 * blocks, an empty final block, CRC-32 and length), which every gzip reader accepts; Deno's
 * `DecompressionStream` would stop after the first member of a multi-member file.
 */
import zlib from "node:zlib";

/** gzip header: deflate, no name, no timestamp (so equal inputs give equal files), OS unknown. */
export const GZIP_HEADER = new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);

/** An empty fixed-Huffman block marked final: ends the deflate stream. */
export const DEFLATE_END = new Uint8Array([0x03, 0x00]);

/** A block compressed on its own: raw deflate up to a sync flush, and the CRC-32 of its input. */
export function deflateBlock(bytes: Uint8Array): { deflated: Uint8Array; crc32: number } {
  const deflated = zlib.deflateRawSync(bytes, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  return { deflated, crc32: zlib.crc32(bytes) >>> 0 };
}

const POLYNOMIAL = 0xedb88320;

/** Multiplies two polynomials modulo the CRC-32 polynomial (bit-reflected), as zlib does. */
function multiplyModP(a: number, b: number): number {
  let mask = 0x80000000;
  let product = 0;
  for (;;) {
    if (a & mask) {
      product ^= b;
      if ((a & (mask - 1)) === 0) break;
    }
    mask >>>= 1;
    b = b & 1 ? (b >>> 1) ^ POLYNOMIAL : b >>> 1;
  }
  return product >>> 0;
}

/** x^(2^k) modulo the polynomial, k = 0 … 63. */
const POWERS = (() => {
  const powers = [0x40000000]; // x^1
  for (let k = 1; k < 64; k++) powers.push(multiplyModP(powers[k - 1], powers[k - 1]));
  return powers;
})();

/**
 * The CRC-32 of A followed by B, from the CRC-32 of each and the length of B: zlib's
 * `crc32_combine`, so blocks checksummed by different workers make one file checksum.
 */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  // x^(8 × lengthB): shift A's remainder past B's bytes.
  let power = 0x80000000; // x^0
  let exponentBits = lengthB;
  for (let k = 3; exponentBits > 0; k++) {
    if (exponentBits % 2 === 1) power = multiplyModP(POWERS[k % 64], power);
    exponentBits = Math.floor(exponentBits / 2);
  }
  return (multiplyModP(power, crcA) ^ crcB) >>> 0;
}

/** The gzip trailer: CRC-32 and the input length modulo 2^32, little-endian. */
export function gzipTrailer(crc32: number, length: number): Uint8Array {
  const trailer = new Uint8Array(8);
  const view = new DataView(trailer.buffer);
  view.setUint32(0, crc32 >>> 0, true);
  view.setUint32(4, length % 0x1_0000_0000, true);
  return trailer;
}
