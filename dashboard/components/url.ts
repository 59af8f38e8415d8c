/**
 * Links that keep the page's other query parameters: sorting keeps the filters, paging keeps the
 * sort, and so on, so every view is a shareable URL.
 */

/**
 * `path?query` with `changes` applied to `params` (undefined, "" or an empty list removes a
 * parameter; a list repeats it, as a multiple choice does).
 */
export function linkWith(
  path: string,
  params: URLSearchParams,
  changes: Record<string, string | number | string[] | undefined>,
): string {
  const next = new URLSearchParams(params);
  for (const [name, value] of Object.entries(changes)) {
    next.delete(name);
    if (Array.isArray(value)) { for (const item of value) next.append(name, item); }
    else if (value !== undefined && value !== "") next.set(name, String(value));
  }
  const query = next.toString();
  return query ? `${path}?${query}` : path;
}

/** URL path segment for a name, encoded. */
export function segment(name: string): string {
  return encodeURIComponent(name);
}
