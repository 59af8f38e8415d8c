/**
 * Fills caller-owned buffers from a byte stream, so a reader can hand workers big blocks
 * (tens of MB) instead of the stream's small chunks.
 *
 * @example Read a file in 32 MiB blocks
 * ```ts
 * import { openInputBytes } from "./input_bytes.ts";
 *
 * const input = await openInputBytes("data/input/dirty_1m.csv");
 * const reader = new BlockReader(input.stream);
 * const block = new Uint8Array(32 << 20);
 * while (!reader.done) {
 *   const filled = await reader.fill(block, 0);
 *   console.log(`${filled} bytes`); // hand block.subarray(0, filled) to a worker
 * }
 * ```
 */

/** Reads a byte stream into buffers the caller owns, filling each as far as it goes. */
export class BlockReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  #pending: Uint8Array | undefined;
  #done = false;

  /** A reader of `stream`; it locks the stream until {@linkcode BlockReader.cancel}. */
  constructor(stream: ReadableStream<Uint8Array>) {
    this.#reader = stream.getReader();
  }

  /** True once the stream has ended and every byte was handed out. */
  get done(): boolean {
    return this.#done && this.#pending === undefined;
  }

  /**
   * Fills `target[offset, target.length)` as far as the stream allows; returns the number of bytes
   * written. Fewer than asked means the stream ended.
   */
  async fill(target: Uint8Array, offset: number): Promise<number> {
    let written = 0;
    const room = target.length - offset;
    while (written < room) {
      let chunk = this.#pending;
      this.#pending = undefined;
      if (chunk === undefined) {
        if (this.#done) break;
        const { value, done } = await this.#reader.read();
        if (done) {
          this.#done = true;
          break;
        }
        chunk = value;
      }
      const take = Math.min(chunk.length, room - written);
      target.set(chunk.subarray(0, take), offset + written);
      written += take;
      if (take < chunk.length) this.#pending = chunk.subarray(take);
    }
    return written;
  }

  /** Stops reading and releases the underlying stream. */
  async cancel(): Promise<void> {
    this.#done = true;
    this.#pending = undefined;
    await this.#reader.cancel().catch(() => {});
  }
}
