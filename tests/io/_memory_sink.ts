/** A parquet byte sink in memory, for reading back with hyparquet what a writer produced. */
export class MemorySink {
  readonly chunks: Uint8Array[] = [];

  writeSync(bytes: Uint8Array): void {
    this.chunks.push(bytes.slice());
  }

  /** Everything written, as one file. */
  file(): ArrayBuffer {
    const total = this.chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    const out = new Uint8Array(total);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out.buffer;
  }
}
