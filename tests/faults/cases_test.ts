/**
 * One test per case of "never replace what is not ours" and "faults are user errors": each runs
 * dpd as a person does and checks the exit code, the one line on stderr, that no temporary file is
 * left and that what was at the path is still what it was.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runDpd } from "../_dpd.ts";
import {
  AS_OF,
  cleanArgs,
  dpd,
  type Finished,
  listTree,
  newSpace,
  start,
  startPaused,
  writeInput,
} from "./_faults.ts";

/** Exit 1 with exactly one line, `error: …`, mentioning `mention`; no stack trace. */
function assertOneLineError(run: Finished | { code: number; stderr: string }, mention: RegExp) {
  assert.equal(run.code, 1, run.stderr);
  const lines = run.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, run.stderr);
  assert.match(lines[0], /^error: /);
  assert.match(lines[0], mention);
  assert.doesNotMatch(run.stderr, /internal error|\bat .*\.ts:\d+/);
}

async function temporaryFiles(directory: string): Promise<string[]> {
  return (await listTree(directory)).filter((name) => name.includes(".dpd-tmp-"));
}

Deno.test("FIFO as generate-data --output: the CSV streams into it and the FIFO stays a FIFO", async () => {
  const space = await newSpace();
  const fifo = join(space.directory, "pipe.csv");
  await new Deno.Command("mkfifo", { args: [fifo] }).output();
  const reader = new Deno.Command("cat", { args: [fifo], stdout: "piped" }).output();
  const run = await runDpd(["generate-data", "--rows", "500", "--output", fifo, "--quiet"]);
  assert.equal(run.code, 0, run.stderr);
  const text = new TextDecoder().decode((await reader).stdout);
  assert.equal(text.trimEnd().split("\n").length, 501);
  assert.ok((await Deno.lstat(fifo)).isFifo);
  assert.deepEqual(await temporaryFiles(space.directory), []);
});

Deno.test("FIFO as clean-data --output: refused, and the FIFO stays a FIFO", async () => {
  const space = await newSpace();
  const input = await writeInput(space, "a", 200, 1);
  const fifo = join(space.directory, "out.parquet");
  await new Deno.Command("mkfifo", { args: [fifo] }).output();
  const run = await dpd([...cleanArgs(space, input), "--output", fifo]);
  assertOneLineError(run, /out\.parquet: it is a FIFO/);
  assert.ok((await Deno.lstat(fifo)).isFifo);
  assert.deepEqual(await temporaryFiles(space.directory), []);
});

Deno.test("symlink as output: written through, the link stays a link to the new file", async () => {
  const space = await newSpace();
  const target = join(space.directory, "real.csv");
  const link = join(space.directory, "link.csv");
  await Deno.writeTextFile(target, "old\n");
  await Deno.symlink(target, link);
  const run = await runDpd(["generate-data", "--rows", "50", "--output", link, "--quiet"]);
  assert.equal(run.code, 0, run.stderr);
  assert.ok((await Deno.lstat(link)).isSymlink);
  assert.equal(await Deno.readLink(link), target);
  assert.match(await Deno.readTextFile(target), /^order_id,/);
  // clean-data's parquet through a link as well.
  const parquetTarget = join(space.directory, "kept.parquet");
  const parquetLink = join(space.dataDir, "clean", "in_clean.parquet");
  await Deno.mkdir(join(space.dataDir, "clean"), { recursive: true });
  await Deno.writeTextFile(parquetTarget, "old");
  await Deno.symlink(parquetTarget, parquetLink);
  const input = await writeInput(space, "a", 100, 1);
  const cleaned = await dpd(cleanArgs(space, input));
  assert.equal(cleaned.code, 0, cleaned.stderr);
  assert.ok((await Deno.lstat(parquetLink)).isSymlink);
  assert.equal(new TextDecoder().decode((await Deno.readFile(parquetTarget)).slice(0, 4)), "PAR1");
  assert.deepEqual(await temporaryFiles(space.directory), []);
});

Deno.test({
  name: "/dev/full as generate-data --output: exit 1, one line, /dev/full still a device",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const run = await runDpd(["generate-data", "--rows", "100000", "--output", "/dev/full"]);
    assertOneLineError(run, /\/dev\/full: no space left on device/);
    assert.ok((await Deno.lstat("/dev/full")).isCharDevice);
  },
});

Deno.test("generate-data --output - writes the CSV to stdout", async () => {
  const run = await runDpd(["generate-data", "--rows", "20", "--as-of", AS_OF, "--output", "-"]);
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.trimEnd().split("\n");
  assert.equal(lines.length, 21);
  assert.match(lines[0], /^order_id,product_name,/);
  const both = await runDpd(["--json", "generate-data", "--rows", "20", "--output", "-"]);
  assertOneLineError(both, /--json and --output -/);
});

Deno.test("same file as input: clean-data --output x.csv --input x.csv is refused, input intact", async () => {
  const space = await newSpace();
  const input = await writeInput(space, "a", 100, 1);
  const before = await Deno.readFile(input);
  const run = await dpd([...cleanArgs(space, input), "--output", input]);
  assertOneLineError(run, /is the input .*in\.csv/);
  assert.deepEqual(await Deno.readFile(input), before);
  // Through another name of the same file (a hard link) too.
  const alias = join(space.directory, "alias.csv");
  await Deno.link(input, alias);
  const aliased = await dpd([...cleanArgs(space, input), "--output", alias]);
  assertOneLineError(aliased, /is the input/);
  assert.deepEqual(await Deno.readFile(input), before);
  assert.deepEqual(await listTree(space.dataDir), []);
});

