import assert from "node:assert/strict";
import { CategoryMatcher } from "../../src/lookups/category_matcher.ts";

const CANONICAL = ["Electronics", "Books", "Home & Kitchen", "Toys", "Sports", "Clothing"];

/** [canonical list, raw field, canonical match or `undefined` for `unknown_category`]. */
const CASES: [readonly string[], string, string | undefined][] = [
  [CANONICAL, "Electronics", "Electronics"],
  [CANONICAL, "electronics", "Electronics"],
  [CANONICAL, "  ELECTRONICS\t", "Electronics"],
  [CANONICAL, "home & kitchen", "Home & Kitchen"],
  [CANONICAL, "Electronis", "Electronics"], // distance 1 (a dropped letter)
  [CANONICAL, "Elcetronics", "Electronics"], // distance 2 (a swap)
  [CANONICAL, "Electronicss", "Electronics"], // distance 1 (a doubled letter)
  [CANONICAL, "Elecctronicss", "Electronics"], // distance 2
  [CANONICAL, "Eleccttronicss", undefined], // distance 3
  [CANONICAL, "Home &  Kitchen", "Home & Kitchen"], // a stray space is one edit
  [CANONICAL, "Home and Kitchen", undefined], // distance 3
  [CANONICAL, "Home  &  Kitchen", "Home & Kitchen"], // category keys keep inner spaces: 2 edits
  [CANONICAL, "Home   &   Kitchen", undefined], // 4 edits
  [CANONICAL, "Tyos", "Toys"],
  [CANONICAL, "", undefined], // blank is never a category
  [CANONICAL, "   ", undefined],
  [CANONICAL, "N/A", undefined],
  [CANONICAL, "misc", undefined],
  [CANONICAL, "???", undefined],
  [["home & KITCHEN"], "Home & Kitchen", "home & KITCHEN"], // output is the entry as written
  // Ties go to the entry first in the array.
  [["Cart", "Card"], "cars", "Cart"],
  [["Card", "Cart"], "cars", "Card"],
  [["Bolts", "Boots"], "bots", "Bolts"],
  [["Boots", "Bolts"], "bots", "Boots"],
  // An exact key wins over an earlier entry at distance 1.
  [["Books", "Book"], "book", "Book"],
  [["Books", "Book"], "boks", "Books"],
  // A nearer entry wins over an earlier farther one.
  [["Sports", "Sport"], "sporx", "Sport"],
  // Code points, not UTF-16 units: each emoji is one edit.
  [["Toys"], "Toys😀😀", "Toys"],
  [["Toys"], "Toys😀😀😀", undefined],
  [["Café"], "CAFE", "Café"],
  [["Électronique"], "ÉLECTRONIQUE", "Électronique"],
  [[], "Electronics", undefined],
];

for (const [canonical, raw, expected] of CASES) {
  Deno.test(
    `CategoryMatcher(${JSON.stringify(canonical)}).match(${JSON.stringify(raw)}) = ${expected}`,
    () => {
      const matcher = new CategoryMatcher(canonical);
      assert.equal(matcher.match(raw), expected);
      assert.equal(matcher.match(raw), expected, "a remembered answer differs");
    },
  );
}

Deno.test("CategoryMatcher stays right after remembering more raw values than its memo holds", () => {
  const matcher = new CategoryMatcher(CANONICAL);
  for (let index = 0; index < 120_000; index++) {
    assert.equal(matcher.match(`junk value ${index}`), undefined);
  }
  assert.equal(matcher.match("Elcetronics"), "Electronics");
  assert.equal(matcher.match("Electronics"), "Electronics");
  assert.equal(matcher.match("sprots"), "Sports");
});

Deno.test("CategoryMatcher keeps its own copy of the canonical list", () => {
  const canonical = ["Books"];
  const matcher = new CategoryMatcher(canonical);
  canonical[0] = "Toys";
  assert.equal(matcher.match("books"), "Books");
});

Deno.test("category_map.json places variants beyond 2 edits; an exact canonical key still wins", () => {
  const matcher = new CategoryMatcher(["Home & Kitchen", "Books", "Kitchen"], {
    "home and kitchen": "home & kitchen", // found by key: the output is the list's spelling
    "  KITCHEN ": "Books", // itself a canonical key: the canonical entry wins
    "nonsense": "Not A Category", // not canonical: ignored (validation refuses it first)
  });
  const cases: [string, string | undefined][] = [
    ["Home and Kitchen", "Home & Kitchen"],
    [" HOME AND KITCHEN ", "Home & Kitchen"],
    ["home and kitchn", undefined], // the map is exact: 1 edit from its key is no match
    ["kitchen", "Kitchen"],
    ["nonsense", undefined],
    ["bokos", "Books"],
  ];
  for (const [raw, expected] of cases) assert.equal(matcher.match(raw), expected, raw);
});
