import assert from "node:assert/strict";
import { basename, join } from "node:path";
import {
  AtomicFile,
  cleanUpBeforeExitSync,
  isWriterAlive,
  openTemporaryFileCount,
  temporaryFileWriter,
  writeFileAtomic,
} from "../../src/io/atomic_file.ts";
import { UserError } from "../../src/io/errors.ts";

async function names(directory: string): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(directory)) found.push(entry.name);
  return found.sort();
}

Deno.test("an atomic file appears under its name only when committed", async () => {
  const directory = await Deno.makeTempDir();
  const path = join(directory, "nested", "out.bin");
  const file = await AtomicFile.create(path);
  await file.write(new Uint8Array([1, 2, 3]));
  file.writeSync(new Uint8Array([4]));
  const during = await names(join(directory, "nested"));
  assert.equal(during.length, 1);
  assert.match(during[0], /^\.dpd-tmp-out\.bin\./);
  await file.commit();
  assert.deepEqual(await names(join(directory, "nested")), ["out.bin"]);
  assert.deepEqual(await Deno.readFile(path), new Uint8Array([1, 2, 3, 4]));
  assert.equal(file.bytesWritten, 4);
});

Deno.test("an aborted atomic file leaves the old file untouched and no litter", async () => {
  const directory = await Deno.makeTempDir();
  const path = join(directory, "report.json");
  await writeFileAtomic(path, "old");
  const file = await AtomicFile.create(path);
  await file.write(new TextEncoder().encode("new, half-written"));
  await file.abort();
  assert.deepEqual(await names(directory), ["report.json"]);
  assert.equal(await Deno.readTextFile(path), "old");
});

Deno.test("an aborted atomic file removes the directories it made, if still empty", async () => {
  const directory = await Deno.makeTempDir();
  const first = await AtomicFile.create(join(directory, "data", "clean", "out.parquet"));
  const second = await AtomicFile.create(join(directory, "data", "rejected", "out.csv"));
  await second.abort();
  await first.abort();
  assert.deepEqual(await names(directory), []);
  // A directory that holds something else is kept.
  await Deno.mkdir(join(directory, "kept"));
  await Deno.writeTextFile(join(directory, "kept", "other.txt"), "x");
  const third = await AtomicFile.create(join(directory, "kept", "new", "out.csv"));
  await Deno.writeTextFile(join(directory, "kept", "new", "also.txt"), "y");
  await third.abort();
  assert.deepEqual(await names(join(directory, "kept")), ["new", "other.txt"]);
});

Deno.test("an output path that cannot be created is a user error naming it", async () => {
  const directory = await Deno.makeTempDir();
  const blocker = join(directory, "file");
  await Deno.writeTextFile(blocker, "x");
  await assert.rejects(
    () => AtomicFile.create(join(blocker, "out.csv")),
    (error: unknown) => error instanceof UserError && error.message.includes(blocker),
  );
});

Deno.test({
  name: "a directory that takes no new files is named as such",
  // /proc is Linux's.
  ignore: Deno.build.os !== "linux",
}, async () => {
  await assert.rejects(
    () => AtomicFile.create("/proc/dpd-test.csv"),
    (error: unknown) =>
      error instanceof UserError && /\/proc does not accept new files/.test(error.message),
  );
});

Deno.test("a temporary name carries its writer's pid and start time; dead writers are told apart", async () => {
  const directory = await Deno.makeTempDir();
  const file = await AtomicFile.create(join(directory, "out.csv"));
  const name = basename(file.temporaryPath);
  const writer = temporaryFileWriter(name)!;
  assert.equal(writer.pid, Deno.pid);
  assert.ok(isWriterAlive(writer.pid, writer.startTime), "this process is alive");
  assert.ok(!isWriterAlive(Deno.pid, String(Number(writer.startTime) + 1)), "pid reused");
  assert.deepEqual(temporaryFileWriter(".dpd-tmp-x.csv.12-abcdef12"), {
    pid: 12,
    startTime: "0",
  });
  assert.equal(temporaryFileWriter(".dpd-tmp-bundle-x1y2"), undefined);
  await file.abort();
});

Deno.test("an interrupted run's exit clean-up removes its open temporary files", async () => {
  const directory = await Deno.makeTempDir();
  const file = await AtomicFile.create(join(directory, "out.csv"));
  await file.write(new Uint8Array([1]));
  assert.ok(openTemporaryFileCount() >= 1);
  cleanUpBeforeExitSync();
  assert.deepEqual(await names(directory), []);
  await file.abort();
});

Deno.test({
  name: "a FIFO at the output path is refused, or streamed into when allowed; it stays a FIFO",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const directory = await Deno.makeTempDir();
    const fifo = join(directory, "pipe");
    await new Deno.Command("mkfifo", { args: [fifo] }).output();
    await assert.rejects(
      () => AtomicFile.create(fifo),
      (error: unknown) => error instanceof UserError && /pipe: it is a FIFO/.test(error.message),
    );
    const reader = new Deno.Command("cat", { args: [fifo], stdout: "piped" }).output();
    const file = await AtomicFile.create(fifo, { stream: true });
    await file.write(new TextEncoder().encode("streamed"));
    await file.commit();
    assert.equal(new TextDecoder().decode((await reader).stdout), "streamed");
    assert.ok((await Deno.lstat(fifo)).isFifo);
    assert.deepEqual(await names(directory), ["pipe"]);
  },
});

Deno.test({
  name: "a full device is a user error naming the path, not a crash",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const file = await AtomicFile.create("/dev/full", { stream: true });
    assert.throws(
      () => file.writeSync(new Uint8Array(1 << 16)),
      (error: unknown) =>
        error instanceof UserError && /\/dev\/full: no space left on device/.test(error.message),
    );
    await file.abort();
    assert.ok((await Deno.lstat("/dev/full")).isCharDevice);
  },
});
