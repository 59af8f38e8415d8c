import assert from "node:assert/strict";
import {
  decodeKey,
  encodeKey,
  encodeKeyAscii,
  KEY_ORDER_NUMBER,
  KEY_RAW,
  KEY_UUID_LOWER,
  KEY_UUID_UPPER,
  keyHash,
  numericShape,
  PackedKeyWriter,
} from "../../../src/cleaning/dedup/key_encoding.ts";

const encoder = new TextEncoder();

Deno.test("key encodings: each shape gets its tag and size, and decodes back to the key", () => {
  const cases: [key: string, tag: number, bytes: number][] = [
    ["ORD-000000001", KEY_ORDER_NUMBER, 5],
    ["ORD-999999999", KEY_ORDER_NUMBER, 5],
    ["ORD-1", KEY_RAW, 6], // not the 9-digit shape: a different key from ORD-000000001
    ["ORD-0000000001", KEY_RAW, 15],
    ["ord-000000001", KEY_RAW, 14],
    ["525aeb3c-b22f-414c-92d8-705ce26a6ee0", KEY_UUID_LOWER, 17],
    ["525AEB3C-B22F-414C-92D8-705CE26A6EE0", KEY_UUID_UPPER, 17],
    ["12345678-1234-1234-1234-123456789012", KEY_UUID_LOWER, 17], // digits only: always lower
    ["525aeb3c-b22f-414c-92d8-705CE26A6EE0", KEY_RAW, 37], // mixed case stays text
    ["525aeb3c-b22f-414c-92d8-705ce26a6ee", KEY_RAW, 36], // one digit short
    ["525aeb3cb22f-414c-92d8-705ce26a6ee0-", KEY_RAW, 37], // dashes misplaced
    ["525aeb3c-b22f-414c-92d8-705ce26a6eeg", KEY_RAW, 37], // not hex
    ["ORDX000000001", KEY_RAW, 14],
    ["12345", KEY_RAW, 6],
    ["INV-7\u0000LINE-2", KEY_RAW, 13], // a composite key joined with U+0000
    ["Café-7", KEY_RAW, 8], // UTF-8
    ["x", KEY_RAW, 2],
  ];
  for (const [key, tag, bytes] of cases) {
    const encoded = encodeKey(key);
    assert.equal(encoded[0], tag, key);
    assert.equal(encoded.length, bytes, key);
    assert.equal(decodeKey(encoded), key, key);
  }
});

Deno.test("key encodings: bytes and text of the same key encode alike; different keys differ", () => {
  const keys = [
    "ORD-000000042",
    "ORD-42",
    "525aeb3c-b22f-414c-92d8-705ce26a6ee0",
    "525AEB3C-B22F-414C-92D8-705CE26A6EE0",
    "525aeb3c-b22f-414c-92d8-705CE26A6EE0",
    "00000000-0000-0000-0000-000000000000",
    "ORDX000000001",
    "a",
    "A",
    "order 7",
  ];
  const seen = new Map<string, string>();
  for (const key of keys) {
    const fromText = encodeKey(key);
    const source = encoder.encode(`  ${key}  `);
    const out = new Uint8Array(64);
    const length = encodeKeyAscii(source, 2, 2 + key.length, out, 3);
    assert.deepEqual(out.subarray(3, 3 + length), fromText, key);
    const id = fromText.join(",");
    assert.equal(seen.get(id), undefined, `${key} collides with ${seen.get(id)}`);
    seen.set(id, key);
  }
});

Deno.test("PackedKeyWriter keeps keys back to back in claim order", () => {
  const writer = new PackedKeyWriter(1);
  const source = encoder.encode("xx525aeb3c-b22f-414c-92d8-705ce26a6ee0");
  writer.addOrderNumber(7);
  writer.addText("Café");
  writer.addAscii(source, 2, source.length);
  for (let index = 0; index < 100; index++) writer.addText(`key-${index}`);
  const { bytes, ends } = writer.take();
  assert.equal(ends.length, 103);
  const keyAt = (index: number) =>
    decodeKey(bytes.subarray(index ? ends[index - 1] : 0, ends[index]));
  assert.equal(keyAt(0), "ORD-000000007");
  assert.equal(keyAt(1), "Café");
  assert.equal(keyAt(2), "525aeb3c-b22f-414c-92d8-705ce26a6ee0");
  assert.equal(keyAt(102), "key-99");
});

Deno.test("numericShape: a prefix and 1–15 digits, leading zeros part of the shape", () => {
  const cases: [string, { shape: string; value: number } | undefined][] = [
    ["ORDX000000001", { shape: "ORDX\u00019", value: 1 }],
    ["12345", { shape: "\u00015", value: 12345 }],
    ["007", { shape: "\u00013", value: 7 }],
    ["7", { shape: "\u00011", value: 7 }],
    ["INV-2024-000017", { shape: "INV-2024-\u00016", value: 17 }],
    ["999999999999999", { shape: "\u000115", value: 999_999_999_999_999 }],
    ["1234567890123456", undefined], // 16 digits: not exact in a double
    ["abc", undefined],
    ["7a", undefined],
    ["", undefined],
  ];
  for (const [key, expected] of cases) assert.deepEqual(numericShape(key), expected, key);
});

Deno.test("keyHash: seeds give different hashes of the same bytes", () => {
  const bytes = encoder.encode("525aeb3c-b22f-414c-92d8-705ce26a6ee0");
  const hashes = new Set([0, 1, 2, 3].map((seed) => keyHash(bytes, 0, bytes.length, seed)));
  assert.equal(hashes.size, 4);
  assert.equal(keyHash(bytes, 0, bytes.length, 1), keyHash(bytes, 0, bytes.length, 1));
});
