import assert from "node:assert/strict";
import { UserError } from "../../src/io/errors.ts";
import {
  type ColumnMapping,
  type ColumnRole,
  normaliseColumnName,
  REQUIRED_ROLES,
  resolveColumns,
} from "../../src/io/column_roles.ts";

Deno.test("normaliseColumnName(): lower case, runs of non-alphanumerics → _, trimmed _", async (t) => {
  const cases: [string, string][] = [
    ["order_id", "order_id"],
    ["Order ID", "order_id"],
    [" Order_ID ", "order_id"],
    ["ORDER-ID", "order_id"],
    ["order  --  id", "order_id"],
    ["Unit Price ($)", "unit_price"],
    ["__sale.date__", "sale_date"],
    ["\tRevenue\r", "revenue"],
    ["Customer E-mail", "customer_e_mail"],
    ["Catégorie", "catégorie"],
    ["Sub-Category", "sub_category"],
    ["Row ID 2", "row_id_2"],
    ["---", ""],
    ["", ""],
  ];
  for (const [header, expected] of cases) {
    await t.step(JSON.stringify(header), () => {
      assert.equal(normaliseColumnName(header), expected);
    });
  }
});

const CONTRACT = [
  "order_id",
  "product_name",
  "category",
  "quantity",
  "unit_price",
  "discount_percent",
  "region",
  "sale_date",
  "customer_email",
  "revenue",
];
const EXPORT = [
  "Row ID",
  "Order ID",
  "Order Date",
  "Region",
  "Product ID",
  "Category",
  "Product Name",
  "Unit Price",
  "Quantity",
  "Discount",
];
const EXPORT_MAPPING: ColumnMapping = {
  columns: { sale_date: "Order Date", discount_percent: "Discount" },
};

interface FoundCase {
  name: string;
  header: string[];
  mapping?: ColumnMapping;
  /** Role → header index; roles not listed are absent (-1). */
  positions: Partial<Record<ColumnRole, number>>;
  extra: number[];
  dedupKey: number[];
}

const FOUND: FoundCase[] = [
  {
    name: "the contract's own names, in order",
    header: CONTRACT,
    positions: Object.fromEntries(CONTRACT.map((name, index) => [name, index])),
    extra: [],
    dedupKey: [0],
  },
  {
    name: "any order, any case and punctuation, extra columns kept aside",
    header: [
      "Note",
      "SALE DATE",
      "region",
      "Unit-Price",
      "quantity",
      "Category",
      "Product Name",
      "Order ID",
    ],
    positions: {
      sale_date: 1,
      region: 2,
      unit_price: 3,
      quantity: 4,
      category: 5,
      product_name: 6,
      order_id: 7,
    },
    extra: [0],
    dedupKey: [7],
  },
  {
    name: "an export mapped explicitly; optional e-mail and revenue absent",
    header: EXPORT,
    mapping: EXPORT_MAPPING,
    positions: {
      order_id: 1,
      sale_date: 2,
      region: 3,
      category: 5,
      product_name: 6,
      unit_price: 7,
      quantity: 8,
      discount_percent: 9,
    },
    extra: [0, 4],
    dedupKey: [1],
  },
  {
    name: "a composite dedup key of a header name and a role",
    header: EXPORT,
    mapping: { ...EXPORT_MAPPING, dedupKey: ["order_id", "Product ID"] },
    positions: {
      order_id: 1,
      sale_date: 2,
      region: 3,
      category: 5,
      product_name: 6,
      unit_price: 7,
      quantity: 8,
      discount_percent: 9,
    },
    extra: [0, 4],
    dedupKey: [1, 4],
  },
  {
    name: "dedup key none; a header name given with other spacing and case",
    header: EXPORT,
    mapping: { columns: { sale_date: "order date", discount_percent: " DISCOUNT" }, dedupKey: [] },
    positions: {
      order_id: 1,
      sale_date: 2,
      region: 3,
      category: 5,
      product_name: 6,
      unit_price: 7,
      quantity: 8,
      discount_percent: 9,
    },
    extra: [0, 4],
    dedupKey: [],
  },
  {
    name: "an explicit mapping wins over a column named like the role, which becomes extra",
    header: [...CONTRACT, "Invoice"],
    mapping: { columns: { order_id: "Invoice" } },
    positions: {
      ...Object.fromEntries(CONTRACT.map((name, index) => [name, index])),
      order_id: 10,
    },
    extra: [0],
    dedupKey: [10],
  },
];

