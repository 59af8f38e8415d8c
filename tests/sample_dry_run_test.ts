import assert from "node:assert/strict";
import { join } from "node:path";
import { sampleDryRun } from "../src/sample_dry_run.ts";
import { PROJECT_ROOT } from "./_dpd.ts";
import { AS_OF, generateInto } from "./generation/_generated.ts";

/** [what the case is, the sample files (generated with these rows), the input rows counted]. */
const CASES: [string, [string, number][], number][] = [
  ["one file", [["a.csv", 300]], 300],
  ["several files read as one sample (no --name needed)", [["a.csv", 300], ["b.csv", 200]], 500],
];

for (const [name, files, inputRows] of CASES) {
  Deno.test(`sampleDryRun: ${name}, counted and nothing written`, async () => {
    const directory = await Deno.makeTempDir({ prefix: "dpd-dry-run-" });
    try {
      const paths = [];
      for (const [file, rows] of files) {
        await generateInto(directory, file, { rows, seed: rows });
        paths.push(join(directory, file));
      }
      const { summary, lines } = await sampleDryRun({
        sample: paths.length === 1 ? paths[0] : paths,
        lookupsDir: join(PROJECT_ROOT, "lookups"),
        asOf: AS_OF,
        quiet: true,
      });
      assert.equal(summary.input_rows, inputRows);
      assert.equal(
        (summary.clean_rows as number) + (summary.rejected_rows as number),
        inputRows,
      );
      assert.equal(lines[0], "dry-run clean of the sample (nothing written):");
      assert.match(lines[1], new RegExp(`^input ${inputRows} rows = clean `));
      const left = [];
      for await (const entry of Deno.readDir(directory)) left.push(entry.name);
      assert.deepEqual(left.sort(), files.map(([file]) => file).sort());
    } finally {
      await Deno.remove(directory, { recursive: true });
    }
  });
}
