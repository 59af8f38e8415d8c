import assert from "node:assert/strict";
import {
  canonicalOrderNumber,
  canonicalOrderNumberOfText,
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
