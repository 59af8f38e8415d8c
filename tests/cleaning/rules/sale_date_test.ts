import assert from "node:assert/strict";
import { UserError } from "../../../src/io/errors.ts";
import {
  classifySaleDate,
  parseSaleDate,
  saleDateBounds,
} from "../../../src/cleaning/rules/sale_date.ts";
import { civilFromDays, daysFromCivil } from "../../../src/cleaning/rules/_calendar.ts";
import { seededRandom } from "../../_seeded_random.ts";

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 by `Date`, an independent reference (setUTCFullYear handles years < 100). */
function referenceDays(year: number, month: number, day: number): number {
  return new Date(0).setUTCFullYear(year, month - 1, day) / MS_PER_DAY;
}

/** Raw field → [year, month, day], or `undefined` for `invalid_sale_date` (docs/cleaning.md). */
const PARSE_CASES: [string, [number, number, number] | undefined][] = [
  ["2024-01-05", [2024, 1, 5]], // YYYY-M-D
  ["2024-1-5", [2024, 1, 5]],
  ["1/5/2024", [2024, 1, 5]], // M/D/YYYY
  ["01/05/2024", [2024, 1, 5]],
  ["5-1-2024", [2024, 1, 5]], // D-M-YYYY
  ["05-01-2024", [2024, 1, 5]],
  ["2024/1/5", [2024, 1, 5]], // YYYY/M/D
  ["2024/01/05", [2024, 1, 5]],
  ["12/31/2023", [2023, 12, 31]],
  ["31-12-2023", [2023, 12, 31]],
  ["  2024-01-05\t", [2024, 1, 5]],
  ["\u00a02024-01-05\u3000", [2024, 1, 5]], // trimmed like JS trim()
  ["2024-02-29", [2024, 2, 29]],
  ["2000-02-29", [2000, 2, 29]],
  ["0001-01-01", [1, 1, 1]], // year 1 works, no two-digit-year quirk
  ["1969-12-31", [1969, 12, 31]],
  ["9999-12-31", [9999, 12, 31]],
  ["", undefined],
  ["   ", undefined],
  ["not a date", undefined],
  ["2023-13-45", undefined],
  ["2023-02-29", undefined], // not a leap year
  ["1900-02-29", undefined], // century, not a leap year
  ["2024-04-31", undefined],
  ["2024-00-10", undefined],
  ["2024-01-00", undefined],
  ["0000-01-01", undefined], // year ≥ 1
  ["13/1/2024", undefined], // M/D/YYYY: no month 13
  ["1-13-2024", undefined], // D-M-YYYY: no month 13
  ["2024-1/5", undefined], // mixed separators
  ["1/5-2024", undefined],
  ["5/1-2024", undefined],
  ["2024.01.05", undefined],
  ["20240105", undefined],
  ["24-1-5", undefined], // 2-digit year
  ["1-5-24", undefined],
  ["12024-01-05", undefined], // 5-digit year
  ["2024-001-05", undefined],
  ["2024-01-005", undefined],
  ["2024-01-05T00:00:00Z", undefined],
  ["2024-01-05 10:00", undefined],
  ["+2024-01-05", undefined],
  ["2024-01-05\u0085", undefined], // NEL is not whitespace to trim()
  ["\u0662\u0660\u0662\u0664-\u0660\u0661-\u0660\u0665", undefined], // Arabic-Indic digits
  ["\uff12\uff10\uff12\uff14-01-05", undefined], // fullwidth digits
  ["Jan 5, 2024", undefined],
];

for (const [raw, expected] of PARSE_CASES) {
  Deno.test(`parseSaleDate(${JSON.stringify(raw)}) = ${expected?.join("-")}`, () => {
    assert.equal(parseSaleDate(raw), expected && referenceDays(...expected));
  });
}

Deno.test("parseSaleDate(1970-01-01) is day 0", () => {
  assert.equal(parseSaleDate("1970-01-01"), 0);
  assert.equal(parseSaleDate("1969-12-31"), -1);
});

