/**
 * Rule 2 as the main thread applies it, chunk by chunk in input order: which of a chunk's claims
 * repeat a key claimed earlier in the file.
 */
import { UserError } from "../../io/errors.ts";
import type { ChunkScan } from "../chunk_cleaner.ts";
import { KeySet } from "./key_set.ts";
import type { PagedBitset } from "./paged_bitset.ts";

export interface ClaimJudge {
  /** `duplicates[i]` is 1 when the chunk's i-th claim repeats an earlier key. */
  judge(scan: ChunkScan): Uint8Array<ArrayBuffer>;
}

/** Keys checked against the in-memory {@linkcode KeySet} (may throw `DedupBudgetExceeded`). */
export class InMemoryJudge implements ClaimJudge {
  readonly #keys: KeySet;

  constructor(budgetBytes: number) {
    this.#keys = new KeySet(budgetBytes);
  }

  judge(scan: ChunkScan): Uint8Array<ArrayBuffer> {
    const { claimNumbers, claimTexts } = scan;
    const duplicates = new Uint8Array(claimNumbers.length);
    let textIndex = 0;
    for (let claim = 0; claim < claimNumbers.length; claim++) {
      const orderNumber = claimNumbers[claim];
      const firstTime = orderNumber >= 0
        ? this.#keys.claimNumber(orderNumber)
        : this.#keys.claimText(claimTexts[textIndex++]);
      if (!firstTime) duplicates[claim] = 1;
    }
    return duplicates;
  }
}

/** Duplicates already known from the key census, by claim ordinal: the chunks carry no keys. */
export class CensusJudge implements ClaimJudge {
  readonly #duplicates: PagedBitset;
  readonly #claims: number;
  #nextOrdinal = 0;

  constructor(duplicates: PagedBitset, claims: number) {
    this.#duplicates = duplicates;
    this.#claims = claims;
  }

  judge(scan: ChunkScan): Uint8Array<ArrayBuffer> {
    const count = scan.claimNumbers.length;
    if (this.#nextOrdinal + count > this.#claims) {
      throw new UserError(
        "the input changed while clean-data was reading it (it has more rows with a dedup key " +
          "than its first pass counted). Clean a file nothing else is writing to.",
      );
    }
    const duplicates = new Uint8Array(count);
    for (let claim = 0; claim < count; claim++) {
      if (this.#duplicates.has(this.#nextOrdinal + claim)) duplicates[claim] = 1;
    }
    this.#nextOrdinal += count;
    return duplicates;
  }
}
