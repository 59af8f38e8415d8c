/**
 * `generate-data` as a function: writes a synthetic sales CSV (docs/generation.md) with every core, and
 * returns what it wrote. The command and `pipeline` call this.
 *
 * @example Write 10,000 dirty rows, gzipped, with two workers
 * ```ts
 * const result = await generateData({
 *   rows: 10_000,
 *   clean: false,
 *   seed: 42,
 *   asOf: "2026-06-30",
 *   output: "data/input/sales.csv.gz",
 *   workers: 2,
 * });
 * console.log(`${result.rows} rows, ${result.bytes} bytes in ${result.durationSeconds} s`);
 * ```
 */
import { UserError } from "../io/errors.ts";
import { peakRssBytes } from "../cli/summary.ts";
import { AtomicFile, storageUserError, writeAllSync } from "../io/atomic_file.ts";
import { crc32Combine, DEFLATE_END, deflateBlock, GZIP_HEADER, gzipTrailer } from "./_gzip.ts";
import { type FinishedBlock, produceBlocksInOrder } from "./block_pool.ts";
import type { OrderIdShape } from "./order_ids.ts";
import { CSV_HEADER } from "./row_tables.ts";

export { ORDER_ID_SHAPES, type OrderIdShape } from "./order_ids.ts";

/** What {@linkcode generateData} writes: how many rows, which defects, where. */
export interface GenerateDataOptions {
  /** Data rows to write (the header is extra). */
  rows: number;
  /** Valid rows only; otherwise dirty rows with the defects of docs/generation.md. */
  clean: boolean;
  /** The PRNG seed: the same seed, rows and options give the same bytes, whatever `workers`. */
  seed: number;
  /** The last possible sale day, `YYYY-MM-DD`. */
  asOf: string;
  /** The file to write; a name ending in `.gz` is gzip-compressed. */
  output: string;
  /**
   * `ord` (default): `ORD-` + 9 digits. `uuid`: each of those numbers as a UUID-shaped string,
   * one-to-one, so the file has the same rows and the same duplicates otherwise.
   */
  idShape?: OrderIdShape;
  /** Worker threads generating blocks. */
  workers: number;
  /** Called after each block is written, with the rows and bytes (as written) so far. */
  onProgress?: (rows: number, bytes: number) => void;
}

/** What {@linkcode generateData} wrote, and how fast. */
export interface GenerateDataResult {
  /** The file written (as given), or `-` for standard output. */
  output: string;
  /** Data rows written. */
  rows: number;
  /** Bytes written to disk (compressed size for `.gz`). */
  bytes: number;
  /** Bytes of CSV, before any compression. */
  csvBytes: number;
  /** Whether only valid rows were written. */
  clean: boolean;
  /** The seed used. */
  seed: number;
  /** The last possible sale day used, `YYYY-MM-DD`. */
  asOf: string;
  /** The order ID shape written. */
  idShape: OrderIdShape;
  /** Worker threads used. */
  workers: number;
  /** Whether the file is gzip-compressed. */
  compressed: boolean;
  /** Wall-clock time of the run. */
  durationSeconds: number;
  /** `rows / durationSeconds`. */
  rowsPerSecond: number;
  /** The process's peak resident memory during the run. */
  peakRssBytes: number;
}

/** Where finished blocks go: straight to the file, or into one gzip member around them. */
interface BlockSink {
  write(block: FinishedBlock): void;
  close(): void;
}

/** Plain CSV: one synchronous write per block, the main thread's only real work. */
function csvSink(file: OutputFile): BlockSink {
  return {
    write: (block) => file.writeSync(block.bytes),
    close: () => {},
  };
}

/** Blocks the workers deflated, framed as one gzip file (see `_gzip.ts`). */
function gzipSink(file: OutputFile): BlockSink {
  let crc32 = 0;
  let csvBytes = 0;
  file.writeSync(GZIP_HEADER);
  return {
    write(block) {
      file.writeSync(block.bytes);
      crc32 = crc32Combine(crc32, block.crc32!, block.csvBytes);
      csvBytes += block.csvBytes;
    },
    close() {
      file.writeSync(DEFLATE_END);
      file.writeSync(gzipTrailer(crc32, csvBytes));
    },
  };
}

/** The header line, as a block of its own. */
function headerBlock(compressed: boolean): FinishedBlock {
  const header = new TextEncoder().encode(CSV_HEADER);
  if (!compressed) return { bytes: header, rows: 0, csvBytes: header.length };
  const { deflated, crc32 } = deflateBlock(header);
  return { bytes: new Uint8Array(deflated), rows: 0, csvBytes: header.length, crc32 };
}

/** Where the CSV goes: a file written atomically, or standard output (`--output -`). */
type OutputFile = Pick<AtomicFile, "writeSync" | "bytesWritten" | "commit" | "abort">;

/** The output path that means standard output. */
export const STANDARD_OUTPUT = "-";

/** Standard output as an {@linkcode OutputFile}: written as it comes, nothing to rename or remove. */
function standardOutput(): OutputFile {
  const output = {
    bytesWritten: 0,
    writeSync(bytes: Uint8Array) {
      try {
        writeAllSync(Deno.stdout as unknown as Deno.FsFile, bytes);
      } catch (error) {
        if (error instanceof Deno.errors.BrokenPipe) {
          throw new UserError(
            "standard output was closed before the CSV was complete (the reader stopped early)",
            { cause: error },
          );
        }
        throw storageUserError("standard output", error);
      }
      output.bytesWritten += bytes.length;
    },
    commit: () => Promise.resolve(),
    abort: () => Promise.resolve(),
  };
  return output;
}

/** Writes the file and returns what was written. Throws {@linkcode UserError} for bad paths. */
export async function generateData(options: GenerateDataOptions): Promise<GenerateDataResult> {
  const started = performance.now();
  const compressed = options.output.toLowerCase().endsWith(".gz");
  // A FIFO or device at the path is streamed into, never replaced by a regular file.
  const file: OutputFile = options.output === STANDARD_OUTPUT
    ? standardOutput()
    : await AtomicFile.create(options.output, { stream: true });
  let csvBytes = 0;
  try {
    const sink = compressed ? gzipSink(file) : csvSink(file);
    const header = headerBlock(compressed);
    sink.write(header);
    csvBytes += header.csvBytes;
    let rowsWritten = 0;
    await produceBlocksInOrder({
      rows: options.rows,
      workers: options.workers,
      seed: options.seed,
      dirty: !options.clean,
      asOf: options.asOf,
      idShape: options.idShape,
      compress: compressed,
      consume: (block) => {
        sink.write(block);
        csvBytes += block.csvBytes;
        rowsWritten += block.rows;
        options.onProgress?.(rowsWritten, file.bytesWritten);
      },
    });
    sink.close();
    await file.commit();
  } catch (error) {
    await file.abort();
    throw storageUserError(options.output, error);
  }
  const durationSeconds = (performance.now() - started) / 1000;
  return {
    output: options.output,
    rows: options.rows,
    bytes: file.bytesWritten,
    csvBytes,
    clean: options.clean,
    seed: options.seed,
    asOf: options.asOf,
    idShape: options.idShape ?? "ord",
    workers: options.workers,
    compressed,
    durationSeconds,
    rowsPerSecond: options.rows / durationSeconds,
    peakRssBytes: peakRssBytes(),
  };
}