Deno.test("output path that is a directory: exit 1, one line, no temporary file", async () => {
  const space = await newSpace();
  const input = await writeInput(space, "a", 100, 1);
  const directory = join(space.directory, "out.parquet");
  await Deno.mkdir(directory);
  const run = await dpd([...cleanArgs(space, input), "--output", directory]);
  assertOneLineError(run, /out\.parquet: it is a directory/);
  assert.ok((await Deno.stat(directory)).isDirectory);
  assert.deepEqual(await temporaryFiles(space.directory), []);
  // The report path taken by a directory: refused before anything else is written.
  await Deno.mkdir(join(space.dataDir, "reports", "in_clean_report.json"), { recursive: true });
  const report = await dpd(cleanArgs(space, input));
  assertOneLineError(report, /in_clean_report\.json: it is a directory/);
  assert.deepEqual(await temporaryFiles(space.directory), []);
  assert.deepEqual(await listTree(join(space.dataDir, "clean")), []);
});

/** Commands and arguments that get them past flag parsing (the hook stops them right after). */
function everyCommand(directory: string): [string, string[]][] {
  const sample = join(directory, "sample.csv");
  const data = ["--data-dir", join(directory, "data"), "--lookups-dir", join(directory, "lookups")];
  return [
    ["generate-data", ["--rows", "10", "--output", join(directory, "g.csv")]],
    ["build-category-lookup", [sample, ...data]],
    ["build-region-lookup", [sample, ...data]],
    ["build-region-map", [sample, ...data]],
    ["update-lookups", [sample, ...data]],
    ["clean-data", ["--input", sample, ...data]],
    ["build-aggregations", ["--data-dir", join(directory, "data")]],
    ["run-dashboard", [...data, "--port", "0"]],
    ["pipeline", ["--input", sample, ...data]],
  ];
}

Deno.test("SIGTERM exits 143 and SIGINT 130 in every command", async (t) => {
  const space = await newSpace();
  for (const [command, args] of everyCommand(space.directory)) {
    await t.step(command, async () => {
      for (const [signal, code] of [["SIGTERM", 143], ["SIGINT", 130]] as const) {
        if (signal === "SIGINT" && !["clean-data", "run-dashboard"].includes(command)) continue;
        const paused = await startPaused([command, ...args], "started");
        paused.child.kill(signal);
        const finished = await paused.finished;
        assert.equal(finished.code, code, `${command} ${signal}: ${finished.stderr}`);
      }
    });
  }
});

Deno.test("SIGTERM mid-write exits 143 and removes the temporary files", async () => {
  const space = await newSpace();
  const input = await writeInput(space, "a", 300, 1);
  for (const step of ["written", "locked"]) {
    const paused = await startPaused(cleanArgs(space, input), step);
    assert.ok((await temporaryFiles(space.dataDir)).length > 0, "the run had written");
    paused.child.kill("SIGTERM");
    assert.equal((await paused.finished).code, 143);
    assert.deepEqual(await temporaryFiles(space.dataDir), []);
  }
  // generate-data, while it streams a large file.
  const output = join(space.directory, "big.csv");
  const run = start(["generate-data", "--rows", "20000000", "--output", output, "--quiet"]);
  const deadline = Date.now() + 60_000;
  while ((await temporaryFiles(space.directory)).length === 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  run.child.kill("SIGTERM");
  assert.equal((await run.finished).code, 143);
  assert.deepEqual(await temporaryFiles(space.directory), []);
});

Deno.test("bad --host: run-dashboard exits 1 with one line", async () => {
  const space = await newSpace();
  const run = await runDpd([
    "run-dashboard",
    "--host",
    "999.1.1.1",
    "--port",
    "0",
    "--data-dir",
    space.dataDir,
    "--lookups-dir",
    space.lookupsDir,
  ]);
  assertOneLineError(run, /--host 999\.1\.1\.1/);
});

Deno.test("busy port with pipeline --dashboard: exit 1 before any work", async () => {
  const space = await newSpace();
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = String(listener.addr.port);
  const run = await runDpd([
    "pipeline",
    "--rows",
    "1000",
    "--dashboard",
    "--port",
    port,
    "--data-dir",
    space.dataDir,
    "--lookups-dir",
    space.lookupsDir,
  ]);
  assertOneLineError(run, new RegExp(`port ${port} .* is in use`));
  assert.deepEqual(await listTree(space.dataDir), [], "nothing generated or cleaned");
});

Deno.test("leftover temp files of a dead pid are removed by the next run into the directory", async () => {
  const space = await newSpace();
  const input = await writeInput(space, "a", 100, 1);
  const clean = join(space.dataDir, "clean");
  await Deno.mkdir(clean, { recursive: true });
  // A pid that has exited: a short process's, once it is gone.
  const dead = new Deno.Command("true").spawn();
  await dead.status;
  const ownStart = (await Deno.readTextFile("/proc/self/stat")).split(") ")[1].split(" ")[19];
  const names = {
    dead: `.dpd-tmp-in_clean.parquet.${dead.pid}-123-0badf00d`,
    deadOldStyle: `.dpd-tmp-in_clean.parquet.${dead.pid}-deadbeef`,
    // This test's own pid with another start time: the pid was reused, the writer is dead.
    reused: `.dpd-tmp-in_clean.parquet.${Deno.pid}-${Number(ownStart) + 1}-feedf00d`,
    // This test process itself: alive, so its file stays.
    alive: `.dpd-tmp-in_clean.parquet.${Deno.pid}-${ownStart}-a11ce000`,
  };
  for (const name of Object.values(names)) await Deno.writeTextFile(join(clean, name), "x");
  const run = await dpd(cleanArgs(space, input));
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(await listTree(clean), [names.alive, "in_clean.parquet"].sort());
});
