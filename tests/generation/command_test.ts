/** `generate-data` run as a person would: `deno run main.ts generate-data …` in a subprocess. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runDpd } from "../_dpd.ts";

async function withTempDir(body: (directory: string) => Promise<void>): Promise<void> {
  const directory = await Deno.makeTempDir({ prefix: "dpd-generate-command-" });
  try {
    await body(directory);
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
}

/** Placeholders in the cases below: DIR is a scratch directory, FILE a plain file inside it. */
const badUsage: [string, string[], RegExp][] = [
  ["rows not a number", ["--rows", "abc"], /abc/],
  ["negative rows", ["--rows", "-5"], /-5/],
  ["zero rows", ["--rows", "0"], /0/],
  ["no such calendar day", ["--as-of", "2025-02-30"], /2025-02-30/],
  ["too many workers", ["--workers", "1000"], /1000/],
  ["output in /proc", ["--output", "/proc/x.csv"], /\/proc\/x\.csv/],
  ["output under a file", ["--output", "FILE/x.csv"], /a-file\.txt/],
  ["output is a directory", ["--output", "DIR"], /directory/],
];

for (const [label, args, mention] of badUsage) {
  Deno.test(`generate-data command: ${label} exits 1 with one readable line`, async () => {
    await withTempDir(async (directory) => {
      const aFile = join(directory, "a-file.txt");
      await Deno.writeTextFile(aFile, "not a directory\n");
      const resolved = args.map((arg) => arg.replace("FILE", aFile).replace("DIR", directory));
      // No --quiet: a person sees exactly this, and progress must not add lines before the error.
      const result = await runDpd(["generate-data", "--rows", "100", ...resolved]);
      assert.equal(result.code, 1, result.stderr);
      const lines = result.stderr.trimEnd().split("\n");
      assert.equal(lines.length, 1, result.stderr);
      assert.match(lines[0], /^error: /);
      assert.match(lines[0], mention);
      assert.doesNotMatch(result.stderr, /\bat .*\.ts:\d+/, "no stack trace");
      assert.deepEqual([...Deno.readDirSync(directory)].map((entry) => entry.name), ["a-file.txt"]);
    });
  });
}

Deno.test("generate-data command: --help describes the flags and shows an example", async () => {
  const result = await runDpd(["generate-data", "--help"]);
  assert.equal(result.code, 0);
  for (
    const flag of ["--rows", "--clean", "--seed", "--as-of", "--output", "--workers", "--data-dir"]
  ) {
    assert.ok(result.stdout.includes(flag), flag);
  }
  assert.match(result.stdout, /Examples?:\n\s+deno task generate-data/);
});

Deno.test("generate-data command: default path under --data-dir, --json summary", async () => {
  await withTempDir(async (directory) => {
    const result = await runDpd(
      ["--json", "generate-data", "--rows", "2k", "--as-of", "2025-06-30", "--data-dir", "work"],
      { cwd: directory },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, "", "--json prints nothing on stderr");
    const summary = JSON.parse(result.stdout);
    assert.equal(summary.command, "generate-data");
    assert.equal(summary.rows, 2_000);
    assert.equal(summary.output, join("work", "input", "dirty_2k.csv"));
    const written = await Deno.readFile(join(directory, "work", "input", "dirty_2k.csv"));
    assert.equal(summary.bytes, written.length);
    for (const key of ["duration_s", "rows_per_s", "peak_rss_bytes"]) {
      assert.ok(typeof summary[key] === "number" && summary[key] > 0, key);
    }
    assert.equal(new TextDecoder().decode(written).trimEnd().split("\n").length, 2_001);
  });
});

Deno.test("generate-data command: progress and a summary line on stderr, quiet silences both", async () => {
  await withTempDir(async (directory) => {
    const output = join(directory, "clean_small.csv");
    const loud = await runDpd(["generate-data", "--rows", "3000", "--clean", "--output", output]);
    assert.equal(loud.code, 0, loud.stderr);
    assert.equal(loud.stdout, "");
    assert.match(loud.stderr, /generate-data: 3,000 rows/);
    assert.match(loud.stderr, /wrote 3,000 clean rows to .*clean_small\.csv/);
    const quiet = await runDpd(["generate-data", "--rows", "3000", "--output", output, "--quiet"]);
    assert.equal(quiet.code, 0);
    assert.equal(quiet.stderr + quiet.stdout, "");
  });
});
