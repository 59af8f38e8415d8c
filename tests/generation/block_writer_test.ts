import assert from "node:assert/strict";
import { BLOCK_ROWS, writeBlock } from "../../src/generation/block_writer.ts";
import {
  duplicateSourceRow,
  OrderIdKind,
  orderIdKind,
  orderIdSeedHash,
} from "../../src/generation/order_ids.ts";
import { buildRowTables } from "../../src/generation/row_tables.ts";
import { parseCsv } from "./_csv.ts";

const tables = buildRowTables("2025-06-30");

function block(spec: { block: number; rowCount: number; dirty: boolean; seed?: number }) {
  const out = new Uint8Array(spec.rowCount * tables.maxRowBytes);
  const length = writeBlock(tables, { seed: spec.seed ?? 42, ...spec }, out);
  return parseCsv(new TextDecoder().decode(out.subarray(0, length)));
}

Deno.test("block writer: order IDs past 999,999,999 get a tenth digit", () => {
  const first = Math.ceil(1e9 / BLOCK_ROWS);
  const records = block({ block: first, rowCount: 5, dirty: false });
  records.forEach((record, index) => {
    assert.equal(record.fields[0], `ORD-${first * BLOCK_ROWS + index + 1}`);
    assert.equal(record.fields.length, 10);
  });
});

Deno.test("block writer: a block's rows do not depend on the rows after it", () => {
  const whole = block({ block: 3, rowCount: 1_000, dirty: true });
  const part = block({ block: 3, rowCount: 10, dirty: true });
  assert.deepEqual(part.map((record) => record.raw), whole.slice(0, 10).map((r) => r.raw));
});

Deno.test("block writer: a dirty row is its clean row with damage (same products, as a rule)", () => {
  const clean = block({ block: 0, rowCount: 2_000, dirty: false });
  const dirty = block({ block: 0, rowCount: 2_000, dirty: true });
  const sameProduct =
    clean.filter((record, index) => record.fields[1] === dirty[index].fields[1]).length;
  assert.ok(sameProduct / clean.length > 0.9, `${sameProduct} of ${clean.length}`);
});

Deno.test("block writer: refuses a buffer too small for the block", () => {
  assert.throws(
    () => writeBlock(tables, { seed: 1, dirty: true, block: 0, rowCount: 100 }, new Uint8Array(10)),
    RangeError,
  );
});

Deno.test("order IDs: a duplicate re-uses one of the last 1,000 IDs that were issued normally", () => {
  const seedHash = orderIdSeedHash(42);
  const counts = [0, 0, 0];
  for (let row = 0; row < 200_000; row++) {
    const kind = orderIdKind(seedHash, row);
    counts[kind]++;
    if (kind !== OrderIdKind.Duplicate) continue;
    const source = duplicateSourceRow(seedHash, row);
    if (source < 0) continue;
    assert.ok(source < row && row - source <= 1_000);
    assert.equal(orderIdKind(seedHash, source), OrderIdKind.Normal);
  }
  assert.ok(Math.abs(counts[OrderIdKind.Duplicate] / 200_000 - 0.01) < 0.002);
  assert.ok(Math.abs(counts[OrderIdKind.Blank] / 200_000 - 0.001) < 0.0003);
});
