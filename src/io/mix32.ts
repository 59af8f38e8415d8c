/**
 * MurmurHash3's 32-bit finaliser, shared by the generator's streams and the dedup census's key
 * hash (FNV's high bits alone are poorly mixed for short keys).
 */

/** A bijection on 32-bit integers that spreads every input bit over the output (unsigned). */
export function mix32(value: number): number {
  let hash = value | 0;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}
