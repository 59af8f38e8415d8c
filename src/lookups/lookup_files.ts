/**
 * The three lookup files (docs/lookups.md), their names inside the lookups directory, and which command
 * rebuilds each: shared by the builders, the loader, the cleaner's report and the dashboard.
 */

export const CATEGORIES_FILE = "common_categories.json";
export const REGIONS_FILE = "common_regions.json";
export const REGION_MAP_FILE = "region_map.json";
/**
 * Optional: raw category (lower-cased, trimmed) → canonical category, for variants a person placed
 * that are more than 2 edits from their category (written by the dashboard's review queue).
 */
export const CATEGORY_MAP_FILE = "category_map.json";

/** The region-map value for a raw value that awaits a person's decision. */
export const UNKNOWN_REGION = "UNKNOWN";

/** The command that (re)builds each file, for error messages that say what to run. */
export const BUILDER_OF: Readonly<Record<string, string>> = {
  [CATEGORIES_FILE]: "build-category-lookup",
  [REGIONS_FILE]: "build-region-lookup",
  [REGION_MAP_FILE]: "build-region-map",
};

/** True when a region-map value means "not mapped": `UNKNOWN` in any case, or blank (docs/cleaning.md). */
export function isUnmappedRegionValue(value: string): boolean {
  const trimmed = value.trim().toLowerCase();
  return trimmed === "" || trimmed === "unknown";
}

/** The lookups as loaded from one directory. */
export interface Lookups {
  /** `common_categories.json`, as written (the clean output uses these spellings). */
  categories: string[];
  /** `common_regions.json`, as written. */
  regions: string[];
  /**
   * `region_map.json`, keys and values as written. It has no prototype, so a raw value such as
   * `constructor` is never mistaken for a mapping.
   */
  regionMap: Record<string, string>;
  /**
   * `category_map.json` when it exists (no prototype): raw category key → canonical category. A
   * missing file is an empty map.
   */
  categoryMap?: Record<string, string>;
  /** File name (like `region_map.json`) → sha256 hex of the bytes read, for the clean report. */
  fileHashes: Record<string, string>;
  /** The directory they were read from. */
  directory: string;
}
