/**
 * `update-lookups`: the three lookup builders over the shared dirty input (one read of the sample,
 * two columns counted), then the dry-run clean of the sample, writing into a scratch copy of the
 * shipped lookups so the repository's files are never touched.
 */
import { join } from "node:path";
import {
  BENCH_AS_OF,
  type BenchStage,
  ensureDirtyInput,
  PROJECT_ROOT,
  runDpd,
} from "../harness.ts";

function scratchLookupsDir(workDir: string): string {
  return join(workDir, "bench_lookups");
}

export const lookupsStage: BenchStage = {
  name: "update-lookups (3 builders + dry-run clean)",
  async prepare(context) {
    await ensureDirtyInput(context);
    const scratch = scratchLookupsDir(context.workDir);
    await Deno.mkdir(scratch, { recursive: true });
    for (const name of ["common_categories.json", "common_regions.json", "region_map.json"]) {
      await Deno.copyFile(join(PROJECT_ROOT, "lookups", name), join(scratch, name));
    }
  },
  async run(context) {
    const input = await ensureDirtyInput(context);
    const { summary } = await runDpd([
      "update-lookups",
      input,
      "--lookups-dir",
      scratchLookupsDir(context.workDir),
      "--data-dir",
      context.workDir,
      "--as-of",
      BENCH_AS_OF,
    ]);
    return {
      seconds: summary.duration_s,
      rows: summary.rows as number,
      bytes: (await Deno.stat(input)).size,
      peakRssBytes: summary.peak_rss_bytes,
    };
  },
};
