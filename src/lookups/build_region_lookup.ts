/**
 * `build-region-lookup SAMPLE` (docs/lookups.md): infers `common_regions.json` like the category lookup,
 * after folding raw values through the existing `region_map.json`, so that known abbreviations
 * (`EU`, `LATAM`) count toward the region they stand for.
 *
 * @example Infer the regions of a sample, counting mapped abbreviations toward their region
 * ```ts
 * const result = await buildRegionLookup({ sample: "data/input/dirty_1m.csv", quiet: true });
 * console.log(result.names); // the new common_regions.json
 * ```
 */
import { join } from "node:path";
import {
  buildNameLookup,
  type NameLookupOptions,
  type NameLookupResult,
} from "./build_category_lookup.ts";
import { regionKey } from "./keys.ts";
import { parseRegionMap, readLookupText } from "./load_lookups.ts";
import { isUnmappedRegionValue, REGION_MAP_FILE, REGIONS_FILE } from "./lookup_files.ts";

/** Builds `common_regions.json` from a sample and the region map in `lookupsDir`. */
export async function buildRegionLookup(options: NameLookupOptions): Promise<NameLookupResult> {
  const mapText = await readLookupText(join(options.lookupsDir ?? "lookups", REGION_MAP_FILE));
  return buildNameLookup(options, {
    file: REGIONS_FILE,
    column: "region",
    label: "build-region-lookup",
    keyOf: regionKey,
    fold: foldThroughMap(mapText ? parseRegionMap(mapText) : {}),
  });
}

/** Region key → the map's target for it, for the entries that name a region (not `UNKNOWN`). */
function foldThroughMap(regionMap: Record<string, string>): (key: string) => string | undefined {
  const targets = new Map<string, string>();
  for (const [rawKey, value] of Object.entries(regionMap)) {
    const key = regionKey(rawKey);
    if (!isUnmappedRegionValue(value) && !targets.has(key)) targets.set(key, value.trim());
  }
  return (key) => targets.get(key);
}
