/**
 * Seeded pseudo-random numbers for generation: never `Math.random`, so the same seed always gives
 * the same file.
 *
 * Each block of rows draws from its own stream, seeded from (seed, block, stream) alone, which is
 * what lets any number of workers produce byte-identical output. The generator is sfc32 (Chris
 * Doty-Humphrey's Small Fast Counting generator): 128 bits of state, passes PractRand to terabytes,
 * and runs on 32-bit integer operations that V8 compiles to a few machine instructions.
 */
import { mix32 } from "../io/mix32.ts";

export { mix32 };

/** Folds a non-negative safe integer (like a seed or a row number) into 32 well-mixed bits. */
export function hashInteger(value: number, salt = 0): number {
  const low = value % 0x1_0000_0000;
  const high = Math.floor(value / 0x1_0000_0000);
  return mix32(mix32(low ^ Math.imul(salt | 0, 0x9e3779b9)) ^ mix32(high + 0x632be5ab));
}

const TO_UNIT = 1 / 0x1_0000_0000;

export class Sfc32 {
  #a: number;
  #b: number;
  #c: number;
  #counter: number;

  /** A stream from 4 words of seed; the first draws are discarded to decorrelate close seeds. */
  constructor(a: number, b: number, c: number, d = 1) {
    this.#a = a | 0;
    this.#b = b | 0;
    this.#c = c | 0;
    this.#counter = d | 0;
    for (let warmUp = 0; warmUp < 12; warmUp++) this.nextUint32();
  }

  /** The stream for (seed, block, stream): independent of anything else, including worker count. */
  static forBlock(seed: number, block: number, stream: number): Sfc32 {
    const seedHash = hashInteger(seed, 0x5eed);
    const blockHash = hashInteger(block, 0xb10c);
    return new Sfc32(
      seedHash,
      blockHash,
      mix32(seedHash ^ blockHash ^ Math.imul(stream + 1, 0x27d4eb2d)),
      stream + 1,
    );
  }

  /** A uniform unsigned 32-bit integer. */
  nextUint32(): number {
    const a = this.#a, b = this.#b, c = this.#c;
    const result = (a + b + this.#counter) | 0;
    this.#counter = (this.#counter + 1) | 0;
    this.#a = b ^ (b >>> 9);
    this.#b = (c + (c << 3)) | 0;
    this.#c = ((c << 21) | (c >>> 11)) + result | 0;
    return result >>> 0;
  }

  /**
   * Fills `target` with uniform unsigned 32-bit integers: the same numbers as that many
   * {@linkcode nextUint32} calls, at a fraction of the cost in a hot loop (no call per number).
   */
  fill(target: Uint32Array): void {
    let a = this.#a, b = this.#b, c = this.#c, counter = this.#counter;
    for (let index = 0; index < target.length; index++) {
      const result = (a + b + counter) | 0;
      counter = (counter + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = ((c << 21) | (c >>> 11)) + result | 0;
      target[index] = result;
    }
    this.#a = a;
    this.#b = b;
    this.#c = c;
    this.#counter = counter;
  }

  /** A uniform number in [0, 1). */
  nextUnit(): number {
    return this.nextUint32() * TO_UNIT;
  }

  /** A uniform integer in [0, bound), for bound ≤ 2^32. */
  nextBelow(bound: number): number {
    return Math.floor(this.nextUint32() * TO_UNIT * bound);
  }

  /** A uniform integer in [min, max], both included. */
  nextBetween(min: number, max: number): number {
    return min + Math.floor(this.nextUint32() * TO_UNIT * (max - min + 1));
  }
}
