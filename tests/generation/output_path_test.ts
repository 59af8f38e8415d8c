import assert from "node:assert/strict";
import { join } from "node:path";
import { defaultOutputPath, sizeLabel } from "../../src/generation/output_path.ts";

Deno.test("output path: size labels", () => {
  const cases: [number, string][] = [
    [100_000, "100k"],
    [1_000_000, "1m"],
    [10_000_000, "10m"],
    [100_000_000, "100m"],
    [2_500, "2500"],
    [1_500_000, "1500k"],
    [7, "7"],
  ];
  for (const [rows, label] of cases) assert.equal(sizeLabel(rows), label, String(rows));
});

Deno.test("output path: default names under the data directory", () => {
  assert.equal(defaultOutputPath("data", 1_000_000, false), join("data", "input", "dirty_1m.csv"));
  assert.equal(defaultOutputPath("/w", 100_000, true), join("/w", "input", "clean_100k.csv"));
});
