import assert from "node:assert/strict";
import { join } from "node:path";
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { buildAggregations } from "../../src/aggregations/build_aggregations.ts";
import { AGGREGATION_TABLES } from "../../src/aggregations/registry.ts";
import { type CleanWorkspace, makeCleanRows, makeCleanWorkspace } from "./_clean_fixture.ts";
import { referenceTables, type TableRow } from "./_reference.ts";
import { type DpdRun, runDpd } from "../_dpd.ts";

const PROJECT_ROOT = join(import.meta.dirname!, "..", "..");

/** A table's rows as plain values: INT64 as numbers, DATE as `YYYY-MM-DD`. */
async function readTable(path: string): Promise<TableRow[]> {
  const bytes = await Deno.readFile(path);
  const rows = await parquetReadObjects({ file: bytes.buffer });
  return rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([key, value]) => [
        key,
        typeof value === "bigint"
          ? Number(value)
          : value instanceof Date
          ? value.toISOString().slice(0, 10)
          : value,
      ]),
    )
  );
}

/** The label columns of each table (the rest are measures). */
const LABELS: Record<string, string[]> = {
  daily_sales: ["date"],
  monthly_category_sales: ["month", "category"],
  monthly_region_sales: ["month", "region"],
  product_performance: ["product_name", "category"],
  category_region_revenue: ["category", "region"],
  discount_bands: ["band"],
  anomaly_summary: ["month", "anomaly_flag"],
  rejection_summary: ["rejection_reason"],
};

function byLabels(table: string, rows: TableRow[]): Map<string, TableRow> {
  return new Map(rows.map((row) => [JSON.stringify(LABELS[table].map((name) => row[name])), row]));
}

function assertTableEquals(table: string, actual: TableRow[], expected: TableRow[]): void {
  assert.equal(actual.length, expected.length, `${table}: row count`);
  const actualByLabels = byLabels(table, actual);
  for (const [labels, expectedRow] of byLabels(table, expected)) {
    const actualRow = actualByLabels.get(labels);
    assert.ok(actualRow, `${table}: missing group ${labels}`);
    assert.deepEqual(Object.keys(actualRow), Object.keys(expectedRow), `${table}: columns`);
    for (const [column, value] of Object.entries(expectedRow)) {
      if (column === "avg_discount") {
        // A plain running sum and an exact one may differ in the last bits, no more.
        assert.ok(
          Math.abs((actualRow[column] as number) - (value as number)) <= 1e-12,
          `${table} ${labels} ${column}: ${actualRow[column]} ≠ ${value}`,
        );
      } else {
        assert.equal(actualRow[column], value, `${table} ${labels} ${column}`);
      }
    }
  }
}

async function withWorkspace(body: (workspace: CleanWorkspace) => Promise<void>): Promise<void> {
  const workspace = await makeCleanWorkspace();
  try {
    await body(workspace);
  } finally {
    await Deno.remove(workspace.dataDir, { recursive: true });
  }
}

Deno.test("every table equals a row-by-row computation, with one worker or several", async () => {
  await withWorkspace(async (workspace) => {
    const expected = referenceTables(workspace.rows, workspace);
    for (const workers of [1, 2]) {
      const outDir = join(workspace.dataDir, `aggregations_${workers}`);
      const result = await buildAggregations({
        dataDir: workspace.dataDir,
        outDir,
        workers,
        quiet: true,
      });
      assert.equal(result.input, workspace.parquetPath);
      assert.equal(result.rows, workspace.rows.length);
      assert.deepEqual(
        result.tables.map((table) => table.name),
        AGGREGATION_TABLES.map((table) => table.name),
      );
      for (const table of result.tables) {
        assert.equal(table.path, join(outDir, `${table.name}.parquet`));
        const rows = await readTable(table.path);
        assert.equal(rows.length, table.rows);
        assertTableEquals(table.name, rows, expected[table.name]);
      }
    }
  });
});

