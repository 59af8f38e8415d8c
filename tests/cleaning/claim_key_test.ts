import assert from "node:assert/strict";
import { CsvChunkParser } from "../../src/io/csv_parse.ts";
import { claimKeyText } from "../../src/cleaning/claim_key.ts";

/** The claim text of each record of `csv` (no header) over the columns `key`. */
function claims(csv: string, key: number[]): (string | undefined)[] {
  const bytes = new TextEncoder().encode(csv);
  const fieldCount = csv.split("\n")[0].split(",").length;
  const batch = new CsvChunkParser({ reuseArrays: false }).parse(bytes, 0, bytes.length, {
    fieldCount,
    firstLine: 1,
    final: true,
  });
  return Array.from({ length: batch.count }, (_, record) => claimKeyText(batch, record, key));
}

Deno.test("claimKeyText(): one column is its trimmed value, as the default order_id key", () => {
  assert.deepEqual(claims(" ORD-1 ,x\nORD-1,y\n\u00a0\t,z\n", [0]), ["ORD-1", "ORD-1", undefined]);
});

Deno.test("claimKeyText(): a composite key tells different tuples apart, whatever they hold", () => {
  const keys = claims(
    [
      "a,1:b",
      "a1:,b",
      '"a,b",c',
      'a,"b,c"',
      " A , B ",
      "A,B",
      '"a\u0000",b',
      'a,"\u0000b"',
    ].join("\n") + "\n",
    [0, 1],
  );
  // Trimmed, case-sensitive: " A , B " and "A,B" are the same key; every other pair differs.
  assert.equal(keys[4], keys[5]);
  const distinct = new Set(keys.filter((_, index) => index !== 5));
  assert.equal(distinct.size, 7);
  assert.ok(keys.every((key) => key !== undefined));
});

Deno.test("claimKeyText(): a blank component means no claim", () => {
  assert.deepEqual(claims("ORD-1,\nORD-1, \n,P-1\nORD-1,P-1\n", [0, 1]), [
    undefined,
    undefined,
    undefined,
    "5:ORD-13:P-1",
  ]);
});
