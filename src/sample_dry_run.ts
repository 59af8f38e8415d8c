/**
 * The dry run `update-lookups` ends with: the sample cleaned with the new lookups, counted, nothing
 * written. It runs the cleaning stage for a lookups command, so it sits above both stages, beside
 * the pipeline; main.ts hands it to the update-lookups command.
 */
import { cleanData } from "./cleaning/clean_data.ts";
import { describeCleanReport } from "./cleaning/describe_clean_report.ts";
import type { SampleDryRunOptions, SampleDryRunResult } from "./lookups/command.ts";

/** Cleans `options.sample` without writing anything: its counts and its lines for people. */
export async function sampleDryRun(options: SampleDryRunOptions): Promise<SampleDryRunResult> {
  const { report } = await cleanData({
    input: options.sample,
    // Several inputs need a name; the dry run writes nothing under it.
    name: typeof options.sample === "string" || options.sample.length === 1 ? undefined : "sample",
    lookupsDir: options.lookupsDir,
    asOf: options.asOf,
    columns: options.columns,
    dryRun: true,
    quiet: options.quiet,
  });
  return {
    summary: {
      input_rows: report.input_rows,
      clean_rows: report.clean_rows,
      rejected_rows: report.rejected_rows,
      reasons: report.reasons,
      anomalies: report.anomalies,
    },
    lines: ["dry-run clean of the sample (nothing written):", ...describeCleanReport(report)],
  };
}
