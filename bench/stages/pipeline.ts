/**
 * `pipeline` end to end from nothing: generate → update-lookups → clean → aggregate, as
 * `deno task start` runs it (without serving the dashboard). Each run starts from an empty
 * workspace and a copy of the shipped lookups, so generation is timed too and the repository's
 * lookups are never touched.
 */
import { join } from "node:path";
import { BENCH_AS_OF, type BenchStage, PROJECT_ROOT, runDpd } from "../harness.ts";

export const pipelineStage: BenchStage = {
  name: "pipeline (generate → lookups → clean → aggregate)",
  async run({ rows, workDir }) {
    const runDir = join(workDir, "pipeline");
    await Deno.remove(runDir, { recursive: true }).catch(() => {});
    const lookupsDir = join(runDir, "lookups");
    await Deno.mkdir(lookupsDir, { recursive: true });
    for await (const entry of Deno.readDir(join(PROJECT_ROOT, "lookups"))) {
      await Deno.copyFile(join(PROJECT_ROOT, "lookups", entry.name), join(lookupsDir, entry.name));
    }
    const { summary } = await runDpd([
      "pipeline",
      "--rows",
      String(rows),
      "--as-of",
      BENCH_AS_OF,
      "--data-dir",
      join(runDir, "data"),
      "--lookups-dir",
      lookupsDir,
    ]);
    const input = summary.input as string;
    const measurement = {
      seconds: summary.duration_s,
      rows,
      bytes: (await Deno.stat(input)).size,
      peakRssBytes: summary.peak_rss_bytes,
    };
    // The generated input is as large as the benchmark's own: do not keep two.
    await Deno.remove(runDir, { recursive: true });
    return measurement;
  },
};
