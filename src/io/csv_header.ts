/**
 * Finding the columns a command needs in a CSV header (DESIGN §4, §10): names compare trimmed and
 * lower-cased, columns may come in any order, and extra columns are allowed.
 */
import { UserError } from "../cli/errors.ts";
import { cutList, shortQuote } from "../cli/short_text.ts";

/** How header names are compared: trimmed, lower-cased. */
export function columnKey(name: string): string {
  return name.trim().toLowerCase();
}

/**
 * The index in `header` of each `required` column, in the order of `required`.
 *
 * A required column that is missing, or named twice, is a {@linkcode UserError} that names the
 * file, the columns at fault and the header that was found.
 */
export function findColumns(header: string[], required: readonly string[], file: string): number[] {
  const positions = new Map<string, number[]>();
  header.forEach((name, index) => {
    const key = columnKey(name);
    positions.set(key, [...positions.get(key) ?? [], index]);
  });

  const missing = required.filter((name) => !positions.has(columnKey(name)));
  if (missing.length > 0) {
    throw new UserError(
      `${file}: the header lacks required column${missing.length > 1 ? "s" : ""} ` +
        `${quotedList(missing)}. Found: ${quotedList(header)}. Rename or add the column` +
        `${
          missing.length > 1 ? "s" : ""
        } (names are matched ignoring case and surrounding spaces).`,
    );
  }

  const duplicated = required.filter((name) => positions.get(columnKey(name))!.length > 1);
  if (duplicated.length > 0) {
    const details = duplicated.map((name) =>
      `"${name}" (columns ${
        cutList(positions.get(columnKey(name))!.map((index) => String(index + 1)))
      })`
    );
    throw new UserError(
      `${file}: the header names ${cutList(details)} more than once, so it is unclear which ` +
        `to read. Found: ${quotedList(header)}. Rename or remove the extra column.`,
    );
  }

  return required.map((name) => positions.get(columnKey(name))![0]);
}

/** Names as a short list: each quoted and cut, the first 20 then "and N more". */
function quotedList(names: readonly string[]): string {
  return names.length === 0 ? "(nothing)" : cutList(names.map((name) => shortQuote(name)));
}
