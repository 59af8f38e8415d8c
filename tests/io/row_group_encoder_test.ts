import assert from "node:assert/strict";
import { MemorySink } from "./_memory_sink.ts";
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import {
  DictionaryStringColumn,
  encodeColumns,
  NumberColumn,
  PlainStringColumn,
} from "../../src/io/column_chunk_encoder.ts";
import {
  type EncodedRowGroup,
  RowGroupFileWriter,
  schemaFor,
} from "../../src/io/row_group_encoder.ts";

const COLUMNS = [
  { name: "id", type: "STRING", nullable: false },
  { name: "amount", type: "DOUBLE", nullable: false },
  { name: "units", type: "INT64", nullable: false },
  { name: "note", type: "STRING", nullable: true },
] as const;

/** Rows `[first, first + count)` encoded as one row group, the way the clean workers do. */
function group(first: number, count: number): EncodedRowGroup {
  const encoder = new TextEncoder();
  const ids = new PlainStringColumn("id", count, false);
  const amounts = new NumberColumn("amount", "DOUBLE", count);
  const units = new NumberColumn("units", "INT64", count);
  const notes = new DictionaryStringColumn("note", count, true);
  for (let row = first; row < first + count; row++) {
    const id = encoder.encode(`id-${row}`);
    ids.push(id, 0, id.length);
    amounts.push(row / 4);
    units.push(row);
    if (row % 3 === 0) notes.pushNull();
    else {
      const note = encoder.encode(`note ${row}`);
      notes.push(note, 0, note.length);
    }
  }
  return encodeColumns([ids, amounts, units, notes]);
}

Deno.test("row groups encoded apart and appended in order read back as one parquet file", async () => {
  const schema = schemaFor([...COLUMNS]);
  const sink = new MemorySink();
  const writer = new RowGroupFileWriter(sink, schema);
  // Encode out of order (as workers finish), append in order.
  const second = group(1000, 2500);
  const first = group(0, 1000);
  const third = group(3500, 7);
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
