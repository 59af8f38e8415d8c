/**
 * The worker's half of the key census: it keeps the claims of each scanned chunk until the main
 * thread, going through chunks in input order, tells it the chunk's first claim ordinal; then it
 * appends each claim's encoded key to this worker's spill files.
 */
import { type PackedKeys, recyclePackedKeys } from "./key_encoding.ts";
import { CENSUS_PARTITIONS, SpillWriter } from "./spill.ts";

/** The seed of the census's partition hash; splits of a partition use other seeds. */
export const CENSUS_SEED = 0;

export class CensusSpiller {
  readonly #writer: SpillWriter;
  readonly #pending = new Map<number, PackedKeys>();

  constructor(directory: string, writer: string, bufferBytes: number) {
    this.#writer = new SpillWriter(directory, writer, {
      partitions: CENSUS_PARTITIONS,
      seed: CENSUS_SEED,
      bufferBytes,
    });
  }

  /** Keeps a scanned chunk's claims until {@linkcode spill}. */
  keep(chunkId: number, keys: PackedKeys): void {
    this.#pending.set(chunkId, keys);
  }

  /** Forgets a chunk that will be scanned again (it started inside a quoted field). */
  drop(chunkId: number): void {
    const keys = this.#pending.get(chunkId);
    this.#pending.delete(chunkId);
    if (keys) recyclePackedKeys(keys);
  }

  /** Writes the chunk's claims, numbered from `firstOrdinal`. */
  spill(chunkId: number, firstOrdinal: number): void {
    const keys = this.#pending.get(chunkId);
    if (!keys) throw new Error(`census chunk ${chunkId} was not scanned`);
    this.#pending.delete(chunkId);
    const { bytes, ends } = keys;
    let start = 0;
    for (let claim = 0; claim < ends.length; claim++) {
      this.#writer.add(firstOrdinal + claim, bytes, start, ends[claim]);
      start = ends[claim];
    }
    recyclePackedKeys(keys);
  }

  /** Flushes and closes the spill files; returns the bytes written. */
  close(): number {
    return this.#writer.close();
  }

  abandon(): void {
    this.#writer.abandon();
  }
}
