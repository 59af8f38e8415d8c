/**
 * A memo for lookups keyed by raw strings (the category matcher's and the cleaner's region
 * resolver's). Real data holds few distinct categories and regions, so caching each answer makes
 * the rules cost one `Map` hit per row; junk data can hold a new value on every row, so the memo
 * stops growing at a fixed size (answers past it are still right, just recomputed) instead of
 * eating memory or hitting V8's 2^24-entry `Map` limit.
 */

/** Distinct raw values remembered per memo. */
export const MEMO_LIMIT = 100_000;

export class BoundedMemo<Value> {
  readonly #answers = new Map<string, Value>();
  readonly #limit: number;

  constructor(limit = MEMO_LIMIT) {
    this.#limit = limit;
  }

  /** The remembered answer for `key`, or the one `compute` gives (remembered while there is room). */
  get(key: string, compute: (key: string) => Value): Value {
    const known = this.#answers.get(key);
    if (known !== undefined || this.#answers.has(key)) return known as Value;
    const answer = compute(key);
    if (this.#answers.size < this.#limit) this.#answers.set(key, answer);
    return answer;
  }

  /** How many answers are remembered. */
  get size(): number {
    return this.#answers.size;
  }
}
