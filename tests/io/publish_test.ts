/**
 * Publishing a set in process: the renames, the commit record a dead writer leaves and its roll
 * forward, and readers that refuse a set mixed by hand.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { AtomicFile } from "../../src/io/atomic_file.ts";
import { completePendingPublishes, publishSet } from "../../src/io/publish.ts";
import { UserError } from "../../src/io/errors.ts";
import { buildAggregations } from "../../src/aggregations/build_aggregations.ts";
import { cleanData } from "../../src/cleaning/clean_data.ts";
import { isCleanReport, latestCleanReport } from "../../dashboard/lib/clean_report.ts";
import { resolveWorkspace } from "../../dashboard/lib/workspace.ts";
import { AS_OF, listTree, newSpace, writeInput } from "../faults/_faults.ts";

async function temporaryFile(path: string, text: string): Promise<AtomicFile> {
  const file = await AtomicFile.create(path);
  await file.write(new TextEncoder().encode(text));
  return file;
}

Deno.test("publishSet renames every file of the set and leaves no record or lock holder", async () => {
  const directory = await Deno.makeTempDir();
  await Deno.writeTextFile(join(directory, "a.txt"), "old a");
  const files = [
    await temporaryFile(join(directory, "a.txt"), "new a"),
    await temporaryFile(join(directory, "sub", "b.txt"), "new b"),
  ];
  await publishSet(directory, "0123456789abcdef", files);
  assert.equal(await Deno.readTextFile(join(directory, "a.txt")), "new a");
  assert.equal(await Deno.readTextFile(join(directory, "sub", "b.txt")), "new b");
  assert.deepEqual(await listTree(directory), [".dpd-publish.lock", "a.txt", "sub/b.txt"]);
});

Deno.test("a commit record left by a dead writer is rolled forward; renames done are skipped", async () => {
  const directory = await Deno.makeTempDir();
  await Deno.writeTextFile(join(directory, "a.txt"), "old a");
  await Deno.writeTextFile(join(directory, "b.txt"), "old b");
  const a = await temporaryFile(join(directory, "a.txt"), "new a");
  const b = await temporaryFile(join(directory, "b.txt"), "new b");
  a.complete();
  b.complete();
  // As a writer killed after its first rename leaves it.
  await Deno.rename(a.temporaryPath, join(directory, "a.txt"));
  const record = {
    run_id: "feedfacefeedface",
    pid: 1 << 22,
    renames: [a, b].map((file) => ({ from: file.temporaryPath, to: file.targetPath })),
  };
  await Deno.writeTextFile(
    join(directory, ".dpd-commit-feedfacefeedface.json"),
    JSON.stringify(record),
  );
  assert.deepEqual(await completePendingPublishes(directory), ["feedfacefeedface"]);
  assert.equal(await Deno.readTextFile(join(directory, "a.txt")), "new a");
  assert.equal(await Deno.readTextFile(join(directory, "b.txt")), "new b");
  assert.deepEqual(await listTree(directory), [".dpd-publish.lock", "a.txt", "b.txt"]);
  a.published();
  b.published();
});

Deno.test("a report and parquet of different runs: build-aggregations and the dashboard say so", async () => {
  const space = await newSpace();
  const first = await writeInput(space, "a", 200, 1);
  const second = await writeInput(space, "b", 300, 2);
  const options = {
    dataDir: space.dataDir,
    lookupsDir: space.lookupsDir,
    asOf: AS_OF,
    quiet: true,
  };
  const { reportPath } = await cleanData({ ...options, input: first, workers: 1 });
  const firstReport = await Deno.readTextFile(reportPath!);
  await cleanData({ ...options, input: second, workers: 1 });
  // A report copied in by hand over the second run's.
  await Deno.writeTextFile(reportPath!, firstReport);
  await assert.rejects(
    () => buildAggregations({ dataDir: space.dataDir, workers: 1, quiet: true }),
    (error: unknown) =>
      error instanceof UserError && /come from different clean-data runs; re-run clean-data/.test(
        error.message,
      ),
  );
  const report = await latestCleanReport(resolveWorkspace(space));
  assert.ok(report && !isCleanReport(report));
  assert.match(report.problem, /is not from the run of .*re-run clean-data/);
});

Deno.test("a commit record that cannot be read or rolled forward is a UserError saying what to do", async (t) => {
  const cases: { name: string; record: (directory: string) => Promise<string>; error: RegExp }[] = [
    {
      name: "not JSON (cut by a crash)",
      record: () => Promise.resolve('{"run_id": "feedfacefeedface", "renames": [{"fr'),
      error:
        /cannot read the commit record .*\.dpd-commit-feedfacefeedface\.json \(.*\): remove it and re-run clean-data and build-aggregations/,
    },
    {
      name: "a rename onto a directory that is not empty",
      record: async (directory) => {
        await Deno.mkdir(join(directory, "taken", "inside"), { recursive: true });
        await Deno.writeTextFile(join(directory, "new.txt"), "new");
        return JSON.stringify({
          run_id: "feedfacefeedface",
          pid: 1 << 22,
          renames: [{ from: join(directory, "new.txt"), to: join(directory, "taken") }],
        });
      },
      // The output that cannot be written, not the record.
      error: /^cannot write \/.*\/taken: it is a directory\./,
    },
  ];
  for (const { name, record, error } of cases) {
    await t.step(name, async () => {
      const directory = await Deno.makeTempDir();
      const path = join(directory, ".dpd-commit-feedfacefeedface.json");
      await Deno.writeTextFile(path, await record(directory));
      await assert.rejects(completePendingPublishes(directory), (thrown: unknown) => {
        assert.ok(thrown instanceof UserError, String(thrown));
        assert.match(thrown.message, error);
        return true;
      });
      // The record stays for the next command (or the person) to deal with; the lock is free.
      assert.ok((await Deno.stat(path)).isFile);
      assert.deepEqual(await completePendingPublishes(join(directory, "missing")), []);
      await Deno.remove(directory, { recursive: true });
    });
  }
});

Deno.test("completing publishes in a path that is no directory does nothing", async () => {
  const directory = await Deno.makeTempDir();
  const file = join(directory, "a-file");
  await Deno.writeTextFile(file, "");
  assert.deepEqual(await completePendingPublishes(file, { wait: true }), []);
  assert.deepEqual(await completePendingPublishes(join(directory, "missing"), { wait: true }), []);
  assert.deepEqual(await listTree(directory), ["a-file"]);
  await Deno.remove(directory, { recursive: true });
});
