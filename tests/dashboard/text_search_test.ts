import assert from "node:assert/strict";
import type { DataTable } from "../../dashboard/lib/parquet_table.ts";
import { searchTerms, searchTest, typoDistance } from "../../dashboard/lib/text_search.ts";

Deno.test("typo distance: a swap of neighbours is one edit, like a dropped or doubled letter", () => {
  const cases: [string, string, number, number][] = [
    ["mouse", "mouse", 1, 0],
    ["mouse", "muose", 1, 1],
    ["mouse", "mose", 1, 1],
    ["mouse", "mousse", 1, 1],
    ["mouse", "house", 1, 1],
    ["mouse", "moose", 1, 1],
    ["mouse", "muse", 2, 1],
    ["mouse", "mice", 1, 2],
    ["keyboard", "kyeobard", 2, 2],
    ["keyboard", "board", 2, 3],
  ];
  for (const [a, b, limit, expected] of cases) {
    assert.equal(typoDistance(a, b, limit), expected, `${a} ${b}`);
  }
});

Deno.test("search: every word must be found, as written or within a typo, in any text column", () => {
  const names = [
    "Wireless Mouse",
    "Wireless Muose",
    "Wirelessmouse",
    "Mechanical Keyboard",
    "Mechanical Kyeboard",
    "Mouse pad",
    "Tv stand",
    null,
  ];
  const table: DataTable = {
    path: "memory",
    rowCount: names.length,
    modifiedMs: 0,
    bytes: 0,
    columns: [
      { name: "product_name", kind: "text", format: "text", values: names },
      {
        name: "category",
        kind: "text",
        format: "text",
        values: [
          "Electronics",
          "Electronics",
          "Electronics",
          "Electronics",
          "Office",
          "Office",
          "Home",
          "Home",
        ],
      },
      { name: "orders", kind: "integer", format: "count", values: [1, 2, 3, 4, 5, 6, 7, 8] },
    ],
  };
  const found = (search: string) => {
    const test = searchTest(table, search);
    return test ? names.filter((_, row) => test(row)) : "all";
  };
  assert.deepEqual(found("mouse"), [
    "Wireless Mouse",
    "Wireless Muose",
    "Wirelessmouse",
    "Mouse pad",
  ]);
  assert.deepEqual(found("WIRELESS mouse"), ["Wireless Mouse", "Wireless Muose", "Wirelessmouse"]);
  assert.deepEqual(found("keyboard office"), ["Mechanical Kyeboard"]);
  // Short words match only as written: "tv" is no typo of "to".
  assert.deepEqual(found("tv"), ["Tv stand"]);
  assert.deepEqual(found("tx"), []);
  assert.equal(found("   "), "all");
  assert.deepEqual(searchTerms("  Mouse   PAD "), ["mouse", "pad"]);
});
