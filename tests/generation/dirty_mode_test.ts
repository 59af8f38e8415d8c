/**
 * Dirty mode measured from the outside: each defect of docs/generation.md is recognised in the file by the
 * test's own rules (never by asking the generator what it did) and counted over 200,000 rows.
 */
import assert from "node:assert/strict";
import { CATEGORIES, PRODUCT_CATEGORY_BY_NAME } from "../../src/generation/catalogue.ts";
import { REGION_ABBREVIATIONS, REGIONS } from "../../src/generation/regions.ts";
import { AS_OF, generateAndRead } from "./_generated.ts";
import { levenshtein, regionKey } from "./_levenshtein.ts";
import { dateBounds, DECIMAL, dirtyRevenue, EMAIL, parseSaleDate } from "./_validation.ts";

const ROWS = 200_000;
const file = await generateAndRead({ rows: ROWS });
const rows = file.rows;
const bounds = dateBounds(AS_OF);
const categoryKeys = CATEGORIES.map((category) => category.toLowerCase());

/** Counts rows by a classifier's verdict. */
function tally(classify: (row: string[]) => string | undefined): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const verdict = classify(row);
    if (verdict !== undefined) counts.set(verdict, (counts.get(verdict) ?? 0) + 1);
  }
  return counts;
}

/** Asserts each expected share of all rows within ±20% relative (docs/generation.md's tolerance). */
function assertRates(field: string, counts: Map<string, number>, expected: Record<string, number>) {
  for (const [verdict, share] of Object.entries(expected)) {
    const measured = (counts.get(verdict) ?? 0) / ROWS;
    const error = Math.abs(measured - share) / share;
    assert.ok(
      error <= 0.2,
      `${field} ${verdict}: measured ${(measured * 100).toFixed(3)}%, ` +
        `expected ${(share * 100).toFixed(3)}% ± 20%`,
    );
  }
}

Deno.test("dirty order_id: 1% re-use a recent ID, 0.1% blank", () => {
  const seen = new Map<string, number>();
  const counts = new Map<string, number>();
  rows.forEach((row, index) => {
    const id = row[0];
    if (id.trim() === "") {
      counts.set("blank", (counts.get("blank") ?? 0) + 1);
      return;
    }
    assert.match(id, /^ORD-\d{9}$/);
    const first = seen.get(id);
    if (first === undefined) seen.set(id, index);
    else {
      assert.ok(index - first <= 1_000, `${id} re-used ${index - first} rows later`);
      counts.set("duplicate", (counts.get("duplicate") ?? 0) + 1);
    }
  });
  assertRates("order_id", counts, { duplicate: 0.01, blank: 0.001 });
});

Deno.test("dirty product_name: 5% typos, 0.1% blank", () => {
  const names = [...PRODUCT_CATEGORY_BY_NAME.keys()];
  const checked = new Set<string>();
  const counts = tally(([, product]) => {
    if (product.trim() === "") return "blank";
    if (PRODUCT_CATEGORY_BY_NAME.has(product)) return undefined;
    if (!checked.has(product)) {
      checked.add(product);
      const near = names.some((name) =>
        Math.abs(name.length - product.length) <= 2 && levenshtein(product, name) <= 2
      );
      assert.ok(near, `${product} is no typo of a catalogue name`);
    }
    return "typo";
  });
  assertRates("product_name", counts, { typo: 0.05, blank: 0.001 });
});

Deno.test("dirty category: 10% mislabelled, 18% typos, 1% junk", () => {
  let knownProducts = 0;
  const counts = tally(([, product, category]) => {
    const truth = PRODUCT_CATEGORY_BY_NAME.get(product);
    if (truth !== undefined) knownProducts++;
    if (CATEGORIES.includes(category as typeof CATEGORIES[number])) {
      return truth === undefined || truth === category ? undefined : "mislabelled";
    }
    const key = category.trim().toLowerCase();
    return categoryKeys.some((canonical) => levenshtein(key, canonical) <= 2) ? "typo" : "junk";
  });
  // Mislabelling is measured on rows whose product name identifies the true category.
  const mislabelled = (counts.get("mislabelled") ?? 0) / knownProducts;
  assert.ok(Math.abs(mislabelled - 0.1) / 0.1 <= 0.2, `mislabelled ${mislabelled}`);
  assertRates("category", counts, { typo: 0.18, junk: 0.01 });
});

Deno.test("dirty quantity: 1% zero, 1% negative, 0.5% oversized, 1% non-numeric", () => {
  const counts = tally(([, , , quantity]) => {
    if (!/^-?\d+$/.test(quantity)) return "non-numeric";
    const value = Number(quantity);
    if (value === 0) return "zero";
    if (value < 0) return "negative";
    if (value >= 1_000) {
      assert.ok(value <= 100_000);
      return "oversized";
    }
    return undefined;
  });
  assertRates("quantity", counts, {
    zero: 0.01,
    negative: 0.01,
    oversized: 0.005,
    "non-numeric": 0.01,
  });
});

