import assert from "node:assert/strict";
import { join } from "node:path";
import { cleanData } from "../../src/cleaning/clean_data.ts";
import { uuidIdKey, writeUuidOrderId } from "../../src/generation/order_ids.ts";
import { runDpd } from "../_dpd.ts";
import { parseCsv } from "./_csv.ts";
import { generateInto } from "./_generated.ts";
import { countDuplicateOrderIds } from "../cleaning/_rule2_reference.ts";

const decoder = new TextDecoder();

function uuidOf(seed: number, orderId: number): string {
  const out = new Uint8Array(36);
  writeUuidOrderId(uuidIdKey(seed), orderId, out, 0);
  return decoder.decode(out);
}

Deno.test("--id-shape uuid: a version-4 UUID per number, one-to-one, fixed by the seed", () => {
  const seen = new Set<string>();
  const numbers = [1, 2, 3, 999_999_999, 1_000_000_000, 2 ** 32 - 1];
  for (let number = 1; number <= 20_000; number++) numbers.push(number);
  for (const number of numbers) {
    const uuid = uuidOf(42, number);
    assert.match(uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    seen.add(`${number}:${uuid}`);
  }
  const uuids = new Set([...seen].map((entry) => entry.split(":")[1]));
  assert.equal(uuids.size, new Set(numbers).size, "different numbers, different UUIDs");
  assert.equal(uuidOf(42, 7), uuidOf(42, 7));
  assert.notEqual(uuidOf(42, 7), uuidOf(43, 7));
});

Deno.test("--id-shape uuid: the ord file's rows with each ID swapped one-to-one, any worker count", async () => {
  const directory = await Deno.makeTempDir({ prefix: "dpd-id-shape-" });
  try {
    const ord = await generateInto(directory, "ord.csv", { rows: 10_000 });
    const uuid = await generateInto(directory, "uuid.csv", { rows: 10_000, idShape: "uuid" });
    const uuidOneWorker = await generateInto(directory, "uuid1.csv", {
      rows: 10_000,
      idShape: "uuid",
      workers: 1,
    });
    const uuidBytes = await Deno.readFile(uuid.output);
    assert.deepEqual(await Deno.readFile(uuidOneWorker.output), uuidBytes);

    const ordRows = parseCsv(await Deno.readTextFile(ord.output));
    const uuidRows = parseCsv(decoder.decode(uuidBytes));
    assert.equal(uuidRows.length, ordRows.length);
    assert.deepEqual(uuidRows[0], ordRows[0], "same header");
    const forward = new Map<string, string>();
    const backward = new Map<string, string>();
    for (let row = 1; row < ordRows.length; row++) {
      const [ordId, ...ordRest] = ordRows[row].fields;
      const [uuidId, ...uuidRest] = uuidRows[row].fields;
      assert.deepEqual(uuidRest, ordRest, `row ${row}: only the ID differs`);
      if (ordId === "") {
        assert.equal(uuidId, "", `row ${row}: a blank ID stays blank`);
        continue;
      }
      assert.equal(uuidId, uuidOf(42, Number(ordId.slice(4))), `row ${row}`);
      assert.equal(forward.get(ordId) ?? uuidId, uuidId);
      assert.equal(backward.get(uuidId) ?? ordId, ordId);
      forward.set(ordId, uuidId);
      backward.set(uuidId, ordId);
    }
    assert.ok(forward.size < ordRows.length - 1, "the dirty file repeats some IDs");
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});

Deno.test("generate-data --id-shape rejects an unknown shape with exit 1", async () => {
  const directory = await Deno.makeTempDir({ prefix: "dpd-id-shape-" });
  const output = join(directory, "x.csv");
  const run = await runDpd([
    "generate-data",
    "--rows",
    "10",
    "--id-shape",
    "guid",
    "--output",
    output,
  ]);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /--id-shape.*expected one of ord, uuid/);
  await assert.rejects(Deno.stat(output), Deno.errors.NotFound);
  await Deno.remove(directory, { recursive: true });
});

Deno.test("--id-shape uuid: the fixture regenerates byte for byte and cleans like its ORD- twin", async () => {
  const fixture = join(import.meta.dirname!, "..", "fixtures", "dirty_1k_uuid.csv");
  const directory = await Deno.makeTempDir({ prefix: "dpd-id-shape-" });
  try {
    const options = { rows: 1000, seed: 42, asOf: "2026-11-28" };
    const uuid = await generateInto(directory, "uuid.csv", { ...options, idShape: "uuid" });
    assert.deepEqual(await Deno.readFile(uuid.output), await Deno.readFile(fixture));
    const ord = await generateInto(directory, "ord.csv", options);
    const lookupsDir = join(import.meta.dirname!, "..", "..", "lookups");
    const reasons = async (input: string, name: string) =>
      (await cleanData({
        input,
        dataDir: join(directory, name),
        lookupsDir,
        asOf: options.asOf,
        quiet: true,
        workers: 2,
      })).report.reasons;
    const fixtureReasons = await reasons(fixture, "fixture");
    assert.deepEqual(fixtureReasons, await reasons(ord.output, "ord"));
    assert.equal(
      fixtureReasons.duplicate_order_id,
      countDuplicateOrderIds(await Deno.readTextFile(ord.output)),
    );
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});