/** As-of → [first valid day, last valid day] (docs/cleaning.md: inclusive, Feb 29 → Feb 28). */
const BOUNDS_CASES: [string, [number, number, number], [number, number, number]][] = [
  ["2024-06-15", [2004, 6, 15], [2025, 6, 15]],
  ["2024-02-29", [2004, 2, 29], [2025, 2, 28]], // 2004 is a leap year, 2025 is not
  ["2120-02-29", [2100, 2, 28], [2121, 2, 28]], // 2100 is not a leap year
  ["2023-12-31", [2003, 12, 31], [2024, 12, 31]],
  ["0021-03-01", [1, 3, 1], [22, 3, 1]],
];

for (const [asOf, first, last] of BOUNDS_CASES) {
  Deno.test(`saleDateBounds(${asOf}) = ${first.join("-")} .. ${last.join("-")}`, () => {
    assert.deepEqual(saleDateBounds(asOf), {
      firstDay: referenceDays(...first),
      lastDay: referenceDays(...last),
    });
  });
}

for (const asOf of ["2024-02-30", "2023-02-29", "2024-1-5", "05/01/2024", "", " 2024-01-05", "x"]) {
  Deno.test(`saleDateBounds(${JSON.stringify(asOf)}) throws a UserError`, () => {
    assert.throws(() => saleDateBounds(asOf), UserError);
  });
}

/** [as-of, raw field, expected day or reason]. */
const CLASSIFY_CASES: [string, string, [number, number, number] | string][] = [
  ["2024-06-15", "2004-06-15", [2004, 6, 15]], // exactly 20 years back: in range
  ["2024-06-15", "2004-06-14", "sale_date_out_of_range"], // one day more
  ["2024-06-15", "2025-06-15", [2025, 6, 15]], // exactly 1 year ahead: in range
  ["2024-06-15", "2025-06-16", "sale_date_out_of_range"], // one day more
  ["2024-06-15", "6/16/2025", "sale_date_out_of_range"],
  ["2024-06-15", "14-6-2004", "sale_date_out_of_range"],
  ["2024-06-15", "2024-06-15", [2024, 6, 15]],
  ["2024-06-15", "1999-12-31", "sale_date_out_of_range"],
  ["2024-06-15", "0001-01-01", "sale_date_out_of_range"],
  ["2024-02-29", "2004-02-29", [2004, 2, 29]],
  ["2024-02-29", "2004-02-28", "sale_date_out_of_range"],
  ["2024-02-29", "2025-02-28", [2025, 2, 28]],
  ["2024-02-29", "2025-03-01", "sale_date_out_of_range"],
  ["2024-06-15", "", "invalid_sale_date"],
  ["2024-06-15", "2023-13-45", "invalid_sale_date"],
  ["2024-06-15", "2023-02-29", "invalid_sale_date"],
  ["2024-06-15", "not a date", "invalid_sale_date"],
];

for (const [asOf, raw, expected] of CLASSIFY_CASES) {
  const shown = typeof expected === "string" ? expected : expected.join("-");
  Deno.test(`classifySaleDate(${JSON.stringify(raw)}) as of ${asOf} = ${shown}`, () => {
    const bounds = saleDateBounds(asOf);
    const want = typeof expected === "string" ? expected : referenceDays(...expected);
    assert.equal(classifySaleDate(raw, bounds), want);
  });
}

Deno.test("calendar arithmetic matches Date on 20,000 random days of years 1–9999", () => {
  const random = seededRandom(1970);
  const firstDay = referenceDays(1, 1, 1);
  const lastDay = referenceDays(9999, 12, 31);
  for (let index = 0; index < 20_000; index++) {
    const days = firstDay + Math.floor(random() * (lastDay - firstDay + 1));
    const date = new Date(days * MS_PER_DAY);
    const [year, month, day] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    assert.equal(daysFromCivil(year, month, day), days);
    assert.deepEqual(civilFromDays(days), { year, month, day });
    const [yyyy, mm, dd] = [String(year).padStart(4, "0"), String(month), String(day)];
    const formats = [`${yyyy}-${mm}-${dd}`, `${mm}/${dd}/${yyyy}`, `${dd}-${mm}-${yyyy}`];
    for (const text of [...formats, `${yyyy}/${mm.padStart(2, "0")}/${dd}`]) {
      assert.equal(parseSaleDate(text), days, text);
    }
  }
});
