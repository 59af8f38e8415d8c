/**
 * Fills caller-owned buffers from a byte stream, so a reader can hand workers big blocks
 * (tens of MB) instead of the stream's small chunks.
 */

export class BlockReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  #pending: Uint8Array | undefined;
  #done = false;

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
