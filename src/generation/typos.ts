/**
 * Every typo of a name that dirty mode may write, listed in advance.
 *
 * Listing them all (rather than damaging a name per row) keeps the hot loop to a table lookup, and
 * spreading rows evenly over many spellings keeps each one rare, which is what lets the lookups
 * stage tell canonical names (frequent) from typos (individually rare).
 */

const LETTER = /^[A-Za-z]$/;

function isLetter(character: string): boolean {
  return LETTER.test(character);
}

function distinctOthers(original: string, candidates: Iterable<string>): string[] {
  const seen = new Set<string>([original]);
  const result: string[] = [];
  for (const candidate of candidates) {
    if (!seen.has(candidate)) {
      seen.add(candidate);
      result.push(candidate);
    }
  }
  return result;
}

/** Two adjacent different letters swapped (Levenshtein distance 2). */
export function letterSwaps(name: string): string[] {
  const candidates: string[] = [];
  for (let index = 0; index + 1 < name.length; index++) {
    const left = name[index], right = name[index + 1];
    if (isLetter(left) && isLetter(right) && left !== right) {
      candidates.push(name.slice(0, index) + right + left + name.slice(index + 2));
    }
  }
  return distinctOthers(name, candidates);
}

/** One letter dropped (distance 1). */
export function letterDrops(name: string): string[] {
  const candidates: string[] = [];
  for (let index = 0; index < name.length; index++) {
    if (isLetter(name[index])) candidates.push(name.slice(0, index) + name.slice(index + 1));
  }
  return distinctOthers(name, candidates);
}

/** One letter doubled (distance 1). */
export function letterDoubles(name: string): string[] {
  const candidates: string[] = [];
  for (let index = 0; index < name.length; index++) {
    if (isLetter(name[index])) candidates.push(name.slice(0, index + 1) + name.slice(index));
  }
  return distinctOthers(name, candidates);
}

/** A space inserted between two characters, or before or after the name (distance 1). */
export function straySpaces(name: string): string[] {
  const candidates: string[] = [];
  for (let index = 0; index <= name.length; index++) {
    candidates.push(name.slice(0, index) + " " + name.slice(index));
  }
  return distinctOthers(name, candidates);
}

/** The name in other letter cases: all lower, all upper, and first letter of each word flipped. */
export function caseChanges(name: string): string[] {
  const flippedInitials = name.replace(
    /\b[A-Za-z]/g,
    (letter) => letter === letter.toUpperCase() ? letter.toLowerCase() : letter.toUpperCase(),
  );
  return distinctOthers(name, [name.toLowerCase(), name.toUpperCase(), flippedInitials]);
}

/** Product-name typos (docs/generation.md): a letter swapped, dropped or doubled. */
export function productNameTypos(name: string): string[] {
  return distinctOthers(name, [...letterSwaps(name), ...letterDrops(name), ...letterDoubles(name)]);
}

/**
 * Category typos (docs/generation.md): case, swap, drop or stray space. Each is within Levenshtein distance
 * 2 of the original once lower-cased and trimmed, the distance the cleaner corrects.
 */
export function categoryTypos(name: string): string[] {
  return distinctOthers(name, [
    ...caseChanges(name),
    ...letterSwaps(name),
    ...letterDrops(name),
    ...straySpaces(name),
  ]);
}
