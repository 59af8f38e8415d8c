/**
 * Which names are canonical, inferred from how often each value occurs (docs/lookups.md).
 *
 * A key (the normalised value) is canonical when its share of the sample's rows reaches
 * `minShare`. Frequency alone decides: typos are individually rare, while real names can be close
 * to each other (`north america` and `south america` are two edits apart), so edit distance would
 * merge the wrong things. The name written for a key is its most frequent original spelling.
 *
 * The lookups are meant for hand edits, so an existing file is merged, never replaced: a person's
 * spelling of an inferred key wins, and names the sample does not support are kept (and reported)
 * unless `prune` asks to drop them.
 */

/** A name and how many sample rows it covers. */
export interface NameShare {
  /** The name as it is (or will be) written in the file. */
  name: string;
  /** Its key: how names compare (docs/lookups.md). */
  key: string;
  /** Sample rows whose value has this key. */
  rows: number;
  /** rows / total rows of the sample. */
  share: number;
}

export interface InferCanonicalOptions {
  /** Raw value exactly as read → rows holding it. */
  counts: ReadonlyMap<string, number>;
  /** Rows in the sample (the denominator of each share; blank and junk rows included). */
  totalRows: number;
  /** The normalisation: `categoryKey` or `regionKey`. */
  keyOf: (raw: string) => string;
  /** Smallest share of rows that makes a key canonical, like 0.02. */
  minShare: number;
  /** The current file's names, as a person may have edited them. */
  existing?: readonly string[];
  /** Drop existing names the sample does not support instead of keeping them. */
  prune?: boolean;
  /**
   * Folds a key into another name before counting (for regions: a `region_map.json` value, so
   * `eu` counts toward `Europe`); `undefined` leaves the key as it is.
   */
  fold?: (key: string) => string | undefined;
}

/** The inferred name list, and how it differs from the file's, for the summary a person reviews. */
export interface CanonicalInference {
  /** The file's new content: sorted by key, then by name. */
  names: string[];
  /** Inferred names that were not in the file before. */
  added: NameShare[];
  /** Names already in the file that the sample supports (the file's spelling kept). */
  confirmed: NameShare[];
  /** Names in the file that the sample does not support: kept, or dropped with `prune`. */
  unsupported: NameShare[];
  /** Every non-blank key of the sample after folding, most rows first: the evidence. */
  candidates: NameShare[];
  /** Rows whose value is blank (never canonical). */
  blankRows: number;
}

/** Infers the canonical names of one column and merges them into the existing list. */
export function inferCanonicalNames(options: InferCanonicalOptions): CanonicalInference {
  const { counts, totalRows, keyOf, minShare, fold } = options;
  const rowsByKey = new Map<string, number>();
  const spellingsByKey = new Map<string, Map<string, number>>();
  const foldedNameByKey = new Map<string, string>();
  let blankRows = 0;

  for (const [raw, rows] of counts) {
    let key = keyOf(raw);
    if (key === "") {
      blankRows += rows;
      continue;
    }
    const folded = fold?.(key);
    if (folded !== undefined && keyOf(folded) !== key && keyOf(folded) !== "") {
      // An abbreviation or variant counts toward its target, but its spelling is no candidate.
      key = keyOf(folded);
      if (!foldedNameByKey.has(key)) foldedNameByKey.set(key, folded.trim());
    } else {
      let spellings = spellingsByKey.get(key);
      if (spellings === undefined) spellingsByKey.set(key, spellings = new Map());
      const spelling = raw.trim();
      spellings.set(spelling, (spellings.get(spelling) ?? 0) + rows);
    }
    rowsByKey.set(key, (rowsByKey.get(key) ?? 0) + rows);
  }

  const shareOf = (rows: number) => totalRows > 0 ? rows / totalRows : 0;
  const candidates: NameShare[] = [...rowsByKey].map(([key, rows]) => ({
    name: mostFrequentSpelling(spellingsByKey.get(key)) ?? foldedNameByKey.get(key)!,
    key,
    rows,
    share: shareOf(rows),
  })).sort((a, b) => b.rows - a.rows || compareText(a.key, b.key));
  const inferred = candidates.filter((candidate) =>
    candidate.rows > 0 && candidate.share >= minShare
  );
  const inferredByKey = new Map(inferred.map((candidate) => [candidate.key, candidate]));

  const added: NameShare[] = [];
  const confirmed: NameShare[] = [];
  const unsupported: NameShare[] = [];
  const names: string[] = [];
  const existingKeys = new Set<string>();
  for (const name of options.existing ?? []) {
    const key = keyOf(name);
    existingKeys.add(key);
    const evidence = inferredByKey.get(key);
    const rows = rowsByKey.get(key) ?? 0;
    const entry = { name, key, rows, share: shareOf(rows) };
    if (evidence !== undefined) {
      confirmed.push(entry);
      names.push(name);
    } else {
      unsupported.push(entry);
      if (!options.prune) names.push(name);
    }
  }
  for (const candidate of inferred) {
    if (existingKeys.has(candidate.key)) continue;
    added.push(candidate);
    names.push(candidate.name);
  }
  names.sort((a, b) => compareText(keyOf(a), keyOf(b)) || compareText(a, b));
  return { names, added, confirmed, unsupported, candidates, blankRows };
}

/** The spelling with the most rows; ties go to the first in code-unit order, for stable output. */
function mostFrequentSpelling(spellings: Map<string, number> | undefined): string | undefined {
  let best: string | undefined;
  let bestRows = -1;
  for (const [spelling, rows] of spellings ?? []) {
    if (rows > bestRows || (rows === bestRows && compareText(spelling, best!) < 0)) {
      best = spelling;
      bestRows = rows;
    }
  }
  return best;
}

/** Plain code-unit order: the same on every machine and locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
