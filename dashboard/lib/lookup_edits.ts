/**
 * The review queue's writes to the lookups: mapping rejected raw regions to canonical regions in
 * `region_map.json`, mapping rejected category variants to canonical categories in the optional
 * `category_map.json` (see docs/cleaning.md), adding canonical categories to
 * `common_categories.json`, and undoing a mapping. Every write keeps the person's other entries,
 * is checked with {@linkcode validateLookups} so the lookups never contradict each other, and
 * replaces the file atomically in the builders' on-disk form (sorted, pretty printed).
 */
import { join } from "node:path";
import { UserError } from "../../src/io/errors.ts";
import { writeFileAtomic } from "../../src/io/atomic_file.ts";
import { formatNameList, formatRegionMap } from "../../src/lookups/format_lookups.ts";
import { compareText } from "../../src/lookups/infer_canonical_names.ts";
import { categoryKey, regionKey } from "../../src/lookups/keys.ts";
import {
  missingFileError,
  parseCategoryMap,
  parseNameList,
  parseRegionMap,
  readLookupText,
  validateLookups,
} from "../../src/lookups/load_lookups.ts";
import {
  CATEGORIES_FILE,
  CATEGORY_MAP_FILE,
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
  /** `category_map.json`; empty when the file does not exist. */
  categoryMap: Record<string, string>;
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

async function readCategoryMap(lookupsDir: string): Promise<Record<string, string>> {
  const file = await readLookupText(join(lookupsDir, CATEGORY_MAP_FILE));
  return file ? parseCategoryMap(file) : Object.create(null);
}

/** Reads the three lookup files (UserError when one is missing or malformed). */
export async function readReviewLookups(lookupsDir: string): Promise<ReviewLookups> {
  const [categories, regions, regionMap, categoryMap] = await Promise.all([
    readList(lookupsDir, CATEGORIES_FILE),
    readList(lookupsDir, REGIONS_FILE),
    readMap(lookupsDir),
    readCategoryMap(lookupsDir),
  ]);
  return { categories, regions, regionMap, categoryMap };
}

/** A person's decision for one rejected raw region. */
export interface RegionMapping {
  /** The raw value (any spelling; stored under its region key). */
  raw: string;
  /** A canonical region as written in `common_regions.json`, or `UNKNOWN`. */
  region: string;
}

/** One entry a save set: its key, what it maps to now, and what it mapped to before (if any). */
export interface MappingChange {
  key: string;
  value: string;
  previous?: string;
}

/** What a save changed. */
export interface SaveResult {
  changed: number;
  path: string;
  /** The entries set (for the review history). */
  changes?: MappingChange[];
}

// One write at a time per process: two saves racing would each drop the other's edits.
let writeQueue: Promise<unknown> = Promise.resolve();
function serialised<T>(work: () => Promise<T>): Promise<T> {
  const result = writeQueue.then(work, work);
  writeQueue = result.catch(() => {});
  return result;
}

/** The existing map key that normalises like `key`, if any (the person's spelling is kept). */
function existingKeyFor(
  map: Record<string, string>,
  key: string,
  keyOf: (raw: string) => string,
): string | undefined {
  if (Object.hasOwn(map, key)) return key;
  return Object.keys(map).find((candidate) => keyOf(candidate) === key);
}

/** What differs between `region_map.json` and `category_map.json` when the review queue edits one. */
interface EditableMap {
  column: "region" | "category";
  file: string;
  /** The key an entry is stored and matched under. */
  keyOf: (raw: string) => string;
  entries(lookups: ReviewLookups): Record<string, string>;
  /** The lookups with `map` in this map's place, for the consistency check. */
  withEntries(lookups: ReviewLookups, map: Record<string, string>): ReviewLookups;
}

const EDITABLE_MAPS: Record<EditableMap["column"], EditableMap> = {
  region: {
    column: "region",
    file: REGION_MAP_FILE,
    keyOf: regionKey,
    entries: (lookups) => lookups.regionMap,
    withEntries: (lookups, map) => ({ ...lookups, regionMap: map }),
  },
  category: {
    column: "category",
    file: CATEGORY_MAP_FILE,
    keyOf: categoryKey,
    entries: (lookups) => lookups.categoryMap,
    withEntries: (lookups, map) => ({ ...lookups, categoryMap: map }),
  },
};

/** A copy of `target`'s entries that a save or an undo may change. */
function editableCopy(target: EditableMap, lookups: ReviewLookups): Record<string, string> {
  return Object.assign(Object.create(null), target.entries(lookups));
}

/**
 * Sets entries of `target`, each raw value under its key (an existing key that normalises alike
 * keeps the person's spelling). `checkedValue` returns the value to store or throws a
 * {@linkcode UserError}; a bad raw value, a bad value, or an edit that would make the lookups
 * contradict each other writes nothing.
 */
function saveMapEntries(
  lookupsDir: string,
  target: EditableMap,
  mappings: readonly { raw: string; value: string }[],
  checkedValue: (value: string, lookups: ReviewLookups) => string,
): Promise<SaveResult> {
  return serialised(async () => {
    const lookups = await readReviewLookups(lookupsDir);
    const map = editableCopy(target, lookups);
    const changes: MappingChange[] = [];
    for (const mapping of mappings) {
      const key = target.keyOf(mapping.raw);
      if (key === "" || key.length > MAX_RAW_VALUE_LENGTH) {
        throw new UserError(
          `the raw ${target.column} ${JSON.stringify(mapping.raw)} is blank or too long`,
        );
      }
      const value = checkedValue(mapping.value, lookups);
      const existing = existingKeyFor(map, key, target.keyOf);
      if (existing !== undefined && map[existing] === value) continue;
      changes.push({ key: existing ?? key, value, previous: existing && map[existing] });
      map[existing ?? key] = value;
    }
    const path = join(lookupsDir, target.file);
    if (changes.length === 0) return { changed: 0, path, changes };
    const problems = validateLookups(target.withEntries(lookups, map));
    if (problems.length > 0) throw new UserError(`not saved: ${problems.join("; ")}`);
    await writeFileAtomic(path, formatRegionMap(map));
    return { changed: changes.length, path, changes };
  });
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
  const entries = mappings.map((mapping) => ({ raw: mapping.raw, value: mapping.region }));
  return saveMapEntries(lookupsDir, EDITABLE_MAPS.region, entries, (value, lookups) => {
    const region = isUnmappedRegionValue(value) ? UNKNOWN_REGION : value;
    if (region !== UNKNOWN_REGION && !lookups.regions.includes(region)) {
      throw new UserError(
        `${JSON.stringify(value)} is not a region in ${REGIONS_FILE}; choose one of ` +
          lookups.regions.map((name) => JSON.stringify(name)).join(", "),
      );
    }
    return region;
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

/** A person's decision for one rejected raw category: the canonical category it is a variant of. */
export interface CategoryMapping {
  raw: string;
  /** A category as written in `common_categories.json`. */
  category: string;
}

/**
 * Sets `category_map.json` entries (the file is created when missing). A category must be one of
 * `common_categories.json`; a raw value that is itself a canonical category cannot be mapped.
 */
export function saveCategoryMappings(
  lookupsDir: string,
  mappings: readonly CategoryMapping[],
): Promise<SaveResult> {
  const entries = mappings.map((mapping) => ({ raw: mapping.raw, value: mapping.category }));
  return saveMapEntries(lookupsDir, EDITABLE_MAPS.category, entries, (category, lookups) => {
    if (!lookups.categories.includes(category)) {
      throw new UserError(`${JSON.stringify(category)} is not a category in ${CATEGORIES_FILE}`);
    }
    return category;
  });
}

/**
 * Undoes a mapping: the entry for `raw` goes back to `previous` when given (what it was before the
 * save being undone), else a region goes back to `UNKNOWN` (it returns to the review queue) and a
 * category entry is removed. Returns whether the file changed.
 */
export function undoMapping(
  lookupsDir: string,
  column: "region" | "category",
  raw: string,
  previous?: string,
): Promise<SaveResult> {
  return serialised(async () => {
    const lookups = await readReviewLookups(lookupsDir);
    const target = EDITABLE_MAPS[column];
    const map = editableCopy(target, lookups);
    const path = join(lookupsDir, target.file);
    const existing = existingKeyFor(map, target.keyOf(raw), target.keyOf);
    if (existing === undefined) return { changed: 0, path };
    const restored = previous ?? (column === "region" ? UNKNOWN_REGION : undefined);
    if (restored === undefined) delete map[existing];
    else if (map[existing] === restored) return { changed: 0, path };
    else map[existing] = restored;
    const problems = validateLookups(target.withEntries(lookups, map));
    if (problems.length > 0) throw new UserError(`not undone: ${problems.join("; ")}`);
    await writeFileAtomic(path, formatRegionMap(map));
    return { changed: 1, path };
  });
}
