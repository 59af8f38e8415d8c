import assert from "node:assert/strict";
import { ByteMemo } from "../../src/cleaning/byte_memo.ts";

const encoder = new TextEncoder();

Deno.test("ByteMemo computes once per distinct byte string and returns the same value", () => {
  const computed: string[] = [];
  const memo = new ByteMemo((text) => {
    computed.push(text);
    return text.toUpperCase();
  });
  const inputs = ["asia", "Asia", "asia", "", "europe", "asia", "Europe", "", "ünïcode", "ünïcode"];
  for (const input of inputs) {
    const bytes = encoder.encode(`[${input}]`);
    assert.equal(memo.get(bytes, 1, bytes.length - 1), input.toUpperCase(), input);
  }
  assert.deepEqual(computed, ["asia", "Asia", "", "europe", "Europe", "ünïcode"]);
  assert.equal(memo.size, 6);
});

Deno.test("ByteMemo stays correct across rehashing and stops storing at its bound", () => {
  let calls = 0;
  const memo = new ByteMemo((text) => {
    calls++;
    return text.length;
  }, 5_000);
  for (let round = 0; round < 2; round++) {
    for (let index = 0; index < 10_000; index++) {
      const bytes = encoder.encode(`value-${index}`);
      assert.equal(memo.get(bytes, 0, bytes.length), bytes.length);
    }
  }
  assert.equal(memo.size, 5_000);
  // The first 5,000 were stored and hit in round two; the other 5,000 were computed both times.
  assert.equal(calls, 10_000 + 5_000);
});
