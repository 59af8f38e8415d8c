/**
 * `clean-data` end to end: the dirty CSV of the generate stage → parquet + rejected CSV + report;
 * and the same rows with UUID order IDs, whose duplicates go through the key census (spill files
 * in the OS temp directory) instead of the in-memory bitset.
 */
import { BENCH_AS_OF, type BenchStage, ensureDirtyInput, runDpd } from "../harness.ts";

function cleanStageFor(name: string, idShape: "ord" | "uuid"): BenchStage {
  return {
    name,
    async prepare(context) {
      await ensureDirtyInput(context, idShape);
    },
    async run(context) {
      const input = await ensureDirtyInput(context, idShape);
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
}

export const cleanStage = cleanStageFor("clean-data (CSV → parquet + rejected + report)", "ord");
export const cleanUuidStage = cleanStageFor("clean-data, UUID order IDs (key census)", "uuid");
