/**
 * `update-lookups SAMPLE` (README, docs/lookups.md): the three builders in order over one read of the sample,
 * then the checks that the lookups agree with each other, and the queues a person reviews.
 *
 * Order: categories; regions (folding raw values through the region map as it is on disk, so the
 * shipped abbreviations count toward their regions); then the region map against the new regions.
 * One round suffices: the map's new entries only point non-canonical raw values at canonical
 * regions, which adds rows to names that are already canonical and so cannot change which names
 * reach the share; a second region pass would write the same file. Accepted suggestions
 * (`--accept-suggestions`) are entries of the same kind, written over `UNKNOWN` ones once the map
 * is built, so the same holds for them.
 *
 * @example Update all three lookups from a sample, and show what needs a person
 * ```ts
 * const result = await updateLookups({ sample: "data/input/dirty_1m.csv", quiet: true });
 * if (result.problems.length > 0) console.error(result.problems.join("\n"));
 * for (const entry of result.regionMap.unknownQueue) console.log(`region ${entry.key}?`);
 * for (const entry of result.unknownCategories) console.log(`category ${entry.key}?`);
 * ```
 */
import { join } from "node:path";
import type { ColumnMapping } from "../io/column_roles.ts";
import { buildCategoryLookup, type NameLookupResult } from "./build_category_lookup.ts";
import { buildRegionLookup } from "./build_region_lookup.ts";
import {
  buildRegionMap,
  type RegionMapResult,
  type ReviewEntry,
  reviewQueue,
} from "./build_region_map.ts";
import { writeLookupIfChanged } from "./_write_lookup.ts";
import { formatRegionMap } from "./format_lookups.ts";
import { categoryKey } from "./keys.ts";
import { CategoryMatcher } from "./category_matcher.ts";
import {
  loadLookups,
  parseCategoryMap,
  parseNameList,
  parseRegionMap,
  readLookupText,
} from "./load_lookups.ts";
import {
  CATEGORIES_FILE,
  CATEGORY_MAP_FILE,
  type Lookups,
  REGION_MAP_FILE,
  REGIONS_FILE,
} from "./lookup_files.ts";
import {
  acceptRegionSuggestions,
  type ReviewSuggestion,
  suggestForReview,
} from "./review_suggestions.ts";
import { columnCounts, countSampleValues, type SampleCounts } from "./sample_counts.ts";
import type { SuggestionMethod } from "./suggest.ts";
import { validateLookups } from "./validate_lookups.ts";

export type { ReviewSuggestion } from "./review_suggestions.ts";
export type { SuggestionColumn, SuggestionMethod } from "./suggest.ts";
export type { Lookups } from "./lookup_files.ts";

/** What {@linkcode updateLookups} reads and writes. */
export interface UpdateLookupsOptions {
  /**
   * The sample, already resolved: a CSV (`.csv` or `.csv.gz`), or several paths or a directory
   * of them, read as one.
   */
  sample: string | readonly string[];
  /** The lookups directory to update (default `lookups`). */
  lookupsDir?: string;
  /** `--min-share` for categories and regions (default 2%). */
  minShare?: number;
  /** Drop names the sample does not support instead of keeping them. */
  prune?: boolean;
  /** No progress line. */
  quiet?: boolean;
  /** Which column of the sample is which (`--column`, `dpd.json`). */
  columns?: ColumnMapping;
  /**
   * Write the region suggestions of these methods into `region_map.json` over their `UNKNOWN`
   * entries (`--accept-suggestions`); none are written when absent or empty.
   */
  acceptSuggestions?: readonly SuggestionMethod[];
}

/** What {@linkcode updateLookups} did, and what awaits a person. */
export interface UpdateLookupsResult {
  /** The sample's counts (read once for all three builders). */
  sample: SampleCounts;
  /** What the category builder did. */
  categories: NameLookupResult;
  /** What the region builder did. */
  regions: NameLookupResult;
  /** What the region map builder did. */
  regionMap: RegionMapResult;
  /**
   * Raw category values that clean-data will reject as `unknown_category` with these lookups (no
   * canonical category equal or within edit distance 2), most rows first. Blank rows are counted
   * in `blankCategoryRows`.
   */
  unknownCategories: ReviewEntry[];
  /** Sample rows whose category is blank (clean-data rejects them as `unknown_category`). */
  blankCategoryRows: number;
  /**
   * Suggestions for the region values that were `UNKNOWN` (before any were accepted) and for
   * `unknownCategories`, regions first, each list most rows first.
   */
  suggestions: ReviewSuggestion[];
  /** Contradictions between the lookups ({@linkcode validateLookups}); empty when usable. */
  problems: string[];
  /**
   * The lookups exactly as clean-data will load them (hashes included), when there are no
   * problems: what a dry-run clean of the sample should be given.
   */
  lookups?: Lookups;
}

