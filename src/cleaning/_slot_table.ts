/**
 * The slot table of an open-addressing hash table whose entries live in parallel arrays: a slot
 * holds an entry's index + 1 (0 = empty), probed linearly from `hash & mask`. `ByteMemo` and the
 * spill's key index rebuild theirs with it when they grow.
 */

/** A table of `size` slots (a power of two) holding entries `0 … count − 1`, placed by `hashes`. */
export function buildSlotTable(
  hashes: Int32Array,
  count: number,
  size: number,
): Int32Array<ArrayBuffer> {
  const slots = new Int32Array(size);
  const mask = size - 1;
  for (let entry = 0; entry < count; entry++) {
    let slot = hashes[entry] & mask;
    while (slots[slot] !== 0) slot = (slot + 1) & mask;
    slots[slot] = entry + 1;
  }
  return slots;
}
