/**
 * Rule 7 (`unknown_region`) of docs/cleaning.md, with its keys.
 */
import { UserError } from "../../io/errors.ts";
import { shortQuote } from "../../io/short_text.ts";
import { regionKey } from "../../lookups/keys.ts";
import { isUnmappedRegionValue } from "../../lookups/lookup_files.ts";
import { BoundedMemo } from "../../lookups/bounded_memo.ts";

/**
 * Maps raw regions to canonical ones through `common_regions.json` and `region_map.json`.
 *
 * The key of a value is {@linkcode regionKey}: trimmed, lower-cased, inner whitespace runs collapsed
 * to one space. A canonical entry with that key wins and is output as written. Otherwise a map entry
 * with that key gives the answer: its value, trimmed, unless blank or `UNKNOWN` in any case; a value
 * that names a canonical region (by key) is output in the canonical entry's spelling. There is no
 * fuzzy matching here: spelling variants become map entries, which people can review. A blank value
 * is always unknown.
 *
 * Throws a {@linkcode UserError} when two map keys normalise to the same key but resolve
 * differently, since either answer would silently overrule a person's edit.
 */
export class RegionResolver {
  /** Canonical key → the first canonical entry with it. */
  readonly #canonical = new Map<string, string>();
  /** Map key (normalised) → the resolved region, or `null` for blank/`UNKNOWN`. */
  readonly #mapped = new Map<string, string | null>();
  readonly #memo = new BoundedMemo<string | null>();

  /**
   * @param mapName how to name the map in the contradiction error, e.g. its path.
   */
  constructor(
    canonicalRegions: readonly string[],
    regionMap: Readonly<Record<string, string>>,
    mapName = "region_map.json",
  ) {
    for (const region of canonicalRegions) {
      const key = regionKey(region);
      if (!this.#canonical.has(key)) this.#canonical.set(key, region);
    }
    const mapKeyFor = new Map<string, string>();
    // `Object.keys` and a lookup: `Object.entries` of a million-key map is several times slower.
    for (const rawKey of Object.keys(regionMap)) {
      const value = regionMap[rawKey];
      const key = regionKey(rawKey);
      const region = this.#mapTarget(value);
      const earlierKey = mapKeyFor.get(key);
      if (earlierKey !== undefined && this.#mapped.get(key) !== region) {
        throw new UserError(
          `${mapName}: keys ${shortQuote(earlierKey)} and ${shortQuote(rawKey)} are the ` +
            `same region key ${shortQuote(key)} but map to ` +
            `${shortQuote(regionMap[earlierKey])} and ${shortQuote(value)}; ` +
            `keep one of them and run again`,
        );
      }
      if (earlierKey === undefined) {
        mapKeyFor.set(key, rawKey);
        this.#mapped.set(key, region);
      }
    }
  }

  /** The canonical region for `raw`, or `undefined` when it has none (`unknown_region`). */
  resolve(raw: string): string | undefined {
    return this.#memo.get(raw, (value) => this.#resolve(value)) ?? undefined;
  }

  #resolve(raw: string): string | null {
    const key = regionKey(raw);
    if (key === "") return null; // a blank region is always unknown, whatever the map says
    return this.#canonical.get(key) ?? this.#mapped.get(key) ?? null;
  }

  /** What a map value resolves to: `null` for blank or `UNKNOWN`, canonical spelling if it names one. */
  #mapTarget(value: string): string | null {
    if (isUnmappedRegionValue(value)) return null;
    const region = value.trim();
    return this.#canonical.get(regionKey(region)) ?? region;
  }
}
