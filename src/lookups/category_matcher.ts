/**
 * What a raw category resolves to through the lookups: the matching behind rule 6
 * (`unknown_category`) of docs/cleaning.md. It lives with the lookups, not the cleaning rules, because
 * two stages need the same answer: the cleaner rejects what it cannot match, and update-lookups
 * lists exactly those values for review.
 */
import { categoryKey } from "./keys.ts";
import { levenshtein } from "./levenshtein.ts";
import { BoundedMemo } from "./bounded_memo.ts";

/** The largest edit distance at which a raw category still counts as a canonical one. */
export const MAX_CATEGORY_DISTANCE = 2;

/**
 * Maps raw categories to the canonical ones of `common_categories.json`.
 *
 * The key of a value is `lower(trim(raw))`. A canonical entry with the same key wins; otherwise the
 * canonical entry whose key is nearest by Levenshtein distance over code points, if that distance is
 * at most 2, with ties going to the entry first in the array. The answer is the entry as written in
 * the JSON. A blank value never matches: it is not a misspelling of anything, however short the
 * canonical names are.
 *
 * `category_map.json` (optional) places variants a person decided on: after an exact canonical
 * key and before edit distance, a map key equal to the value's key gives its canonical category.
 */
export class CategoryMatcher {
  readonly #canonical: readonly string[];
  readonly #canonicalKeys: readonly string[];
  /** Key → the first canonical entry with it. */
  readonly #exact = new Map<string, string>();
  readonly #memo = new BoundedMemo<string | null>();

  /** Key of a `category_map.json` entry → its canonical category as written in the list. */
  readonly #mapped = new Map<string, string>();

  constructor(canonical: readonly string[], categoryMap: Readonly<Record<string, string>> = {}) {
    this.#canonical = [...canonical];
    this.#canonicalKeys = this.#canonical.map(categoryKey);
    this.#canonicalKeys.forEach((key, index) => {
      if (!this.#exact.has(key)) this.#exact.set(key, this.#canonical[index]);
    });
    for (const [rawKey, target] of Object.entries(categoryMap)) {
      const key = categoryKey(rawKey);
      const canonical = this.#exact.get(categoryKey(target));
      if (key !== "" && canonical !== undefined && !this.#mapped.has(key)) {
        this.#mapped.set(key, canonical);
      }
    }
  }

  /** The canonical category for `raw`, or `undefined` when it has none (`unknown_category`). */
  match(raw: string): string | undefined {
    return this.#memo.get(raw, (value) => this.#resolve(value)) ?? undefined;
  }

  #resolve(raw: string): string | null {
    const key = categoryKey(raw);
    if (key === "") return null;
    const exact = this.#exact.get(key) ?? this.#mapped.get(key);
    if (exact !== undefined) return exact;
    let best: string | null = null;
    let bestDistance = MAX_CATEGORY_DISTANCE + 1;
    for (let index = 0; index < this.#canonicalKeys.length; index++) {
      // Only a strictly nearer entry replaces the best, so ties keep the earlier one.
      const distance = levenshtein(key, this.#canonicalKeys[index], bestDistance - 1);
      if (distance < bestDistance) {
        best = this.#canonical[index];
        bestDistance = distance;
        if (distance === 1) break; // nothing but an exact key is nearer, and that was checked
      }
    }
    return best;
  }
}
