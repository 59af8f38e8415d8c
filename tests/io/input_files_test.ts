import assert from "node:assert/strict";
import { join } from "node:path";
import { isSalesCsvName, resolveInputFiles, runName } from "../../src/io/input_files.ts";

Deno.test("isSalesCsvName: the names a directory input contributes", () => {
  const cases: [string, boolean][] = [
    ["sales.csv", true],
    ["sales.CSV", true],
    ["2026-01.csv.gz", true],
    ["notes.txt", false],
    ["sales.csv.bak", false],
    [".dpd-tmp-sales.csv.1", false],
    [".hidden.csv", false],
    ["sales.gz", false],
  ];
  for (const [name, expected] of cases) assert.equal(isSalesCsvName(name), expected, name);
});

Deno.test("resolveInputFiles: files as given, directories in name order, no file twice", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dpd_inputs_" });
  try {
    const exports = join(dir, "exports");
    await Deno.mkdir(join(exports, "nested.csv"), { recursive: true });
    for (const name of ["b.csv", "a.csv.gz", "c.txt", "10.csv", ".x.csv"]) {
      await Deno.writeTextFile(join(exports, name), "");
    }
    await Deno.writeTextFile(join(dir, "single.csv"), "");
    const files = await resolveInputFiles([join(dir, "single.csv"), exports]);
    assert.deepEqual(files.map((file) => file.name), ["single.csv", "10.csv", "a.csv.gz", "b.csv"]);
    assert.equal(files[2].path, join(exports, "a.csv.gz"));

    await assert.rejects(
      resolveInputFiles([exports, join(exports, "b.csv")]),
      /b\.csv is named twice as input/,
    );
    await assert.rejects(resolveInputFiles([join(dir, "missing.csv")]), /does not exist/);
    await Deno.mkdir(join(dir, "empty"));
    await assert.rejects(resolveInputFiles([join(dir, "empty")]), /holds no \*\.csv/);
    await assert.rejects(resolveInputFiles([]), /no --input given/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runName: --name, else the single input's stem or directory name", () => {
  assert.equal(runName(["data/input/sales.csv.gz"]), "sales");
  assert.equal(runName(["data/input/exports/"]), "exports");
  assert.equal(runName(["a.csv", "b.csv"], "q1"), "q1");
  assert.throws(() => runName(["a.csv", "b.csv"]), /2 --input values given: .*--name/);
  assert.throws(() => runName(["a.csv"], "../x"), /plain file name/);
});
