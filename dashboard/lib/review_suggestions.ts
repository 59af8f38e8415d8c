/**
 * The review queue's suggestion for a rejected raw value: a canonical name with the method that
 * found it (see docs/cleaning.md), or none. A suggestion is only ever pre-selected and marked on
 * the page; nothing is saved until a person saves it.
 */

export interface Suggestion {
  canonical: string;
  method: string;
}

/** The suggestion for `raw` among `canonicals`, if any method finds one. */
export function suggestionFor(
  _column: "region" | "category",
  _raw: string,
  _canonicals: readonly string[],
): Suggestion | undefined {
  // Filled in by the suggestion methods (src/lookups/suggest.ts) once they land.
  return undefined;
}
