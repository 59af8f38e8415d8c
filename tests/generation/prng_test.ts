import assert from "node:assert/strict";
import { hashInteger, mix32, Sfc32 } from "../../src/generation/prng.ts";

function draw(stream: Sfc32, count: number): number[] {
  return Array.from({ length: count }, () => stream.nextUint32());
}

Deno.test("prng: a stream depends only on (seed, block, stream)", () => {
  assert.deepEqual(draw(Sfc32.forBlock(42, 7, 0), 50), draw(Sfc32.forBlock(42, 7, 0), 50));
  const variants = [[42, 7, 0], [43, 7, 0], [42, 8, 0], [42, 7, 1], [2 ** 40 + 42, 7, 0]];
  const firsts = new Set(
    variants.map(([seed, block, stream]) => draw(Sfc32.forBlock(seed, block, stream), 4).join(",")),
  );
  assert.equal(firsts.size, variants.length);
});

Deno.test("prng: fill() gives exactly the numbers nextUint32() would", () => {
  const filled = new Uint32Array(1_000);
  Sfc32.forBlock(5, 3, 1).fill(filled);
  assert.deepEqual([...filled], draw(Sfc32.forBlock(5, 3, 1), 1_000));
  const stream = Sfc32.forBlock(5, 3, 1);
  stream.fill(new Uint32Array(10));
  assert.equal(stream.nextUint32(), filled[10], "fill() advances the stream");
});

Deno.test("prng: draws are in range and roughly uniform", () => {
  const stream = Sfc32.forBlock(42, 0, 0);
  const buckets = new Array(16).fill(0);
  const samples = 160_000;
  for (let index = 0; index < samples; index++) {
    const unit = stream.nextUnit();
    assert.ok(unit >= 0 && unit < 1);
    buckets[Math.floor(unit * 16)]++;
    const below = stream.nextBelow(7);
    assert.ok(Number.isInteger(below) && below >= 0 && below < 7);
    const between = stream.nextBetween(-3, 3);
    assert.ok(between >= -3 && between <= 3);
  }
  for (const count of buckets) assert.ok(Math.abs(count - samples / 16) < 500, `${buckets}`);
});

Deno.test("prng: the hashes are deterministic 32-bit values that spread nearby inputs", () => {
  assert.equal(mix32(12345), mix32(12345));
  assert.ok(hashInteger(2 ** 52) >= 0 && hashInteger(2 ** 52) < 2 ** 32);
  const hashes = new Set(Array.from({ length: 10_000 }, (_, index) => hashInteger(index, 9)));
  assert.equal(hashes.size, 10_000);
  assert.notEqual(hashInteger(1, 1), hashInteger(1, 2));
  assert.notEqual(hashInteger(2 ** 32), hashInteger(0));
});
