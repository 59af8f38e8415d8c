/**
 * The key census: a first pass over the input that finds every duplicate claim exactly, in bounded
 * memory, for keys of any shape.
 *
 * The workers parse the input as the clean pass will (same records, same claims), and for each row
 * that claims a key write `(claim ordinal, encoded key)` to one of 256 spill files chosen by the
 * key's hash. Equal keys meet in one partition, so each partition is then resolved alone, in a
 * table of its distinct keys (split again by another hash if it passes the budget): every claim
 * but the first of a key is a duplicate. The result is a bitset of duplicate claim ordinals that
 * the clean pass reads instead of keys. Spill files live in one directory that is removed on every
 * way out, Ctrl-C included.
 */
import { UserError } from "../../io/errors.ts";
import { BlockReader } from "../../io/block_reader.ts";
import { openInputBytes } from "../../io/input_bytes.ts";
import type { CleanerSetup } from "../chunk_cleaner.ts";
import type { CensusReply, WorkerRequest } from "../_clean_protocol.ts";
import { InOrder, OrderedPool } from "../../io/ordered_pool.ts";
import { PagedBitset } from "./paged_bitset.ts";
import { type InputBlock, inputBlock, prependCarry } from "../_input_block.ts";
import { CENSUS_PARTITIONS, spillPath } from "./spill.ts";

export interface KeyCensusOptions {
  input: string;
  /** Decompressed bytes before the first data record (BOM and header). */
  dataStart: number;
  /** The input line the first data record starts on. */
  firstLine: number;
  setup: CleanerSetup;
  workers: number;
  blockBytes: number;
  maxRecordBytes: number;
  /** Memory for resolving partitions, shared by the workers. */
  budgetBytes: number;
  /** An empty directory for the spill files (the caller removes it). */
  directory: string;
  /** Called as blocks are counted: records and input bytes (decompressed) so far. */
  onProgress?: (records: number, bytes: number) => void;
}

export interface KeyCensusResult {
  /** Ordinals of the claims that repeat an earlier key. */
  duplicates: PagedBitset;
  claims: number;
  duplicateClaims: number;
  spillBytes: number;
}

type CensusChunk = InputBlock;

/** What a worker's scan of a block found. */
interface CensusScanned {
  consumed: number;
  lineFeeds: number;
  records: number;
  claims: number;
}

/** Runs the census over `options.input`. */
export async function runKeyCensus(options: KeyCensusOptions): Promise<KeyCensusResult> {
  const census = new KeyCensus(options);
  const input = await openInputBytes(options.input);
  const reader = new BlockReader(input.stream);
  try {
    // Skip the BOM and header, which the caller has read already.
    let skip = options.dataStart;
    const skipBuffer = new Uint8Array(Math.min(Math.max(skip, 1), 1 << 20));
    while (skip > 0) {
      const read = await reader.fill(skipBuffer.subarray(0, Math.min(skip, skipBuffer.length)), 0);
      if (read === 0) break;
      skip -= read;
    }
    let view = census.takeBlock();
    let filled = await reader.fill(view, 0);
    let endOfInput = filled < view.length;
    let begin = 0;
    while (true) {
      if (endOfInput) {
        await census.dispatch(view, begin, filled, true);
        break;
      }
      const lineEnd = options.setup.lineEnd;
      let cut = filled - 1;
      while (cut >= begin && view[cut] !== lineEnd) cut--;
      if (cut < begin) {
        if (filled - begin > options.maxRecordBytes) throw recordTooLong(options, census.lineBase);
        const larger = new Uint8Array(new SharedArrayBuffer(view.length * 2));
        larger.set(view.subarray(begin, filled));
        filled -= begin;
        begin = 0;
        view = larger;
      } else {
        await census.dispatch(view, begin, cut + 1, false);
        const next = filled - cut > options.blockBytes
          ? new Uint8Array(new SharedArrayBuffer(filled - cut))
          : census.takeBlock();
        next.set(view.subarray(cut + 1, filled));
        filled -= cut + 1;
        begin = 0;
        view = next;
      }
      filled += await reader.fill(view, filled);
      endOfInput = filled < view.length;
    }
    return await census.resolve();
  } catch (error) {
    await reader.cancel();
    throw error;
  } finally {
    census.terminate();
  }
}

