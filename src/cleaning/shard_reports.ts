/**
 * The reports of a sharded run: `clean-data --shard K/N` writes one report per shard
 * (`<name>_shard-K-of-N_clean_report.json`, src/cleaning/output_names.ts), and every reader that
 * treats those N runs as one run (build-aggregations, the dashboard) finds them here and adds them
 * up with {@linkcode sumCleanCounts} (src/cleaning/clean_report.ts).
 *
 * @example
 * ```ts
 * import { readShardReportSets } from "./shard_reports.ts";
 * const [set] = await readShardReportSets("data/reports", "sales");
 * if (set) console.log(`${set.shards.length} of ${set.count} shards done`, set.missing);
 * ```
 */
import { join } from "node:path";
import { errorMessage, UserError } from "../io/errors.ts";
import { parseCleanReport, type StoredCleanReport } from "./clean_report.ts";
import { parseShardReportName } from "./output_names.ts";

/** One shard's report as read. */
export interface ShardReport {
  /** K of `--shard K/N`. */
  index: number;
  path: string;
  /** When the report was written (ms since the epoch). */
  modifiedMs: number;
  report: StoredCleanReport;
}

/** The shard reports of one dataset cut into one number of shards. */
export interface ShardReportSet {
  /** The dataset's name: `sales`. */
  name: string;
  /** N of `--shard K/N`. */
  count: number;
  /** The shards whose reports exist, in shard order. */
  shards: ShardReport[];
  /** The shards without a report yet, in order (empty: the set is complete). */
  missing: number[];
}

/**
 * Every set of shard reports of `name` in `directory`, one per shard count, fewest shards first;
 * empty when there are none (or no such directory). Two sets mean reports of an older run cut
 * into another number of shards are still there: the caller decides which one it reads.
 */
export async function readShardReportSets(
  directory: string,
  name: string,
): Promise<ShardReportSet[]> {
  const byCount = new Map<number, Map<number, string>>();
  try {
    for await (const entry of Deno.readDir(directory)) {
      const parsed = parseShardReportName(entry.name);
      if (!entry.isFile || !parsed || parsed.name !== name) continue;
      const { index, count } = parsed.shard;
      if (index >= count) continue; // not a name clean-data writes
      if (!byCount.has(count)) byCount.set(count, new Map());
      byCount.get(count)!.set(index, join(directory, entry.name));
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw new UserError(`cannot list ${directory}: ${errorMessage(error)}`, { cause: error });
  }
  const sets: ShardReportSet[] = [];
  for (const count of [...byCount.keys()].sort((a, b) => a - b)) {
    const paths = byCount.get(count)!;
    const shards: ShardReport[] = [];
    const missing: number[] = [];
    for (let index = 0; index < count; index++) {
      const path = paths.get(index);
      if (path === undefined) {
        missing.push(index);
        continue;
      }
      let text: string;
      let modifiedMs: number;
      try {
        text = await Deno.readTextFile(path);
        modifiedMs = (await Deno.stat(path)).mtime?.getTime() ?? 0;
      } catch (error) {
        throw new UserError(`cannot read ${path}: ${errorMessage(error)}`, { cause: error });
      }
      shards.push({ index, path, modifiedMs, report: parseCleanReport(text, path) });
    }
    sets.push({ name, count, shards, missing });
  }
  return sets;
}
