/**
 * The disk half of the key census: claims written to hash-partitioned spill files, and each
 * partition resolved in bounded memory to the ordinals of its duplicate claims.
 *
 * A spill record is `[claim ordinal: u32 LE][key hash: u32 LE][key length: u8, or 0xFF then u32
 * LE][encoded key]` (see `key_encoding.ts`). The hash (seed {@linkcode SPILL_HASH_SEED}) picks the
 * partition by its top bits and, kept in the record, places the key in the partition's table by
 * its low bits: each claim is hashed once. Every key lands in the partition its hash picks, so equal keys always
 * meet in one partition, and a partition alone decides which of its claims came first: the claim
 * with the smallest ordinal owns the key, every other claim of it is a duplicate. Records may
 * arrive in any order (two workers write a partition each), which the smallest-ordinal rule does
 * not mind.
 */
import { join } from "node:path";
import { errorMessage, UserError } from "../../io/errors.ts";
import { buildSlotTable } from "../_slot_table.ts";
import { keyHash } from "./key_encoding.ts";

/** The seed of the hash kept in every record; splits pick their parts by other seeds. */
export const SPILL_HASH_SEED = 0;
/** Partitions the census writes: 100M UUID claims make 256 files of ~10 MB each. */
export const CENSUS_PARTITIONS = 256;
/** A partition whose distinct keys pass the budget is split this many ways by the next seed. */
const SPLIT_WAYS = 16;
const MAX_SPLIT_DEPTH = 6;
const READ_BYTES = 1 << 20;
/** {@linkcode forEachSpillRecord}'s buffer (it grows for a record larger than it). */
let readBuffer: Uint8Array | undefined;

/** Errors of the disk (full, read-only, no permission) become one line for the user. */
export function spillError(error: unknown, directory: string): unknown {
  const code = (error as { code?: unknown })?.code;
  const storage = error instanceof Deno.errors.PermissionDenied ||
    (typeof code === "string" && ["ENOSPC", "EDQUOT", "EROFS", "EIO", "EFBIG"].includes(code));
  if (!storage) return error;
  return new UserError(
    `cannot write the dedup spill files in ${directory}: ${errorMessage(error)}. ` +
      `Free disk space there, or point TMPDIR at a disk with room (about 30 bytes per row).`,
    { cause: error },
  );
}

function writeAll(file: Deno.FsFile, bytes: Uint8Array): void {
  let written = 0;
  while (written < bytes.length) written += file.writeSync(bytes.subarray(written));
}

/** The spill file of one writer for one partition. */
export function spillPath(directory: string, writer: string, partition: number): string {
  return join(directory, `${writer}-p${partition}.bin`);
}

/**
 * Appends records to `partitions` files `<directory>/<writer>-p<n>.bin`, through one buffer per
 * partition. The partition of a key is the top bits of its hash with `seed`.
 */
export class SpillWriter {
  readonly #directory: string;
  readonly #writer: string;
  readonly #seed: number;
  readonly #partitionShift: number;
  readonly #bufferBytes: number;
  readonly #buffers: Uint8Array;
  readonly #fill: Int32Array;
  readonly #files: (Deno.FsFile | undefined)[];
  #bytesWritten = 0;

