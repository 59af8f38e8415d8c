/**
 * The rejected-rows index on the rejected CSV the real clean stage wrote: counts, pages by reason
 * and unfiltered (across checkpoints), the review values, and re-indexing when the file changes.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  CHECKPOINT_EVERY,
  readRejectedPage,
  rejectedIndex,
} from "../../dashboard/lib/rejected_index.ts";
import { openCsv } from "../../src/io/csv_stream.ts";
import { recordFields } from "../../src/io/csv_parse.ts";
import {
  buildFixtureWorkspace,
  HOSTILE_VALUE,
  sharedFixtureWorkspace,
} from "./_fixture_workspace.ts";

/** Every row of a CSV, parsed by the project's CSV reader (the reference). */
async function allRows(path: string): Promise<{ header: string[]; rows: string[][] }> {
  const file = await openCsv(path);
  const rows: string[][] = [];
  for await (const batch of file.batches) {
    for (let record = 0; record < batch.count; record++) rows.push(recordFields(batch, record));
  }
  return { header: file.header, rows };
}

async function rejectedPath(): Promise<{ path: string; report: Record<string, unknown> }> {
  const workspace = await sharedFixtureWorkspace();
  const report = JSON.parse(
    await Deno.readTextFile(join(workspace.dataDir, "reports", "dirty_fixture_clean_report.json")),
  );
  return { path: join(workspace.dataDir, "rejected", "dirty_fixture_rejected.csv"), report };
}

Deno.test("the index counts every reason as the clean report does", async () => {
  const { path, report } = await rejectedPath();
  const index = await rejectedIndex(path);
  assert.equal(index.rows, report.rejected_rows);
  assert.equal(index.unreadableRows, 0);
  const reported = Object.entries(report.reasons as Record<string, number>).filter(([, rows]) =>
    rows > 0
  );
  assert.deepEqual(Object.fromEntries(index.reasonCounts), Object.fromEntries(reported));
  assert.deepEqual(index.header.slice(-2), ["rejection_reason", "source_line"]);
});

Deno.test("pages of one reason are that reason's rows in file order", async () => {
  const { path } = await rejectedPath();
  const { header, rows } = await allRows(path);
  const reasonColumn = header.indexOf("rejection_reason");
  for (const reason of ["unknown_region", "malformed_row", "duplicate_order_id"]) {
    const expected = rows.filter((row) => row[reasonColumn] === reason);
    const seen: string[][] = [];
    for (let page = 1;; page++) {
      const { page: result } = await readRejectedPage(path, { reason, page, pageSize: 25 });
      seen.push(...result.rows);
      if (page >= result.pageCount) break;
    }
    assert.deepEqual(seen, expected, reason);
  }
});

Deno.test("unfiltered pages start anywhere, across checkpoints", async () => {
  const { path } = await rejectedPath();
  const { rows } = await allRows(path);
  assert.ok(rows.length > 3 * CHECKPOINT_EVERY);
  for (const [page, pageSize] of [[1, 25], [3, 25], [2, 100], [4, 100], [999, 50]]) {
    const { page: result } = await readRejectedPage(path, { page, pageSize });
    const first = (result.page - 1) * pageSize;
    assert.deepEqual(
      result.rows,
      rows.slice(first, first + pageSize),
      `page ${page} of ${pageSize}`,
    );
    assert.equal(result.total, rows.length);
  }
});

Deno.test("review values group raw spellings by lookup key, most rows first", async () => {
  const { path } = await rejectedPath();
  const { header, rows } = await allRows(path);
  const index = await rejectedIndex(path);
  const reasonColumn = header.indexOf("rejection_reason");
  const regionColumn = header.indexOf("region");
  const expected = new Map<string, number>();
  for (const row of rows) {
    if (row[reasonColumn] !== "unknown_region") continue;
    const key = row[regionColumn].trim().toLowerCase();
    expected.set(key, (expected.get(key) ?? 0) + 1);
  }
  assert.deepEqual(
    index.reviewRegions.map((value) => [value.key, value.rows]),
    [...expected].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)),
  );
  assert.ok(index.reviewRegions.some((value) => value.display === HOSTILE_VALUE));
  assert.deepEqual(index.reviewCategories.map((value) => value.display), ["Gadgets"]);
});

