import assert from "node:assert/strict";
import { UserError } from "../../../src/io/errors.ts";
import { encodeKey } from "../../../src/cleaning/dedup/key_encoding.ts";
import {
  resolvePartition,
  spillError,
  spillPath,
  SpillWriter,
} from "../../../src/cleaning/dedup/spill.ts";

async function withDirectory(test: (directory: string) => Promise<void> | void): Promise<void> {
  const directory = await Deno.makeTempDir({ prefix: "dpd-spill-test-" });
  try {
    await test(directory);
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
}

/** Resolves every partition of writers `names` and returns all duplicate ordinals, sorted. */
function resolveAll(
  directory: string,
  names: string[],
  partitions: number,
  budgetBytes: number,
): number[] {
  const duplicates: number[] = [];
  for (let partition = 0; partition < partitions; partition++) {
    const paths = names.map((name) => spillPath(directory, name, partition));
    for (const ordinal of resolvePartition(paths, budgetBytes, directory)) duplicates.push(ordinal);
  }
  return duplicates.sort((a, b) => a - b);
}

Deno.test("spill: exact past 2^24 distinct keys of a non-compact shape, claims in any order", async () => {
  await withDirectory((directory) => {
    const claims = 2 ** 24 + 2 ** 16;
    // Claim o repeats the key of claim o − 1000 when o % 97 = 96; that claim has its own key,
    // since (o − 1000) % 97 = 66.
    const keyOf = (ordinal: number) =>
      ordinal % 97 === 96 && ordinal >= 1000 ? ordinal - 1000 : ordinal;
    const key = new Uint8Array([0, 0, 0, 0, 0, 0x7a]);
    // Two writers, as two workers write: alternate blocks of 10,000 claims, so the earlier claim
    // of a pair is sometimes read after the later one.
    const writers = [0, 1].map((index) =>
      new SpillWriter(directory, `w${index}`, { partitions: 16, seed: 0 })
    );
    for (let ordinal = 0; ordinal < claims; ordinal++) {
      const index = keyOf(ordinal);
      key[1] = index & 0xff;
      key[2] = (index >>> 8) & 0xff;
      key[3] = (index >>> 16) & 0xff;
      key[4] = (index >>> 24) & 0xff;
      writers[Math.floor(ordinal / 10_000) % 2].add(ordinal, key, 0, key.length);
    }
    for (const writer of writers) writer.close();
    const duplicates = resolveAll(directory, ["w1", "w0"], 16, 256 << 20);
    const expected: number[] = [];
    for (let ordinal = 1000; ordinal < claims; ordinal++) {
      if (ordinal % 97 === 96) expected.push(ordinal);
    }
    assert.equal(duplicates.length, expected.length);
    assert.deepEqual(duplicates, expected);
  });
});

Deno.test("spill: a tiny budget splits partitions again and again, and stays exact", async () => {
  await withDirectory((directory) => {
    // Keys of mixed shapes and lengths, many repeats, one key repeated 5,000 times.
    const keys: string[] = [];
    for (let index = 0; index < 40_000; index++) {
      const pick = (index * 7919) % 30_011;
      keys.push(
        index % 8 === 0
          ? "the same key"
          : pick % 3 === 0
          ? `customer-${pick}\u0000line-${pick % 7}`
          : pick % 3 === 1
          ? crypto.randomUUID().replace(/./, String(pick % 10))
          : `Ørder ${"x".repeat(pick % 300)}${pick}`,
      );
    }
    const writer = new SpillWriter(directory, "w0", { partitions: 4, seed: 0 });
    keys.forEach((text, ordinal) => {
      const encoded = encodeKey(text);
      writer.add(ordinal, encoded, 0, encoded.length);
    });
    writer.close();
    const seen = new Set<string>();
    const expected: number[] = [];
    keys.forEach((text, ordinal) => {
      if (seen.has(text)) expected.push(ordinal);
      seen.add(text);
    });
    assert.deepEqual(resolveAll(directory, ["w0"], 4, 16 << 10), expected);
    // Only the census's own files are left: every split file was removed.
    const left = [...Deno.readDirSync(directory)].map((entry) => entry.name).sort();
    assert.deepEqual(left, ["w0-p0.bin", "w0-p1.bin", "w0-p2.bin", "w0-p3.bin"]);
  });
});

Deno.test("spill: a full disk or a refused write is a user error naming the directory", () => {
  const full = Object.assign(new Error("No space left on device (os error 28)"), {
    code: "ENOSPC",
  });
  const mapped = spillError(full, "/tmp/dpd-dedup-x");
  assert.ok(mapped instanceof UserError);
  assert.match(mapped.message, /\/tmp\/dpd-dedup-x: No space left on device.*TMPDIR/);
  assert.ok(spillError(new Deno.errors.PermissionDenied("denied"), "/x") instanceof UserError);
  const bug = new TypeError("not a disk problem");
  assert.equal(spillError(bug, "/x"), bug);
});
