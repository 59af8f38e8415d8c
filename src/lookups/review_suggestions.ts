/**
 * Suggestions for the values that await review (`UNKNOWN` in the region map, and categories that
 * clean-data would reject), and accepting them into the region map when asked to.
 *
 * Category suggestions are only reported: `update-lookups` never writes them. A person maps a value
 * in the optional `category_map.json` (by hand or in the dashboard's review queue) or corrects it
 * at the source (docs/cleaning.md, "Suggestions").
 */
import type { ReviewEntry } from "./build_region_map.ts";
import { regionKey } from "./keys.ts";
import { isUnmappedRegionValue } from "./lookup_files.ts";
import { suggestCanonical, type SuggestionColumn, type SuggestionMethod } from "./suggest.ts";

/** A suggestion for one value awaiting review, as `update-lookups --json` reports it. */
export interface ReviewSuggestion {
  /** The column the value is from. */
  column: SuggestionColumn;
  /** The value as the review list names it (the region map key, or the category key). */
  raw: string;
  /** The canonical name suggested for it. */
  canonical: string;
  /** The method that found the suggestion. */
  method: SuggestionMethod;
  /** Sample rows holding the value. */
  rows: number;
  /** Written into the region map by `--accept-suggestions` in this run. */
  accepted: boolean;
}

/** The suggestions for review entries of one column, in the entries' order (most rows first). */
export function suggestForReview(
  column: SuggestionColumn,
  entries: readonly ReviewEntry[],
  canonicals: readonly string[],
): ReviewSuggestion[] {
  const suggestions: ReviewSuggestion[] = [];
  for (const entry of entries) {
    const suggestion = suggestCanonical(column, entry.key, canonicals);
    if (!suggestion) continue;
    // The key order of the `--json` objects: column, raw, canonical, method, rows, accepted.
    const { canonical, method } = suggestion;
    suggestions.push({
      column,
      raw: entry.key,
      canonical,
      method,
      rows: entry.rows,
      accepted: false,
    });
  }
  return suggestions;
}

/**
 * The region map with the region suggestions of the given methods written in, each over its
 * `UNKNOWN` entry (an entry a person set is never touched), and those suggestions marked
 * accepted. Category suggestions stay unaccepted: there is no file to write them to.
 */
export function acceptRegionSuggestions(
  map: Readonly<Record<string, string>>,
  suggestions: readonly ReviewSuggestion[],
  methods: readonly SuggestionMethod[],
): { map: Record<string, string>; suggestions: ReviewSuggestion[] } {
  const accepted: Record<string, string> = Object.assign(Object.create(null), map);
  const marked = suggestions.map((suggestion) => {
    const unmapped = suggestion.raw in accepted && isUnmappedRegionValue(accepted[suggestion.raw]);
    if (
      suggestion.column !== "region" || !methods.includes(suggestion.method) || !unmapped ||
      regionKey(suggestion.raw) === ""
    ) {
      return suggestion;
    }
    accepted[suggestion.raw] = suggestion.canonical;
    return { ...suggestion, accepted: true };
  });
  return { map: accepted, suggestions: marked };
}
