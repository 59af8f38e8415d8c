/**
 * Consistency of the three lookup files with each other (docs/lookups.md, docs/cleaning.md): what `update-lookups`
 * checks before it declares the lookups usable, and what `loadLookups` refuses to clean with.
 */
import { cutList, shortQuote as quote } from "../io/short_text.ts";
import { categoryKey, regionKey } from "./keys.ts";
import {
  CATEGORIES_FILE,
  CATEGORY_MAP_FILE,
  isUnmappedRegionValue,
  type Lookups,
  REGION_MAP_FILE,
  REGIONS_FILE,
} from "./lookup_files.ts";

/**
 * Every contradiction between and within the lookups, one sentence each; empty when they are
 * consistent:
 * - two canonical categories (or regions) with the same key;
 * - a `region_map.json` value that is neither a canonical region (ignoring case and spacing) nor
 *   `UNKNOWN` (a blank value counts as `UNKNOWN`, as at clean time);
 * - two map keys that normalise alike but map to different regions;
 * - a map key that is itself a canonical region but maps to another region (the canonical entry
 *   would silently win at clean time);
 * - a blank map key mapped to a region (a blank region is always unknown);
 * - in `category_map.json`: a value that is not a canonical category, a blank key, two keys that
 *   are the same raw value, or a key that is itself a canonical category of another name.
 */
export function validateLookups(
  lookups: Pick<Lookups, "categories" | "regions" | "regionMap" | "categoryMap">,
): string[] {
  return [
    ...duplicateKeyProblems(CATEGORIES_FILE, lookups.categories, categoryKey),
    ...duplicateKeyProblems(REGIONS_FILE, lookups.regions, regionKey),
    ...regionMapProblems(lookups.regions, lookups.regionMap),
    ...categoryMapProblems(lookups.categories, lookups.categoryMap ?? {}),
  ];
}

function categoryMapProblems(
  categories: string[],
  categoryMap: Record<string, string>,
): string[] {
  const problems: string[] = [];
  const canonicalByKey = new Map(categories.map((name) => [categoryKey(name), name]));
  const targets = new Map<string, { rawKey: string; target: string }>();
  for (const [rawKey, value] of Object.entries(categoryMap)) {
    const key = categoryKey(rawKey);
    const canonical = canonicalByKey.get(categoryKey(value));
    if (canonical === undefined) {
      problems.push(
        `${CATEGORY_MAP_FILE}: ${quote(rawKey)} maps to ${quote(value)}, which is not a ` +
          `category in ${CATEGORIES_FILE}; use one of ${
            categories.map(quote).join(", ") || "(no categories yet)"
          } or remove the entry`,
      );
      continue;
    }
    if (key === "") {
      problems.push(`${CATEGORY_MAP_FILE}: the blank key maps to ${quote(value)}; remove it`);
      continue;
    }
    const itself = canonicalByKey.get(key);
    if (itself !== undefined && itself !== canonical) {
      problems.push(
        `${CATEGORY_MAP_FILE}: ${quote(rawKey)} maps to ${quote(value)}, but ${quote(itself)} ` +
          `is itself a category in ${CATEGORIES_FILE} and would win; remove the entry`,
      );
      continue;
    }
    const earlier = targets.get(key);
    if (earlier === undefined) targets.set(key, { rawKey, target: canonical });
    else if (earlier.target !== canonical) {
      problems.push(
        `${CATEGORY_MAP_FILE}: ${quote(earlier.rawKey)} and ${quote(rawKey)} are the same raw ` +
          `value (key ${quote(key)}) but map to ${quote(earlier.target)} and ` +
          `${quote(canonical)}; keep one of them`,
      );
    }
  }
  return problems;
}

function duplicateKeyProblems(
  file: string,
  names: string[],
  keyOf: (raw: string) => string,
): string[] {
  const problems: string[] = [];
  const firstByKey = new Map<string, string>();
  for (const name of names) {
    const key = keyOf(name);
    const first = firstByKey.get(key);
    if (first === undefined) firstByKey.set(key, name);
    else {
      problems.push(
        `${file}: ${quote(first)} and ${quote(name)} are the same name (key ${quote(key)}); ` +
          `keep one of them`,
      );
    }
  }
  return problems;
}

function regionMapProblems(regions: string[], regionMap: Record<string, string>): string[] {
  const problems: string[] = [];
  const canonicalByKey = new Map(regions.map((region) => [regionKey(region), region]));
  /** Normalised key → the first raw key seen with it and the region it resolves to. */
  const targets = new Map<string, { rawKey: string; target: string }>();
  // Few distinct values stand behind many keys: each value's key is computed once.
  const canonicalOfValue = new Map<string, string | undefined>();
  // `Object.keys` and a lookup: `Object.entries` of a million-key map is several times slower.
  for (const rawKey of Object.keys(regionMap)) {
    const value = regionMap[rawKey];
    const key = regionKey(rawKey);
    let target: string;
    if (isUnmappedRegionValue(value)) {
      target = "UNKNOWN";
    } else {
      if (!canonicalOfValue.has(value)) {
        canonicalOfValue.set(value, canonicalByKey.get(regionKey(value)));
      }
      const canonical = canonicalOfValue.get(value);
      if (canonical === undefined) {
        problems.push(
          `${REGION_MAP_FILE}: ${quote(rawKey)} maps to ${quote(value)}, which is neither a ` +
            `region in ${REGIONS_FILE} nor "UNKNOWN"; use one of ${
              cutList(regions.map((region) => quote(region))) || "(no regions yet)"
            } or "UNKNOWN"`,
        );
        continue;
      }
      target = canonical;
      if (key === "") {
        problems.push(
          `${REGION_MAP_FILE}: the blank key maps to ${quote(value)}; a blank region is always ` +
            `unknown, remove that entry`,
        );
        continue;
      }
      const itself = canonicalByKey.get(key);
      if (itself !== undefined && itself !== canonical) {
        problems.push(
          `${REGION_MAP_FILE}: ${quote(rawKey)} maps to ${quote(value)}, but ${quote(itself)} is ` +
            `itself a region in ${REGIONS_FILE} and would win; remove the entry or the region`,
        );
        continue;
      }
    }
    const earlier = targets.get(key);
    if (earlier === undefined) targets.set(key, { rawKey, target });
    else if (earlier.target !== target) {
      problems.push(
        `${REGION_MAP_FILE}: ${quote(earlier.rawKey)} and ${quote(rawKey)} are the same raw ` +
          `value (key ${quote(key)}) but map to ${quote(earlier.target)} and ${quote(target)}; ` +
          `keep one of them`,
      );
    }
  }
  return problems;
}
