/**
 * `clean-data` end to end: the dirty CSV of the generate stage → parquet + rejected CSV + report.
 */
import { BENCH_AS_OF, type BenchStage, ensureDirtyInput, runDpd } from "../harness.ts";

export const cleanStage: BenchStage = {
  name: "clean-data (CSV → parquet + rejected + report)",
  async prepare(context) {
    await ensureDirtyInput(context);
  },
  async run(context) {
    const input = await ensureDirtyInput(context);
    const { summary } = await runDpd([
      "clean-data",
      "--input",
      input,
      "--data-dir",
      context.workDir,
      "--as-of",
      BENCH_AS_OF,
    ]);
    return {
      seconds: summary.duration_s,
      rows: summary.input_rows as number,
      bytes: (await Deno.stat(input)).size,
      peakRssBytes: summary.peak_rss_bytes,
    };
  },
};
