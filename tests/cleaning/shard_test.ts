import assert from "node:assert/strict";
import { parseShard } from "../../src/cli/options.ts";
import { shardOfKey, shardOfText, shardTag } from "../../src/cleaning/shard.ts";

Deno.test("parseShard reads K/N and refuses the rest", () => {
  assert.deepEqual(parseShard("0/4"), { index: 0, count: 4 });
  assert.deepEqual(parseShard(" 3 / 4 "), { index: 3, count: 4 });
  assert.deepEqual(parseShard("0/1"), { index: 0, count: 1 });
  for (const bad of ["4/4", "-1/4", "1/0", "a/b", "1", "1/4097", "1.5/4", ""]) {
    assert.throws(() => parseShard(bad), /expected K\/N/, bad);
  }
});

Deno.test("shardOfKey: FNV-1a of the key's bytes, fixed values so machines agree", () => {
  // FNV-1a 32-bit of "" is 0x811c9dc5 = 2166136261; of "a" is 0xe40c292c = 3826002220.
  assert.equal(shardOfText("", 1_000_000_007), 2166136261 % 1_000_000_007);
  assert.equal(shardOfText("a", 1_000_000_007), 3826002220 % 1_000_000_007);
  const bytes = new TextEncoder().encode("xxORD-000000042yy");
  assert.equal(shardOfKey(bytes, 2, 15, 4), shardOfText("ORD-000000042", 4));
  assert.equal(shardTag({ index: 2, count: 4 }), "shard-2-of-4");
});

Deno.test("shardOfKey spreads sequential IDs evenly", () => {
  const counts = [0, 0, 0, 0];
  for (let number = 1; number <= 40_000; number++) {
    counts[shardOfText(`ORD-${String(number).padStart(9, "0")}`, 4)]++;
  }
  for (const count of counts) assert.ok(count > 9_000 && count < 11_000, `${counts}`);
});
