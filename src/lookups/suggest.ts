/**
 * Suggestions for raw values that the edit-distance rule cannot place: proposals with evidence,
 * never applied on their own. Each method names only a name already in the canonical list, and a
 * method counts only when exactly one canonical name fits; values with no evidence (`mars`, `??`,
 * `n/a`) get none. docs/cleaning.md ("Suggestions") explains each method and its limits.
 *
 * The methods are tried in a fixed order, strongest evidence first:
 * 1. fingerprint: the same words in another order, case or punctuation (`America, North`);
 * 2. abbreviation: word prefixes in order (`n. america`, `eu`);
 * 3. gazetteer (regions only): a country or regional word → its continent (`uk`, `latam`);
 * 4. phonetic: the same metaphone key, for misspellings beyond 2 edits.
 */
import { abbreviationCandidates } from "./suggestions/abbreviation.ts";
import { fingerprintCandidates } from "./suggestions/fingerprint.ts";
import { gazetteerCandidates } from "./suggestions/gazetteer.ts";
import { phoneticCandidates } from "./suggestions/phonetic.ts";

/** A way of suggesting a canonical name for a value awaiting review (see the list above). */
export type SuggestionMethod = "abbreviation" | "fingerprint" | "phonetic" | "gazetteer";

export interface Suggestion {
  canonical: string;
  method: SuggestionMethod;
}

/** The lookup column a raw value comes from. */
export type SuggestionColumn = "region" | "category";

/** Every method, in the order {@linkcode suggestCanonical} tries them. */
export const SUGGESTION_METHODS: readonly SuggestionMethod[] = [
  "fingerprint",
  "abbreviation",
  "gazetteer",
  "phonetic",
];

type Candidates = (raw: string, canonicals: readonly string[]) => string[];

const CANDIDATES: Readonly<Record<SuggestionMethod, Record<SuggestionColumn, Candidates>>> = {
  fingerprint: { region: fingerprintCandidates, category: fingerprintCandidates },
  abbreviation: { region: abbreviationCandidates, category: abbreviationCandidates },
  // Countries and continents say nothing about product categories.
  gazetteer: { region: gazetteerCandidates, category: () => [] },
  phonetic: { region: phoneticCandidates, category: phoneticCandidates },
};

/**
 * The canonical names one method proposes for `raw` (distinct, in canonical-list order); more than
 * one means the method cannot decide.
 */
export function methodCandidates(
  method: SuggestionMethod,
  column: SuggestionColumn,
  raw: string,
  canonicals: readonly string[],
): string[] {
  return CANDIDATES[method][column](raw, canonicals);
}

/** The first method (in the fixed order) that proposes exactly one existing canonical name, or undefined. */
export function suggestCanonical(
  column: SuggestionColumn,
  raw: string,
  canonicals: readonly string[],
): Suggestion | undefined {
  if (raw.trim() === "") return undefined;
  for (const method of SUGGESTION_METHODS) {
    const candidates = methodCandidates(method, column, raw, canonicals);
    if (candidates.length === 1) return { canonical: candidates[0], method };
  }
  return undefined;
}

/**
 * Parses a `--accept-suggestions=METHOD,…` list (case-insensitive, spaces allowed); `undefined` for
 * a word that is not a method, so the caller can say which.
 */
export function parseSuggestionMethod(text: string): SuggestionMethod | undefined {
  const name = text.trim().toLowerCase();
  return SUGGESTION_METHODS.find((method) => method === name);
}