  constructor(
    directory: string,
    writer: string,
    options: { partitions: number; seed: number; bufferBytes?: number },
  ) {
    this.#directory = directory;
    this.#writer = writer;
    this.#seed = options.seed;
    this.#partitionShift = 32 - Math.log2(options.partitions);
    if (!Number.isInteger(this.#partitionShift)) throw new Error("partitions must be 2^k");
    this.#bufferBytes = options.bufferBytes ?? 16 << 10;
    this.#buffers = new Uint8Array(options.partitions * this.#bufferBytes);
    this.#fill = new Int32Array(options.partitions);
    this.#files = new Array(options.partitions);
  }

  /** Bytes written to disk so far. */
  get bytesWritten(): number {
    return this.#bytesWritten;
  }

  /** Appends one claim. */
  add(ordinal: number, key: Uint8Array, start: number, end: number): void {
    const hash = keyHash(key, start, end, SPILL_HASH_SEED);
    const partitionHash = this.#seed === SPILL_HASH_SEED
      ? hash
      : keyHash(key, start, end, this.#seed);
    this.addHashed(ordinal, hash, partitionHash, key, start, end);
  }

  /**
   * Appends one claim whose record hash is known (read back from a record), in the partition the
   * top bits of `partitionHash` (the hash with this writer's seed) pick.
   */
  addHashed(
    ordinal: number,
    hash: number,
    partitionHash: number,
    key: Uint8Array,
    start: number,
    end: number,
  ): void {
    const partition = this.#partitionShift === 32 ? 0 : partitionHash >>> this.#partitionShift;
    const length = end - start;
    const recordBytes = 8 + (length < 0xff ? 1 : 5) + length;
    if (this.#fill[partition] + recordBytes > this.#bufferBytes) {
      this.#flush(partition);
      if (recordBytes > this.#bufferBytes) {
        const record = new Uint8Array(recordBytes);
        writeRecord(record, 0, ordinal, hash, key, start, end);
        this.#write(partition, record);
        return;
      }
    }
    const base = partition * this.#bufferBytes;
    this.#fill[partition] = writeRecord(
      this.#buffers,
      base + this.#fill[partition],
      ordinal,
      hash,
      key,
      start,
      end,
    ) - base;
  }

  /** Flushes every buffer and closes the files; returns the bytes written in all. */
  close(): number {
    for (let partition = 0; partition < this.#files.length; partition++) {
      this.#flush(partition);
      this.#files[partition]?.close();
      this.#files[partition] = undefined;
    }
    return this.#bytesWritten;
  }

  /** Closes the files without flushing (after a failure). */
  abandon(): void {
    for (const file of this.#files) {
      try {
        file?.close();
      } catch { /* already closed */ }
    }
    this.#files.fill(undefined);
  }

  #flush(partition: number): void {
    const fill = this.#fill[partition];
    if (fill === 0) return;
    const base = partition * this.#bufferBytes;
    this.#write(partition, this.#buffers.subarray(base, base + fill));
    this.#fill[partition] = 0;
  }

  #write(partition: number, bytes: Uint8Array): void {
    try {
      let file = this.#files[partition];
      if (file === undefined) {
        file = Deno.openSync(spillPath(this.#directory, this.#writer, partition), {
          write: true,
          create: true,
          append: true,
        });
        this.#files[partition] = file;
      }
      writeAll(file, bytes);
      this.#bytesWritten += bytes.length;
    } catch (error) {
      throw spillError(error, this.#directory);
    }
  }
}

/** `target.set(source.subarray(start, end), at)` without making a view for short keys. */
function copyBytes(
  source: Uint8Array,
  start: number,
  end: number,
  target: Uint8Array,
  at: number,
): void {
  if (end - start > 64) {
    target.set(source.subarray(start, end), at);
    return;
  }
  for (let index = start; index < end; index++) target[at++] = source[index];
}

function writeRecord(
  out: Uint8Array,
  offset: number,
  ordinal: number,
  hash: number,
  key: Uint8Array,
  start: number,
  end: number,
): number {
  const length = end - start;
  out[offset] = ordinal & 0xff;
  out[offset + 1] = (ordinal >>> 8) & 0xff;
  out[offset + 2] = (ordinal >>> 16) & 0xff;
  out[offset + 3] = (ordinal >>> 24) & 0xff;
  out[offset + 4] = hash & 0xff;
  out[offset + 5] = (hash >>> 8) & 0xff;
  out[offset + 6] = (hash >>> 16) & 0xff;
  out[offset + 7] = (hash >>> 24) & 0xff;
  let position = offset + 8;
  if (length < 0xff) {
    out[position++] = length;
  } else {
    out[position] = 0xff;
    out[position + 1] = length & 0xff;
    out[position + 2] = (length >>> 8) & 0xff;
    out[position + 3] = (length >>> 16) & 0xff;
    out[position + 4] = (length >>> 24) & 0xff;
    position += 5;
  }
  copyBytes(key, start, end, out, position);
  return position + length;
}

/**
 * Calls `onRecord(ordinal, hash, bytes, keyStart, keyEnd)` for every record of the files, in file order.
 * `bytes` is only valid during the call. Missing files are skipped (a writer with no record for a
 * partition never opened its file).
 */
export function forEachSpillRecord(
  paths: readonly string[],
  onRecord: (
    ordinal: number,
    hash: number,
    bytes: Uint8Array,
    keyStart: number,
    keyEnd: number,
  ) => void,
): void {
  // One buffer per thread, kept: a fresh megabyte per partition costs its page faults each time.
  let buffer = readBuffer ??= new Uint8Array(READ_BYTES);
  for (const path of paths) {
    let file: Deno.FsFile;
    try {
      file = Deno.openSync(path, { read: true });
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) continue;
      throw error;
    }
    try {
      let filled = 0;
      let endOfFile = false;
      while (!endOfFile || filled > 0) {
        while (!endOfFile && filled < buffer.length) {
          const read = file.readSync(buffer.subarray(filled));
          if (read === null) endOfFile = true;
          else filled += read;
        }
        let position = 0;
        while (true) {
          if (filled - position < 9) break;
          const ordinal = (buffer[position] | buffer[position + 1] << 8 |
            buffer[position + 2] << 16 | buffer[position + 3] << 24) >>> 0;
          const hash = (buffer[position + 4] | buffer[position + 5] << 8 |
            buffer[position + 6] << 16 | buffer[position + 7] << 24) >>> 0;
          let length = buffer[position + 8];
          let keyStart = position + 9;
          if (length === 0xff) {
            if (filled - position < 13) break;
            length = (buffer[position + 9] | buffer[position + 10] << 8 |
              buffer[position + 11] << 16 | buffer[position + 12] << 24) >>> 0;
            keyStart = position + 13;
          }
          if (keyStart + length > filled) break;
          onRecord(ordinal, hash, buffer, keyStart, keyStart + length);
          position = keyStart + length;
        }
        if (position === 0 && filled === buffer.length) {
          // One record larger than the buffer: grow it.
          const larger = new Uint8Array(buffer.length * 2);
          larger.set(buffer);
          buffer = readBuffer = larger;
          continue;
        }
        if (position === 0 && endOfFile && filled > 0) {
          throw new Error(`spill file ${path} ends inside a record`);
        }
        buffer.copyWithin(0, position, filled);
        filled -= position;
      }
    } finally {
      file.close();
    }
  }
}

