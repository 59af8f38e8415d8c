/**
 * The real stages behind a re-run: `cleanData` and `buildAggregations`, called in process with
 * progress callbacks and without their own progress lines.
 */
import { buildAggregations } from "../../src/aggregations/build_aggregations.ts";
import { cleanData } from "../../src/cleaning/clean_data.ts";
import { cleanSettings, type RerunSteps } from "./rerun_job.ts";

export const PIPELINE_RERUN_STEPS: RerunSteps = {
  async clean(options) {
    const { report } = await cleanData({
      ...cleanSettings(options),
      output: options.output,
      quiet: true,
      onProgress: options.onProgress,
    });
    return {
      inputRows: report.input_rows,
      cleanRows: report.clean_rows,
      rejectedRows: report.rejected_rows,
      reasons: { ...report.reasons },
    };
  },
  async aggregate(options) {
    const result = await buildAggregations({
      dataDir: options.dataDir,
      cleaned: options.cleaned,
      quiet: true,
      onProgress: options.onProgress,
    });
    return { tables: result.tables.length };
  },
};
