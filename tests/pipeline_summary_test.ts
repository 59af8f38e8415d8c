/** The pipeline's end-of-run summary, from a real run under a deep directory: 80 columns, separators. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { describePipeline, runPipeline } from "../src/pipeline.ts";
import { TERMINAL_COLUMNS } from "../src/cli/summary.ts";

Deno.test("the pipeline summary fits 80 columns with long paths; counts carry separators", async () => {
  const root = await Deno.makeTempDir({ prefix: "dpd-summary-" });
  const deep = join(root, "a-rather-long-project-directory", "with-nested", "workspace-folders");
  try {
    const result = await runPipeline({
      rows: 2_000,
      clean: false,
      seed: 42,
      asOf: "2026-11-28",
      dataDir: join(deep, "data"),
      lookupsDir: join(deep, "lookups"),
      quiet: true,
      workers: 1,
    });
    const lines = describePipeline(result);
    for (const line of lines) assert.ok(line.length <= TERMINAL_COLUMNS, `${line.length}: ${line}`);
    const text = lines.join("\n");
    assert.match(text, /^generate-data +2,000 /m);
    assert.match(text, /^input 2,000 rows = clean [\d,]+ \+ rejected [\d,]+$/m);
    // Every output path is still there, whole once its wrapped pieces are joined.
    const joined = lines.map((line) => line.trim()).join("");
    for (const stage of result.stages) {
      for (const output of stage.outputs) assert.ok(joined.includes(output), output);
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
