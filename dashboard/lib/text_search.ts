/**
 * The explorer's search box: which rows a few words find in a table's text columns. Product names
 * in dpd's tables keep their typos (cleaning trims them, never corrects them), so a word also finds
 * the names that spell it a letter or two differently: `mouse` finds `Muose`, `Mose` and `Mousse`
 * (a swapped pair of letters counts as one edit, as it is one slip of the fingers).
 */
import type { DataTable } from "./parquet_table.ts";

/** Words shorter than this match only as written (a typo of `tv` is another word). */
const FUZZY_FROM = 4;
/** From this length two edits are allowed, else one. */
const TWO_EDITS_FROM = 8;

/** The lower-cased text of each row's string columns, built once per decoded table. */
const rowTexts = new WeakMap<DataTable, { text: string[]; words: string[][] }>();

function textsOf(table: DataTable): { text: string[]; words: string[][] } {
  const cached = rowTexts.get(table);
  if (cached) return cached;
  const columns = table.columns.filter((column) => column.kind === "text");
  const text: string[] = new Array(table.rowCount);
  const words: string[][] = new Array(table.rowCount);
  // Distinct texts are few next to rows (a product's name repeats per month): split each once.
  const split = new Map<string, string[]>();
  for (let row = 0; row < table.rowCount; row++) {
    const joined = columns.map((column) => column.values[row] ?? "").join(" ").toLowerCase();
    text[row] = joined;
    let parts = split.get(joined);
    if (!parts) {
      parts = joined.split(/[^\p{L}\p{N}]+/u).filter((word) => word.length > 0);
      split.set(joined, parts);
    }
    words[row] = parts;
  }
  const built = { text, words };
  rowTexts.set(table, built);
  return built;
}

/** Searches whose decisions are kept per decoded table. */
const RECENT_SEARCHES = 16;
const recentSearches = new WeakMap<DataTable, Map<string, Map<string, boolean>>>();

/** The search's words: lower-cased, split on spaces; an empty search has none. */
export function searchTerms(search: string): string[] {
  return search.toLowerCase().split(/\s+/).filter((term) => term.length > 0);
}

/**
 * Edits between `a` and `b` counting a swap of two neighbours as one (optimal string alignment),
 * or `limit + 1` once it is sure to exceed `limit`. Words here are short: a plain table is enough.
 */
export function typoDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const width = b.length + 1;
  let before = new Array<number>(width).fill(0);
  let previous = Array.from({ length: width }, (_, index) => index);
  let current = new Array<number>(width).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowBest = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, before[j - 2] + 1);
      }
      current[j] = value;
      if (value < rowBest) rowBest = value;
    }
    if (rowBest > limit) return limit + 1;
    [before, previous, current] = [previous, current, before];
  }
  return Math.min(previous[b.length], limit + 1);
}

/** Whether `term` is in `text`, or close to one of its `words`. */
function termMatches(term: string, text: string, words: string[]): boolean {
  if (text.includes(term)) return true;
  if (term.length < FUZZY_FROM) return false;
  const allowed = term.length >= TWO_EDITS_FROM ? 2 : 1;
  for (const word of words) {
    if (Math.abs(word.length - term.length) > allowed) continue;
    if (typoDistance(word, term, allowed) <= allowed) return true;
  }
  return false;
}

/**
 * A test for rows whose text columns hold every word of `search` (as a substring, or a whole word
 * within one edit, two from eight letters); undefined when the search is empty.
 */
export function searchTest(
  table: DataTable,
  search: string | undefined,
): ((row: number) => boolean) | undefined {
  const terms = searchTerms(search ?? "");
  if (terms.length === 0) return undefined;
  const { text, words } = textsOf(table);
  // Each distinct text is decided once: tables repeat a name across months and regions. The
  // decisions of recent searches are kept, so paging or sorting a search result costs nothing.
  let searches = recentSearches.get(table);
  if (!searches) recentSearches.set(table, searches = new Map());
  const key = terms.join(" ");
  const cached = searches.get(key);
  const decided = cached ?? new Map<string, boolean>();
  if (!cached) {
    searches.set(key, decided);
    if (searches.size > RECENT_SEARCHES) searches.delete(searches.keys().next().value!);
  }
  return (row) => {
    const rowText = text[row];
    let found = decided.get(rowText);
    if (found === undefined) {
      found = terms.every((term) => termMatches(term, rowText, words[row]));
      decided.set(rowText, found);
    }
    return found;
  };
}
