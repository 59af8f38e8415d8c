/**
 * clean-data end to end on 200k rows from `generate-data` (seed 42) with the shipped lookups: every
 * reason occurs, every row is accounted for, the parquet has docs/schemas.md's types, and the rejected
 * CSV holds each rejected row's fields exactly as read from the input.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parquetMetadata, parquetReadObjects, parquetSchema } from "hyparquet";
import { cleanData } from "../../src/cleaning/clean_data.ts";
import { REJECTION_REASONS } from "../../src/cleaning/rules/reasons.ts";
import { generateData } from "../../src/generation/generate_data.ts";
import { openCsv } from "../../src/io/csv_stream.ts";
import { RECORD_OK, recordFields } from "../../src/io/csv_parse.ts";

const AS_OF = "2026-11-28";
const SHIPPED_LOOKUPS = join(import.meta.dirname!, "..", "..", "lookups");

/** Every record of a CSV by its source line: its fields, or null when malformed. */
async function recordsByLine(path: string): Promise<{
  header: string[];
  records: Map<number, string[] | null>;
}> {
  const csv = await openCsv(path);
  const records = new Map<number, string[] | null>();
  for await (const batch of csv.batches) {
    for (let record = 0; record < batch.count; record++) {
      records.set(
        batch.recordLine[record],
        batch.status[record] === RECORD_OK ? recordFields(batch, record) : null,
      );
    }
  }
  return { header: csv.header, records };
}

Deno.test("200k generated dirty rows: every reason, every row, the schema, the raw fields", async () => {
  const directory = await Deno.makeTempDir({ prefix: "dpd-generated-clean-" });
  const input = join(directory, "dirty_200k.csv");
  await generateData({
    rows: 200_000,
    clean: false,
    seed: 42,
    asOf: AS_OF,
    output: input,
    workers: 2,
  });
  // The generator writes well-formed CSV; append the malformed rows real exports have.
  const malformed = [
    "ORD-999999001,Ragged row,Books,1\n",
    'ORD-999999002,"Quote then junk"x,Books,1,2,0,Asia,2026-01-01,,2\n',
    'ORD-999999003,"Never closed,Books,1,2,0,Asia,2026-01-01,,2\n',
  ];
  await Deno.writeTextFile(input, malformed.join(""), { append: true });

  const { report } = await cleanData({
    input,
    dataDir: join(directory, "data"),
    lookupsDir: SHIPPED_LOOKUPS,
    asOf: AS_OF,
    quiet: true,
  });

  assert.equal(report.input_rows, 200_000 + malformed.length);
  assert.equal(report.clean_rows + report.rejected_rows, report.input_rows);
  // Exact: seed 42 and the shipped lookups always give these counts. A deliberate change to the
  // generator's rates or to lookups/ changes them; anything else that does is a bug.
  assert.deepEqual(report.reasons, {
    malformed_row: malformed.length,
    missing_order_id: 192,
    missing_product_name: 217,
    duplicate_order_id: 2_049,
    invalid_quantity: 1_918,
    zero_quantity: 3_876,
    invalid_unit_price: 621,
    unknown_category: 1_993,
    unknown_region: 1_868,
    invalid_sale_date: 7_566,
    sale_date_out_of_range: 963,
    invalid_calculated_revenue: 452,
  });
  assert.deepEqual(Object.keys(report.reasons), [...REJECTION_REASONS]);
  assert.equal(report.clean_rows, 178_285);
  const reasonTotal = Object.values(report.reasons).reduce((sum, rows) => sum + rows, 0);
  assert.equal(reasonTotal, report.rejected_rows);
  assert.deepEqual(report.anomalies, { heavy_discount: 1_747 });

  // The parquet: docs/schemas.md's physical types and nullability, and as many rows as the report says.
  const file = (await Deno.readFile(report.output!)).buffer;
  const metadata = parquetMetadata(file);
  assert.equal(Number(metadata.num_rows), report.clean_rows);
  const schema = Object.fromEntries(
    parquetSchema(metadata).children.map((child) => [child.element.name, child.element]),
  );
  assert.equal(schema.quantity.type, "INT64");
  assert.equal(schema.sale_date.type, "INT64");
  assert.equal(schema.unit_price.type, "DOUBLE");
  assert.equal(schema.revenue.type, "DOUBLE");
  assert.equal(schema.customer_email.repetition_type, "OPTIONAL");
  assert.equal(schema.anomaly_flag.repetition_type, "OPTIONAL");
  assert.equal(schema.order_id.repetition_type, "REQUIRED");
  const firstGroup = await parquetReadObjects({ file, rowStart: 0, rowEnd: 2_000 });
  for (const row of firstGroup) {
    assert.equal(typeof row.quantity, "bigint");
    assert.equal(Number(row.sale_date as bigint) % 86_400, 0);
    assert.ok(
      row.customer_email === null || /^[^\sA-Z]+@[^\s@]+\.[a-z]{2,}$/.test(row.customer_email),
    );
  }
  assert.ok(firstGroup.some((row) => row.customer_email === null));

  // The rejected CSV parses, and holds each row's fields exactly as read.
  const source = await recordsByLine(input);
  const rejected = await recordsByLine(report.rejected!);
  assert.deepEqual(rejected.header, [...source.header, "rejection_reason", "source_line"]);
  assert.equal(rejected.records.size, report.rejected_rows);
  const fieldCount = source.header.length;
  const seenReasons = new Set<string>();
  for (const fields of rejected.records.values()) {
    assert.ok(fields, "every rejected line is well-formed CSV");
    const [reason, line] = fields.slice(fieldCount);
    seenReasons.add(reason);
    const original = source.records.get(Number(line));
    assert.notEqual(original, undefined, `source_line ${line} is a record of the input`);
    if (reason === "malformed_row") {
      assert.equal(original, null);
      assert.ok(fields[0].length > 0 && fields.slice(1, fieldCount).every((field) => field === ""));
    } else {
      assert.deepEqual(fields.slice(0, fieldCount), original, `line ${line}`);
    }
  }
  assert.deepEqual([...seenReasons].sort(), [...REJECTION_REASONS].sort());
});