/**
 * The census reads whole records: one past the record limit stops it (the clean pass alone cuts
 * such records; a file needing both is refused rather than read into memory).
 */
function recordTooLong(options: KeyCensusOptions, line: number): UserError {
  return new UserError(
    `${options.input}:${line}: a record longer than ${options.maxRecordBytes} bytes, in a file ` +
      `whose dedup keys need the key census; check the quotes on that line`,
  );
}

/** The census's ordering machinery, like clean-data's: scan anywhere, number claims in order. */
class KeyCensus {
  readonly #options: KeyCensusOptions;
  readonly #pool: OrderedPool<WorkerRequest, CensusReply>;
  readonly #workers: readonly number[];
  readonly #chunks = new Map<number, CensusChunk>();
  /** Blocks scanned, to be numbered in input order. */
  readonly #scanned = new InOrder<CensusScanned>();
  #claims = 0;
  #records = 0;
  #bytes = 0;
  #carry: Uint8Array | undefined;
  #lineBase: number;

  /** The input line the next block to be numbered starts on. */
  get lineBase(): number {
    return this.#lineBase;
  }
  /**
   * Blocks whose chunk is numbered, for reuse: a fresh 12 MiB SharedArrayBuffer per block costs
   * more than the read itself (about 3 s per GB in page faults), so the census recycles them.
   */
  readonly #freeBlocks: Uint8Array[] = [];

