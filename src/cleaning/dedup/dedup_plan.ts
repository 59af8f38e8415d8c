/**
 * Choosing how clean-data applies rule 2 (`duplicate_order_id`) to a file, before the clean pass:
 *
 * - **in memory** when the first rows' keys are compact (the generator's IDs, or a constant prefix
 *   and digits): the clean pass claims keys in a {@linkcode KeySet}, as fast as before;
 * - **key census** otherwise (UUIDs, free text, composite keys), or when the in-memory set passed
 *   its budget on an earlier attempt: a first pass finds every duplicate through spill files
 *   ({@linkcode runKeyCensus}), and the clean pass reads the answer by claim ordinal.
 *
 * Either way the result is exact and the memory is bounded by `budgetBytes`, not by the rows.
 */
import { join } from "node:path";
import { tmpdir } from "node:os";
import { Progress } from "../../cli/progress.ts";
import { ChunkCleaner, type CleanerSetup } from "../chunk_cleaner.ts";
import { removeOnInterrupt } from "../../io/atomic_file.ts";
import { CensusJudge, type ClaimJudge, InMemoryJudge } from "./claim_judge.ts";
import { type CensusInput, runKeyCensus } from "./key_census.ts";
import { DedupBudgetExceeded, KeySet } from "./key_set.ts";
import { spillError } from "./spill.ts";

/**
 * Memory for dedup keys: enough for every possible `ORD-#########` number (119 MiB of bits), and
 * what resolving a census partition may use in all.
 */
export const DEFAULT_DEDUP_BUDGET_BYTES = 160 << 20;
/** Bytes of the first block whose keys decide the mode. */
const SAMPLE_BYTES = 1 << 20;

export interface DedupPlanOptions {
  /** The run's files in order, their headers read: the census reads them all. */
  files: CensusInput[];
  setup: CleanerSetup;
  /** The first file's first block as read, from its first data byte (after the header). */
  firstBlock: Uint8Array;
  /** Whether the first block holds the whole input (of every file). */
  wholeInput: boolean;
  workers: number;
  blockBytes: number;
  maxRecordBytes: number;
  budgetBytes: number;
  /** Where spill directories go; default the OS temp directory (`TMPDIR`). */
  spillDir?: string;
  /** Skip the in-memory attempt (the previous one passed the budget). */
  census: boolean;
  /** No progress on stderr. */
  quiet?: boolean;
  /** The inputs' size in bytes when that is what the census reads (no `.gz` among them). */
  totalBytes?: number;
}

export interface DedupPlan {
  judge: ClaimJudge;
  /** Whether the clean pass must send key texts to the judge. */
  claimKeys: boolean;
  mode: "memory" | "census";
}

/** Whether the keys of the first rows call for the census rather than the in-memory set. */
export function sampleNeedsCensus(options: DedupPlanOptions): boolean {
  if (options.wholeInput) return false;
  const block = options.firstBlock;
  let end = Math.min(block.length, SAMPLE_BYTES);
  while (end > 0 && block[end - 1] !== 0x0a) end--;
  if (end === 0) return false;
  const cleaner = new ChunkCleaner(options.setup);
  const scan = cleaner.scan(0, block, 0, end, false);
  cleaner.discard(0);
  // Keys that scatter bitset pages (random 15-digit numbers) pass the budget within the sample.
  const keys = new KeySet(options.budgetBytes);
  let textIndex = 0;
  try {
    for (let claim = 0; claim < scan.claimNumbers.length; claim++) {
      if (scan.claimNumbers[claim] >= 0) keys.claimNumber(scan.claimNumbers[claim]);
      else keys.claimText(scan.claimTexts[textIndex++]);
    }
  } catch (error) {
    if (error instanceof DedupBudgetExceeded) return true;
    throw error;
  }
  // A few odd keys fit in memory; more than 1 in 200 would pass the budget on a large file.
  return keys.oddKeys * 200 > scan.claimNumbers.length;
}

/** Decides the mode and, for the census, runs it; spill files are gone when this returns. */
export async function planDedup(options: DedupPlanOptions): Promise<DedupPlan> {
  if (!options.census && !sampleNeedsCensus(options)) {
    return { judge: new InMemoryJudge(options.budgetBytes), claimKeys: true, mode: "memory" };
  }
  const parent = options.spillDir ?? tmpdir();
  // Named and registered before it exists: a Ctrl-C that lands while the directory is being made
  // still removes it.
  const directory = join(parent, `dpd-dedup-${crypto.randomUUID().slice(0, 8)}`);
  const forget = removeOnInterrupt(directory);
  try {
    await Deno.mkdir(directory, { recursive: false });
  } catch (error) {
    forget();
    throw spillError(error, parent);
  }
  // The census reads the whole input before the clean pass starts: say so rather than sit silent.
  const progress = new Progress({
    label: "clean-data: finding duplicate keys (pass 1 of 2)",
    totalBytes: options.totalBytes,
    quiet: options.quiet,
  });
  try {
    const result = await runKeyCensus({
      files: options.files,
      setup: options.setup,
      workers: options.workers,
      blockBytes: options.blockBytes,
      maxRecordBytes: options.maxRecordBytes,
      budgetBytes: options.budgetBytes,
      directory,
      onProgress: (rows, bytes) => progress.update({ rows, bytes }),
    });
    progress.finish();
    return {
      judge: new CensusJudge(result.duplicates, result.claims),
      claimKeys: false,
      mode: "census",
    };
  } finally {
    await removeSpillDirectory(directory);
    forget();
  }
}

/**
 * Removes the spill directory. A worker told to stop may finish one synchronous write first, and
 * a file created during the removal makes it fail: try again until the directory is gone.
 */
async function removeSpillDirectory(directory: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      await Deno.remove(directory, { recursive: true });
      return;
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
