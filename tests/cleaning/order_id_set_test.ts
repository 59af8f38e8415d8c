import assert from "node:assert/strict";
import {
  canonicalOrderNumber,
  canonicalOrderNumberOfText,
  OrderIdSet,
} from "../../src/cleaning/order_id_set.ts";

const encoder = new TextEncoder();

Deno.test("canonicalOrderNumber accepts only ORD- and exactly 9 digits", () => {
  const cases: [string, number][] = [
    ["ORD-000000001", 1],
    ["ORD-999999999", 999_999_999],
    ["ORD-123456789", 123_456_789],
    ["ORD-1", -1],
    ["ORD-0000000001", -1],
    ["ord-000000001", -1],
    ["ORD-00000000a", -1],
    ["XRD-000000001", -1],
    ["", -1],
  ];
  for (const [id, expected] of cases) {
    const bytes = encoder.encode(`  ${id} `);
    assert.equal(canonicalOrderNumber(bytes, 2, 2 + id.length), expected, id);
    assert.equal(canonicalOrderNumberOfText(id), expected, id);
  }
});

Deno.test("OrderIdSet claims each ID once, whatever its shape", () => {
  const ids = new OrderIdSet();
  const sequence: [string, boolean][] = [
    ["ORD-000000001", true],
    ["ORD-000000002", true],
    ["ORD-000000001", false],
    ["ORD-1", true], // another shape, another ID
    ["ORD-1", false],
    ["ORD-999999999", true],
    ["ORD-999999999", false],
    ["order 7", true],
    ["order 7", false],
    ["ORDER 7", true], // IDs compare case-sensitively
  ];
  for (const [id, expected] of sequence) assert.equal(ids.claimText(id), expected, id);
  assert.equal(ids.size, 6);
});

Deno.test("OrderIdSet holds more IDs than a V8 Set can (2^24)", () => {
  const ids = new OrderIdSet();
  const count = 2 ** 24 + 10;
  for (let number = 0; number < count; number++) {
    if (!ids.claimNumber(number)) throw new Error(`first claim of ${number} refused`);
  }
  assert.equal(ids.size, count);
  assert.equal(ids.claimNumber(0), false);
  assert.equal(ids.claimNumber(count - 1), false);
  assert.equal(ids.claimNumber(count), true);
});
