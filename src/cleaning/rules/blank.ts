/** Blank = empty after JS `trim()` (DESIGN §10): `""`, `"  "`, `"\t"`, a lone no-break space. */
export function isBlank(raw: string): boolean {
  return raw.trim() === "";
}
