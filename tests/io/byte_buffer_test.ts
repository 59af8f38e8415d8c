import assert from "node:assert/strict";
import { ByteBuffer } from "../../src/io/byte_buffer.ts";

Deno.test("a byte buffer grows past its capacity and keeps what it holds", () => {
  const buffer = new ByteBuffer(2);
  const long = Uint8Array.from({ length: 100 }, (_, index) => index);
  buffer.pushByte(0xff);
  buffer.pushBytes(long, 10, 15); // short: copied byte by byte
  buffer.pushBytes(long); // long: copied as a block
  buffer.pushUint32(0x01020304);
  assert.deepEqual(buffer.view(), Uint8Array.from([0xff, 10, 11, 12, 13, 14, ...long, 4, 3, 2, 1]));
  assert.ok(buffer.bytes.length >= buffer.length);
});

Deno.test("varints are unsigned LEB128", () => {
  const cases: [number, number[]][] = [
    [0, [0]],
    [127, [0x7f]],
    [128, [0x80, 0x01]],
    [300, [0xac, 0x02]],
    [2 ** 32, [0x80, 0x80, 0x80, 0x80, 0x10]],
  ];
  for (const [value, bytes] of cases) {
    const buffer = new ByteBuffer(1);
    buffer.pushVarint(value);
    assert.deepEqual([...buffer.view()], bytes, String(value));
  }
});
