/**
 * Which run wrote a parquet file: the `dpd.run_id` of its footer (docs/schemas.md, "How outputs
 * are published"), read once per version of the file. The dashboard uses it to show only sets
 * that belong together.
 */
import { openParquet } from "../../src/io/parquet_read.ts";
import { footerValue } from "../../src/io/publish.ts";
import { FileDerivedCache } from "./file_cache.ts";

const runIds = new FileDerivedCache<string | undefined>(64);

/** The run id in `path`'s footer; undefined for files of older versions (or not dpd's). */
export function parquetRunId(path: string): Promise<string | undefined> {
  return runIds.get(path, async (path) => {
    using file = await openParquet(path);
    return footerValue(file.metadata);
  });
}
