/**
 * `build-region-lookup SAMPLE` (DESIGN §3): infers `common_regions.json` like the category lookup,
 * after folding raw values through the existing `region_map.json`, so that known abbreviations
 * (`EU`, `LATAM`) count toward the region they stand for.
 */
import { join } from "node:path";
import { writeLookupIfChanged } from "./_write_lookup.ts";
import {
  DEFAULT_MIN_SHARE,
  type NameLookupOptions,
  type NameLookupResult,
} from "./build_category_lookup.ts";
import { formatNameList } from "./format_lookups.ts";
import { inferCanonicalNames } from "./infer_canonical_names.ts";
import { regionKey } from "./keys.ts";
import { parseNameList, parseRegionMap, readLookupText } from "./load_lookups.ts";
import { isUnmappedRegionValue, REGION_MAP_FILE, REGIONS_FILE } from "./lookup_files.ts";
import { columnCounts, countSampleValues } from "./sample_counts.ts";

/** Builds `common_regions.json` from a sample and the region map in `lookupsDir`. */
export async function buildRegionLookup(options: NameLookupOptions): Promise<NameLookupResult> {
  const lookupsDir = options.lookupsDir ?? "lookups";
  const path = options.out ?? join(lookupsDir, REGIONS_FILE);
  const existingText = await readLookupText(path);
  const existing = existingText ? parseNameList(existingText) : undefined;
  const mapText = await readLookupText(join(lookupsDir, REGION_MAP_FILE));
  const fold = foldThroughMap(mapText ? parseRegionMap(mapText) : {});
  const sample = typeof options.sample === "string"
    ? await countSampleValues(options.sample, ["region"], {
      quiet: options.quiet,
      label: "build-region-lookup",
    })
    : options.sample;
  const minShare = options.minShare ?? DEFAULT_MIN_SHARE;
  const inference = inferCanonicalNames({
    counts: columnCounts(sample, "region"),
    totalRows: sample.rows,
    keyOf: regionKey,
    minShare,
    existing,
    prune: options.prune,
    fold,
  });
  const written = await writeLookupIfChanged(path, formatNameList(inference.names));
  return { ...inference, path, written, minShare, pruned: options.prune ?? false, sample };
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
