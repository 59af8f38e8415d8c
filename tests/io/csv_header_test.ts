import assert from "node:assert/strict";
import { UserError } from "../../src/cli/errors.ts";
import { findColumns } from "../../src/io/csv_header.ts";

const REQUIRED = ["order_id", "product_name", "revenue"] as const;

interface FoundCase {
  name: string;
  header: string[];
  expected: number[];
}

const FOUND: FoundCase[] = [
  { name: "in order", header: ["order_id", "product_name", "revenue"], expected: [0, 1, 2] },
  {
    name: "any order, extra columns",
    header: ["note", "revenue", "x", "product_name", "order_id"],
    expected: [4, 3, 1],
  },
  {
    name: "trimmed and case-insensitive",
    header: [" Order_ID ", "PRODUCT_NAME", "\tRevenue"],
    expected: [0, 1, 2],
  },
  {
    name: "an extra column may repeat",
    header: ["note", "order_id", "note", "product_name", "revenue"],
    expected: [1, 3, 4],
  },
];

Deno.test("findColumns() finds each required column", async (t) => {
  for (const testCase of FOUND) {
    await t.step(testCase.name, () => {
      assert.deepEqual(findColumns(testCase.header, REQUIRED, "in.csv"), testCase.expected);
    });
  }
});

interface RefusedCase {
  name: string;
  header: string[];
  message: RegExp;
}

const REFUSED: RefusedCase[] = [
  {
    name: "one missing",
    header: ["order_id", "product_name"],
    message:
      /^in\.csv: the header lacks required column "revenue"\. Found: "order_id", "product_name"\./,
  },
  {
    name: "several missing",
    header: ["id", "revenue"],
    message: /lacks required columns "order_id", "product_name"\. Found: "id", "revenue"/,
  },
  {
    name: "named twice",
    header: ["order_id", "product_name", "Revenue", " revenue"],
    message: /^in\.csv: the header names "revenue" \(columns 3, 4\) more than once/,
  },
];

Deno.test("findColumns() refuses a header without the required columns", async (t) => {
  for (const testCase of REFUSED) {
    await t.step(testCase.name, () => {
      assert.throws(
        () => findColumns(testCase.header, REQUIRED, "in.csv"),
        (error) => error instanceof UserError && testCase.message.test(error.message),
      );
    });
  }
});

Deno.test("long header lists in errors are cut after 20 names, then 'and N more'", () => {
  const header = [
    "order_id",
    "x".repeat(100_000),
    ...Array.from({ length: 5000 }, (_, i) => `c${i}`),
  ];
  assert.throws(
    () => findColumns(header, REQUIRED, "wide.csv"),
    (error) => {
      assert.ok(error instanceof UserError);
      assert.ok(error.message.length < 1000, `${error.message.length} characters`);
      assert.match(error.message, /lacks required columns "product_name", "revenue"/);
      assert.match(error.message, /"x{80}"… \(100,000 chars\), "c0", .*"c17" and 4982 more\./);
      return true;
    },
  );
  const twice = ["order_id", "product_name", ...Array.from({ length: 30 }, () => "revenue")];
  assert.throws(
    () => findColumns(twice, REQUIRED, "twice.csv"),
    /"revenue" \(columns 3, 4, .*, 22 and 10 more\) more than once.*"revenue" and 12 more\./,
  );
});