Deno.test("resolveColumns() finds each role", async (t) => {
  for (const testCase of FOUND) {
    await t.step(testCase.name, () => {
      const resolved = resolveColumns(testCase.header, testCase.mapping ?? {}, {
        file: "in.csv",
        need: REQUIRED_ROLES,
        dedupKey: true,
      });
      const expected = Object.fromEntries(
        CONTRACT.map((role) => [role, testCase.positions[role as ColumnRole] ?? -1]),
      );
      assert.deepEqual(resolved.positions, expected);
      assert.deepEqual(resolved.extraPositions, testCase.extra);
      assert.deepEqual(resolved.dedupKey, testCase.dedupKey);
    });
  }
});

Deno.test("resolveColumns() needs only the roles a command reads", () => {
  const resolved = resolveColumns(["Territory", "Product Category"], {
    columns: { region: "Territory", category: "Product Category" },
  }, { file: "sample.csv", need: ["category", "region"] });
  assert.equal(resolved.positions.region, 0);
  assert.equal(resolved.positions.category, 1);
  assert.equal(resolved.positions.order_id, -1);
});

interface RefusedCase {
  name: string;
  header: string[];
  mapping?: ColumnMapping;
  message: RegExp;
}

const REFUSED: RefusedCase[] = [
  {
    name: "an unmapped export: one line with the header and the fix",
    header: EXPORT,
    message: new RegExp(
      '^in\\.csv: no column for the required role sale_date\\. Header: "Row ID", "Order ID", ' +
        '"Order Date", .*"Discount"\\. Say which column it is with --column "sale_date=Order ' +
        'Date" or in dpd\\.json: \\{"columns": \\{"sale_date": "Order Date"\\}\\}',
    ),
  },
  {
    name: "several roles missing, each with its own guess or a placeholder",
    header: ["id", "Item", "Cost", "Territory"],
    message: new RegExp(
      "no column for the required roles order_id, product_name, category, quantity, unit_price, " +
        'region, sale_date\\..*--column "order_id=id" --column "product_name=HEADER"',
    ),
  },
  {
    name: "a long header is cut after 20 names",
    header: Array.from({ length: 25 }, (_, index) => `c${index + 1}`),
    message: /"c19", "c20" and 5 more\. Say which columns/,
  },
  {
    name: "two columns could play one role",
    header: [...CONTRACT, "Region"],
    message: /columns 7 \("region"\), 11 \("Region"\) could all be region/,
  },
  {
    name: "a mapping names a column the header lacks",
    header: EXPORT,
    mapping: { columns: { sale_date: "Sale Day" } },
    message: /^in\.csv: --column sale_date=Sale Day names no column of the header \("Row ID"/,
  },
  {
    name: "one column mapped to two roles",
    header: EXPORT,
    mapping: { columns: { sale_date: "Order Date", region: "Order Date" } },
    message: /column "Order Date" is mapped to both region and sale_date/,
  },
  {
    name: "a dedup key column the header lacks",
    header: EXPORT,
    mapping: { ...EXPORT_MAPPING, dedupKey: ["Order ID", "Line"] },
    message: /the dedup key's "Line" names no column of the header/,
  },
  {
    name: "a dedup key role the file does not have",
    header: EXPORT,
    mapping: { ...EXPORT_MAPPING, dedupKey: ["customer_email"] },
    message: /the dedup key names customer_email, but the header has no customer_email column/,
  },
];

Deno.test("resolveColumns() refuses with one line that says what to write", async (t) => {
  for (const testCase of REFUSED) {
    await t.step(testCase.name, () => {
      assert.throws(
        () =>
          resolveColumns(testCase.header, testCase.mapping ?? {}, {
            file: "in.csv",
            need: REQUIRED_ROLES,
            dedupKey: true,
          }),
        (error) => {
          assert.ok(error instanceof UserError);
          assert.match(error.message, testCase.message);
          assert.doesNotMatch(error.message, /\n/);
          return true;
        },
      );
    });
  }
});
