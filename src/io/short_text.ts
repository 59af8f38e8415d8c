/**
 * Keeping messages short whatever the input: a list of names is cut after its first 20, and a
 * value quoted in a message is cut to a prefix, so a header of 10,000 columns or a 1 GB field never
 * turns one line of an error into megabytes.
 *
 * @example Quote a long value and a long list in one message
 * ```ts
 * const columns = Array.from({ length: 25 }, (_, index) => `column_${index + 1}`);
 * console.log(`unknown columns: ${cutList(columns)}`); // … column_20 and 5 more
 * console.log(`bad value ${shortQuote("x".repeat(1000))}`); // "xx…x"… (1,000 chars)
 * ```
 */

/** Names shown before a list is cut. */
export const LIST_LIMIT = 20;
/** Characters of a value quoted in a message before it is cut. */
export const QUOTE_LIMIT = 80;

/**
 * `items` joined with `separator`, cut after the first `limit` with "and N more":
 * `a, b, c` or `a, b, …, t and 5 more`.
 */
export function cutList(items: readonly string[], limit = LIST_LIMIT, separator = ", "): string {
  if (items.length <= limit) return items.join(separator);
  return `${items.slice(0, limit).join(separator)} and ${items.length - limit} more`;
}

/** `text` as a JSON string literal; a longer one is cut after `limit` characters, then `…` and its length. */
export function shortQuote(text: string, limit = QUOTE_LIMIT): string {
  if (text.length <= limit) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, limit))}… (${text.length.toLocaleString("en-US")} chars)`;
}
