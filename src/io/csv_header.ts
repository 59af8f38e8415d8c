/**
 * Finding the columns a command needs in a CSV header (DESIGN §4, §10): names compare trimmed and
 * lower-cased, columns may come in any order, and extra columns are allowed.
 */
import { UserError } from "../cli/errors.ts";

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
      `"${name}" (columns ${positions.get(columnKey(name))!.map((index) => index + 1).join(", ")})`
    );
    throw new UserError(
      `${file}: the header names ${details.join(", ")} more than once, so it is unclear which ` +
        `to read. Found: ${quotedList(header)}. Rename or remove the extra column.`,
    );
  }

  return required.map((name) => positions.get(columnKey(name))![0]);
}

function quotedList(names: readonly string[]): string {
  return names.length === 0 ? "(nothing)" : names.map((name) => JSON.stringify(name)).join(", ");
}
