import assert from "node:assert/strict";
import { join } from "node:path";
import type { SchemaElement } from "hyparquet";
import { parquetWriteBuffer } from "hyparquet-writer";
import { UserError } from "../../src/io/errors.ts";
import {
  forEachRowGroup,
  isoDateFromDays,
  openParquet,
  type ParquetFile,
} from "../../src/io/parquet_read.ts";

const ROWS = 2_500;
const ROW_GROUP_SIZE = 700;

/** Source values, one array per column; the file is written from them with hyparquet-writer. */
function sourceColumns() {
  const range = Array.from({ length: ROWS }, (_, row) => row);
  return {
    // Few distinct values: hyparquet-writer picks a dictionary.
    int64_dictionary: range.map((row) => [-5, 0, 2 ** 40 + 3, 86_400 * 19_000][row % 4]),
    // Every value distinct, and forced plain.
    int64_plain: range.map((row) => row * 2 ** 33 - 7),
    amount: range.map((row) => row / 8 - 100.125),
    day: range.map((row) => -3 + (row % 400)),
    label: range.map((row) => `label ${row % 37}, "quoted" ü`),
    note: range.map((row) => (row % 3 === 0 ? null : `note ${row}`)),
    maybe_count: range.map((row) => (row % 5 === 0 ? null : row)),
    flag: range.map((row) => row % 2 === 0),
  };
}

const SCHEMA: SchemaElement[] = [
  { name: "root", num_children: 8 },
  { name: "int64_dictionary", type: "INT64", repetition_type: "REQUIRED" },
  { name: "int64_plain", type: "INT64", repetition_type: "REQUIRED" },
  { name: "amount", type: "DOUBLE", repetition_type: "REQUIRED" },
  { name: "day", type: "INT32", converted_type: "DATE", repetition_type: "REQUIRED" },
  { name: "label", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "REQUIRED" },
  { name: "note", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "OPTIONAL" },
  { name: "maybe_count", type: "INT64", repetition_type: "OPTIONAL" },
  { name: "flag", type: "BOOLEAN", repetition_type: "REQUIRED" },
];

