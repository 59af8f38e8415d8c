/**
 * A full disk and a read-only one are user errors: on a small tmpfs (mounting needs root, as in
 * CI; elsewhere the test says why it is skipped), clean-data, build-aggregations and
 * build-region-map exit 1 with one line naming the path, leave no temporary file and leave the
 * previous outputs as they were.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  aggregateArgs,
  cleanArgs,
  copyDirectory,
  dpd,
  type Finished,
  listTree,
  newSpace,
  writeInput,
} from "./_faults.ts";

async function mountTmpfs(directory: string, size: string): Promise<string | undefined> {
  try {
    const mount = await new Deno.Command("mount", {
      args: ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", directory],
      stderr: "piped",
    }).output();
    if (mount.success) return undefined;
    return new TextDecoder().decode(mount.stderr).trim() || `mount exited ${mount.code}`;
  } catch (error) {
    return (error as Error).message;
  }
}

async function unmount(directory: string): Promise<void> {
  await new Deno.Command("umount", { args: [directory] }).output();
}

/** Fills the file system of `directory` until not one more byte fits. */
async function fill(directory: string): Promise<void> {
  using filler = await Deno.open(join(directory, "filler"), { write: true, create: true });
  const block = new Uint8Array(4096);
  try {
    while (true) filler.writeSync(block);
  } catch { /* full */ }
  const byte = new Uint8Array(1);
  try {
    while (true) filler.writeSync(byte);
  } catch { /* full to the byte */ }
}

function assertFullDiskError(run: Finished, path: RegExp): void {
  assert.equal(run.code, 1, run.stderr);
  const lines = run.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, run.stderr);
  assert.match(lines[0], /^error: cannot write /);
  assert.match(lines[0], path);
  assert.match(lines[0], /no space left on device|read-only file system/);
}

/** Every file under `directory` with its bytes, to compare before and after. */
async function snapshot(directory: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of await listTree(directory)) {
    if (name === "filler" || name.endsWith(".dpd-publish.lock")) continue;
    const bytes = await Deno.readFile(join(directory, name));
    files[name] = Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)))
      .map((byte) => byte.toString(16).padStart(2, "0")).join("");
  }
  return files;
}

async function temporaryFiles(directory: string): Promise<string[]> {
  return (await listTree(directory)).filter((name) => /\.dpd-(tmp|commit)-/.test(name));
}

Deno.test("disk full and read-only: exit 1, one line, no temporary file, previous outputs intact", async (t) => {
  const space = await newSpace();
  const mountPoint = join(space.directory, "small");
  await Deno.mkdir(mountPoint);
  const refused = await mountTmpfs(mountPoint, "2m");
  if (refused) {
    console.log(`skipped: cannot mount a tmpfs here (${refused}); CI runs this as root`);
    return;
  }
  try {
    const disk = { ...space, dataDir: join(mountPoint, "data") };
    const small = await writeInput(space, "a", 300, 1);
    const large = await writeInput(space, "b", 100_000, 2);
    for (const args of [cleanArgs(disk, small), aggregateArgs(disk)]) {
      const run = await dpd(args);
      assert.equal(run.code, 0, run.stderr);
    }
    const before = await snapshot(disk.dataDir);

    await t.step("clean-data outgrows the disk", async () => {
      const run = await dpd(cleanArgs(disk, large));
      assertFullDiskError(run, /small\/data\/(clean|rejected|reports)\//);
      assert.deepEqual(await temporaryFiles(mountPoint), []);
      assert.deepEqual(await snapshot(disk.dataDir), before);
    });

    await fill(mountPoint);
    await t.step("build-aggregations on a full disk", async () => {
      const run = await dpd(aggregateArgs(disk));
      assertFullDiskError(run, /small\/data\/aggregations\//);
      assert.deepEqual(await temporaryFiles(mountPoint), []);
      assert.deepEqual(await snapshot(disk.dataDir), before);
    });

    await t.step("build-region-map on a full disk", async () => {
      const lookupsDir = join(mountPoint, "lookups");
      await Deno.remove(join(mountPoint, "filler"));
      await copyDirectory(space.lookupsDir, lookupsDir);
      // A region map that differs from what the sample gives, so it must be rewritten.
      await Deno.writeTextFile(
        join(lookupsDir, "region_map.json"),
        '{\n  "atlantis": "Europe"\n}\n',
      );
      await fill(mountPoint);
      const lookupsBefore = await snapshot(lookupsDir);
      const run = await dpd(["build-region-map", large, "--lookups-dir", lookupsDir, "--quiet"]);
      assertFullDiskError(run, /small\/lookups\/region_map\.json/);
      assert.deepEqual(await temporaryFiles(mountPoint), []);
      assert.deepEqual(await snapshot(lookupsDir), lookupsBefore);
    });

    await Deno.remove(join(mountPoint, "filler"));
    await t.step("clean-data on a read-only file system", async () => {
      const remount = await new Deno.Command("mount", {
        args: ["-o", "remount,ro", mountPoint],
      }).output();
      assert.ok(remount.success, "remount read-only");
      const run = await dpd(cleanArgs(disk, small));
      assertFullDiskError(run, /small\/data\//);
      assert.deepEqual(await snapshot(disk.dataDir), before);
    });
  } finally {
    await unmount(mountPoint);
    await Deno.remove(space.directory, { recursive: true });
  }
});
