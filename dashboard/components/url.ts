/**
 * Links that keep the page's other query parameters: sorting keeps the filters, paging keeps the
 * sort, and so on, so every view is a shareable URL.
 */

/** `path?query` with `changes` applied to `params` (undefined or "" removes a parameter). */
export function linkWith(
  path: string,
  params: URLSearchParams,
  changes: Record<string, string | number | undefined>,
): string {
  const next = new URLSearchParams(params);
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined || value === "") next.delete(name);
    else next.set(name, String(value));
  }
  const query = next.toString();
  return query ? `${path}?${query}` : path;
}

/** URL path segment for a name, encoded. */
export function segment(name: string): string {
  return encodeURIComponent(name);
}
