/**
 * The review queue's writes to the lookups (DESIGN §3, §6): mapping rejected raw regions to
 * canonical regions in `region_map.json`, and adding canonical categories to
 * `common_categories.json`. Every write keeps the person's other entries, is checked with
 * {@linkcode validateLookups} so the lookups never contradict each other, and replaces the file
 * atomically in the builders' on-disk form (sorted, pretty printed).
 *
 * Why categories are "added", not "mapped": DESIGN §3 has no category map. A rejected category is
 * more than 2 edits from every canonical category; the only lookup change that can accept it is a
 * new canonical category, which the builders keep on their next run.
 */
import { join } from "node:path";
import { UserError } from "../../src/cli/errors.ts";
import { writeFileAtomic } from "../../src/io/atomic_file.ts";
import { formatNameList, formatRegionMap } from "../../src/lookups/format_lookups.ts";
import { compareText } from "../../src/lookups/infer_canonical_names.ts";
import { categoryKey, regionKey } from "../../src/lookups/keys.ts";
import {
  missingFileError,
  parseNameList,
  parseRegionMap,
  readLookupText,
  validateLookups,
} from "../../src/lookups/load_lookups.ts";
import {
  CATEGORIES_FILE,
  isUnmappedRegionValue,
  REGION_MAP_FILE,
  REGIONS_FILE,
  UNKNOWN_REGION,
} from "../../src/lookups/lookup_files.ts";

/** Longest raw value accepted from a form: real values are short; this bounds the file. */
export const MAX_RAW_VALUE_LENGTH = 200;

/** The lookups as the review queue needs them. */
export interface ReviewLookups {
  categories: string[];
  regions: string[];
  regionMap: Record<string, string>;
}

async function readList(lookupsDir: string, name: string): Promise<string[]> {
  const path = join(lookupsDir, name);
  const file = await readLookupText(path);
  if (!file) throw missingFileError(path);
  return parseNameList(file);
}

async function readMap(lookupsDir: string): Promise<Record<string, string>> {
  const path = join(lookupsDir, REGION_MAP_FILE);
  const file = await readLookupText(path);
  // A missing map is an empty map: the review queue can start one.
  return file ? parseRegionMap(file) : Object.create(null);
}

/** Reads the three lookup files (UserError when one is missing or malformed). */
export async function readReviewLookups(lookupsDir: string): Promise<ReviewLookups> {
  const [categories, regions, regionMap] = await Promise.all([
    readList(lookupsDir, CATEGORIES_FILE),
    readList(lookupsDir, REGIONS_FILE),
    readMap(lookupsDir),
  ]);
  return { categories, regions, regionMap };
}

/** A person's decision for one rejected raw region. */
export interface RegionMapping {
  /** The raw value (any spelling; stored under its region key). */
  raw: string;
  /** A canonical region as written in `common_regions.json`, or `UNKNOWN`. */
  region: string;
}

/** What a save changed. */
export interface SaveResult {
  changed: number;
  path: string;
}

// One write at a time per process: two saves racing would each drop the other's edits.
let writeQueue: Promise<unknown> = Promise.resolve();
function serialised<T>(work: () => Promise<T>): Promise<T> {
  const result = writeQueue.then(work, work);
  writeQueue = result.catch(() => {});
  return result;
}

/** The existing map key that normalises like `key`, if any (the person's spelling is kept). */
function existingKeyFor(map: Record<string, string>, key: string): string | undefined {
  if (Object.hasOwn(map, key)) return key;
  return Object.keys(map).find((candidate) => regionKey(candidate) === key);
}

/**
 * Sets `region_map.json` entries. A region must be one of `common_regions.json` (exact spelling)
 * or `UNKNOWN`; anything else, or an edit that would make the lookups contradict each other, is a
 * {@linkcode UserError} and nothing is written.
 */
export function saveRegionMappings(
  lookupsDir: string,
  mappings: readonly RegionMapping[],
): Promise<SaveResult> {
  return serialised(async () => {
    const lookups = await readReviewLookups(lookupsDir);
    const canonical = new Set(lookups.regions);
    const map: Record<string, string> = Object.assign(Object.create(null), lookups.regionMap);
    let changed = 0;
    for (const mapping of mappings) {
      const key = regionKey(mapping.raw);
      if (key === "" || key.length > MAX_RAW_VALUE_LENGTH) {
        throw new UserError(`the raw region ${JSON.stringify(mapping.raw)} is blank or too long`);
      }
      const region = isUnmappedRegionValue(mapping.region) ? UNKNOWN_REGION : mapping.region;
      if (region !== UNKNOWN_REGION && !canonical.has(region)) {
        throw new UserError(
          `${JSON.stringify(mapping.region)} is not a region in ${REGIONS_FILE}; choose one of ` +
            lookups.regions.map((name) => JSON.stringify(name)).join(", "),
        );
      }
      const existing = existingKeyFor(map, key);
      if (existing !== undefined && map[existing] === region) continue;
      map[existing ?? key] = region;
      changed++;
    }
    const path = join(lookupsDir, REGION_MAP_FILE);
    if (changed === 0) return { changed, path };
    const problems = validateLookups({ ...lookups, regionMap: map });
    if (problems.length > 0) {
      throw new UserError(`not saved: ${problems.join("; ")}`);
    }
    await writeFileAtomic(path, formatRegionMap(map));
    return { changed, path };
  });
}

/**
 * Adds names to `common_categories.json` (kept in the builders' order: by key, then by name).
 * Names whose key is already canonical are skipped.
 */
export function addCanonicalCategories(
  lookupsDir: string,
  names: readonly string[],
): Promise<SaveResult> {
  return serialised(async () => {
    const lookups = await readReviewLookups(lookupsDir);
    const categories = [...lookups.categories];
    const keys = new Set(categories.map(categoryKey));
    let changed = 0;
    for (const raw of names) {
      const name = raw.trim();
      const key = categoryKey(name);
      if (key === "" || name.length > MAX_RAW_VALUE_LENGTH) {
        throw new UserError(`the category ${JSON.stringify(raw)} is blank or too long`);
      }
      if (keys.has(key)) continue;
      keys.add(key);
      categories.push(name);
      changed++;
    }
    const path = join(lookupsDir, CATEGORIES_FILE);
    if (changed === 0) return { changed, path };
    categories.sort((a, b) => compareText(categoryKey(a), categoryKey(b)) || compareText(a, b));
    const problems = validateLookups({ ...lookups, categories });
    if (problems.length > 0) throw new UserError(`not saved: ${problems.join("; ")}`);
    await writeFileAtomic(path, formatNameList(categories));
    return { changed, path };
  });
}
