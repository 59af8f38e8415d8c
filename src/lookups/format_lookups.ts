/**
 * The on-disk form of the lookups: pretty printed with two spaces, sorted, one entry per line and a
 * final newline, so that hand edits and `git diff` stay readable.
 */
import { compareText } from "./infer_canonical_names.ts";

/** `common_categories.json` / `common_regions.json` text for names already in file order. */
export function formatNameList(names: readonly string[]): string {
  return `${JSON.stringify(names, null, 2)}\n`;
}

/**
 * `region_map.json` text with keys in code-unit order. Written by hand because `JSON.stringify`
 * puts integer-like keys (a raw region `"42"`) first whatever the insertion order.
 */
export function formatRegionMap(map: Readonly<Record<string, string>>): string {
  const keys = Object.keys(map).sort(compareText);
  if (keys.length === 0) return "{}\n";
  const lines = keys.map((key) => `  ${JSON.stringify(key)}: ${JSON.stringify(map[key])}`);
  return `{\n${lines.join(",\n")}\n}\n`;
}
