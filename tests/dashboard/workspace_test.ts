import assert from "node:assert/strict";
import { join } from "node:path";
import { latestCleanReport } from "../../dashboard/lib/clean_report.ts";
import {
  downloadHref,
  isInsideDataDir,
  isPlainFileName,
  listAggregations,
  resolveDownload,
  resolveWorkspace,
} from "../../dashboard/lib/workspace.ts";

Deno.test("file names: anything a person names a table, but no paths and nothing hidden", () => {
  const cases: [string, boolean][] = [
    ["daily_sales.parquet", true],
    ["weekly sales.parquet", true],
    ["_private.parquet", true],
    ["ventes_été.parquet", true],
    ["a..b.parquet", true],
    [".dpd-tmp-daily_sales.parquet.1-2", false],
    ["..", false],
    ["../x.parquet", false],
    ["a/b.parquet", false],
    ["a\\b.parquet", false],
    ["bad\nname.parquet", false],
    ["", false],
  ];
  for (const [name, expected] of cases) assert.equal(isPlainFileName(name), expected, name);
});

Deno.test("every parquet in aggregations is listed, but none reached through a link outside", async () => {
  const root = await Deno.makeTempDir({ prefix: "dpd-workspace-" });
  const dataDir = join(root, "data");
  const aggregations = join(dataDir, "aggregations");
  await Deno.mkdir(aggregations, { recursive: true });
  for (const name of ["daily_sales", "weekly sales", "_private", "ventes_été"]) {
    await Deno.writeTextFile(join(aggregations, `${name}.parquet`), "x");
  }
  await Deno.writeTextFile(join(aggregations, ".dpd-tmp-daily_sales.parquet.9-9"), "x");
  await Deno.mkdir(join(root, "outside"));
  await Deno.writeTextFile(join(root, "outside", "secret.parquet"), "x");
  await Deno.symlink(join(root, "outside", "secret.parquet"), join(aggregations, "leak.parquet"));
  const workspace = resolveWorkspace({ dataDir, lookupsDir: join(root, "lookups") });
  assert.deepEqual(
    (await listAggregations(workspace)).map((table) => table.name),
    ["daily_sales", "_private", "ventes_été", "weekly sales"],
  );
  assert.equal(await resolveDownload(workspace, "aggregations", "leak.parquet"), undefined);

  // The whole directory replaced by a link to somewhere else lists nothing.
  await Deno.remove(aggregations, { recursive: true });
  await Deno.symlink(join(root, "outside"), aggregations);
  assert.deepEqual(await listAggregations(workspace), []);
  assert.equal(await isInsideDataDir(workspace, join(aggregations, "secret.parquet")), false);
  assert.equal(await isInsideDataDir(workspace, join(dataDir, "clean", "x.parquet")), false);
  await Deno.mkdir(join(dataDir, "clean"));
  assert.equal(await isInsideDataDir(workspace, join(dataDir, "clean", "x.parquet")), true);
});

Deno.test("a clean report naming files outside the data directory is not used", async () => {
  const root = await Deno.makeTempDir({ prefix: "dpd-workspace-" });
  const dataDir = join(root, "data");
  await Deno.mkdir(join(dataDir, "reports"), { recursive: true });
  await Deno.mkdir(join(dataDir, "clean"));
  await Deno.mkdir(join(dataDir, "rejected"));
  const workspace = resolveWorkspace({ dataDir, lookupsDir: join(root, "lookups") });
  const report = (rejected: string) =>
    JSON.stringify({
      input_rows: 2,
      clean_rows: 1,
      rejected_rows: 1,
      reasons: {},
      anomalies: {},
      input: join(root, "in.csv"),
      output: join(dataDir, "clean", "x_clean.parquet"),
      rejected,
    });
  const path = join(dataDir, "reports", "x_clean_report.json");
  await Deno.writeTextFile(path, report(join(dataDir, "rejected", "x_rejected.csv")));
  const inside = await latestCleanReport(workspace);
  assert.ok(inside && !("problem" in inside), JSON.stringify(inside));

  await Deno.writeTextFile(path, report("/etc/passwd"));
  const outside = await latestCleanReport(workspace);
  assert.ok(outside && "problem" in outside);
  assert.match(outside.problem, /\/etc\/passwd, which is outside the data directory/);
});

Deno.test("download links: only files directly in a download folder of the data directory", async () => {
  const root = await Deno.makeTempDir({ prefix: "dpd-workspace-" });
  try {
    const dataDir = join(root, "data");
    await Deno.mkdir(join(dataDir, "clean", "sales", "sale_month=2026-01"), { recursive: true });
    await Deno.mkdir(join(dataDir, "input"));
    for (
      const file of [
        join("clean", "x.parquet"),
        join("clean", "sales", "sale_month=2026-01", "part-00000.parquet"),
        join("input", "x.csv"),
      ]
    ) await Deno.writeTextFile(join(dataDir, file), "");
    await Deno.writeTextFile(join(root, "outside.parquet"), "");
    const workspace = resolveWorkspace({ dataDir, lookupsDir: join(root, "lookups") });
    const cases: [path: string, href: string | undefined][] = [
      [join(dataDir, "clean", "x.parquet"), "/files/clean/x.parquet"],
      [join(dataDir, "clean", "missing.parquet"), undefined],
      [join(dataDir, "clean", "sales"), undefined],
      [join(dataDir, "clean", "sales", "sale_month=2026-01", "part-00000.parquet"), undefined],
      [join(dataDir, "input", "x.csv"), undefined],
      [join(root, "outside.parquet"), undefined],
      [join(dataDir, "clean", "..", "..", "outside.parquet"), undefined],
    ];
    for (const [path, href] of cases) {
      assert.equal(await downloadHref(workspace, path), href, path);
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
