/**
 * Bench stage `build-aggregations`: all metric tables from the clean parquet that the clean stage
 * left in the work directory (made first when the stage runs alone). The time is the command's
 * `duration_s`.
 */
import { type BenchStage, cleanParquetPath, ensureCleanParquet, runDpd } from "../harness.ts";

export const aggregateStage: BenchStage = {
  name: "build-aggregations",
  async prepare(context) {
    await ensureCleanParquet(context);
  },
  async run({ rows, workDir }) {
    const parquet = cleanParquetPath(workDir, rows);
    const { summary } = await runDpd([
      "build-aggregations",
      "--cleaned",
      parquet,
      "--data-dir",
      workDir,
    ]);
    return {
      seconds: summary.duration_s,
      rows: summary.rows as number,
      bytes: (await Deno.stat(parquet)).size,
      peakRssBytes: summary.peak_rss_bytes,
    };
  },
};
