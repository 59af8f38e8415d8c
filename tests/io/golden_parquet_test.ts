/**
 * A golden clean parquet: tests/fixtures/golden/sales_clean.parquet was written by dpd from
 * tests/fixtures/golden/sales.csv, and tests/fixtures/golden/sales_clean.jsonl holds what it must
 * contain (see tests/fixtures/golden/README.md).
 *
 * Compared by value, not by bytes: the contract is what any reader sees (schema, row groups,
 * values), and an encoder change that keeps those (page layout, statistics added, a run id in the
 * footer) must not break this test. The 200k-row end-to-end check is where byte stability is
 * watched.
 *
 * `DPD_UPDATE_GOLDEN=1 deno test -A tests/io/golden_parquet_test.ts` rewrites the parquet and the
 * expected rows from the current dpd: review the diff of the `.jsonl` before committing.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parquetReadObjects } from "hyparquet";
import { cleanData } from "../../src/cleaning/clean_data.ts";
import { PROJECT_ROOT } from "../_dpd.ts";
import { DuckDb, type DuckRow, parquetRowsOf, parquetSchemaOf, sqlString } from "../_duckdb.ts";

const GOLDEN = join(PROJECT_ROOT, "tests", "fixtures", "golden");
const INPUT = join(GOLDEN, "sales.csv");
const PARQUET = join(GOLDEN, "sales_clean.parquet");
const EXPECTED = join(GOLDEN, "sales_clean.jsonl");
const AS_OF = "2026-11-28";
const UPDATE = Deno.env.get("DPD_UPDATE_GOLDEN") === "1";

/** A row as JSON can hold it: INT64 as a number (the golden values are safe integers). */
function plain(row: DuckRow): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([name, value]) => {
      if (typeof value !== "bigint") return [name, value];
      assert.ok(Number.isSafeInteger(Number(value)), `${name}: ${value} is a safe integer`);
      return [name, Number(value)];
    }),
  );
}

interface Expected {
  schema: unknown;
  rowGroups: number;
  rows: Record<string, unknown>[];
}

/** The `.jsonl` file: a first line with the schema and row-group count, then one row per line. */
async function readExpected(): Promise<Expected> {
  const [head, ...rows] = (await Deno.readTextFile(EXPECTED)).trimEnd().split("\n");
  const { schema, row_groups } = JSON.parse(head);
  return { schema, rowGroups: row_groups, rows: rows.map((line) => JSON.parse(line)) };
}

async function readWithDuckDb(db: DuckDb, path: string): Promise<Expected> {
  const groups = await db.row(
    `SELECT num_row_groups FROM parquet_file_metadata(${sqlString(path)})`,
  );
  return {
    schema: await parquetSchemaOf(db, path),
    rowGroups: Number(groups.num_row_groups),
    rows: (await parquetRowsOf(db, path)).map(plain),
  };
}

async function cleanGolden(directory: string): Promise<string> {
  const { report } = await cleanData({
    input: INPUT,
    dataDir: directory,
    lookupsDir: join(GOLDEN, "lookups"),
    asOf: AS_OF,
    quiet: true,
    workers: 1,
  });
  return report.output!;
}

Deno.test("golden parquet: dpd still writes it, DuckDB and hyparquet read exactly its rows", async () => {
  const directory = await Deno.makeTempDir({ prefix: "dpd-golden-" });
  using db = await DuckDb.open();
  try {
    const fresh = await cleanGolden(directory);
    if (UPDATE) {
      await Deno.copyFile(fresh, PARQUET);
      const { schema, rowGroups, rows } = await readWithDuckDb(db, fresh);
      const lines = [
        JSON.stringify({ schema, row_groups: rowGroups }),
        ...rows.map((row) => JSON.stringify(row)),
      ];
      await Deno.writeTextFile(EXPECTED, lines.join("\n") + "\n");
    }
    const expected = await readExpected();
    assert.ok(expected.rows.length >= 250, "a few hundred rows");

    // The committed file, written by an earlier dpd, still reads as expected.
    assert.deepEqual(await readWithDuckDb(db, PARQUET), expected, "committed golden parquet");
    // Today's dpd writes the same schema, row groups and values.
    assert.deepEqual(await readWithDuckDb(db, fresh), expected, "freshly written parquet");
    // And hyparquet, dpd's own reader, agrees on the committed file.
    const hyparquetRows = await parquetReadObjects({ file: (await Deno.readFile(PARQUET)).buffer });
    assert.deepEqual(hyparquetRows.map(plain), expected.rows, "hyparquet on the golden parquet");
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});