Deno.test("dirty unit_price: 0.3% invalid (negative, over 50,000 or not a number)", () => {
  const counts = tally(([, , , , price]) => {
    if (!DECIMAL.test(price.trim())) return "invalid";
    const value = Number(price);
    return value < 0 || value > 50_000 ? "invalid" : undefined;
  });
  assertRates("unit_price", counts, { invalid: 0.003 });
});

Deno.test("dirty discount_percent: 0.5% extreme (0.85–0.99), 1% bad (negative or over 1)", () => {
  const counts = tally(([, , , , , discount]) => {
    assert.ok(DECIMAL.test(discount), discount);
    const value = Number(discount);
    if (value < 0 || value > 1) return "bad";
    if (value >= 0.85 && value <= 0.99) return "extreme";
    assert.ok(value <= 0.8, `an ordinary discount of ${value}`);
    return undefined;
  });
  assertRates("discount_percent", counts, { extreme: 0.005, bad: 0.01 });
});

/** The canonical region a raw value resolves to by docs/lookups.md's rules, if any. */
function resolveRegion(raw: string): string | undefined {
  const key = regionKey(raw);
  const exact = REGIONS.find((region) => regionKey(region) === key);
  if (exact) return exact;
  if (key in REGION_ABBREVIATIONS) return REGION_ABBREVIATIONS[key];
  const distances = REGIONS.map((region) => levenshtein(key, regionKey(region)));
  const nearest = Math.min(...distances);
  const winners = REGIONS.filter((_, index) => distances[index] === nearest);
  return nearest <= 2 && winners.length === 1 ? winners[0] : undefined;
}

Deno.test("dirty region: 15% variants over ≥ 12 spellings each ≤ 1.5%, 1% unknown", () => {
  const spellings = new Map<string, number>();
  const counts = tally(([, , , , , , region]) => {
    if ((REGIONS as readonly string[]).includes(region)) return undefined;
    if (resolveRegion(region) === undefined) return "unknown";
    spellings.set(region, (spellings.get(region) ?? 0) + 1);
    return "variant";
  });
  assertRates("region", counts, { variant: 0.15, unknown: 0.01 });
  assert.ok(spellings.size >= 12, `${spellings.size} spellings`);
  for (const [spelling, count] of spellings) {
    assert.ok(count / ROWS <= 0.015, `${JSON.stringify(spelling)}: ${count / ROWS}`);
  }
});

Deno.test("dirty sale_date: 3% blank, 10% other formats, 1% junk, 0.5% out of range", () => {
  const counts = tally(([, , , , , , , date]) => {
    if (date.trim() === "") return "blank";
    const sale = parseSaleDate(date);
    if (sale === undefined) return "junk";
    if (sale.day < bounds.earliest || sale.day > bounds.latest) return "out of range";
    assert.ok(sale.day <= bounds.asOfDay && sale.day > bounds.asOfDay - 730, date);
    return sale.format === "iso" ? undefined : "other format";
  });
  assertRates("sale_date", counts, {
    blank: 0.03,
    "other format": 0.1,
    junk: 0.01,
    "out of range": 0.005,
  });
  const formats = new Set(rows.map((row) => parseSaleDate(row[7])?.format));
  for (const format of ["iso", "us", "european", "slashed"] as const) {
    assert.ok(formats.has(format));
  }
});

Deno.test("dirty customer_email: 15% blank, 5% malformed, random capitals", () => {
  let capitals = 0;
  const counts = tally(([, , , , , , , , email]) => {
    if (email.trim() === "") return "blank";
    if (email !== email.toLowerCase()) capitals++;
    return EMAIL.test(email.trim().toLowerCase()) ? undefined : "malformed";
  });
  assertRates("customer_email", counts, { blank: 0.15, malformed: 0.05 });
  const capitalShare = capitals / (ROWS * 0.85);
  assert.ok(capitalShare > 0.05 && capitalShare < 0.2, `capitals in ${capitalShare} of emails`);
});

Deno.test("dirty revenue: the formula over the dirty values, normalised", () => {
  for (const row of rows) {
    const expected = dirtyRevenue(row[3], row[4], row[5]);
    // `===`, not Object.is: a zero revenue from a negative price is -0 by the formula.
    assert.ok(Number(row[9]) === expected, `${row.join(",")}: expected ${expected}`);
    assert.match(row[9], /^-?\d+\.\d\d$/);
  }
});

Deno.test("dirty mode keeps canonical names frequent and every other spelling rare", () => {
  const shares = (column: number, key: (raw: string) => string) => {
    const counts = new Map<string, number>();
    for (const row of rows) {
      const value = key(row[column]);
      if (value !== "") counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    return new Map([...counts].map(([value, count]) => [value, count / ROWS]));
  };
  const categoryShares = shares(2, (raw) => raw.trim().toLowerCase());
  const regionShares = shares(6, regionKey);
  for (
    const [canonicals, measured] of [[categoryKeys, categoryShares], [
      REGIONS.map(regionKey),
      regionShares,
    ]] as const
  ) {
    for (const [value, share] of measured) {
      if (canonicals.includes(value)) assert.ok(share > 0.04, `${value}: ${share}`);
      else assert.ok(share < 0.015, `${JSON.stringify(value)}: ${share}`);
    }
    for (const canonical of canonicals) assert.ok(measured.has(canonical), canonical);
  }
});
