import assert from "node:assert/strict";
import { join } from "node:path";
import zlib from "node:zlib";
import { BLOCK_ROWS } from "../../src/generation/block_writer.ts";
import { AS_OF, generateAndRead, generateInto } from "./_generated.ts";

const HEADER =
  "order_id,product_name,category,quantity,unit_price,discount_percent,region,sale_date," +
  "customer_email,revenue\n";

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

async function withTempDir(body: (directory: string) => Promise<void>): Promise<void> {
  const directory = await Deno.makeTempDir({ prefix: "dpd-generation-test-" });
  try {
    await body(directory);
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
}

// More rows than 3 blocks and not a whole number of blocks, so workers interleave and the last
// block is partial.
const ROWS = BLOCK_ROWS * 3 + 1_234;

Deno.test("generate-data: the same inputs give the same bytes, whatever the worker count", async () => {
  await withTempDir(async (directory) => {
    for (const clean of [false, true]) {
      const digests = new Set<string>();
      for (const [run, workers] of [[1, 2], [2, 2], [3, 1], [4, 3]]) {
        const result = await generateInto(directory, `${clean}-${run}.csv`, {
          rows: ROWS,
          clean,
          workers,
        });
        digests.add(await sha256(await Deno.readFile(result.output)));
      }
      assert.equal(digests.size, 1, `${clean ? "clean" : "dirty"} runs differ`);
    }
  });
});

Deno.test("generate-data: seed, as-of and mode each change the bytes", async () => {
  await withTempDir(async (directory) => {
    const variants = [
      {},
      { seed: 43 },
      { asOf: "2025-07-01" },
      { clean: true },
    ];
    const digests = new Set<string>();
    for (const [index, variant] of variants.entries()) {
      const result = await generateInto(directory, `${index}.csv`, { rows: 5_000, ...variant });
      digests.add(await sha256(await Deno.readFile(result.output)));
    }
    assert.equal(digests.size, variants.length);
  });
});

Deno.test("generate-data: a smaller file is a prefix of a larger one with the same inputs", async () => {
  const small = await generateAndRead({ rows: 40_000 });
  const large = await generateAndRead({ rows: ROWS });
  assert.deepEqual(large.bytes.subarray(0, small.bytes.length), small.bytes);
});

Deno.test("generate-data: header, LF line ends, one record per row, counts reported", async () => {
  const file = await generateAndRead({ rows: ROWS });
  const text = new TextDecoder().decode(file.bytes);
  assert.ok(text.startsWith(HEADER));
  assert.ok(text.endsWith("\n"));
  assert.ok(!text.includes("\r"));
  assert.equal(file.rows.length, ROWS);
  for (const row of file.rows) assert.equal(row.length, 10);
  assert.equal(file.result.rows, ROWS);
  assert.equal(file.result.bytes, file.bytes.length);
  assert.equal(file.result.csvBytes, file.bytes.length);
  assert.equal(file.result.compressed, false);
  assert.ok(file.result.peakRssBytes > 0 && file.result.durationSeconds > 0);
});

Deno.test("generate-data: .csv.gz decompresses to the same bytes as .csv", async () => {
  await withTempDir(async (directory) => {
    const plain = await generateInto(directory, "data.csv", { rows: ROWS });
    const gzipped = await generateInto(directory, "data.csv.gz", { rows: ROWS });
    assert.equal(gzipped.compressed, true);
    const compressed = await Deno.readFile(gzipped.output);
    assert.deepEqual(compressed.subarray(0, 2), new Uint8Array([0x1f, 0x8b]));
    assert.equal(gzipped.bytes, compressed.length);
    assert.ok(gzipped.bytes < plain.bytes / 2);
    // Through the reader the pipeline uses (it would stop after a first gzip member)…
    const decompressed = new Uint8Array(
      await new Response(
        new Blob([compressed]).stream().pipeThrough(new DecompressionStream("gzip")),
      ).arrayBuffer(),
    );
    const csv = await Deno.readFile(plain.output);
    assert.deepEqual(decompressed, csv);
    assert.equal(gzipped.csvBytes, decompressed.length);
    // …and through zlib, which also checks the CRC-32 and length in the trailer.
    assert.deepEqual(new Uint8Array(zlib.gunzipSync(compressed)), csv);
    // The same bytes with one worker as with three.
    const single = await generateInto(directory, "single.csv.gz", { rows: ROWS, workers: 1 });
    const triple = await generateInto(directory, "triple.csv.gz", { rows: ROWS, workers: 3 });
    assert.deepEqual(await Deno.readFile(single.output), compressed);
    assert.deepEqual(await Deno.readFile(triple.output), compressed);
  });
});

Deno.test("generate-data: leaves only the finished file, no temporary names", async () => {
  await withTempDir(async (directory) => {
    await generateInto(directory, "data.csv", { rows: 1_000, asOf: AS_OF });
    const names = [];
    for await (const entry of Deno.readDir(directory)) names.push(entry.name);
    assert.deepEqual(names, ["data.csv"]);
    await assert.rejects(
      () => generateInto(join(directory, "data.csv"), "nested.csv", { rows: 10 }),
      /cannot/,
    );
  });
});