Deno.test("the fixture reaches the edges the tables must handle", () => {
  const rows = makeCleanRows(5_000);
  const expected = referenceTables(rows, { inputRows: rows.length, reasons: {} });
  const bands = expected.discount_bands.map((row) => row.band);
  for (const band of ["none", "0-10%", "10-20%", "30-40%", "80-90%", "90-100%"]) {
    assert.ok(bands.includes(band), band);
  }
  assert.ok(rows.some((row) => row.sale_date < 0), "a sale before 1970");
  assert.ok(rows.some((row) => row.customer_email === null), "a null email");
  for (const discount of [0, 0.1, 0.8, 0.9, 1, 0.8999999999999999]) {
    assert.ok(rows.some((row) => row.discount_percent === discount), `${discount}`);
  }
  assert.ok(rows.some((row) => row.revenue === 1.005), "a revenue on a half cent");
});

Deno.test("tables are sorted as documented", async () => {
  await withWorkspace(async (workspace) => {
    const result = await buildAggregations({ dataDir: workspace.dataDir, quiet: true });
    const read = (name: string) =>
      readTable(result.tables.find((table) => table.name === name)!.path);
    const text = (values: (string | number)[]) => values.map(String);
    const sorted = (values: string[]) => [...values].sort();

    const daily = await read("daily_sales");
    assert.deepEqual(
      text(daily.map((row) => row.date)),
      sorted(text(daily.map((row) => row.date))),
    );
    for (const name of ["monthly_category_sales", "monthly_region_sales", "anomaly_summary"]) {
      const keys = (await read(name)).map((row) => JSON.stringify(LABELS[name].map((c) => row[c])));
      assert.deepEqual(keys, sorted(keys), name);
    }
    const pairs = (await read("category_region_revenue")).map((row) =>
      JSON.stringify([row.category, row.region])
    );
    assert.deepEqual(pairs, sorted(pairs));

    const products = await read("product_performance");
    for (let index = 1; index < products.length; index++) {
      assert.ok(products[index - 1].revenue >= products[index].revenue, "revenue descending");
    }
    const bandOrder = ["none", "0-10%", "10-20%", "20-30%", "30-40%", "40-50%", "50-60%"]
      .concat(["60-70%", "70-80%", "80-90%", "90-100%"]);
    const bands = (await read("discount_bands")).map((row) => row.band as string);
    assert.deepEqual(bands, bandOrder.filter((band) => bands.includes(band)));

    const reasons = (await read("rejection_summary")).map((row) => row.rejection_reason);
    assert.deepEqual(reasons, [
      "malformed_row",
      "missing_product_name",
      "duplicate_order_id",
      "invalid_quantity",
      "invalid_unit_price",
      "unknown_category",
      "unknown_region",
      "invalid_sale_date",
      "sale_date_out_of_range",
    ]);
  });
});

Deno.test("revenue reconciles to the cent across tables and with the clean rows", async () => {
  await withWorkspace(async (workspace) => {
    const result = await buildAggregations({ dataDir: workspace.dataDir, quiet: true });
    const cleanCents = workspace.rows.reduce(
      (sum, row) => sum + BigInt(Math.round(row.revenue * 100)),
      0n,
    );
    const totalCents = async (name: string) => {
      const rows = await readTable(result.tables.find((table) => table.name === name)!.path);
      return rows.reduce((sum, row) => sum + BigInt(Math.round((row.revenue as number) * 100)), 0n);
    };
    for (
      const name of [
        "daily_sales",
        "monthly_category_sales",
        "monthly_region_sales",
        "product_performance",
        "category_region_revenue",
        "discount_bands",
      ]
    ) {
      assert.equal(await totalCents(name), cleanCents, name);
    }
    const orders = async (name: string) =>
      (await readTable(result.tables.find((table) => table.name === name)!.path))
        .reduce((sum, row) => sum + (row.orders as number), 0);
    assert.equal(await orders("daily_sales"), workspace.rows.length);
    assert.equal(await orders("discount_bands"), workspace.rows.length);
    assert.equal(
      await orders("anomaly_summary"),
      workspace.rows.filter((row) => row.anomaly_flag).length,
    );
  });
});

