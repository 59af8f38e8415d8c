import assert from "node:assert/strict";
import { join } from "node:path";
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import {
  parquetSchemaFor,
  ParquetStreamWriter,
  writeParquetTable,
} from "../../src/io/parquet_write.ts";

async function withDirectory(body: (directory: string) => Promise<void>): Promise<void> {
  const directory = await Deno.makeTempDir({ prefix: "dpd_parquet_write_" });
  try {
    await body(directory);
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
}

async function readBack(path: string) {
  const bytes = await Deno.readFile(path);
  return {
    metadata: parquetMetadata(bytes.buffer),
    rows: await parquetReadObjects({ file: bytes.buffer }),
  };
}

Deno.test("writeParquetTable writes each type so hyparquet reads it back", async () => {
  await withDirectory(async (directory) => {
    const path = join(directory, "nested", "table.parquet");
    const written = await writeParquetTable(path, [
      { name: "date", type: "DATE", values: [-1, 0, 20_000] },
      { name: "label", type: "STRING", values: ["a", 'b, "c"', "ü"] },
      { name: "count", type: "INT64", values: [0, 2 ** 53 - 1, -7] },
      { name: "amount", type: "DOUBLE", values: Float64Array.of(0.1, -2.5, 1e9) },
      { name: "small", type: "INT32", values: [1, 2, 3] },
      { name: "ok", type: "BOOLEAN", values: [true, false, true] },
      { name: "maybe", type: "STRING", nullable: true, values: [null, "x", null] },
      { name: "maybe_count", type: "INT64", nullable: true, values: [null, 5, null] },
    ]);
    assert.equal(written.rows, 3);
    assert.equal(written.bytes, (await Deno.stat(path)).size);
    const { metadata, rows } = await readBack(path);
    assert.deepEqual(
      metadata.schema.slice(1).map((element) => [
        element.name,
        element.type,
        element.converted_type,
        element.repetition_type,
      ]),
      [
        ["date", "INT32", "DATE", "REQUIRED"],
        ["label", "BYTE_ARRAY", "UTF8", "REQUIRED"],
        ["count", "INT64", undefined, "REQUIRED"],
        ["amount", "DOUBLE", undefined, "REQUIRED"],
        ["small", "INT32", undefined, "REQUIRED"],
        ["ok", "BOOLEAN", undefined, "REQUIRED"],
        ["maybe", "BYTE_ARRAY", "UTF8", "OPTIONAL"],
        ["maybe_count", "INT64", undefined, "OPTIONAL"],
      ],
    );
    assert.deepEqual(rows, [
      {
        date: new Date("1969-12-31"),
        label: "a",
        count: 0n,
        amount: 0.1,
        small: 1,
        ok: true,
        maybe: null,
        maybe_count: null,
      },
      {
        date: new Date("1970-01-01"),
        label: 'b, "c"',
        count: 2n ** 53n - 1n,
        amount: -2.5,
        small: 2,
        ok: false,
        maybe: "x",
        maybe_count: 5n,
      },
      {
        date: new Date("2024-10-04"),
        label: "ü",
        count: -7n,
        amount: 1e9,
        small: 3,
        ok: true,
        maybe: null,
        maybe_count: null,
      },
    ]);
  });
});

Deno.test("writeParquetTable writes an empty table with its schema", async () => {
  await withDirectory(async (directory) => {
    const path = join(directory, "empty.parquet");
    const written = await writeParquetTable(path, [
      { name: "band", type: "STRING", values: [] },
      { name: "orders", type: "INT64", values: [] },
    ]);
    assert.equal(written.rows, 0);
    const { metadata, rows } = await readBack(path);
    assert.equal(metadata.num_rows, 0n);
    assert.deepEqual(metadata.schema.slice(1).map((element) => element.name), ["band", "orders"]);
    assert.deepEqual(rows, []);
  });
});

Deno.test("writeParquetTable splits rows into row groups of the size asked", async () => {
  await withDirectory(async (directory) => {
    const path = join(directory, "groups.parquet");
    const values = Array.from({ length: 25 }, (_, index) => index);
    await writeParquetTable(path, [{ name: "n", type: "INT64", values }], { rowGroupSize: 10 });
    const { metadata, rows } = await readBack(path);
    assert.deepEqual(metadata.row_groups.map((group) => group.num_rows), [10n, 10n, 5n]);
    assert.deepEqual(rows.map((row) => Number(row.n)), values);
  });
});

Deno.test("a failed write leaves neither the file nor a temporary one", async (t) => {
  const cases: [string, Parameters<typeof writeParquetTable>[1], RegExp][] = [
    [
      "an INT64 beyond 2^53",
      [{ name: "n", type: "INT64", values: [2 ** 53] }],
      /INT64 value must be a safe integer/,
    ],
    [
      "columns of different lengths",
      [{ name: "a", type: "INT64", values: [1, 2] }, { name: "b", type: "STRING", values: ["x"] }],
      /column b has 1 values, expected 2/,
    ],
    [
      "a null in a required column",
      [{ name: "a", type: "STRING", values: ["x", null] }],
      /column a is required but value 1 is null/,
    ],
  ];
  for (const [name, columns, message] of cases) {
    await t.step(name, async () => {
      await withDirectory(async (directory) => {
        const path = join(directory, "table.parquet");
        await assert.rejects(writeParquetTable(path, columns), message);
        assert.deepEqual(await Array.fromAsync(Deno.readDir(directory)), []);
      });
    });
  }
});

Deno.test("ParquetStreamWriter appends row groups and shows nothing until commit", async () => {
  await withDirectory(async (directory) => {
    const path = join(directory, "stream.parquet");
    const columns = [
      { name: "id", type: "STRING" },
      { name: "value", type: "DOUBLE" },
    ] as const;
    const writer = await ParquetStreamWriter.create(path, columns, { rowGroupSize: 1_000 });
    writer.writeRowGroup({ id: ["a", "b"], value: [1, 2] });
    writer.writeRowGroup({ id: ["c"], value: Float64Array.of(3) });
    assert.equal(writer.rows, 3);
    await assert.rejects(Deno.stat(path), Deno.errors.NotFound);
    await writer.commit();
    const { metadata, rows } = await readBack(path);
    assert.deepEqual(metadata.row_groups.map((group) => group.num_rows), [2n, 1n]);
    assert.deepEqual(rows, [{ id: "a", value: 1 }, { id: "b", value: 2 }, { id: "c", value: 3 }]);
    assert.deepEqual(
      (await Array.fromAsync(Deno.readDir(directory))).map((entry) => entry.name),
      ["stream.parquet"],
    );
  });
});

Deno.test("parquetSchemaFor names DATE and STRING logical types", () => {
  assert.deepEqual(
    parquetSchemaFor([
      { name: "d", type: "DATE" },
      { name: "s", type: "STRING", nullable: true },
    ]),
    [
      { name: "root", num_children: 2 },
      {
        name: "d",
        type: "INT32",
        converted_type: "DATE",
        logical_type: { type: "DATE" },
        repetition_type: "REQUIRED",
      },
      {
        name: "s",
        type: "BYTE_ARRAY",
        converted_type: "UTF8",
        logical_type: { type: "STRING" },
        repetition_type: "OPTIONAL",
      },
    ],
  );
});
