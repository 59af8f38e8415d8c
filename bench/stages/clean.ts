/**
 * `clean-data` end to end: the dirty CSV of the generate stage → parquet + rejected CSV + report.
 */
import { join } from "node:path";
import { type BenchStage, runDpd, sizeLabel } from "../harness.ts";

/** The input every later stage shares: what the generate stage writes. */
export function dirtyInputPath(workDir: string, rows: number): string {
  return join(workDir, `dirty_${sizeLabel(rows)}.csv`);
}

export const cleanStage: BenchStage = {
  name: "clean-data (dirty CSV → parquet)",
  async prepare({ rows, workDir }) {
    const input = dirtyInputPath(workDir, rows);
    try {
      await Deno.stat(input);
    } catch {
      await runDpd(["generate-data", "--rows", String(rows), "--output", input, "--as-of", AS_OF]);
    }
  },
  async run({ rows, workDir }) {
    const input = dirtyInputPath(workDir, rows);
    const { summary } = await runDpd([
      "clean-data",
      "--input",
      input,
      "--data-dir",
      workDir,
      "--as-of",
      AS_OF,
    ]);
    return {
      seconds: summary.duration_s,
      rows: summary.input_rows as number,
      bytes: (await Deno.stat(input)).size,
      peakRssBytes: summary.peak_rss_bytes,
    };
  },
};

/** A fixed as-of date keeps the benchmark's data (and so its timings) the same every day. */
export const AS_OF = "2026-11-28";
