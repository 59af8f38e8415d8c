import assert from "node:assert/strict";
import {
  daysFromIsoDate,
  formatAge,
  formatBytes,
  formatCompact,
  formatValue,
  humanize,
  isoDateFromDays,
} from "../../dashboard/shared/format.ts";

Deno.test("formatValue shows each format the way a table cell should", () => {
  const cases: [unknown, Parameters<typeof formatValue>[1], string][] = [
    [1234567.891, "money", "1,234,567.89"],
    [0.5, "money", "0.50"],
    [1234567, "count", "1,234,567"],
    [0.1234, "percent", "12.34%"],
    [0.05, "percent", "5.0%"],
    [19_723, "date", "2024-01-01"],
    ["2024-01", "text", "2024-01"],
    ["<b>", "text", "<b>"],
    [null, "money", "—"],
    [undefined, "count", "—"],
    ["", "text", "—"],
    [Number.NaN, "count", "NaN"],
  ];
  for (const [value, format, expected] of cases) {
    assert.equal(formatValue(value, format), expected, `${String(value)} as ${format}`);
  }
});

Deno.test("ISO dates round-trip through days since 1970 and reject impossible days", () => {
  for (const iso of ["1970-01-01", "2000-02-29", "2024-12-31", "1969-12-31"]) {
    assert.equal(isoDateFromDays(daysFromIsoDate(iso)!), iso);
  }
  for (const bad of ["2023-02-29", "2024-13-01", "2024-1-1", "x", "2024-04-31", ""]) {
    assert.equal(daysFromIsoDate(bad), undefined, bad);
  }
});

Deno.test("compact, byte, age and name formats", () => {
  assert.equal(formatCompact(1_250_000, "money"), "1.3M");
  assert.equal(formatCompact(0.256, "percent"), "25.6%");
  assert.equal(formatBytes(999), "999 B");
  assert.equal(formatBytes(9_500), "9.5 kB");
  assert.equal(formatBytes(123_000_000), "123 MB");
  const now = Date.UTC(2025, 0, 10);
  assert.equal(formatAge(now - 10_000, now), "just now");
  assert.equal(formatAge(now - 5 * 60_000, now), "5 min ago");
  assert.equal(formatAge(now - 3 * 3_600_000, now), "3 h ago");
  assert.equal(formatAge(now - 3 * 86_400_000, now), "3 days ago");
  assert.equal(humanize("monthly_category_sales"), "Monthly category sales");
});
