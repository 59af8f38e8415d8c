/**
 * hysnappy's WebAssembly snappy, each direction instantiated once for the whole process: its
 * one-shot helpers instantiate the module on every call, and hyparquet-writer's built-in JS snappy
 * costs more CPU (measured here).
 */
import { snappyCompressor, snappyUncompressor } from "hysnappy";

let sharedCompressor: ((input: Uint8Array) => Uint8Array) | undefined;
let sharedUncompressor: ((input: Uint8Array, outputLength: number) => Uint8Array) | undefined;

/** Compresses `input` with snappy. */
export function snappyCompress(input: Uint8Array): Uint8Array {
  sharedCompressor ??= snappyCompressor();
  return sharedCompressor(input);
}

/** Decompresses snappy `input` into `outputLength` bytes. */
export function snappyUncompress(input: Uint8Array, outputLength: number): Uint8Array {
  sharedUncompressor ??= snappyUncompressor();
  return sharedUncompressor(input, outputLength);
}
