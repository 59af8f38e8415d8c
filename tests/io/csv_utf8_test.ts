import assert from "node:assert/strict";
import { isValidUtf8 } from "../../src/io/_csv_utf8.ts";
import { seededRandom } from "../_seeded_random.ts";

const strictDecoder = new TextDecoder("utf-8", { fatal: true });

function decoderAccepts(bytes: Uint8Array): boolean {
  try {
    strictDecoder.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Bytes around every boundary of Unicode Table 3-7, where validators go wrong. */
const INTERESTING_BYTES = [
  0x00,
  0x41,
  0x7f,
  0x80,
  0x8f,
  0x90,
  0x9f,
  0xa0,
  0xbf,
  0xc0,
  0xc1,
  0xc2,
  0xdf,
  0xe0,
  0xe1,
  0xec,
  0xed,
  0xee,
  0xef,
  0xf0,
  0xf1,
  0xf3,
  0xf4,
  0xf5,
  0xff,
];

Deno.test("isValidUtf8() agrees with the strict TextDecoder on random byte strings", () => {
  const random = seededRandom(7);
  for (let trial = 0; trial < 50_000; trial++) {
    const bytes = new Uint8Array(1 + Math.floor(random() * 6));
    for (let index = 0; index < bytes.length; index++) {
      bytes[index] = random() < 0.8
        ? INTERESTING_BYTES[Math.floor(random() * INTERESTING_BYTES.length)]
        : Math.floor(random() * 256);
    }
    assert.equal(isValidUtf8(bytes, 0, bytes.length), decoderAccepts(bytes), `bytes ${bytes}`);
  }
});

Deno.test("isValidUtf8() accepts every code point and checks only its range", () => {
  const encoder = new TextEncoder();
  for (
    const codePoint of [
      0,
      0x7f,
      0x80,
      0x7ff,
      0x800,
      0xd7ff,
      0xe000,
      0xfffd,
      0xffff,
      0x10000,
      0x10ffff,
    ]
  ) {
    const bytes = encoder.encode(String.fromCodePoint(codePoint));
    assert.ok(isValidUtf8(bytes, 0, bytes.length), `U+${codePoint.toString(16)}`);
    // Cut short by the end of the range: invalid, even though the array goes on.
    if (bytes.length > 1) assert.ok(!isValidUtf8(bytes, 0, bytes.length - 1));
  }
});
