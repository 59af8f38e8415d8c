/**
 * One growable byte buffer: the parquet page encoder, the CSV writer and the dedup key packer
 * append into it, and it doubles its backing array as it fills. Writers that need speed write
 * into {@linkcode ByteBuffer.bytes} directly after a {@linkcode ByteBuffer.reserve}.
 *
 * @example
 * ```ts
 * import { ByteBuffer } from "./byte_buffer.ts";
 * const buffer = new ByteBuffer(4);
 * buffer.pushUint32(1);
 * buffer.pushBytes(new TextEncoder().encode("abc"));
 * console.log(buffer.view()); // Uint8Array(7) [1, 0, 0, 0, 97, 98, 99]
 * ```
 */

/** A growable byte buffer with little-endian writers. */
export class ByteBuffer {
  /** The backing bytes; only the first {@linkcode ByteBuffer.length} are written. */
  bytes: Uint8Array;
  /** Bytes written so far. */
  length = 0;

  /** Starts with room for `capacity` bytes; the buffer doubles as it fills. */
  constructor(capacity = 1 << 16) {
    this.bytes = new Uint8Array(capacity);
  }

  /** Makes room for `extra` more bytes. */
  reserve(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    const larger = new Uint8Array(Math.max(this.bytes.length * 2, this.length + extra));
    larger.set(this.bytes.subarray(0, this.length));
    this.bytes = larger;
  }

  /** Appends one byte. */
  pushByte(value: number): void {
    this.reserve(1);
    this.bytes[this.length++] = value;
  }

  /** Appends an unsigned 32-bit integer, little-endian. */
  pushUint32(value: number): void {
    this.reserve(4);
    const bytes = this.bytes;
    let at = this.length;
    bytes[at++] = value & 0xff;
    bytes[at++] = (value >>> 8) & 0xff;
    bytes[at++] = (value >>> 16) & 0xff;
    bytes[at++] = (value >>> 24) & 0xff;
    this.length = at;
  }

  /** Appends `source[start, end)`. */
  pushBytes(source: Uint8Array, start = 0, end = source.length): void {
    const count = end - start;
    this.reserve(count);
    if (count < 32) {
      // A loop beats creating a subarray for the short values that make up most rows.
      const bytes = this.bytes;
      let at = this.length;
      for (let index = start; index < end; index++) bytes[at++] = source[index];
      this.length = at;
    } else {
      this.bytes.set(source.subarray(start, end), this.length);
      this.length += count;
    }
  }

  /** Appends a non-negative integer as an unsigned LEB128 varint. */
  pushVarint(value: number): void {
    while (value > 0x7f) {
      this.pushByte((value & 0x7f) | 0x80);
      value = Math.floor(value / 128);
    }
    this.pushByte(value);
  }

  /** The bytes written so far (a view, not a copy). */
  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}
