/**
 * Text folding shared by the suggestion methods: what "the same letters" means when a raw value
 * is compared with a canonical name.
 */

const COMBINING_MARKS = /\p{M}+/gu;

/**
 * Lower case, accents dropped (`Éurope` → `europe`, by NFKD and removing combining marks) and `&`
 * spelled `and`, so `Home & Kitchen` and `home and kitchen` read the same.
 */
export function foldText(raw: string): string {
  return raw.normalize("NFKD").replace(COMBINING_MARKS, "").toLowerCase().replaceAll("&", " and ");
}

const WORD = /[\p{L}\p{N}]+/gu;

/**
 * The words of a value: runs of letters and digits after {@linkcode foldText}; every other
 * character separates (`N.America` → `n`, `america`).
 */
export function words(raw: string): string[] {
  return foldText(raw).match(WORD) ?? [];
}

/** The distinct names of `names`, in their first order (a method's candidates, deduplicated). */
export function distinct(names: Iterable<string>): string[] {
  return [...new Set(names)];
}
