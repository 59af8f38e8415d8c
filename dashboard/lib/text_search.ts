/**
 * The explorer's search box: which rows a few words find in a table's text columns. Product names
 * in dpd's tables keep their typos (cleaning trims them, never corrects them), so a word also finds
 * the names that spell it one or two letters differently: `headphones` finds `Headphnoes`.
 */
import { levenshtein } from "../../src/lookups/levenshtein.ts";
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

/** The search's words: lower-cased, split on spaces; an empty search has none. */
export function searchTerms(search: string): string[] {
  return search.toLowerCase().split(/\s+/).filter((term) => term.length > 0);
}

/** Whether `term` is in `text`, or close to one of its `words`. */
function termMatches(term: string, text: string, words: string[]): boolean {
  if (text.includes(term)) return true;
  if (term.length < FUZZY_FROM) return false;
  const allowed = term.length >= TWO_EDITS_FROM ? 2 : 1;
  for (const word of words) {
    if (Math.abs(word.length - term.length) > allowed) continue;
    if (levenshtein(word, term, allowed) <= allowed) return true;
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
  // Each distinct text is decided once: tables repeat a name across months and regions.
  const decided = new Map<string, boolean>();
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
