/**
 * `build-region-map SAMPLE` (docs/lookups.md): adds every raw region value of a sample to
 * `region_map.json`, mapped to a canonical region when that is certain, else `UNKNOWN` for a person.
 *
 * @example Map a sample's raw regions, then list what a person must review
 * ```ts
 * const result = await buildRegionMap({ sample: "data/input/dirty_1m.csv", quiet: true });
 * for (const entry of result.unknownQueue) console.log(`${entry.key}: ${entry.rows} rows`);
 * ```
 */
import { join } from "node:path";
import { UserError } from "../io/errors.ts";
import { writeLookupIfChanged } from "./_write_lookup.ts";
import type { LookupBuilderOptions } from "./build_category_lookup.ts";
import { formatRegionMap } from "./format_lookups.ts";
import { inferRegionMap, type RegionMapInference } from "./infer_region_map.ts";
import { regionKey } from "./keys.ts";
import { parseNameList, parseRegionMap, readLookupText } from "./load_lookups.ts";
import { isUnmappedRegionValue, REGION_MAP_FILE, REGIONS_FILE } from "./lookup_files.ts";
import { columnCounts, countedSample, type SampleCounts } from "./sample_counts.ts";

export type { RegionMapChange, RegionMapInference, RegionMatch } from "./infer_region_map.ts";

/** A raw value awaiting review, and how many sample rows hold it. */
export interface ReviewEntry {
  /** The map key as written. */
  key: string;
  /** Sample rows holding it. */
  rows: number;
}

/** What {@linkcode buildRegionMap} did. */
export interface RegionMapResult extends RegionMapInference {
  /** The file written (or left as it was). */
  path: string;
  /** False when the file already held exactly this content. */
  written: boolean;
  /** The sample's counts. */
  sample: SampleCounts;
  /** `UNKNOWN` entries of the new map with their rows in the sample, most rows first. */
  unknownQueue: ReviewEntry[];
  /** Sample rows whose region is blank (no map entry: a blank region is always unknown). */
  blankRows: number;
}

/** Builds `region_map.json` from a sample and `common_regions.json` in `lookupsDir`. */
export async function buildRegionMap(options: LookupBuilderOptions): Promise<RegionMapResult> {
  const lookupsDir = options.lookupsDir ?? "lookups";
  const path = options.out ?? join(lookupsDir, REGION_MAP_FILE);
  const regionsPath = join(lookupsDir, REGIONS_FILE);
  const regionsText = await readLookupText(regionsPath);
  if (regionsText === undefined) {
    throw new UserError(
      `build-region-map needs the canonical regions in ${regionsPath}, which is missing: run ` +
        "`deno task build-region-lookup SAMPLE.csv` first, or `deno task update-lookups " +
        "SAMPLE.csv` for all three lookups",
    );
  }
  const regions = parseNameList(regionsText);
  const existingText = await readLookupText(path);
  const existing = existingText ? parseRegionMap(existingText) : undefined;
  const sample = await countedSample(options.sample, ["region"], {
    quiet: options.quiet,
    label: "build-region-map",
    columns: options.columns,
  });
  const counts = columnCounts(sample, "region");
  const inference = inferRegionMap({ rawValues: counts.keys(), regions, existing });
  const written = await writeLookupIfChanged(path, formatRegionMap(inference.map));
  return { ...inference, path, written, sample, ...reviewQueue(inference.map, counts) };
}

/** The `UNKNOWN` entries with their rows in the sample, and the rows with a blank region. */
export function reviewQueue(
  regionMap: Record<string, string>,
  counts: ReadonlyMap<string, number>,
): { unknownQueue: ReviewEntry[]; blankRows: number } {
  const rowsByKey = new Map<string, number>();
  for (const [raw, rows] of counts) {
    const key = regionKey(raw);
    rowsByKey.set(key, (rowsByKey.get(key) ?? 0) + rows);
  }
  const unknownQueue = Object.entries(regionMap)
    .filter(([key, value]) => isUnmappedRegionValue(value) && regionKey(key) !== "")
    .map(([key]) => ({ key, rows: rowsByKey.get(regionKey(key)) ?? 0 }))
    .sort((a, b) => b.rows - a.rows || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { unknownQueue, blankRows: rowsByKey.get("") ?? 0 };
}
