import assert from "node:assert/strict";
import { MemorySink } from "./_memory_sink.ts";
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import {
  DictionaryStringColumn,
  encodeColumns,
  NumberColumn,
  PlainStringColumn,
} from "../../src/io/column_chunk_encoder.ts";
import { RowGroupFileWriter, schemaFor } from "../../src/io/row_group_encoder.ts";

const encoder = new TextEncoder();

const SCHEMA_COLUMNS = [
  { name: "id", type: "STRING", nullable: false },
  { name: "email", type: "STRING", nullable: true },
  { name: "category", type: "STRING", nullable: false },
  { name: "product", type: "STRING", nullable: false },
  { name: "flag", type: "STRING", nullable: true },
  { name: "amount", type: "DOUBLE", nullable: false },
  { name: "day", type: "INT64", nullable: false },
] as const;

interface Row {
  id: string;
  email: string | null;
  category: string;
  product: string;
  flag: string | null;
  amount: number;
  day: bigint;
}

function rowAt(index: number): Row {
  return {
    id: `ORD-${index}`,
    email: index % 3 === 0 ? null : `user${index}@example.com`,
    category: ["Books", "Toys", "Électronique"][index % 3],
    // 700 distinct names: dictionary indexes need 10 bits.
    product: `Product ${(index * 7) % 700}`,
    flag: index % 10 === 9 ? "heavy_discount" : null,
    amount: index % 5 === 0 ? -0 : (index * 1.25) - 300,
    day: BigInt((index % 2 === 0 ? -1 : 1) * index * 86_400 * 1000),
  };
}

function encodeGroup(first: number, count: number) {
  const category = new DictionaryStringColumn(
    "category",
    count,
    false,
    ["Books", "Toys", "Électronique"].map((name) => encoder.encode(name)),
  );
  const columns = {
    id: new PlainStringColumn("id", count, false),
    email: new PlainStringColumn("email", count, true),
    category,
    product: new DictionaryStringColumn("product", count, false),
    flag: new DictionaryStringColumn("flag", count, true),
    amount: new NumberColumn("amount", "DOUBLE", count),
    day: new NumberColumn("day", "INT64", count),
  };
  for (let index = first; index < first + count; index++) {
    const row = rowAt(index);
    const id = encoder.encode(`xx${row.id}yy`);
    columns.id.push(id, 2, id.length - 2);
    if (row.email === null) columns.email.pushNull();
    else columns.email.push(encoder.encode(row.email), 0, encoder.encode(row.email).length);
    category.pushIndex(index % 3);
    const product = encoder.encode(row.product);
    columns.product.push(product, 0, product.length);
    if (row.flag === null) columns.flag.pushNull();
    else columns.flag.push(encoder.encode(row.flag), 0, row.flag.length);
    columns.amount.push(row.amount);
    columns.day.push(Number(row.day));
  }
  return encodeColumns(SCHEMA_COLUMNS.map(({ name }) => columns[name]));
}

Deno.test("columns encoded here read back through hyparquet, value for value", async () => {
  const sink = new MemorySink();
  const writer = new RowGroupFileWriter(sink, schemaFor([...SCHEMA_COLUMNS]));
  const sizes = [1, 7, 8, 9, 1000, 4321];
  let first = 0;
  for (const size of sizes) {
    writer.append(encodeGroup(first, size));
    first += size;
  }
  writer.finish();
  const file = sink.file();
  const metadata = parquetMetadata(file);
  assert.deepEqual(metadata.row_groups.map((group) => Number(group.num_rows)), sizes);
  const rows = await parquetReadObjects({ file });
  assert.equal(rows.length, first);
  for (let index = 0; index < first; index++) {
    assert.deepEqual(rows[index], rowAt(index), `row ${index}`);
  }
  // Statistics let readers skip row groups: check one group's bounds.
  const dayStats = metadata.row_groups[4].columns[6].meta_data!.statistics!;
  const days = Array.from({ length: 1000 }, (_, offset) => rowAt(1 + 7 + 8 + 9 + offset).day);
  assert.equal(dayStats.min_value, days.reduce((a, b) => (a < b ? a : b)));
  assert.equal(dayStats.max_value, days.reduce((a, b) => (a > b ? a : b)));
});

Deno.test("a nullable column with every value null, and one with none", async () => {
  const count = 13;
  const allNull = new PlainStringColumn("email", count, true);
  const noneNull = new DictionaryStringColumn("flag", count, true);
  for (let index = 0; index < count; index++) {
    allNull.pushNull();
    noneNull.push(encoder.encode("x"), 0, 1);
  }
  const sink = new MemorySink();
  const writer = new RowGroupFileWriter(
    sink,
    schemaFor([{ name: "email", type: "STRING", nullable: true }, {
      name: "flag",
      type: "STRING",
      nullable: true,
    }]),
  );
  writer.append(encodeColumns([allNull, noneNull]));
  writer.finish();
  const rows = await parquetReadObjects({ file: sink.file() });
  assert.deepEqual(rows, Array.from({ length: count }, () => ({ email: null, flag: "x" })));
});

Deno.test("dictionary values whose FNV-1a hashes collide stay distinct, before and after a rehash", async () => {
  // Pairs found by search: equal 32-bit FNV-1a hash, same length and different lengths.
  const collisions = ["p1uzx", "pc2ad", "a097k", "b05e190"];
  const values: string[] = [];
  for (let round = 0; round < 3; round++) {
    values.push(...collisions, ...[...collisions].reverse());
    // 600 more distinct values between rounds grow the interning table past its first size.
    for (let index = 0; index < 600; index++) values.push(`filler ${round} ${index}`);
  }
  const column = new DictionaryStringColumn("name", values.length, false);
  for (const value of values) column.push(encoder.encode(value), 0, encoder.encode(value).length);
  const sink = new MemorySink();
  const writer = new RowGroupFileWriter(
    sink,
    schemaFor([{ name: "name", type: "STRING", nullable: false }]),
  );
  writer.append(encodeColumns([column]));
  writer.finish();
  const rows = await parquetReadObjects({ file: sink.file() });
  assert.deepEqual(rows.map((row) => row.name), values);
});
