/**
 * The keys that lookups and raw values are compared by (docs/cleaning.md, "Normalisation").
 *
 * Both use JS `trim()` and `toLowerCase()` so the builders, the cleaner and the dashboard agree on
 * every input, including non-ASCII whitespace and letters.
 */

/** Category key: trimmed and lower-cased (`"  Home & Garden "` → `"home & garden"`). */
export function categoryKey(raw: string): string {
  return raw.trim().toLowerCase();
}

// `\s` matches exactly the characters `trim()` removes (WhiteSpace and LineTerminator), so a
// collapsed key never holds a character that trimming would have treated as space.
const WHITESPACE_RUN = /\s+/g;
const NEEDS_COLLAPSE = /\s\s|[^\S ]/;

/**
 * Region key: trimmed, lower-cased, and each inner run of whitespace collapsed to one space
 * (`" North\t  AMERICA "` → `"north america"`).
 */
export function regionKey(raw: string): string {
  const key = raw.trim().toLowerCase();
  // Most values are already single-spaced: skip the replace (and its allocation) for them.
  return NEEDS_COLLAPSE.test(key) ? key.replace(WHITESPACE_RUN, " ") : key;
}
