/**
 * Whole-number sums per group: the core of most tables.
 *
 * A group is one value of one dimension (a day) or a pair (month × category). Dimension values are
 * whole numbers: a day or month number as is, a string as its thread-local id
 * ({@linkcode StringIds}). Finding a group's slot costs two array reads, no hashing: the first
 * value indexes a dense window ({@linkcode IntSlotIndex}) giving its row, the second (string ids
 * are dense from 0) the column of a flat matrix.
 *
 * Every metric is a sum of whole numbers (rows, units, cents), kept in doubles: each addition is
 * exact while the sum stays within 2^53, and since no metric adds a negative amount, a final sum
 * within 2^53 proves every step was exact ({@linkcode GroupTotals.assertExact}). So totals do not
 * depend on the order rows arrive in, nor on how many workers shared them.
 */
import { UserError } from "../io/errors.ts";
import type { StringIdRegistry, StringIds } from "./string_ids.ts";

/** A dimension of a group key: a whole number (day, month, band) or a string column's value. */
export type Dimension =
  | { name: string; kind: "number" }
  | { name: string; kind: "string"; column: string };

export type DimensionValue = string | number;

/** Totals as they cross threads: labels per dimension and sums per metric, one entry per group. */
export interface GroupTotalsState {
  labels: DimensionValue[][];
  sums: Float64Array[];
}

/** A group's labels (one per dimension) and sums (one per metric). */
export interface GroupEntry {
  labels: DimensionValue[];
  sums: number[];
}

/** Beyond this many entries a dense window gives way to a Map (values spread absurdly wide). */
const DENSE_WINDOW_LIMIT = 1 << 22;

/**
 * Whole numbers → whole numbers ≥ 0 (slots), in a dense window over the keys seen; −1 is absent.
 */
export class IntSlotIndex {
  /** The window: `slots[value − base]`. Read directly by hot loops (see `GroupTotals`). */
  base = 0;
  slots = new Int32Array(0);
  #map: Map<number, number> | undefined;

  /** The integer stored for `value`, or −1. */
  get(value: number): number {
    const offset = value - this.base;
    if (offset >= 0 && offset < this.slots.length) return this.slots[offset];
    return this.#map?.get(value) ?? -1;
  }

  set(value: number, slot: number): void {
    if (!this.#map) {
      this.#cover(value);
      if (!this.#map) {
        this.slots[value - this.base] = slot;
        return;
      }
    }
    this.#map.set(value, slot);
  }

  #cover(value: number): void {
    const length = this.slots.length;
    if (length === 0) {
      this.base = value;
      this.slots = new Int32Array(16).fill(-1);
      return;
    }
    const low = Math.min(this.base, value);
    const high = Math.max(this.base + length, value + 1);
    if (low === this.base && high === this.base + length) return;
    // Grow by at least double on the side that needs it, so a run of new values is amortised.
    const newLow = low < this.base ? Math.min(low, this.base - length) : this.base;
    const newHigh = high > this.base + length ? Math.max(high, this.base + 2 * length) : high;
    if (newHigh - newLow > DENSE_WINDOW_LIMIT) {
      // Values spread too wide for a window: a Map, and an empty window no lookup falls into.
      this.#map = new Map();
      for (let offset = 0; offset < length; offset++) {
        if (this.slots[offset] >= 0) this.#map.set(this.base + offset, this.slots[offset]);
      }
      this.base = 0;
      this.slots = new Int32Array(0);
      return;
    }
    const grown = new Int32Array(newHigh - newLow).fill(-1);
    grown.set(this.slots, this.base - newLow);
    this.base = newLow;
    this.slots = grown;
  }
}

const INITIAL_CAPACITY = 64;
/** 256 MiB of pair index at most: some 8 million products × 8 categories. */
const MAX_PAIR_CELLS = 2 ** 26;

export class GroupTotals {
  readonly dimensions: readonly Dimension[];
  readonly metricNames: readonly string[];
  /** `sums[metric][slot]`. Arrays are replaced when they grow: read them after `slot()` or `pairSlot()`. */
  readonly sums: Float64Array[];
  readonly #stringIds: (StringIds | undefined)[];
  /** Slot (one dimension) or ordinal of the first value (pairs). */
  readonly #firstIndex = new IntSlotIndex();
  /** For pairs: slots at `(ordinal << #pairShift) + second`, a row of 2^#pairShift per first value. */
  #pairMatrix = new Int32Array(0);
  #pairShift = 3;
  #pairRows = 0;
  readonly #firstValues: number[] = [];
  readonly #secondValues: number[] = [];

