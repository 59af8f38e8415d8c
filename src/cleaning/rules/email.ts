/**
 * `customer_email` normalisation (DESIGN §4, §10). An email never rejects a row: one that does not
 * look like `local@domain.tld` becomes null.
 */

/**
 * Conservative on purpose: ASCII only, one `@`, dot-separated local part without empty pieces, and a
 * domain of dot-terminated labels ending in a letters-only TLD of 2+ letters. Each piece is
 * delimited by a character it cannot hold, so matching is linear even on hostile input.
 */
const EMAIL_PATTERN = /^[a-z0-9_%+-]+(\.[a-z0-9_%+-]+)*@([a-z0-9-]+\.)+[a-z]{2,}$/;

/**
 * The email of a raw field, trimmed and lower-cased, or `null` when the result does not fully match
 * `[a-z0-9_%+-]+(\.[a-z0-9_%+-]+)*@([a-z0-9-]+\.)+[a-z]{2,}` (blank, no `@`, `@@`, inner spaces, no
 * TLD, a trailing dot, non-ASCII letters).
 */
export function normaliseEmail(raw: string): string | null {
  const email = raw.trim().toLowerCase();
  return EMAIL_PATTERN.test(email) ? email : null;
}
