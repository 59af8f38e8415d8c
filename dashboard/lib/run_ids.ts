/**
 * Which run wrote a parquet file: the `dpd.run_id` of its footer (docs/schemas.md, "How outputs
 * are published"), read once per version of the file. The dashboard uses it to show only sets
 * that belong together.
 */
import { openParquetDataset } from "../../src/io/parquet_dataset.ts";
import { footerValue } from "../../src/io/publish.ts";
import { FileDerivedCache } from "./file_cache.ts";

const runIds = new FileDerivedCache<string | undefined>(64);

/**
 * The run id in `path`'s footer; undefined for files of older versions (or not dpd's). For a
 * dataset directory, the run id its files share; {@linkcode MIXED_RUNS} when they differ (the
 * parts of `clean-data --shard` runs, or a dataset caught mid-publish).
 */
export function parquetRunId(path: string): Promise<string | undefined> {
  return runIds.get(path, async (path) => {
    using dataset = await openParquetDataset(path);
    const ids = new Set(dataset.files.map((file) => footerValue(file.metadata)));
    return ids.size === 1 ? [...ids][0] : MIXED_RUNS;
  });
}

/** The run id of a dataset whose files come from several runs. */
export const MIXED_RUNS = "several runs";
