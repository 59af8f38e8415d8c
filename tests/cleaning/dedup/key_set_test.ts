import assert from "node:assert/strict";
import { DedupBudgetExceeded, KeySet } from "../../../src/cleaning/dedup/key_set.ts";

Deno.test("KeySet claims each key once, whatever its shape", () => {
  const keys = new KeySet(64 << 20);
  const sequence: [string, boolean][] = [
    ["ORD-000000001", true],
    ["ORD-000000002", true],
    ["ORD-000000001", false],
    ["ORD-1", true], // another shape, another key
    ["ORD-1", false],
    ["ORD-999999999", true],
    ["ORD-999999999", false],
    ["ORDX000000001", true],
    ["ORDX000000001", false],
    ["ORDX00000001", true], // one digit fewer: another key
    ["1", true],
    ["01", true],
    ["1", false],
    ["order 7", true],
    ["order 7", false],
    ["ORDER 7", true], // keys compare case-sensitively
    ["Mrs. Smith's order", true], // no digits: kept as text
    ["Mrs. Smith's order", false],
    ["mrs. smith's order", true],
  ];
  for (const [key, expected] of sequence) assert.equal(keys.claimText(key), expected, key);
  assert.equal(keys.size, 12);
  assert.equal(keys.oddKeys, 2);
  assert.equal(keys.claimNumber(2), false, "ORD-000000002 by number");
});

Deno.test("KeySet holds more prefixed keys than a V8 Set can (2^24), as bits", () => {
  const keys = new KeySet(64 << 20);
  const count = 2 ** 24 + 10;
  for (let number = 0; number < count; number++) {
    if (!keys.claimText(`ORDX${String(number).padStart(9, "0")}`)) {
      throw new Error(`first claim of ${number} refused`);
    }
  }
  assert.equal(keys.size, count);
  assert.equal(keys.claimText("ORDX000000000"), false);
  assert.equal(keys.claimText(`ORDX${String(count - 1).padStart(9, "0")}`), false);
  assert.equal(keys.claimText(`ORDX${String(count).padStart(9, "0")}`), true);
  assert.ok(keys.bytes <= 3 << 20, `${keys.bytes} bytes for ${count} keys`);
});

Deno.test("KeySet throws DedupBudgetExceeded once odd keys or scattered pages pass the budget", () => {
  const odd = new KeySet(10_000);
  assert.throws(() => {
    for (let index = 0; index < 1_000; index++) odd.claimText(`customer ${index}`);
  }, DedupBudgetExceeded);
  const scattered = new KeySet(8 << 20);
  assert.throws(() => {
    for (let index = 0; index < 100; index++) scattered.claimText(String(index * 1e13 + 1));
  }, DedupBudgetExceeded);
});
