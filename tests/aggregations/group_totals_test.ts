import assert from "node:assert/strict";
import { GroupTotals, IntSlotIndex } from "../../src/aggregations/group_totals.ts";
import { StringIdRegistry } from "../../src/aggregations/string_ids.ts";

Deno.test("IntSlotIndex keeps any whole numbers, negative and far apart", () => {
  const index = new IntSlotIndex();
  const keys = [5, -3, 1_000, 4, -700_000, 2 ** 30, -(2 ** 30)];
  keys.forEach((key, slot) => index.set(key, slot));
  keys.forEach((key, slot) => assert.equal(index.get(key), slot, `${key}`));
  for (const absent of [6, 0, -4, 999, 2 ** 30 - 1]) assert.equal(index.get(absent), -1);
});

Deno.test("pairs find their slots, and merged states equal one thread's totals", () => {
  const rows: [string, string, number][] = [];
  for (let row = 0; row < 3_000; row++) {
    rows.push([`product ${row % 97}`, ["A", "B", "C"][row % 3], row % 11]);
  }
  const build = (part: typeof rows) => {
    const ids = new StringIdRegistry();
    const totals = new GroupTotals(
      [
        { name: "product", kind: "string", column: "product" },
        { name: "category", kind: "string", column: "category" },
      ],
      ["orders", "units"],
      ids,
    );
    for (const [product, category, units] of part) {
      const slot = totals.pairSlot(
        ids.for("product").id(product),
        ids.for("category").id(category),
      );
      totals.sums[0][slot] += 1;
      totals.sums[1][slot] += units;
    }
    return totals;
  };
  const whole = build(rows);
  const merged = build([]);
  for (
    const part of [rows.slice(0, 1_000), rows.slice(1_000, 1_001), rows.slice(1_001)].reverse()
  ) {
    merged.mergeState(structuredClone(build(part).toState()));
  }
  const sorted = (totals: GroupTotals) =>
    totals.entries().map((entry) => JSON.stringify(entry)).sort();
  assert.equal(whole.size, 97 * 3, "every product × category pair");
  assert.deepEqual(sorted(merged), sorted(whole));
  const units = whole.entries().reduce((sum, entry) => sum + entry.sums[1], 0);
  assert.equal(units, rows.reduce((sum, [, , value]) => sum + value, 0));
});

Deno.test("carry moves whole multiples into the higher metric", () => {
  const totals = new GroupTotals(
    [{ name: "n", kind: "number" }],
    ["high", "low"],
    new StringIdRegistry(),
  );
  const slot = totals.slot(1);
  totals.sums[1][slot] = 2 ** 29 * 5 + 17;
  totals.carry(1, 0, 2 ** 29);
  assert.deepEqual(totals.entries()[0].sums, [5, 17]);
});

Deno.test("assertExact refuses a sum beyond 2^53", () => {
  const totals = new GroupTotals(
    [{ name: "day", kind: "number" }],
    ["units"],
    new StringIdRegistry(),
  );
  totals.sums[0][totals.slot(19_000)] = 2 ** 53 + 2;
  assert.throws(
    () => totals.assertExact("daily_sales"),
    /daily_sales: the units of 19000 exceeds 2\^53/,
  );
});
