/**
 * The rejected-rows query: what the URL asks (reason, search, column filters, sort), applied to the
 * rejected CSV the real clean stage wrote and compared with a plain filter over every row; the
 * marked failing fields; and the spreadsheet guard of the CSV download.
 */
import { SALES_CSV_COLUMNS } from "../../src/io/sales_columns.ts";
import assert from "node:assert/strict";
import { join } from "node:path";
import { readRejectedPage, streamRejectedRows } from "../../dashboard/lib/rejected_index.ts";
import {
  compareSortKeys,
  failingColumns,
  parseRejectedQuery,
  queryParams,
  type RejectedQuery,
  rowMatcher,
  sortKey,
  spreadsheetSafe,
} from "../../dashboard/lib/rejected_query.ts";
import { openCsv } from "../../src/io/csv_stream.ts";
import { recordFields } from "../../src/io/csv_parse.ts";
import { sharedFixtureWorkspace, UNMAPPED_REGION } from "./_fixture_workspace.ts";

const HEADER = [...SALES_CSV_COLUMNS, "rejection_reason", "source_line"];

async function rejected(): Promise<{ path: string; header: string[]; rows: string[][] }> {
  const workspace = await sharedFixtureWorkspace();
  const path = join(workspace.dataDir, "rejected", "dirty_fixture_rejected.csv");
  const file = await openCsv(path);
  const rows: string[][] = [];
  for await (const batch of file.batches) {
    for (let record = 0; record < batch.count; record++) rows.push(recordFields(batch, record));
  }
  return { path, header: file.header, rows };
}

async function everyPage(path: string, query: RejectedQuery, pageSize = 7): Promise<string[][]> {
  const seen: string[][] = [];
  for (let page = 1;; page++) {
    const result = await readRejectedPage(path, { query, page, pageSize });
    seen.push(...result.page.rows);
    assert.equal(result.page.total >= seen.length, true);
    if (page >= result.page.pageCount) return seen;
  }
}

Deno.test("the URL's query: unknown columns dropped, the form's filter folded into `where`", () => {
  const params = new URLSearchParams(
    "reason=unknown_region&q=%20ORD-1%20&where=region=Atlantis&where=nope=1&wcol=category" +
      "&wval=Gadgets&sort=quantity&dir=desc",
  );
  const query = parseRejectedQuery(params, HEADER);
  assert.deepEqual(query, {
    reason: "unknown_region",
    search: "ORD-1",
    filters: [
      { column: "region", value: "Atlantis" },
      { column: "category", value: "Gadgets" },
    ],
    sort: "quantity",
    direction: "desc",
  });
  assert.equal(
    queryParams(query).toString(),
    "reason=unknown_region&q=ORD-1&where=region%3DAtlantis&where=category%3DGadgets" +
      "&sort=quantity&dir=desc",
  );
  assert.equal(parseRejectedQuery(new URLSearchParams("sort=evil"), HEADER).sort, undefined);
});

Deno.test("a row matches on reason, every filter (ignoring case and spaces) and the search", () => {
  const row = HEADER.map((name) => name === "region" ? " Atlantis " : `${name}-value`);
  row[HEADER.indexOf("rejection_reason")] = "unknown_region";
  const cases: [string, boolean][] = [
    ["where=region=atlantis", true],
    ["where=region=Atlantis&where=category=category-value", true],
    ["where=region=Atlantisx", false],
    ["where=region=", false],
    ["q=ATLAN", true],
    ["q=order_id-VALUE", true],
    ["q=mars", false],
    ["reason=unknown_region&q=atlantis", true],
    ["reason=zero_quantity", false],
  ];
  for (const [url, expected] of cases) {
    const matches = rowMatcher(parseRejectedQuery(new URLSearchParams(url), HEADER), HEADER);
    assert.equal(matches(row), expected, url);
  }
  const blank = [...row];
  blank[HEADER.indexOf("region")] = "  ";
  const blankRegion = rowMatcher(
    parseRejectedQuery(new URLSearchParams("where=region="), HEADER),
    HEADER,
  );
  assert.equal(blankRegion(blank), true);
});

Deno.test("sort keys: numbers by value before text, text in natural order", () => {
  const values = ["ORD-10", "-8", "two", "", "3.5", "ORD-9", "12"];
  const keys = values.map(sortKey).filter((key) => key !== undefined);
  keys.sort(compareSortKeys);
  assert.deepEqual(keys, [-8, 3.5, 12, "ORD-9", "ORD-10", "two"]);
});

