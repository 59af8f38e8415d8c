/**
 * A block of input as the clean pass and the key census hand it to a worker, and the re-scan of a
 * block whose predecessor ended mid-record: both number records in input order the same way.
 */

/** `buffer[begin .. end)`, scanned by `worker`. */
export interface InputBlock {
  buffer?: SharedArrayBuffer;
  begin: number;
  end: number;
  /** The input's last block. */
  final: boolean;
  /**
   * True once the block was re-scanned knowing how its predecessor ended: with its open tail in
   * front, or skipping the rest of a record over the limit.
   */
  hasCarry: boolean;
  worker: number;
}

/** A block of `view` (a SharedArrayBuffer's), not yet re-scanned. */
export function inputBlock(
  view: Uint8Array,
  begin: number,
  end: number,
  final: boolean,
  worker: number,
): InputBlock {
  return { buffer: view.buffer as SharedArrayBuffer, begin, end, final, hasCarry: false, worker };
}

/**
 * Puts the previous block's open tail `carry` in front of `block`, in a new buffer: the block is
 * then scanned again from a record's start, by `worker`.
 */
export function prependCarry(block: InputBlock, carry: Uint8Array, worker: number): void {
  const length = block.end - block.begin;
  const combined = new Uint8Array(new SharedArrayBuffer(carry.length + length));
  combined.set(carry);
  combined.set(new Uint8Array(block.buffer!, block.begin, length), carry.length);
  Object.assign(block, {
    buffer: combined.buffer,
    begin: 0,
    end: combined.length,
    hasCarry: true,
    worker,
  });
}
