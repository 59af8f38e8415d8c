/**
 * The key census: a first pass over the input that finds every duplicate claim exactly, in bounded
 * memory, for keys of any shape.
 *
 * The workers parse the input files as the clean pass will, in the same order (file, then line) (same records, same claims), and for each row
 * that claims a key write `(claim ordinal, encoded key)` to one of 256 spill files chosen by the
 * key's hash. Equal keys meet in one partition, so each partition is then resolved alone, in a
 * table of its distinct keys (split again by another hash if it passes the budget): every claim
 * but the first of a key is a duplicate. The result is a bitset of duplicate claim ordinals that
 * the clean pass reads instead of keys. Spill files live in one directory that is removed on every
 * way out, Ctrl-C included.
 */
import { UserError } from "../../io/errors.ts";
import { type InputBlocks, openInputBlocks } from "../../io/input_blocks.ts";
import type { CleanerSetup } from "../chunk_cleaner.ts";
import type { CensusReply, WorkerRequest } from "../_clean_protocol.ts";
import { InOrder, OrderedPool } from "../../io/ordered_pool.ts";
import { PagedBitset } from "./paged_bitset.ts";
import { type InputBlock, inputBlock, prependCarry } from "../_input_block.ts";
import { CENSUS_PARTITIONS, spillPath } from "./spill.ts";

/** One input file of the census, its header already read by the caller. */
export interface CensusInput {
  path: string;
  /** Decompressed bytes before the first data record (BOM and header). */
  dataStart: number;
  /** The input line the first data record starts on. */
  firstLine: number;
  /** The file's line end (files of one run may differ). */
  lineEnd: number;
}

export interface KeyCensusOptions {
  /** The run's files, in order: claims are numbered across them as the clean pass counts. */
  files: CensusInput[];
  /** The workers' setup; each file's `lineEnd` replaces its own. */
  setup: CleanerSetup;
  workers: number;
  blockBytes: number;
  maxRecordBytes: number;
  /** Memory for resolving partitions, shared by the workers. */
  budgetBytes: number;
  /** An empty directory for the spill files (the caller removes it). */
  directory: string;
  /**
   * Called as blocks are counted: records and input bytes (decompressed, headers included) so far.
   */
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

/** Runs the census over `options.files`. */
export async function runKeyCensus(options: KeyCensusOptions): Promise<KeyCensusResult> {
  const census = new KeyCensus(options);
  try {
    for (let index = 0; index < options.files.length; index++) {
      const file = options.files[index];
      if (index > 0) await census.startFile(file);
      await censusFile(census, file, options);
    }
    return await census.resolve();
  } finally {
    census.terminate();
  }
}

/** Reads one file into blocks cut at line ends and hands them to the census, the last as final. */
async function censusFile(
  census: KeyCensus,
  file: CensusInput,
  options: KeyCensusOptions,
): Promise<void> {
  // The BOM and header were read by the caller.
  const input: InputBlocks = await openInputBlocks(file.path, file.dataStart);
  try {
    let view = census.takeBlock();
    let filled = await input.fill(view, 0);
    let endOfInput = filled < view.length;
    let begin = 0;
    while (true) {
      if (endOfInput) {
        await census.dispatch(view, begin, filled, true);
        break;
      }
      const cut = view.lastIndexOf(file.lineEnd, filled - 1);
      if (cut < begin) {
        if (filled - begin > options.maxRecordBytes) {
          throw recordTooLong(file.path, options, census.lineBase);
        }
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
      filled += await input.fill(view, filled);
      endOfInput = filled < view.length;
    }
  } finally {
    await input.cancel();
  }
}

/**
 * The census reads whole records: one past the record limit stops it (the clean pass alone cuts
 * such records; a file needing both is refused rather than read into memory).
 */
function recordTooLong(path: string, options: KeyCensusOptions, line: number): UserError {
  return new UserError(
    `${path}:${line}: a record longer than ${options.maxRecordBytes} bytes, in a file ` +
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
  /** The file being read, and the line its next block to be numbered starts on. */
  #file: CensusInput;
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
    this.#file = options.files[0];
    this.#lineBase = this.#file.firstLine;
    this.#bytes = this.#file.dataStart;
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
      this.#post(index, {
        type: "setup",
        setup: { ...options.setup, lineEnd: this.#file.lineEnd },
      });
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

  /**
   * Moves on to the next file once every block of the last one is numbered and spilled (a block
   * re-scanned after a worker's setup changed would be read with the wrong line end).
   */
  async startFile(file: CensusInput): Promise<void> {
    await this.#pool.drained();
    this.#file = file;
    this.#lineBase = file.firstLine;
    this.#bytes += file.dataStart;
    for (let index = 0; index < this.#workers.length; index++) {
      this.#post(index, {
        type: "setup",
        setup: { ...this.#options.setup, lineEnd: file.lineEnd },
      });
    }
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
    // Each worker resolves one partition at a time and has the next one queued: it goes on as
    // soon as it is done, not after a round trip to this thread (on a busy machine, waiting to be
    // scheduled for each of 256 partitions adds up). Spill files are removed meanwhile.
    const removals: Promise<void>[] = [];
    const queued = this.#workers.flatMap((_, index) => [index, index]);
    await Promise.all(queued.map(async (index) => {
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
        removals.push(...paths.map((path) => Deno.remove(path).catch(() => {})));
      }
    }));
    await Promise.all(removals);
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
          `${this.#file.path}: the run has more than 2^32 rows with a dedup key; clean its ` +
            `files in smaller runs.`,
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
        throw recordTooLong(this.#file.path, this.#options, this.#lineBase);
      }
      // The worker is done with the block (its claims are copied out): read the next one into it.
      if (chunk.buffer!.byteLength === this.#options.blockBytes) {
        this.#freeBlocks.push(new Uint8Array(chunk.buffer!));
      }
      chunk.buffer = undefined;
    }
  }
}
