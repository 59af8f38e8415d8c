import assert from "node:assert/strict";
import { formatTable, TERMINAL_COLUMNS, wrapCell } from "../../src/cli/summary.ts";

Deno.test("formatTable: numbers with thousands separators, right-aligned; '-' keeps a column numeric", () => {
  assert.deepEqual(
    formatTable(["stage", "rows"], [["clean-data", 1_234_567], ["generate-data", "-"], ["x", 12]]),
    [
      "stage               rows",
      "-------------  ---------",
      "clean-data     1,234,567",
      "generate-data          -",
      "x                     12",
    ],
  );
});

Deno.test("formatTable: a table wider than 80 columns wraps its widest text column inside the cell", () => {
  const path = "/home/someone/projects/sales/data/aggregations/monthly_category_sales.parquet";
  const lines = formatTable(
    ["stage", "rows", "time", "outputs"],
    [
      ["clean-data", 10_000_000, "7.7 s", `${path}, /home/someone/projects/sales/data/rejected`],
      ["build-aggregations", 9_500_000, "1.6 s", "data/aggregations"],
    ],
  );
  for (const line of lines) assert.ok(line.length <= TERMINAL_COLUMNS, `${line.length}: ${line}`);
  assert.equal(lines[2].slice(0, 32), "clean-data          10,000,000  ");
  // The wrapped cell reads back as the whole value, continuation lines under its column.
  const start = lines[0].indexOf("outputs");
  const cell = lines.slice(2, -1).map((line) => line.slice(start)).join("");
  assert.equal(cell.replaceAll(" ", ""), `${path},/home/someone/projects/sales/data/rejected`);
  assert.ok(lines.slice(3, -1).every((line) => line.slice(0, start).trim() === ""));
  // A cell with one value per line keeps them one per line.
  assert.deepEqual(formatTable(["stage", "outputs"], [["clean", "a.parquet\nb.csv"]]), [
    "stage  outputs",
    "-----  ---------",
    "clean  a.parquet",
    "       b.csv",
  ]);
  assert.equal(lines.at(-1), "build-aggregations   9,500,000  1.6 s  data/aggregations");
});

Deno.test("wrapCell breaks after a separator when it can, anywhere when it must", () => {
  const cases: [string, number, string[]][] = [
    ["short", 10, ["short"]],
    ["data/clean/x.parquet", 12, ["data/clean/", "x.parquet"]],
    ["a.csv, b.csv", 8, ["a.csv,", "b.csv"]],
    ["abcdefghij", 4, ["abcd", "efgh", "ij"]],
    ["a.csv\nb/c.csv", 4, ["a.cs", "v", "b/", "c.cs", "v"]],
  ];
  for (const [text, width, expected] of cases) assert.deepEqual(wrapCell(text, width), expected);
});