Deno.test("search, column filters and sort select the same rows as a filter over every row", async () => {
  const { path, header, rows } = await rejected();
  const column = (name: string) => header.indexOf(name);
  const cases: { url: string; expected: (row: string[]) => boolean }[] = [
    { url: "where=region=atlantis", expected: (row) => row[column("region")] === "Atlantis" },
    {
      url: `q=${encodeURIComponent(UNMAPPED_REGION.toUpperCase())}`,
      expected: (row) => row.some((field) => field.includes(UNMAPPED_REGION)),
    },
    { url: "q=ORD-0000003", expected: (row) => row.some((field) => field.includes("ORD-0000003")) },
    {
      url: "reason=unknown_category&where=category=GADGETS",
      expected: (row) => row[column("rejection_reason")] === "unknown_category",
    },
    { url: "where=region=Atlantis&q=nothing-has-this", expected: () => false },
  ];
  for (const { url, expected } of cases) {
    const query = parseRejectedQuery(new URLSearchParams(url), header);
    const wanted = rows.filter(expected);
    assert.ok(url.includes("nothing") || wanted.length > 0, `${url} finds rows in the fixture`);
    assert.deepEqual(await everyPage(path, query), wanted, url);
  }
  // Sorted by quantity, largest first: numbers by value, then text, blanks last.
  const sorted = await everyPage(
    path,
    parseRejectedQuery(
      new URLSearchParams("reason=invalid_quantity&sort=quantity&dir=desc"),
      header,
    ),
    50,
  );
  assert.equal(
    sorted.length,
    rows.filter((row) => row[column("rejection_reason")] === "invalid_quantity").length,
  );
  const quantities = sorted.map((row) => row[column("quantity")]);
  assert.ok(quantities.every((value) => value === "two"), "the fixture's invalid quantities");
  // Largest first: numbers before text and blanks in either direction.
  const byQuantity = await everyPage(
    path,
    parseRejectedQuery(new URLSearchParams("sort=quantity&dir=desc"), header),
    100,
  );
  const keys = byQuantity.map((row) => row[column("quantity")].trim());
  const kind = (text: string) => text === "" ? 2 : /^[+-]?\d+(\.\d*)?$/.test(text) ? 0 : 1;
  assert.deepEqual(keys.map(kind), [...keys.map(kind)].sort());
  const numbers = keys.filter((text) => kind(text) === 0).map(Number);
  assert.ok(numbers.length > 0 && keys.some((text) => kind(text) > 0));
  assert.deepEqual(numbers, [...numbers].sort((a, b) => b - a));
  const byLine = await everyPage(
    path,
    parseRejectedQuery(new URLSearchParams("sort=source_line&dir=desc"), header),
    100,
  );
  const lines = byLine.map((row) => Number(row[column("source_line")]));
  assert.equal(lines.length, rows.length);
  assert.deepEqual(lines, [...lines].sort((a, b) => b - a));
});

Deno.test("streaming every match gives the same rows as the pages, in the same order", async () => {
  const { path, header } = await rejected();
  for (const url of ["where=region=Atlantis", "q=ord&sort=unit_price&dir=asc", ""]) {
    const query = parseRejectedQuery(new URLSearchParams(url), header);
    const streamed: string[][] = [];
    await streamRejectedRows(path, query, (rows) => {
      streamed.push(...rows);
      return Promise.resolve();
    });
    assert.deepEqual(streamed, await everyPage(path, query, 250), url);
  }
});

Deno.test("the failing field of each reason is marked by role, header spelling aside", () => {
  const header = ["Order ID", "Product Name", "Quantity", "Unit Price", "Discount %", "region"];
  const marked = (reason: string) => [...failingColumns(header, reason)].map((at) => header[at]);
  assert.deepEqual(marked("duplicate_order_id"), ["Order ID"]);
  assert.deepEqual(marked("unknown_region"), ["region"]);
  assert.deepEqual(marked("invalid_calculated_revenue"), ["Quantity", "Unit Price"]);
  assert.deepEqual(marked("malformed_row"), []);
});

Deno.test("a cell a spreadsheet would run as a formula gets a leading quote", () => {
  const cases: [string, string][] = [
    ['=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'],
    ["+1", "'+1"],
    ["-8", "'-8"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tx", "'\tx"],
    ["Atlantis", "Atlantis"],
    ["a=b", "a=b"],
    ["", ""],
  ];
  for (const [value, safe] of cases) assert.equal(spreadsheetSafe(value), safe, value);
});

Deno.test("search reads quoted and non-ASCII fields as JavaScript lower-cases them", async () => {
  const directory = await Deno.makeTempDir({ prefix: "dpd-rejected-search-" });
  const path = join(directory, "rejected.csv");
  // The Kelvin sign lower-cases to an ASCII "k"; a quoted field holds a comma and quotes.
  await Deno.writeTextFile(
    path,
    "order_id,region,rejection_reason,source_line\n" +
      "A-1,\u212Aenya,unknown_region,2\n" +
      'A-2,"Mars, ""the red""",unknown_region,3\n' +
      "A-3,Mars,unknown_region,4\n",
  );
  try {
    const found = async (search: string) =>
      (await everyPage(path, parseRejectedQuery(new URLSearchParams({ q: search }), HEADER)))
        .map((row) => row[0]);
    assert.deepEqual(await found("kenya"), ["A-1"]);
    assert.deepEqual(await found('"THE RED"'), ["A-2"]);
    assert.deepEqual(await found("mars, "), ["A-2"]);
    assert.deepEqual(await found("MARS"), ["A-2", "A-3"]);
    assert.deepEqual(await found("venus"), []);
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});
