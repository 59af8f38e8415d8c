/**
 * Abbreviation suggestions: the raw value's words are prefixes of a canonical name's words, one
 * for one and in order (`n. america` → North America, `eu` → Europe, `home & kit.` → Home &
 * Kitchen).
 *
 * A prefix is weak evidence, so the rule is strict: the same number of words, at least one word
 * of two or more letters (so `n/a`, two one-letter words, never reads as "North America"), and the
 * caller accepts it only when exactly one canonical name fits.
 */
import { distinct, words } from "./_text.ts";

/** The canonical names of which the raw value is an abbreviation. */
export function abbreviationCandidates(raw: string, canonicals: readonly string[]): string[] {
  const short = words(raw);
  if (short.length === 0 || !short.some((word) => word.length >= 2)) return [];
  return distinct(canonicals.filter((name) => abbreviates(short, words(name))));
}

function abbreviates(short: readonly string[], full: readonly string[]): boolean {
  if (short.length !== full.length) return false;
  return short.every((word, index) => full[index].startsWith(word));
}