Deno.test("written columns have the documented parquet types", async () => {
  await withWorkspace(async (workspace) => {
    const result = await buildAggregations({ dataDir: workspace.dataDir, quiet: true });
    const typeOf = (element: { type?: string; converted_type?: string }) =>
      element.converted_type === "DATE"
        ? "DATE"
        : element.converted_type === "UTF8"
        ? "STRING"
        : element.type;
    const expectedTypes: Record<string, string> = {
      date: "DATE",
      month: "STRING",
      category: "STRING",
      region: "STRING",
      product_name: "STRING",
      band: "STRING",
      anomaly_flag: "STRING",
      rejection_reason: "STRING",
      orders: "INT64",
      units: "INT64",
      discounted_orders: "INT64",
      rows: "INT64",
      revenue: "DOUBLE",
      avg_order_value: "DOUBLE",
      avg_unit_price: "DOUBLE",
      avg_discount: "DOUBLE",
      discount_given: "DOUBLE",
      share: "DOUBLE",
    };
    for (const table of result.tables) {
      const bytes = await Deno.readFile(table.path);
      const metadata = parquetMetadata(bytes.buffer);
      for (const element of metadata.schema.slice(1)) {
        assert.equal(typeOf(element), expectedTypes[element.name], `${table.name}.${element.name}`);
        assert.equal(element.repetition_type, "REQUIRED", `${table.name}.${element.name}`);
      }
    }
  });
});

Deno.test("output files are byte-identical for any number of workers", async () => {
  await withWorkspace(async (workspace) => {
    const runs = [];
    for (const workers of [1, 2, 3]) {
      const outDir = join(workspace.dataDir, `out_${workers}`);
      const { runId } = await buildAggregations({
        dataDir: workspace.dataDir,
        outDir,
        workers,
        quiet: true,
      });
      runs.push({ outDir, runId });
    }
    // Each run's id is in the footer; everything else must be the same bytes.
    const withoutRunId = (bytes: Uint8Array, runId: string) =>
      new TextDecoder("latin1").decode(bytes).replaceAll(runId, "<run id>");
    for (const table of AGGREGATION_TABLES) {
      const files: string[] = await Promise.all(
        runs.map(async ({ outDir, runId }) =>
          withoutRunId(await Deno.readFile(join(outDir, `${table.name}.parquet`)), runId)
        ),
      );
      for (const file of files.slice(1)) assert.equal(file, files[0], table.name);
    }
  });
});

Deno.test("a clean parquet without rows gives empty tables, and the rejections", async () => {
  const workspace = await makeCleanWorkspace({ rows: 0 });
  try {
    const result = await buildAggregations({ dataDir: workspace.dataDir, workers: 2, quiet: true });
    assert.equal(result.rows, 0);
    for (const table of result.tables) {
      const rows = await readTable(table.path);
      assert.equal(rows.length, table.name === "rejection_summary" ? 9 : 0, table.name);
    }
  } finally {
    await Deno.remove(workspace.dataDir, { recursive: true });
  }
});

Deno.test("the only clean parquet may be a symbolic link", async () => {
  await withWorkspace(async (workspace) => {
    const elsewhere = join(workspace.dataDir, "elsewhere.parquet");
    await Deno.rename(workspace.parquetPath, elsewhere);
    await Deno.symlink(elsewhere, workspace.parquetPath);
    const result = await buildAggregations({ dataDir: workspace.dataDir, quiet: true });
    assert.equal(result.input, workspace.parquetPath);
    assert.equal(result.rows, workspace.rows.length);
  });
});

Deno.test("progress reaches every row", async () => {
  await withWorkspace(async (workspace) => {
    const seen: number[] = [];
    await buildAggregations({
      dataDir: workspace.dataDir,
      quiet: true,
      workers: 2,
      onProgress: ({ rows, totalRows }) => {
        assert.equal(totalRows, workspace.rows.length);
        seen.push(rows);
      },
    });
    assert.equal(seen.length, 5, "one update per row group");
    assert.equal(seen.at(-1), workspace.rows.length);
    assert.deepEqual(seen, [...seen].sort((a, b) => a - b));
  });
});

function runCli(args: string[]): Promise<DpdRun> {
  return runDpd(["build-aggregations", ...args], { cwd: PROJECT_ROOT });
}