/**
 * An exact table from key bytes to the smallest ordinal seen, in typed arrays: per distinct key its
 * bytes plus ~24 bytes. `insert` reports false when the budget would be passed.
 */
class OwnerTable {
  #budgetBytes: number;
  #slots = new Int32Array(1 << 12);
  #hashes = new Int32Array(1 << 11);
  #ordinals = new Uint32Array(1 << 11);
  #offsets = new Uint32Array(1 << 11);
  #arena = new Uint8Array(1 << 16);
  #arenaFill = 0;
  #count = 0;

  constructor(budgetBytes: number, expectedKeys = 0) {
    this.#budgetBytes = budgetBytes;
    this.#reserve(expectedKeys);
  }

  /**
   * Empties the table for the next partition, keeping its arrays: fresh ones would cost their page
   * faults again, which for 256 partitions took longer than the look-ups.
   */
  reset(budgetBytes: number, expectedKeys: number): void {
    this.#budgetBytes = budgetBytes;
    this.#count = 0;
    this.#arenaFill = 0;
    if (!this.#reserve(expectedKeys)) this.#slots.fill(0);
  }

  /** Starts near the expected size (bounded by the budget) rather than rehash up to it. */
  #reserve(expectedKeys: number): boolean {
    let entries = this.#hashes.length;
    while (entries < expectedKeys && (entries * 2) * 20 <= this.#budgetBytes / 2) entries *= 2;
    if (entries === this.#hashes.length) return false;
    this.#slots = new Int32Array(entries * 2);
    this.#hashes = new Int32Array(entries);
    this.#ordinals = new Uint32Array(entries);
    this.#offsets = new Uint32Array(entries);
    return true;
  }

  get bytes(): number {
    return this.#slots.byteLength + this.#hashes.byteLength * 3 + this.#arena.byteLength;
  }

  /**
   * Records a claim. Returns the ordinal that turned out to be a duplicate (this one, or the
   * earlier owner it displaced), -1 when the key is new, or -2 when the budget is full.
   */
  claim(
    ordinal: number,
    recordHash: number,
    bytes: Uint8Array,
    start: number,
    end: number,
  ): number {
    const hash = recordHash | 0;
    const mask = this.#slots.length - 1;
    const length = end - start;
    let slot = hash & mask;
    while (true) {
      const entry = this.#slots[slot] - 1;
      if (entry < 0) break;
      if (this.#hashes[entry] === hash && this.#equals(entry, bytes, start, length)) {
        const owner = this.#ordinals[entry];
        if (ordinal < owner) {
          this.#ordinals[entry] = ordinal;
          return owner;
        }
        return ordinal;
      }
      slot = (slot + 1) & mask;
    }
    // A new key: room for its entry, its bytes (with a u32 length) and a slot.
    const need = this.#arenaFill + 4 + length;
    if (this.#count + 1 > this.#hashes.length || need > this.#arena.length) {
      if (!this.#grow(need)) return -2;
      return this.claim(ordinal, recordHash, bytes, start, end);
    }
    const entry = this.#count++;
    this.#hashes[entry] = hash;
    this.#ordinals[entry] = ordinal;
    this.#offsets[entry] = this.#arenaFill;
    const arena = this.#arena;
    let position = this.#arenaFill;
    arena[position] = length & 0xff;
    arena[position + 1] = (length >>> 8) & 0xff;
    arena[position + 2] = (length >>> 16) & 0xff;
    arena[position + 3] = (length >>> 24) & 0xff;
    position += 4;
    copyBytes(bytes, start, end, arena, position);
    this.#arenaFill = position + length;
    this.#slots[slot] = entry + 1;
    return -1;
  }

  #equals(entry: number, bytes: Uint8Array, start: number, length: number): boolean {
    const arena = this.#arena;
    let position = this.#offsets[entry];
    const stored = (arena[position] | arena[position + 1] << 8 | arena[position + 2] << 16 |
      arena[position + 3] << 24) >>> 0;
    if (stored !== length) return false;
    position += 4;
    for (let index = 0; index < length; index++) {
      if (arena[position + index] !== bytes[start + index]) return false;
    }
    return true;
  }

  /** Doubles what is full; false when that would pass the budget. */
  #grow(arenaNeed: number): boolean {
    const entriesFull = this.#count + 1 > this.#hashes.length;
    const entries = entriesFull ? this.#hashes.length * 2 : this.#hashes.length;
    let arenaBytes = this.#arena.length;
    while (arenaBytes < arenaNeed) arenaBytes *= 2;
    const total = entries * 2 * 4 + entries * 12 + arenaBytes;
    if (total > this.#budgetBytes) return false;
    if (arenaBytes !== this.#arena.length) {
      const arena = new Uint8Array(arenaBytes);
      arena.set(this.#arena.subarray(0, this.#arenaFill));
      this.#arena = arena;
    }
    if (entriesFull) {
      const grow = <T extends Int32Array | Uint32Array>(old: T, make: (n: number) => T): T => {
        const next = make(entries);
        next.set(old);
        return next;
      };
      this.#hashes = grow(this.#hashes, (n) => new Int32Array(n));
      this.#ordinals = grow(this.#ordinals, (n) => new Uint32Array(n));
      this.#offsets = grow(this.#offsets, (n) => new Uint32Array(n));
      this.#slots = buildSlotTable(this.#hashes, this.#count, entries * 2);
    }
    return true;
  }
}

/** This thread's table, reused from partition to partition. */
let cachedTable: OwnerTable | undefined;

/** An empty table for a partition: the cached one when it fits the budget. */
function ownerTable(budgetBytes: number, expectedKeys: number): OwnerTable {
  if (cachedTable !== undefined && cachedTable.bytes <= budgetBytes) {
    cachedTable.reset(budgetBytes, expectedKeys);
  } else {
    cachedTable = new OwnerTable(budgetBytes, expectedKeys);
  }
  return cachedTable;
}

/** A growable list of ordinals. */
class OrdinalList {
  #values = new Uint32Array(1024);
  #length = 0;

  push(value: number): void {
    if (this.#length === this.#values.length) {
      const larger = new Uint32Array(this.#values.length * 2);
      larger.set(this.#values);
      this.#values = larger;
    }
    this.#values[this.#length++] = value;
  }

  pushAll(values: Uint32Array): void {
    for (let index = 0; index < values.length; index++) this.push(values[index]);
  }

  take(): Uint32Array {
    return this.#values.slice(0, this.#length);
  }
}

/**
 * The ordinals of the duplicate claims among the records of `paths` (one partition), using at
 * most about `budgetBytes` for the table of distinct keys. A partition with more distinct keys
 * than that is split by the next hash into files under `directory` (removed again), recursively.
 */
export function resolvePartition(
  paths: readonly string[],
  budgetBytes: number,
  directory: string,
  depth = 0,
): Uint32Array {
  let bytes = 0;
  for (const path of paths) {
    try {
      bytes += Deno.statSync(path).size;
    } catch { /* never written */ }
  }
  // A record is 10 bytes at least and 26 for a UUID: assume most keys are distinct.
  const table = ownerTable(budgetBytes, Math.ceil(bytes / 24));
  const duplicates = new OrdinalList();
  let overflow = false;
  try {
    forEachSpillRecord(paths, (ordinal, hash, bytes, start, end) => {
      if (overflow) return;
      const duplicate = table.claim(ordinal, hash, bytes, start, end);
      if (duplicate === -2) overflow = true;
      else if (duplicate >= 0) duplicates.push(duplicate);
    });
  } catch (error) {
    throw spillError(error, directory);
  }
  if (!overflow) return duplicates.take();
  if (depth >= MAX_SPLIT_DEPTH) {
    throw new Error(`a dedup partition still passes ${budgetBytes} bytes after ${depth} splits`);
  }
  // Too many distinct keys for the budget: split this partition by the next seed and resolve
  // each part on its own.
  const writer = `split${depth}-${crypto.randomUUID().slice(0, 8)}`;
  const splitSeed = 0x5eed + depth;
  const splitter = new SpillWriter(directory, writer, {
    partitions: SPLIT_WAYS,
    seed: splitSeed,
    bufferBytes: 16 << 10,
  });
  try {
    forEachSpillRecord(paths, (ordinal, hash, bytes, start, end) => {
      splitter.addHashed(ordinal, hash, keyHash(bytes, start, end, splitSeed), bytes, start, end);
    });
    splitter.close();
  } catch (error) {
    splitter.abandon();
    throw spillError(error, directory);
  }
  const all = new OrdinalList();
  for (let part = 0; part < SPLIT_WAYS; part++) {
    const partPath = spillPath(directory, writer, part);
    try {
      all.pushAll(resolvePartition([partPath], budgetBytes, directory, depth + 1));
    } finally {
      try {
        Deno.removeSync(partPath);
      } catch { /* never written */ }
    }
  }
  return all.take();
}