Deno.test("a rewritten file is indexed again on the next read", async () => {
  const workspace = await buildFixtureWorkspace(400);
  try {
    const path = join(workspace.dataDir, "rejected", "dirty_fixture_rejected.csv");
    const before = await rejectedIndex(path);
    const text = await Deno.readTextFile(path);
    const lines = text.trimEnd().split("\n");
    // Keep the header and the first 5 rows, written the way dpd writes: temp name, then rename.
    await Deno.writeTextFile(`${path}.tmp`, lines.slice(0, 6).join("\n") + "\n");
    await Deno.rename(`${path}.tmp`, path);
    const { index, page } = await readRejectedPage(path, { page: 1, pageSize: 50 });
    assert.ok(before.rows > 5);
    assert.equal(index.rows, 5);
    assert.equal(page.rows.length, 5);
  } finally {
    await Deno.remove(workspace.root, { recursive: true });
  }
});

Deno.test("the review values come from the columns the clean run read as region and category", async () => {
  const directory = await Deno.makeTempDir({ prefix: "dpd-rejected-roles-" });
  const path = join(directory, "export_rejected.csv");
  await Deno.writeTextFile(
    path,
    "Order ID,Territory,Product Category,Region Code,rejection_reason,source_line\n" +
      "A-1,Atlantis,Books,R1,unknown_region,2\n" +
      "A-2,Europe,Bokz,R2,unknown_category,3\n",
  );
  const mapped = await rejectedIndex(path, {
    columns: { region: "Territory", category: "Product Category" },
  });
  assert.deepEqual(mapped.reviewRegions.map((value) => value.display), ["Atlantis"]);
  assert.deepEqual(mapped.reviewCategories.map((value) => value.display), ["Bokz"]);

  // Without the report's mapping (an older report), only columns named like the role count.
  const other = join(directory, "named_rejected.csv");
  await Deno.writeTextFile(
    other,
    "Order ID, REGION ,rejection_reason,source_line\nA-1,Atlantis,unknown_region,2\n",
  );
  const named = await rejectedIndex(other);
  assert.deepEqual(named.reviewRegions.map((value) => value.display), ["Atlantis"]);
});

/**
 * The fixture's rejected CSV cut into three files read as one list (a sharded run's files): the
 * second holds only the header, the cuts fall inside checkpoint intervals.
 */
async function cutIntoThree(): Promise<{ root: string; paths: string[] }> {
  const { path } = await rejectedPath();
  // Cut at line ends: a value's quoted line break would make a cut fail the comparisons below.
  const [headerLine, ...lines] = (await Deno.readTextFile(path)).trimEnd().split("\n");
  assert.ok(lines.length > 3 * CHECKPOINT_EVERY);
  const root = await Deno.makeTempDir({ prefix: "dpd-rejected-files-" });
  const cut = CHECKPOINT_EVERY + 17;
  const parts = [lines.slice(0, cut), [], lines.slice(cut)];
  const paths = parts.map((_, index) => join(root, `part${index}.csv`));
  for (const [index, part] of parts.entries()) {
    await Deno.writeTextFile(paths[index], [headerLine, ...part].join("\n") + "\n");
  }
  return { root, paths };
}

Deno.test("several rejected CSVs are one list: pages, reasons and searches span the files", async () => {
  const { path } = await rejectedPath();
  const { rows } = await allRows(path);
  const { root, paths } = await cutIntoThree();
  try {
    const index = await rejectedIndex(paths);
    assert.equal(index.rows, rows.length);
    assert.deepEqual(index.reasonCounts, (await rejectedIndex(path)).reasonCounts);
    for (const [page, pageSize] of [[1, 25], [4, 25], [2, 100], [3, 100]]) {
      const { page: result } = await readRejectedPage(paths, { page, pageSize });
      const first = (page - 1) * pageSize;
      assert.deepEqual(
        result.rows,
        rows.slice(first, first + pageSize),
        `page ${page} of ${pageSize}`,
      );
    }
    for (const reason of ["unknown_region", "duplicate_order_id"]) {
      const seen: string[][] = [];
      for (let page = 1;; page++) {
        const { page: result } = await readRejectedPage(paths, { reason, page, pageSize: 10 });
        seen.push(...result.rows);
        if (page >= result.pageCount) break;
      }
      const { page: whole } = await readRejectedPage(path, { reason, page: 1, pageSize: 10_000 });
      assert.deepEqual(seen, whole.rows, reason);
    }
    const query = { search: HOSTILE_VALUE, filters: [], direction: "asc" as const };
    const { page: found } = await readRejectedPage(paths, { query, page: 1, pageSize: 250 });
    const { page: expected } = await readRejectedPage(path, { query, page: 1, pageSize: 250 });
    assert.ok(expected.total > 0);
    assert.deepEqual(found.rows, expected.rows);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("rejected CSVs with other columns are not read as one list", async () => {
  const { root, paths } = await cutIntoThree();
  try {
    const text = await Deno.readTextFile(paths[2]);
    await Deno.writeTextFile(paths[2], "other," + text);
    await assert.rejects(rejectedIndex(paths), /part2\.csv has other columns than .*part0\.csv/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
