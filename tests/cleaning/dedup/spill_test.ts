import assert from "node:assert/strict";
import { UserError } from "../../../src/io/errors.ts";
import { encodeKey } from "../../../src/cleaning/dedup/key_encoding.ts";
import {
  forEachSpillRecord,
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

/** A key of `length` bytes that differs from every other length's and from every other `seed`'s. */
function keyOfLength(length: number, seed: number): Uint8Array {
  const key = new Uint8Array(length);
  for (let index = 0; index < length; index++) key[index] = (index * 31 + seed * 7 + length) & 0xff;
  return key;
}

Deno.test("spill: keys longer than a write buffer, a read buffer and 254 bytes round-trip exactly", async () => {
  await withDirectory((directory) => {
    // 254 is the last one-byte length; 1,200 passes the 1 KiB write buffer; 1 MiB + 10 passes the
    // reader's 1 MiB buffer, which must grow to hold it.
    const lengths = [0, 1, 254, 255, 300, 1_200, (1 << 20) + 10];
    const keys = lengths.map((length, index) => keyOfLength(length, index));
    const writer = new SpillWriter(directory, "w", { partitions: 1, seed: 0, bufferBytes: 1024 });
    // Claims 0…6 own the keys; claims 7…13 repeat them in reverse order.
    const claims = [...keys, ...keys.toReversed()];
    claims.forEach((key, ordinal) => writer.add(ordinal, key, 0, key.length));
    const written = writer.close();
    const path = spillPath(directory, "w", 0);
    assert.equal(written, Deno.statSync(path).size);
    assert.equal(writer.bytesWritten, written);

    const read: { ordinal: number; key: Uint8Array }[] = [];
    forEachSpillRecord(
      [path, spillPath(directory, "never-written", 0)],
      (ordinal, _hash, bytes, start, end) => {
        read.push({ ordinal, key: bytes.slice(start, end) });
      },
    );
    assert.deepEqual(read, claims.map((key, ordinal) => ({ ordinal, key })));
    assert.deepEqual([...resolvePartition([path], 256 << 20, directory)].sort((a, b) => a - b), [
      7,
      8,
      9,
      10,
      11,
      12,
      13,
    ]);
  });
});

Deno.test("spill: a file cut inside a record is an error naming it, not a short count", async () => {
  await withDirectory((directory) => {
    const writer = new SpillWriter(directory, "w", { partitions: 1, seed: 0 });
    writer.add(0, keyOfLength(40, 1), 0, 40);
    writer.add(1, keyOfLength(40, 2), 0, 40);
    const written = writer.close();
    const path = spillPath(directory, "w", 0);
    Deno.truncateSync(path, written - 1);
    const ordinals: number[] = [];
    assert.throws(
      () => forEachSpillRecord([path], (ordinal) => ordinals.push(ordinal)),
      new RegExp(`spill file ${path} ends inside a record`),
    );
    assert.deepEqual(ordinals, [0], "the whole record before the cut is read");
  });
});

Deno.test("spill: a partition count that is not a power of two is refused", () => {
  assert.throws(
    () => new SpillWriter("/nonexistent", "w", { partitions: 3, seed: 0 }),
    /partitions must be 2\^k/,
  );
});

Deno.test("spill: more distinct keys than the file size suggests grow the table and stay exact", async () => {
  await withDirectory((directory) => {
    // 3-byte keys make 8-byte records, half the 16 bytes a key is assumed to take: the table
    // starts at about half the keys it gets and must rehash as it fills.
    const distinct = 40_000;
    const writer = new SpillWriter(directory, "w", { partitions: 1, seed: 0 });
    const key = new Uint8Array(3);
    const expected: number[] = [];
    for (let ordinal = 0; ordinal < distinct + distinct / 4; ordinal++) {
      const index = ordinal < distinct ? ordinal : (ordinal - distinct) * 4;
      if (ordinal >= distinct) expected.push(ordinal);
      key[0] = index & 0xff;
      key[1] = (index >>> 8) & 0xff;
      key[2] = (index >>> 16) & 0xff;
      writer.add(ordinal, key, 0, 3);
    }
    writer.close();
    const path = spillPath(directory, "w", 0);
    assert.deepEqual([...resolvePartition([path], 256 << 20, directory)], expected);
  });
});