async function withFile(body: (path: string) => Promise<void>): Promise<void> {
  const directory = await Deno.makeTempDir({ prefix: "dpd_parquet_read_" });
  try {
    const source = sourceColumns();
    const toBigInts = (values: number[]) => BigInt64Array.from(values, (value) => BigInt(value));
    const bytes = parquetWriteBuffer({
      schema: SCHEMA,
      columnData: [
        { name: "int64_dictionary", data: toBigInts(source.int64_dictionary) },
        { name: "int64_plain", data: toBigInts(source.int64_plain), encoding: "PLAIN" },
        { name: "amount", data: Float64Array.from(source.amount) },
        { name: "day", data: Int32Array.from(source.day) },
        { name: "label", data: source.label },
        { name: "note", data: source.note },
        {
          name: "maybe_count",
          data: source.maybe_count.map((value) => (value === null ? null : BigInt(value))),
        },
        { name: "flag", data: source.flag },
      ],
      rowGroupSize: ROW_GROUP_SIZE,
      // Small pages: hyparquet hands some columns over a page at a time.
      pageSize: 1_024,
    });
    const path = join(directory, "sample.parquet");
    await Deno.writeFile(path, new Uint8Array(bytes));
    await body(path);
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
}

function expectedValues(column: string, rowStart: number, rowEnd: number): unknown[] {
  const values = (sourceColumns() as Record<string, unknown[]>)[column];
  return values.slice(rowStart, rowEnd);
}

Deno.test("openParquet describes the file: rows, columns, row groups", async () => {
  await withFile(async (path) => {
    using file = await openParquet(path);
    assert.equal(file.rowCount, ROWS);
    assert.deepEqual(
      file.columns.map(({ name, type, nullable }) => ({ name, type, nullable })),
      [
        { name: "int64_dictionary", type: "INT64", nullable: false },
        { name: "int64_plain", type: "INT64", nullable: false },
        { name: "amount", type: "DOUBLE", nullable: false },
        { name: "day", type: "DATE", nullable: false },
        { name: "label", type: "STRING", nullable: false },
        { name: "note", type: "STRING", nullable: true },
        { name: "maybe_count", type: "INT64", nullable: true },
        { name: "flag", type: "BOOLEAN", nullable: false },
      ],
    );
    assert.deepEqual(file.rowGroups, [
      { index: 0, rowStart: 0, rowEnd: 700 },
      { index: 1, rowStart: 700, rowEnd: 1400 },
      { index: 2, rowStart: 1400, rowEnd: 2100 },
      { index: 3, rowStart: 2100, rowEnd: 2500 },
    ]);
    assert.equal(file.column("note")?.physicalType, "BYTE_ARRAY");
    assert.equal(file.column("nope"), undefined);
  });
});

Deno.test("readRows returns exactly the rows asked for, in flat forms", async (t) => {
  await withFile(async (path) => {
    using file = await openParquet(path);
    const ranges = [
      { name: "the whole file", rowStart: 0, rowEnd: ROWS },
      { name: "inside one row group", rowStart: 710, rowEnd: 745 },
      { name: "across three row groups", rowStart: 650, rowEnd: 2150 },
      { name: "the last rows", rowStart: 2499, rowEnd: 2500 },
      { name: "an empty range", rowStart: 900, rowEnd: 900 },
    ];
    for (const { name, rowStart, rowEnd } of ranges) {
      await t.step(name, async () => {
        const batch = await file.readRows({ rowStart, rowEnd });
        assert.equal(batch.rowCount, rowEnd - rowStart);
        for (const column of file.columns) {
          const values = batch.columns[column.name];
          const numeric = ["INT64", "DOUBLE", "DATE"].includes(column.type) && !column.nullable;
          assert.equal(values instanceof Float64Array, numeric, column.name);
          assert.deepEqual(Array.from(values), expectedValues(column.name, rowStart, rowEnd));
        }
      });
    }
  });
});

Deno.test("readRows clamps the range to the file and reads only the columns named", async () => {
  await withFile(async (path) => {
    using file = await openParquet(path);
    const batch = await file.readRows({ columns: ["label", "day"], rowStart: 2400, rowEnd: 9999 });
    assert.deepEqual(Object.keys(batch.columns), ["label", "day"]);
    assert.equal(batch.rowEnd, ROWS);
    assert.deepEqual(batch.columns.label, expectedValues("label", 2400, ROWS));
    assert.equal(isoDateFromDays(batch.columns.day[0] as number), "1969-12-29");
  });
});

Deno.test("forEachRowGroup visits each row group once, in order", async () => {
  await withFile(async (path) => {
    const seen: [number, number, number][] = [];
    let amounts: number[] = [];
    await forEachRowGroup(path, ["amount"], (batch, group) => {
      seen.push([group.index, batch.rowStart, batch.rowCount]);
      assert.deepEqual(Object.keys(batch.columns), ["amount"]);
      amounts = amounts.concat(Array.from(batch.columns.amount as Float64Array));
    });
    assert.deepEqual(seen, [[0, 0, 700], [1, 700, 700], [2, 1400, 700], [3, 2100, 400]]);
    assert.deepEqual(amounts, sourceColumns().amount);
  });
});

Deno.test("parseStrings turns one column's strings into the parser's values", async () => {
  await withFile(async (path) => {
    using file = await openParquet(path);
    const decoder = new TextDecoder();
    let calls = 0;
    const batch = await file.readRowGroup(1, ["label", "note"], {
      parseStrings: {
        label: (bytes) => {
          calls++;
          return decoder.decode(bytes).length;
        },
      },
    });
    assert.deepEqual(
      batch.columns.label,
      expectedValues("label", 700, 1400).map((v) => `${v}`.length),
    );
    assert.ok(calls <= 37 * 2, `parsed once per dictionary entry, not per row (${calls})`);
    assert.deepEqual(batch.columns.note, expectedValues("note", 700, 1400));
  });
});

Deno.test("problems with the file are UserErrors naming it", async (t) => {
  const directory = await Deno.makeTempDir({ prefix: "dpd_parquet_read_" });
  try {
    const notParquet = join(directory, "table.parquet");
    await Deno.writeTextFile(notParquet, "a,b\n1,2\n");
    const cases: [string, string, RegExp][] = [
      ["a missing file", join(directory, "missing.parquet"), /missing\.parquet does not exist/],
      ["not parquet", notParquet, /cannot read .*table\.parquet as parquet/],
      ["a directory", directory, /cannot read .* as parquet/],
    ];
    for (const [name, path, message] of cases) {
      await t.step(name, async () => {
        await assert.rejects(openParquet(path), (error) => {
          assert.ok(error instanceof UserError);
          assert.match(error.message, message);
          return true;
        });
      });
    }
    await t.step("an unknown column", async () => {
      await withFile(async (path) => {
        using file: ParquetFile = await openParquet(path);
        await assert.rejects(
          file.readRows({ columns: ["amount", "colour"] }),
          /has no column "colour" \(it has int64_dictionary, int64_plain, amount/,
        );
      });
    });
    await t.step("a truncated file", async () => {
      await withFile(async (path) => {
        const bytes = await Deno.readFile(path);
        const truncated = join(directory, "truncated.parquet");
        // Keep the footer, lose data pages: the metadata points past what is left.
        await Deno.writeFile(
          truncated,
          new Uint8Array([...bytes.slice(0, 4), ...bytes.slice(-2_000)]),
        );
        await assert.rejects(
          async () => {
            using file = await openParquet(truncated);
            await file.readRows();
          },
          (error) => error instanceof UserError && /truncated\.parquet/.test(error.message),
        );
      });
    });
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});
