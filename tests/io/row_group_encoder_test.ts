import assert from "node:assert/strict";
import { MemorySink } from "./_memory_sink.ts";
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import {
  type ColumnSource,
  encodeRowGroup,
  RowGroupFileWriter,
  schemaFor,
} from "../../src/io/row_group_encoder.ts";

const COLUMNS = [
  { name: "id", type: "STRING", nullable: false },
  { name: "amount", type: "DOUBLE", nullable: false },
  { name: "units", type: "INT64", nullable: false },
  { name: "note", type: "STRING", nullable: true },
] as const;

function group(first: number, count: number): ColumnSource[] {
  const encoder = new TextEncoder();
  const ids = Array.from({ length: count }, (_, index) => encoder.encode(`id-${first + index}`));
  const amounts = Float64Array.from({ length: count }, (_, index) => (first + index) / 4);
  const units = BigInt64Array.from({ length: count }, (_, index) => BigInt(first + index));
  const notes = Array.from(
    { length: count },
    (_, index) => (first + index) % 3 === 0 ? null : `note ${first + index}`,
  );
  return [
    { ...COLUMNS[0], data: ids },
    { ...COLUMNS[1], data: amounts },
    { ...COLUMNS[2], data: units },
    { ...COLUMNS[3], data: notes },
  ];
}

Deno.test("row groups encoded apart and appended in order read back as one parquet file", async () => {
  const schema = schemaFor([...COLUMNS]);
  const sink = new MemorySink();
  const writer = new RowGroupFileWriter(sink, schema);
  // Encode out of order (as workers finish), append in order.
  const second = encodeRowGroup(schema, group(1000, 2500));
  const first = encodeRowGroup(schema, group(0, 1000));
  const third = encodeRowGroup(schema, group(3500, 7));
  writer.append(first);
  writer.append(second);
  writer.append(third);
  writer.finish();
  assert.equal(writer.rows, 3507);

  const file = sink.file();
  const metadata = parquetMetadata(file);
  assert.equal(Number(metadata.num_rows), 3507);
  assert.deepEqual(metadata.row_groups.map((rowGroup) => Number(rowGroup.num_rows)), [
    1000,
    2500,
    7,
  ]);
  const rows = await parquetReadObjects({ file });
  assert.equal(rows.length, 3507);
  for (const index of [0, 1, 999, 1000, 3499, 3500, 3506]) {
    assert.deepEqual(rows[index], {
      id: `id-${index}`,
      amount: index / 4,
      units: BigInt(index),
      note: index % 3 === 0 ? null : `note ${index}`,
    });
  }
});

Deno.test("a file with no row groups is still a valid, empty parquet file", async () => {
  const schema = schemaFor([...COLUMNS]);
  const sink = new MemorySink();
  const writer = new RowGroupFileWriter(sink, schema);
  writer.finish();
  const file = sink.file();
  assert.equal(Number(parquetMetadata(file).num_rows), 0);
  assert.deepEqual(await parquetReadObjects({ file }), []);
});
