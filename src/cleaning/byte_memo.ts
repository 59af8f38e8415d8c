/**
 * Memoises a function of a field's text, keyed by the field's raw bytes, so the hot loop never
 * creates a string for a value it has seen before. Category, region and date strings repeat
 * millions of times with a few hundred distinct spellings.
 *
 * Open addressing over an FNV-1a hash; keys are copied into one arena. Past `maxEntries` distinct
 * keys (junk data) new keys are computed but no longer stored, so memory stays bounded.
 */
import { buildSlotTable } from "./_slot_table.ts";

const decoder = new TextDecoder();

export class ByteMemo<Value> {
  readonly #compute: (text: string) => Value;
  readonly #maxEntries: number;
  #slots: Int32Array; // entry index + 1, 0 = empty
  #mask: number;
  #hashes: Int32Array;
  #keyStart: Int32Array;
  #keyEnd: Int32Array;
  #values: Value[] = [];
  #arena = new Uint8Array(1 << 16);
  #arenaUsed = 0;
  #count = 0;

  constructor(compute: (text: string) => Value, maxEntries = 65_536) {
    this.#compute = compute;
    this.#maxEntries = maxEntries;
    this.#slots = new Int32Array(1024);
    this.#mask = 1023;
    this.#hashes = new Int32Array(512);
    this.#keyStart = new Int32Array(512);
    this.#keyEnd = new Int32Array(512);
  }

  /** Distinct keys stored. */
  get size(): number {
    return this.#count;
  }

  /** The value for the text in `source[start, end)`. */
  get(source: Uint8Array, start: number, end: number): Value {
    let hash = 0x811c9dc5 | 0;
    for (let index = start; index < end; index++) {
      hash = Math.imul(hash ^ source[index], 0x01000193);
    }
    const length = end - start;
    const arena = this.#arena;
    let slot = hash & this.#mask;
    while (true) {
      const entry = this.#slots[slot];
      if (entry === 0) break;
      const index = entry - 1;
      if (this.#hashes[index] === hash) {
        const keyStart = this.#keyStart[index];
        if (this.#keyEnd[index] - keyStart === length) {
          let same = true;
          for (let offset = 0; offset < length; offset++) {
            if (arena[keyStart + offset] !== source[start + offset]) {
              same = false;
              break;
            }
          }
          if (same) return this.#values[index];
        }
      }
      slot = (slot + 1) & this.#mask;
    }
    const value = this.#compute(decoder.decode(source.subarray(start, end)));
    if (this.#count < this.#maxEntries) this.#insert(slot, hash, source, start, end, value);
    return value;
  }

  #insert(
    slot: number,
    hash: number,
    source: Uint8Array,
    start: number,
    end: number,
    value: Value,
  ): void {
    const index = this.#count++;
    if (index >= this.#hashes.length) {
      this.#hashes = grow(this.#hashes);
      this.#keyStart = grow(this.#keyStart);
      this.#keyEnd = grow(this.#keyEnd);
    }
    const length = end - start;
    if (this.#arenaUsed + length > this.#arena.length) {
      const larger = new Uint8Array(Math.max(this.#arena.length * 2, this.#arenaUsed + length));
      larger.set(this.#arena.subarray(0, this.#arenaUsed));
      this.#arena = larger;
    }
    this.#arena.set(source.subarray(start, end), this.#arenaUsed);
    this.#hashes[index] = hash;
    this.#keyStart[index] = this.#arenaUsed;
    this.#keyEnd[index] = this.#arenaUsed + length;
    this.#arenaUsed += length;
    this.#values[index] = value;
    this.#slots[slot] = index + 1;
    if (this.#count * 2 > this.#slots.length) this.#rehash();
  }

  #rehash(): void {
    this.#slots = buildSlotTable(this.#hashes, this.#count, this.#slots.length * 2);
    this.#mask = this.#slots.length - 1;
  }
}

function grow(array: Int32Array): Int32Array {
  const larger = new Int32Array(array.length * 2);
  larger.set(array);
  return larger;
}
