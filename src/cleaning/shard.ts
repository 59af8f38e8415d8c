/**
 * Shards: `clean-data --shard K/N` keeps only the rows whose dedup key hashes to K, so N runs on N
 * machines clean disjoint parts of one input and together equal one run. Rule 2 stays exact,
 * because every row of a key lands in the same shard. Rows without a key (blank, or a malformed
 * record) belong to shard 0, so each is counted exactly once.
 *
 * The hash is FNV-1a over the key's UTF-8 bytes: fixed here and in docs/scale-out.md, so shards
 * written by different machines or versions agree.
 *
 * @example
 * ```ts
 * import { shardOfKey } from "./shard.ts";
 * const key = new TextEncoder().encode("ORD-000000042");
 * console.log(shardOfKey(key, 0, key.length, 4)); // 0 … 3
 * ```
 */

/** Shard `index` of `count` (0 ≤ index < count). */
export interface ShardSpec {
  /** This shard, from 0. */
  index: number;
  /** How many shards the run is cut into. */
  count: number;
}

/** The shard of the key held in `bytes[start, end)`, out of `count`. */
export function shardOfKey(bytes: Uint8Array, start: number, end: number, count: number): number {
  let hash = 0x811c9dc5;
  for (let index = start; index < end; index++) {
    hash ^= bytes[index];
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % count;
}

const encoder = new TextEncoder();

/** {@linkcode shardOfKey} for a key already decoded to a string. */
export function shardOfText(key: string, count: number): number {
  const bytes = encoder.encode(key);
  return shardOfKey(bytes, 0, bytes.length, count);
}

/** The file-name tag of a shard's outputs: `shard-2-of-4`. */
export function shardTag(shard: ShardSpec): string {
  return `shard-${shard.index}-of-${shard.count}`;
}