  constructor(dimensions: Dimension[], metricNames: string[], ids: StringIdRegistry) {
    if (dimensions.length < 1 || dimensions.length > 2) {
      throw new Error("a group key has one or two dimensions");
    }
    if (dimensions.length === 2 && dimensions[1].kind !== "string") {
      throw new Error("the second dimension of a pair must be a string column");
    }
    this.dimensions = dimensions;
    this.metricNames = metricNames;
    this.sums = metricNames.map(() => new Float64Array(INITIAL_CAPACITY));
    this.#stringIds = dimensions.map((dimension) =>
      dimension.kind === "string" ? ids.for(dimension.column) : undefined
    );
  }

  /** Groups so far. */
  get size(): number {
    return this.#firstValues.length;
  }

  /** The slot of a one-dimension group, created with zero sums on first sight. */
  slot(value: number): number {
    const index = this.#firstIndex;
    const offset = value - index.base;
    const found = offset >= 0 && offset < index.slots.length
      ? index.slots[offset]
      : index.get(value);
    return found >= 0 ? found : this.#create(value, 0, -1);
  }

  /** The slot of a pair: `first` a whole number or string id, `second` a string id. */
  pairSlot(first: number, second: number): number {
    const index = this.#firstIndex;
    const offset = first - index.base;
    const ordinal = offset >= 0 && offset < index.slots.length
      ? index.slots[offset]
      : index.get(first);
    if (ordinal >= 0 && second < 1 << this.#pairShift) {
      const found = this.#pairMatrix[(ordinal << this.#pairShift) + second];
      if (found >= 0) return found;
    }
    return this.#create(first, second, ordinal);
  }

  /**
   * Moves whole multiples of `base` from metric `from` into metric `to` (counted in units of
   * `base`), keeping `from` small so later additions stay exact.
   */
  carry(from: number, to: number, base: number): void {
    const low = this.sums[from];
    const high = this.sums[to];
    for (let slot = 0; slot < this.size; slot++) {
      if (low[slot] >= base) {
        const whole = Math.floor(low[slot] / base);
        high[slot] += whole;
        low[slot] -= whole * base;
      }
    }
  }

  /** The labels of a slot, one per dimension (strings as strings). */
  labelsOf(slot: number): DimensionValue[] {
    const values = this.dimensions.length === 1
      ? [this.#firstValues[slot]]
      : [this.#firstValues[slot], this.#secondValues[slot]];
    return values.map((value, index) => this.#stringIds[index]?.name(value) ?? value);
  }

  /** A structured-clone-friendly copy, keyed by labels rather than thread-local ids. */
  toState(): GroupTotalsState {
    const labels: DimensionValue[][] = this.dimensions.map(() => []);
    for (let slot = 0; slot < this.size; slot++) {
      this.labelsOf(slot).forEach((label, index) => labels[index].push(label));
    }
    return { labels, sums: this.sums.map((sums) => sums.slice(0, this.size)) };
  }

  /** Adds another thread's totals into these. */
  mergeState(state: GroupTotalsState): void {
    const count = state.labels[0]?.length ?? 0;
    for (let entry = 0; entry < count; entry++) {
      const [first, second] = state.labels.map((labels, index) => {
        const ids = this.#stringIds[index];
        const label = labels[entry];
        return ids ? ids.id(label as string) : label as number;
      });
      const slot = this.dimensions.length === 1 ? this.slot(first) : this.pairSlot(first, second);
      for (let metric = 0; metric < this.sums.length; metric++) {
        this.sums[metric][slot] += state.sums[metric][entry];
      }
    }
  }

  /** Every group with its labels and sums, in no particular order. */
  entries(): GroupEntry[] {
    return Array.from({ length: this.size }, (_, slot) => ({
      labels: this.labelsOf(slot),
      sums: this.sums.map((sums) => sums[slot]),
    }));
  }

  /**
   * Throws when a sum went past 2^53, where doubles stop counting every whole number and a total
   * could be off. Only absurd inputs get there (quantities near 2^53 are valid clean rows).
   */
  assertExact(table: string): void {
    for (let metric = 0; metric < this.sums.length; metric++) {
      const sums = this.sums[metric];
      for (let slot = 0; slot < this.size; slot++) {
        if (sums[slot] > Number.MAX_SAFE_INTEGER) {
          throw new UserError(
            `${table}: the ${this.metricNames[metric]} of ${
              this.labelsOf(slot).join(" × ")
            } exceeds 2^53 and cannot be summed exactly; check the clean data for absurd values`,
          );
        }
      }
    }
  }

  #create(first: number, second: number, firstOrdinal: number): number {
    const slot = this.size;
    if (slot === this.sums[0].length) this.#grow();
    this.#firstValues.push(first);
    this.#secondValues.push(second);
    if (this.dimensions.length === 1) {
      this.#firstIndex.set(first, slot);
      return slot;
    }
    let ordinal = firstOrdinal;
    if (ordinal < 0) {
      ordinal = this.#pairRows++;
      this.#firstIndex.set(first, ordinal);
    }
    this.#ensurePairCell(ordinal, second);
    this.#pairMatrix[(ordinal << this.#pairShift) + second] = slot;
    return slot;
  }

  /** Grows the pair matrix to hold row `ordinal` and column `second`. */
  #ensurePairCell(ordinal: number, second: number): void {
    let shift = this.#pairShift;
    while (second >= 1 << shift) shift++;
    const rowsNeeded = Math.max(ordinal + 1, this.#pairRows);
    const capacityRows = this.#pairMatrix.length >> this.#pairShift;
    if (shift === this.#pairShift && rowsNeeded <= capacityRows) return;
    const rows = Math.max(rowsNeeded, capacityRows * 2, 8);
    if (rows * 2 ** shift > MAX_PAIR_CELLS) {
      throw new UserError(
        `too many distinct ${
          this.dimensions.map((dimension) => dimension.name).join(" × ")
        } pairs to aggregate in memory (${this.size} so far)`,
      );
    }
    const grown = new Int32Array(rows << shift).fill(-1);
    const oldWidth = 1 << this.#pairShift;
    for (let row = 0; row < capacityRows; row++) {
      grown.set(this.#pairMatrix.subarray(row * oldWidth, (row + 1) * oldWidth), row << shift);
    }
    this.#pairMatrix = grown;
    this.#pairShift = shift;
  }

  #grow(): void {
    for (let metric = 0; metric < this.sums.length; metric++) {
      const grown = new Float64Array(this.sums[metric].length * 2);
      grown.set(this.sums[metric]);
      this.sums[metric] = grown;
    }
  }
}
