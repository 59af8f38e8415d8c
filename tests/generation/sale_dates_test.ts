import assert from "node:assert/strict";
import {
  buildDayOffsetTable,
  dayWeight,
  epochDayToParts,
  formatSaleDate,
  isoToEpochDay,
} from "../../src/generation/sale_dates.ts";

Deno.test("sale dates: day numbers and calendar parts agree, leap days included", () => {
  const cases: [string, number][] = [
    ["1970-01-01", 0],
    ["2000-02-29", 11_016],
    ["2024-12-31", 20_088],
  ];
  for (const [iso, day] of cases) {
    assert.equal(isoToEpochDay(iso), day);
    const { year, month, day: dayOfMonth } = epochDayToParts(day);
    assert.equal(
      `${year}-${String(month).padStart(2, "0")}-${String(dayOfMonth).padStart(2, "0")}`,
      iso,
    );
  }
});

Deno.test("sale dates: the four spellings", () => {
  const day = isoToEpochDay("2024-03-07");
  const cases: [Parameters<typeof formatSaleDate>[1], string][] = [
    ["iso", "2024-03-07"],
    ["us", "03/07/2024"],
    ["european", "07-03-2024"],
    ["slashed", "2024/03/07"],
  ];
  for (const [format, expected] of cases) assert.equal(formatSaleDate(day, format), expected);
});

Deno.test("sale dates: demand grows towards as-of and peaks in November–December", () => {
  const asOf = isoToEpochDay("2025-06-30");
  assert.ok(dayWeight(asOf, 0) > dayWeight(asOf, 700));
  const november = asOf - isoToEpochDay("2024-11-15");
  const october = asOf - isoToEpochDay("2024-10-15");
  assert.ok(dayWeight(asOf, november) > dayWeight(asOf, october) * 1.4);
  const table = buildDayOffsetTable(asOf);
  assert.equal(table.length, 65_536);
  assert.equal(table[0], 0);
  assert.equal(table[table.length - 1], 729);
  for (let index = 1; index < table.length; index++) assert.ok(table[index] >= table[index - 1]);
});
