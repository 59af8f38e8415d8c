import assert from "node:assert/strict";
import { CATEGORY_PRICE_RANGES, PRODUCT_CATEGORY_BY_NAME } from "../../src/generation/catalogue.ts";
import { REGIONS } from "../../src/generation/regions.ts";
import { AS_OF, generateAndRead } from "./_generated.ts";
import { dateBounds, DECIMAL, EMAIL, parseSaleDate, QUANTITY, revenueOf } from "./_validation.ts";

const ROWS = 200_000;
const file = await generateAndRead({ rows: ROWS, clean: true });
const { asOfDay } = dateBounds(AS_OF);

Deno.test("clean mode: every row passes every rule of docs/cleaning.md", () => {
  assert.equal(file.rows.length, ROWS);
  file.rows.forEach((row, index) => {
    const [orderId, product, category, quantity, price, discount, region, date, email, revenue] =
      row;
    const where = `row ${index + 1}: ${row.join(",")}`;
    assert.equal(orderId, `ORD-${String(index + 1).padStart(9, "0")}`, where);
    assert.equal(PRODUCT_CATEGORY_BY_NAME.get(product), category, where);
    assert.match(quantity, /^[0-9]+$/, where);
    assert.ok(QUANTITY.test(quantity) && Number(quantity) > 0, where);
    assert.ok(DECIMAL.test(price), where);
    const band = CATEGORY_PRICE_RANGES[category as keyof typeof CATEGORY_PRICE_RANGES];
    assert.ok(Number(price) >= band.min && Number(price) <= band.max, where);
    assert.ok(Number(price) <= 50_000, where);
    assert.match(price, /^\d+\.\d\d$/, where);
    assert.ok(DECIMAL.test(discount), where);
    assert.ok(Number(discount) >= 0 && Number(discount) <= 0.8, where);
    assert.ok((REGIONS as readonly string[]).includes(region), where);
    const sale = parseSaleDate(date);
    assert.ok(sale && sale.format === "iso" && /^\d{4}-\d\d-\d\d$/.test(date), where);
    assert.ok(sale.day <= asOfDay && sale.day > asOfDay - 730, where);
    assert.equal(email, email.trim().toLowerCase(), where);
    assert.match(email, EMAIL, where);
    assert.match(revenue, /^\d+\.\d\d$/, where);
    const expected = revenueOf(Number(quantity), Number(price), Number(discount));
    assert.equal(Number(revenue), expected, where);
    assert.ok(expected >= 0 && expected <= 1_000_000, where);
  });
});

Deno.test("clean mode: recent days are favoured and November–December boosted", () => {
  const perDay = new Map<number, number>();
  for (const row of file.rows) {
    const day = parseSaleDate(row[7])!.day;
    perDay.set(day, (perDay.get(day) ?? 0) + 1);
  }
  let olderYear = 0, recentYear = 0;
  const holiday = { rows: 0, days: 0 }, other = { rows: 0, days: 0 };
  for (let day = asOfDay - 729; day <= asOfDay; day++) {
    const rows = perDay.get(day) ?? 0;
    if (day > asOfDay - 365) recentYear += rows;
    else olderYear += rows;
    const month = new Date(day * 86_400_000).getUTCMonth() + 1;
    const bucket = month >= 11 ? holiday : other;
    bucket.rows += rows;
    bucket.days++;
  }
  assert.ok(recentYear > olderYear * 1.2, `recent ${recentYear} vs older ${olderYear}`);
  const holidayRate = holiday.rows / holiday.days, otherRate = other.rows / other.days;
  assert.ok(holidayRate > otherRate * 1.3, `Nov–Dec ${holidayRate}/day vs ${otherRate}/day`);
});

Deno.test("clean mode: values are spread over the catalogue, regions and names", () => {
  const distinct = (column: number) => new Set(file.rows.map((row) => row[column])).size;
  assert.equal(distinct(1), PRODUCT_CATEGORY_BY_NAME.size);
  assert.equal(distinct(6), REGIONS.length);
  assert.ok(distinct(8) > 50_000, "emails vary");
  assert.ok(file.rows.some((row) => Number(row[5]) > 0), "some discounts");
  assert.ok(file.rows.some((row) => Number(row[3]) > 1), "some quantities above 1");
});
