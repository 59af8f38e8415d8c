/**
 * Fingerprint suggestions: the key collision of OpenRefine's default clustering method. Two values
 * with the same key hold the same words in another order, case, punctuation or with `&` for `and`:
 * `America, North` meets `North America`, `Home and Kitchen` meets `Home & Kitchen`.
 */
import { distinct, foldText } from "./_text.ts";

// OpenRefine removes punctuation rather than splitting on it (`n/a` → `na`): a punctuation mark
// inside a word is part of that word's spelling, not a word boundary.
const PUNCTUATION = /[\p{P}\p{S}\p{C}]+/gu;

/**
 * The fingerprint key: trimmed, lower case, accents dropped, `&` → `and`, punctuation and symbols
 * removed, then the whitespace-separated words sorted and deduplicated (`America, North` →
 * `america north`). A value of punctuation alone (`??`) has the empty key.
 */
export function fingerprintKey(raw: string): string {
  const tokens = foldText(raw).replace(PUNCTUATION, "").split(/\s+/).filter((token) => token);
  return [...new Set(tokens)].sort().join(" ");
}

/** The canonical names whose fingerprint key equals the raw value's (none for an empty key). */
export function fingerprintCandidates(raw: string, canonicals: readonly string[]): string[] {
  const key = fingerprintKey(raw);
  if (key === "") return [];
  return distinct(canonicals.filter((name) => fingerprintKey(name) === key));
}
