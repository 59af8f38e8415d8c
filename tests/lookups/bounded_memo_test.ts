import assert from "node:assert/strict";
import { BoundedMemo } from "../../src/lookups/bounded_memo.ts";

Deno.test("BoundedMemo computes each remembered key once, null answers included", () => {
  const memo = new BoundedMemo<string | null>(10);
  const computed: string[] = [];
  const compute = (key: string) => {
    computed.push(key);
    return key === "none" ? null : key.toUpperCase();
  };
  assert.equal(memo.get("a", compute), "A");
  assert.equal(memo.get("a", compute), "A");
  assert.equal(memo.get("none", compute), null);
  assert.equal(memo.get("none", compute), null);
  assert.deepEqual(computed, ["a", "none"]);
  assert.equal(memo.size, 2);
});

Deno.test("BoundedMemo stops growing at its limit and still answers", () => {
  const memo = new BoundedMemo<number>(3);
  let calls = 0;
  const compute = (key: string) => {
    calls++;
    return key.length;
  };
  for (const key of ["a", "bb", "ccc", "dddd", "eeeee"]) {
    assert.equal(memo.get(key, compute), key.length);
  }
  assert.equal(memo.size, 3);
  assert.equal(calls, 5);
  assert.equal(memo.get("dddd", compute), 4); // past the limit: computed again
  assert.equal(memo.get("a", compute), 1); // within it: remembered
  assert.equal(calls, 6);
});