/** Runs the three builders over one read of the sample, then validates the result. */
export async function updateLookups(options: UpdateLookupsOptions): Promise<UpdateLookupsResult> {
  const lookupsDir = options.lookupsDir ?? "lookups";
  // Refuse broken files before the long read, not after it.
  await checkReadable(lookupsDir);
  const sample = await countSampleValues(options.sample, ["category", "region"], {
    quiet: options.quiet,
    label: "update-lookups",
    columns: options.columns,
  });
  const shared = {
    sample,
    lookupsDir,
    minShare: options.minShare,
    prune: options.prune,
    quiet: options.quiet,
  };
  const categories = await buildCategoryLookup(shared);
  const regions = await buildRegionLookup(shared);
  const built = await buildRegionMap(shared);
  // Variants a person mapped in category_map.json are resolved, as clean-data resolves them.
  const categoryMapFile = await readLookupText(join(lookupsDir, CATEGORY_MAP_FILE));
  const unresolved = unresolvedCategories(
    categories.names,
    sample.values.category ?? new Map(),
    categoryMapFile ? parseCategoryMap(categoryMapFile) : undefined,
  );
  const found = [
    ...suggestForReview("region", built.unknownQueue, regions.names),
    ...suggestForReview("category", unresolved.unknownCategories, categories.names),
  ];
  const { regionMap, suggestions } = await acceptSuggestions(
    built,
    found,
    options.acceptSuggestions ?? [],
  );
  const problems = validateLookups({
    categories: categories.names,
    regions: regions.names,
    regionMap: regionMap.map,
  });
  const lookups = problems.length === 0 ? await loadLookups(lookupsDir) : undefined;
  return {
    sample,
    categories,
    regions,
    regionMap,
    ...unresolved,
    suggestions,
    problems,
    lookups,
  };
}

/**
 * Writes the accepted region suggestions into the region map (atomically, only when it changes)
 * and recomputes its review queue; with no methods, returns everything as it was.
 */
async function acceptSuggestions(
  built: RegionMapResult,
  found: ReviewSuggestion[],
  methods: readonly SuggestionMethod[],
): Promise<{ regionMap: RegionMapResult; suggestions: ReviewSuggestion[] }> {
  if (methods.length === 0) return { regionMap: built, suggestions: found };
  const { map, suggestions } = acceptRegionSuggestions(built.map, found, methods);
  if (!suggestions.some((suggestion) => suggestion.accepted)) {
    return { regionMap: built, suggestions };
  }
  const written = await writeLookupIfChanged(built.path, formatRegionMap(map));
  const queue = reviewQueue(map, columnCounts(built.sample, "region"));
  return {
    regionMap: { ...built, map, written: built.written || written, ...queue },
    suggestions,
  };
}

/** Parses each lookup file that exists, so a syntax error stops the run before the sample is read. */
async function checkReadable(lookupsDir: string): Promise<void> {
  for (const name of [CATEGORIES_FILE, REGIONS_FILE]) {
    const text = await readLookupText(join(lookupsDir, name));
    if (text) parseNameList(text);
  }
  const mapText = await readLookupText(join(lookupsDir, REGION_MAP_FILE));
  if (mapText) parseRegionMap(mapText);
}

/**
 * The category values that would not resolve at clean time (docs/cleaning.md: exact key, else the
 * nearest canonical within distance 2), with their rows.
 */
export function unresolvedCategories(
  categories: readonly string[],
  counts: ReadonlyMap<string, number>,
  categoryMap?: Readonly<Record<string, string>>,
): { unknownCategories: ReviewEntry[]; blankCategoryRows: number } {
  // The cleaner's own matcher, so this list is exactly what clean-data rejects.
  const matcher = new CategoryMatcher(categories, categoryMap);
  const rowsByKey = new Map<string, number>();
  for (const [raw, rows] of counts) {
    const key = categoryKey(raw);
    rowsByKey.set(key, (rowsByKey.get(key) ?? 0) + rows);
  }
  let blankCategoryRows = 0;
  const unknownCategories: ReviewEntry[] = [];
  for (const [key, rows] of rowsByKey) {
    if (key === "") blankCategoryRows += rows;
    else if (matcher.match(key) === undefined) unknownCategories.push({ key, rows });
  }
  unknownCategories.sort((a, b) => b.rows - a.rows || (a.key < b.key ? -1 : 1));
  return { unknownCategories, blankCategoryRows };
}
