/**
 * `generate-data` (dirty, every core): writes the dirty CSV that every later stage reads, at
 * `<workDir>/dirty_<rows>.csv`; the last run's file is kept for them.
 */
import { BENCH_AS_OF, type BenchStage, dirtyInputPath, runDpd } from "../harness.ts";

export const generateStage: BenchStage = {
  name: "generate-data (dirty)",
  async run(context) {
    // Replacing the previous run's file would add the kernel's freeing of its pages (~0.5 s per
    // GB here) to the timing: remove it first, outside the measured run.
    await Deno.remove(dirtyInputPath(context.workDir, context.rows)).catch(() => {});
    const { summary } = await runDpd([
      "generate-data",
      "--rows",
      String(context.rows),
      "--output",
      dirtyInputPath(context.workDir, context.rows),
      "--as-of",
      BENCH_AS_OF,
    ]);
    return {
      seconds: summary.duration_s,
      rows: summary.rows as number,
      bytes: summary.bytes as number,
      peakRssBytes: summary.peak_rss_bytes,
    };
  },
};
