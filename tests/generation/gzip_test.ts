import assert from "node:assert/strict";
import zlib from "node:zlib";
import {
  crc32Combine,
  DEFLATE_END,
  deflateBlock,
  GZIP_HEADER,
  gzipTrailer,
} from "../../src/generation/_gzip.ts";

function concat(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const whole = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    whole.set(part, offset);
    offset += part.length;
  }
  return whole;
}

Deno.test("gzip: crc32Combine equals the CRC-32 of the concatenation", () => {
  const cases: [number, number][] = [[0, 0], [0, 5], [5, 0], [1, 1], [1_000, 70_000], [3, 1 << 20]];
  for (const [lengthA, lengthB] of cases) {
    const a = Uint8Array.from({ length: lengthA }, (_, index) => (index * 7) & 255);
    const b = Uint8Array.from({ length: lengthB }, (_, index) => (index * 13 + 1) & 255);
    const combined = crc32Combine(zlib.crc32(a) >>> 0, zlib.crc32(b) >>> 0, lengthB);
    assert.equal(combined, zlib.crc32(concat([a, b])) >>> 0, `${lengthA} + ${lengthB}`);
  }
});

Deno.test("gzip: separately deflated blocks frame into one valid gzip member", async () => {
  const encoder = new TextEncoder();
  const blocks = ["order_id,product\n", "ORD-1,a\n".repeat(5_000), "", 'x,"y, z"\n'].map((text) =>
    encoder.encode(text)
  );
  let crc = 0;
  let length = 0;
  const parts: Uint8Array[] = [GZIP_HEADER];
  for (const block of blocks) {
    const { deflated, crc32 } = deflateBlock(block);
    parts.push(deflated);
    crc = crc32Combine(crc, crc32, block.length);
    length += block.length;
  }
  parts.push(DEFLATE_END, gzipTrailer(crc, length));
  const file = concat(parts);
  const expected = concat(blocks);
  assert.deepEqual(new Uint8Array(zlib.gunzipSync(file)), expected);
  const viaStream = await new Response(
    new Blob([file]).stream().pipeThrough(new DecompressionStream("gzip")),
  ).arrayBuffer();
  assert.deepEqual(new Uint8Array(viaStream), expected);
});