  /** An empty block of `blockBytes` to read into. */
  takeBlock(): Uint8Array {
    return this.#freeBlocks.pop() ??
      new Uint8Array(new SharedArrayBuffer(this.#options.blockBytes));
  }

  constructor(options: KeyCensusOptions) {
    this.#options = options;
    this.#lineBase = options.firstLine;
    const count = Math.max(1, options.workers);
    this.#pool = new OrderedPool({
      script: new URL("../clean_worker.ts", import.meta.url),
      name: "clean-data census worker",
      workers: count,
      maxInFlight: count * 2,
      onReply: (reply, worker) => this.#onReply(worker, reply),
    });
    this.#workers = Array.from({ length: count }, (_, index) => index);
    this.#workers.forEach((_, index) => {
      this.#post(index, { type: "setup", setup: options.setup });
      this.#post(index, {
        type: "census-open",
        directory: options.directory,
        writer: `w${index}`,
        // A buffer per partition and worker, within the budget: 16 KiB by default.
        bufferBytes: Math.max(
          256,
          Math.min(16 << 10, Math.floor(options.budgetBytes / 4 / CENSUS_PARTITIONS / count)),
        ),
      });
    });
  }

  async dispatch(view: Uint8Array, begin: number, end: number, final: boolean): Promise<void> {
    const chunkId = await this.#pool.begin();
    const chunk = inputBlock(view, begin, end, final, this.#pool.assign());
    this.#chunks.set(chunkId, chunk);
    this.#scan(chunkId, chunk);
  }

  /** Waits for every spill, closes the files, resolves each partition; returns the duplicates. */
  async resolve(): Promise<KeyCensusResult> {
    await this.#pool.drained();
    const closed = await Promise.all(
      this.#workers.map((_, index) => this.#request(index, { type: "census-close" })),
    );
    const spillBytes = closed.reduce(
      (sum, reply) => sum + (reply.type === "census-closed" ? reply.bytes : 0),
      0,
    );
    const duplicates = new PagedBitset();
    let duplicateClaims = 0;
    const budget = Math.max(1 << 16, Math.floor(this.#options.budgetBytes / this.#workers.length));
    let nextPartition = 0;
    const directory = this.#options.directory;
    const writers = this.#workers.map((_, index) => `w${index}`);
    // Each worker resolves one partition at a time, taking the next when it is done.
    await Promise.all(this.#workers.map(async (_, index) => {
      while (nextPartition < CENSUS_PARTITIONS) {
        const partition = nextPartition++;
        const paths = writers.map((writer) => spillPath(directory, writer, partition));
        const reply = await this.#request(index, {
          type: "resolve",
          paths,
          budgetBytes: budget,
          directory,
        });
        if (reply.type !== "resolved") throw new Error(`unexpected census reply ${reply.type}`);
        for (const ordinal of reply.duplicates) {
          if (duplicates.add(ordinal)) duplicateClaims++;
        }
        await Promise.all(paths.map((path) => Deno.remove(path).catch(() => {})));
      }
    }));
    return { duplicates, claims: this.#claims, duplicateClaims, spillBytes };
  }

  terminate(): void {
    this.#pool.terminate();
  }

  #request(worker: number, request: WorkerRequest): Promise<CensusReply> {
    return this.#pool.request(worker, request);
  }

  #scan(chunkId: number, chunk: CensusChunk): void {
    this.#post(chunk.worker, {
      type: "census-scan",
      chunkId,
      buffer: chunk.buffer!,
      begin: chunk.begin,
      end: chunk.end,
      final: chunk.final,
    });
  }

  #post(worker: number, request: WorkerRequest): void {
    this.#pool.post(worker, request);
  }

  #onReply(worker: number, reply: CensusReply): void {
    switch (reply.type) {
      case "census-scanned": {
        if (!this.#chunks.has(reply.chunkId)) {
          throw new Error(`census reply for unknown chunk ${reply.chunkId}`);
        }
        this.#scanned.put(reply.chunkId, {
          consumed: reply.consumed,
          lineFeeds: reply.lineFeeds,
          records: reply.records,
          claims: reply.claims,
        });
        this.#spillInOrder();
        return;
      }
      case "census-spilled":
        this.#pool.release(worker);
        this.#chunks.delete(reply.chunkId);
        this.#pool.complete();
        return;
      default:
        throw new Error(`unexpected census reply ${reply.type}`);
    }
  }

  /** Numbers claims block by block in input order, re-scanning a block that began mid-record. */
  #spillInOrder(): void {
    while (true) {
      const scanned = this.#scanned.peek();
      if (!scanned) return;
      const chunkId = this.#scanned.next;
      const chunk = this.#chunks.get(chunkId)!;
      if (this.#carry && !chunk.hasCarry) {
        this.#post(chunk.worker, { type: "census-discard", chunkId });
        this.#pool.release(chunk.worker);
        this.#scanned.drop();
        prependCarry(chunk, this.#carry, this.#pool.assign());
        this.#carry = undefined;
        this.#scan(chunkId, chunk);
        return;
      }
      const { consumed, lineFeeds, records, claims } = scanned;
      if (this.#claims + claims > 2 ** 32) {
        throw new UserError(
          `${this.#options.input} has more than 2^32 rows with a dedup key; split it into ` +
            `smaller files.`,
        );
      }
      this.#scanned.take();
      this.#post(chunk.worker, { type: "census-spill", chunkId, firstOrdinal: this.#claims });
      this.#claims += claims;
      this.#lineBase += lineFeeds;
      this.#records += records;
      this.#bytes += consumed - chunk.begin;
      this.#options.onProgress?.(this.#records, this.#bytes);
      this.#carry = consumed < chunk.end
        ? new Uint8Array(chunk.buffer!, consumed, chunk.end - consumed).slice()
        : undefined;
      if (this.#carry && this.#carry.length > this.#options.maxRecordBytes) {
        throw recordTooLong(this.#options, this.#lineBase);
      }
      // The worker is done with the block (its claims are copied out): read the next one into it.
      if (chunk.buffer!.byteLength === this.#options.blockBytes) {
        this.#freeBlocks.push(new Uint8Array(chunk.buffer!));
      }
      chunk.buffer = undefined;
    }
  }
}
