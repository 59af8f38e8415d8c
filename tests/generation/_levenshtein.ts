/** Levenshtein distance over code points: the tests' own, independent of any dpd code. */
export function levenshtein(left: string, right: string): number {
  const a = [...left], b = [...right];
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length];
}

/** The key lookups and the cleaner compare regions by: trimmed, lower-cased, spaces collapsed. */
export function regionKey(raw: string): string {
  return raw.trim().toLowerCase().replace(/\s+/g, " ");
}
