/** Blank = empty after JS `trim()` (docs/cleaning.md): `""`, `"  "`, `"\t"`, a lone no-break space. */
export function isBlank(raw: string): boolean {
  return raw.trim() === "";
}
