import assert from "node:assert/strict";
import {
  CATEGORIES,
  CATEGORY_DISCOUNT_RANGES,
  CATEGORY_PRICE_RANGES,
  JUNK_CATEGORIES,
  PRODUCT_CATEGORY_BY_NAME,
  PRODUCTS,
} from "../../src/generation/catalogue.ts";
import { categoryTypos } from "../../src/generation/typos.ts";
import { levenshtein } from "./_levenshtein.ts";

Deno.test("catalogue: at least 40 base products over the 8 categories, 2 to 4 names each", () => {
  assert.equal(CATEGORIES.length, 8);
  assert.ok(PRODUCTS.length >= 40, `${PRODUCTS.length} products`);
  for (const category of CATEGORIES) {
    assert.ok(PRODUCTS.some((entry) => entry.category === category), `${category} has products`);
  }
  for (const entry of PRODUCTS) {
    assert.ok(entry.names.length >= 2 && entry.names.length <= 4, `${entry.key}: ${entry.names}`);
  }
});

Deno.test("catalogue: names are unique, and some hold a comma or a double quote", () => {
  const names = PRODUCTS.flatMap((entry) => entry.names);
  assert.equal(new Set(names).size, names.length);
  assert.equal(PRODUCT_CATEGORY_BY_NAME.size, names.length);
  assert.ok(names.some((name) => name.includes(",")));
  assert.ok(names.some((name) => name.includes('"')));
  assert.ok(names.every((name) => name === name.trim() && !/[\r\n]/.test(name)));
});

Deno.test("catalogue: every product's price range (base ±15%) lies in its category band", () => {
  for (const entry of PRODUCTS) {
    const band = CATEGORY_PRICE_RANGES[entry.category];
    assert.ok(band.min > 0 && band.max <= 50_000);
    assert.ok(entry.basePrice * 0.85 >= band.min, `${entry.key} cheaper than its band`);
    assert.ok(entry.basePrice * 1.15 <= band.max, `${entry.key} dearer than its band`);
    assert.ok(Number.isInteger(entry.maxQuantity) && entry.maxQuantity >= 1);
    assert.ok(entry.maxQuantity < 1_000, "ordinary quantities stay below the oversized range");
  }
});

Deno.test("catalogue: discount ranges are fractions under the heavy-discount and extreme bands", () => {
  for (const category of CATEGORIES) {
    const { odds, min, max } = CATEGORY_DISCOUNT_RANGES[category];
    assert.ok(odds > 0 && odds < 1);
    assert.ok(0 < min && min <= max && max <= 0.8, `${category}: ${min}..${max}`);
  }
});

Deno.test("catalogue: categories are far apart, so a typo is nearest its own category", () => {
  for (const category of CATEGORIES) {
    for (const typo of categoryTypos(category)) {
      const key = typo.trim().toLowerCase();
      const distances = CATEGORIES.map((other) => levenshtein(key, other.toLowerCase()));
      const own = distances[CATEGORIES.indexOf(category)];
      assert.ok(own <= 2, `${JSON.stringify(typo)} is ${own} edits from ${category}`);
      distances.forEach((distance, index) => {
        if (CATEGORIES[index] !== category) {
          assert.ok(distance > 2, `${JSON.stringify(typo)} is near ${CATEGORIES[index]}`);
        }
      });
    }
  }
  for (const junk of JUNK_CATEGORIES) {
    const key = junk.trim().toLowerCase();
    assert.ok(CATEGORIES.every((category) => levenshtein(key, category.toLowerCase()) > 2));
  }
});
