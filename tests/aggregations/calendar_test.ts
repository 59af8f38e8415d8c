import assert from "node:assert/strict";
import {
  dayFromEpochSeconds,
  dayLabel,
  monthLabel,
  monthOfDay,
} from "../../src/aggregations/calendar.ts";

Deno.test("monthOfDay agrees with Date over four centuries either side of 1970", () => {
  for (let day = -150_000; day <= 150_000; day += 7) {
    const date = new Date(day * 86_400_000);
    assert.equal(monthOfDay(day), date.getUTCFullYear() * 12 + date.getUTCMonth(), `day ${day}`);
  }
});

Deno.test("days and months of sale_date", () => {
  const cases: [number, number, string, string][] = [
    [0, 0, "1970-01-01", "1970-01"],
    [-86_400, -1, "1969-12-31", "1969-12"],
    [951_782_400, 11_016, "2000-02-29", "2000-02"],
    [1_735_603_200, 20_088, "2024-12-31", "2024-12"],
    [-62_135_596_800, -719_162, "0001-01-01", "0001-01"],
  ];
  for (const [seconds, day, isoDay, isoMonth] of cases) {
    assert.equal(dayFromEpochSeconds(seconds), day);
    assert.equal(dayLabel(day), isoDay);
    assert.equal(monthLabel(monthOfDay(day)), isoMonth);
  }
});