Deno.test("the command prints a --json summary", async () => {
  await withWorkspace(async (workspace) => {
    const { code, stdout, stderr } = await runCli(["--data-dir", workspace.dataDir, "--json"]);
    assert.equal(code, 0, stderr);
    const summary = JSON.parse(stdout);
    assert.equal(summary.command, "build-aggregations");
    assert.equal(summary.rows, workspace.rows.length);
    assert.equal(summary.out_dir, join(workspace.dataDir, "aggregations"));
    assert.deepEqual(
      Object.keys(summary.tables),
      AGGREGATION_TABLES.map((table) => table.name),
    );
    assert.equal(summary.tables.rejection_summary, 9);
    assert.equal(typeof summary.duration_s, "number");
    assert.ok(summary.peak_rss_bytes > 0);
  });
});

Deno.test("input problems exit 1 with one readable line", async (t) => {
  const cases: {
    name: string;
    setUp: (workspace: CleanWorkspace) => Promise<string[]>;
    message: RegExp;
  }[] = [
    {
      name: "no clean parquet",
      setUp: async (workspace) => {
        await Deno.remove(workspace.parquetPath);
        return [];
      },
      message: /no clean parquet in .*clean: run clean-data first, or pass --cleaned FILE/,
    },
    {
      name: "two clean parquets",
      setUp: async (workspace) => {
        await Deno.copyFile(workspace.parquetPath, join(workspace.dataDir, "clean", "b.parquet"));
        return [];
      },
      message:
        /2 clean parquet files in .*clean \(b\.parquet, dirty_test_clean\.parquet\): choose one with --cleaned/,
    },
    {
      name: "a missing --cleaned file",
      setUp: (workspace) => Promise.resolve(["--cleaned", join(workspace.dataDir, "nope.parquet")]),
      message: /nope\.parquet does not exist/,
    },
    {
      name: "a corrupt parquet",
      setUp: async (workspace) => {
        await Deno.writeTextFile(workspace.parquetPath, "order_id,product_name\nORD-1,Lamp\n");
        return [];
      },
      message: /cannot read .*dirty_test_clean\.parquet as parquet/,
    },
    {
      name: "a damaged row group (read by a worker or by the main thread)",
      setUp: async (workspace) => {
        const bytes = await Deno.readFile(workspace.parquetPath);
        const metadata = parquetMetadata(bytes.buffer);
        for (const group of metadata.row_groups.slice(1)) {
          const revenue = group.columns.find((chunk) =>
            chunk.meta_data?.path_in_schema[0] === "revenue"
          )!;
          const start = Number(revenue.meta_data!.data_page_offset);
          bytes.fill(0xff, start, start + 64);
        }
        await Deno.writeFile(workspace.parquetPath, bytes);
        return ["--workers", "2"];
      },
      message: /cannot read .*dirty_test_clean\.parquet as parquet/,
    },
    {
      name: "a missing clean report",
      setUp: async (workspace) => {
        await Deno.remove(workspace.reportPath);
        return [];
      },
      message: /no clean report for .*dirty_test_clean\.parquet .*re-run clean-data/,
    },
    {
      name: "a report from another run",
      setUp: async (workspace) => {
        const report = JSON.parse(await Deno.readTextFile(workspace.reportPath));
        report.clean_rows += 1;
        await Deno.writeTextFile(workspace.reportPath, JSON.stringify(report));
        return [];
      },
      message: /counts 5001 clean rows but .* holds 5000: they come from different clean-data runs/,
    },
  ];
  for (const { name, setUp, message } of cases) {
    await t.step(name, async () => {
      await withWorkspace(async (workspace) => {
        const args = await setUp(workspace);
        const { code, stdout, stderr } = await runCli(["--data-dir", workspace.dataDir, ...args]);
        assert.equal(code, 1, stderr);
        assert.equal(stdout, "");
        // Progress may have started (a plain log line when stderr is not a terminal).
        const lines = stderr.trim().split("\n").filter((line) =>
          !/^build-aggregations: /.test(line)
        );
        assert.equal(lines.length, 1, stderr);
        assert.match(lines[0], /^error: /);
        assert.match(lines[0], message);
        const written = await Array.fromAsync(
          Deno.readDir(workspace.dataDir),
          (entry) => entry.name,
        );
        assert.ok(!written.includes("aggregations"), "nothing written");
      });
    });
  }
});
