/**
 * `update-lookups`: the three lookup builders over the generate stage's dirty file (one read of the
 * sample, two columns counted), writing into a scratch copy of the shipped lookups so the
 * repository's files are never touched.
 */
import { join } from "node:path";
import { type BenchStage, PROJECT_ROOT, runDpd, sizeLabel } from "../harness.ts";

/** The generate stage's dirty file, shared with the later stages (same name, same as-of). */
function dirtyInputPath(workDir: string, rows: number): string {
  return join(workDir, `dirty_${sizeLabel(rows)}.csv`);
}

const AS_OF = "2026-11-28";

function scratchLookupsDir(workDir: string): string {
  return join(workDir, "bench_lookups");
}

export const lookupsStage: BenchStage = {
  name: "update-lookups (sample → 3 lookups)",
  async prepare({ rows, workDir }) {
    const input = dirtyInputPath(workDir, rows);
    try {
      await Deno.stat(input);
    } catch {
      await runDpd(["generate-data", "--rows", String(rows), "--output", input, "--as-of", AS_OF]);
    }
    const scratch = scratchLookupsDir(workDir);
    await Deno.mkdir(scratch, { recursive: true });
    for (const name of ["common_categories.json", "common_regions.json", "region_map.json"]) {
      await Deno.copyFile(join(PROJECT_ROOT, "lookups", name), join(scratch, name));
    }
  },
  async run({ rows, workDir }) {
    const input = dirtyInputPath(workDir, rows);
    const { summary } = await runDpd([
      "update-lookups",
      input,
      "--lookups-dir",
      scratchLookupsDir(workDir),
      "--data-dir",
      workDir,
    ]);
    return {
      seconds: summary.duration_s,
      rows: summary.rows as number,
      bytes: (await Deno.stat(input)).size,
      peakRssBytes: summary.peak_rss_bytes,
    };
  },
};
