/**
 * `dpd.json`: a project's column mapping, kept beside its data so every command reads the export
 * the same way without repeating `--column` flags.
 *
 * ```json
 * { "columns": { "discount_percent": "Discount", "sale_date": "Order Date" },
 *   "dedup_key": ["Order ID", "Product ID"] }
 * ```
 *
 * People write it by hand, so every mistake is reported as file:line:column.
 */
import { formatLocation, UserError } from "../io/errors.ts";
import {
  COLUMN_ROLES,
  type ColumnMapping,
  type ColumnRole,
  isColumnRole,
} from "../io/column_roles.ts";
import {
  type JsonEntryLocation,
  parseJson,
  positionAt,
  type TextPosition,
  topLevelEntries,
} from "../io/json_text.ts";

/** The file read from the working directory when `--config` is not given. */
export const DEFAULT_CONFIG_FILE = "dpd.json";

/** The keys a `dpd.json` may hold. */
export const CONFIG_KEYS = ["columns", "dedup_key", "drop_extra_columns"] as const;

/**
 * Reads the mapping in `path`. A missing file is `undefined` unless `required` (an explicit
 * `--config`), when it is a {@linkcode UserError} like every other problem with the file.
 */
export async function loadDpdConfig(
  path: string,
  required: boolean,
): Promise<ColumnMapping | undefined> {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false })
      .decode(await Deno.readFile(path));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound && !required) return undefined;
    if (error instanceof Deno.errors.NotFound) {
      throw new UserError(`config file ${path} does not exist (given with --config)`);
    }
    if (error instanceof Deno.errors.IsADirectory) {
      throw new UserError(`cannot read config file ${path}: it is a directory`);
    }
    if (error instanceof TypeError) {
      throw new UserError(`${path} is not UTF-8 text; save it as UTF-8 JSON`);
    }
    throw new UserError(
      `cannot read config file ${path}: ${error instanceof Error ? error.message : error}`,
    );
  }
  return parseDpdConfig(text, path);
}

/** Parses the text of a `dpd.json` (see the module comment), checking every entry. */
export function parseDpdConfig(text: string, path: string): ColumnMapping {
  const parsed = parseJson(text);
  const fail = (position: TextPosition, message: string): never => {
    throw new UserError(`${formatLocation(path, position.line, position.column)}: ${message}`);
  };
  if ("problem" in parsed) {
    fail(parsed.problem.position, `${parsed.problem.message} (fix the JSON syntax)`);
  }
  const value = (parsed as { value: unknown }).value;
  if (!isPlainObject(value)) {
    fail(firstValuePosition(text), `expected a JSON object like {"columns": {...}}`);
  }
  const config = value as Record<string, unknown>;
  const entries = topLevelEntries(text);
  const at = (key: string) => lastEntry(entries, key)?.position ?? { line: 1, column: 1 };
  for (const entry of entries) {
    if (entry.key === undefined) continue;
    if (!(CONFIG_KEYS as readonly string[]).includes(entry.key)) {
      fail(
        entry.position,
        `unknown key ${JSON.stringify(entry.key)}; a dpd.json holds ${CONFIG_KEYS.join(", ")}`,
      );
    }
    if (entries.filter((other) => other.key === entry.key).length > 1) {
      fail(
        lastEntry(entries, entry.key)!.position,
        `${JSON.stringify(entry.key)} is written twice`,
      );
    }
  }

  const mapping: ColumnMapping = {};
  if ("columns" in config) {
    const columns = config.columns;
    if (!isPlainObject(columns)) {
      fail(at("columns"), `"columns" must be an object of role → header name`);
    }
    const columnEntries = nestedEntries(text, lastEntry(entries, "columns")!);
    const result: Partial<Record<ColumnRole, string>> = {};
    for (const entry of columnEntries) {
      const role = entry.key!;
      const header = (columns as Record<string, unknown>)[role];
      if (columnEntries.filter((other) => other.key === role).length > 1) {
        fail(lastEntry(columnEntries, role)!.position, `role ${role} is mapped twice`);
      }
      if (!isColumnRole(role)) {
        fail(
          entry.position,
          `unknown role ${JSON.stringify(role)}; the roles are ${COLUMN_ROLES.join(", ")}`,
        );
      }
      if (typeof header !== "string" || header.trim() === "") {
        fail(entry.position, `the header name for ${role} must be a non-empty string`);
      }
      result[role as ColumnRole] = header as string;
    }
    mapping.columns = result;
  }
  if ("dedup_key" in config) {
    const key = config.dedup_key;
    const problem = `"dedup_key" must be a list of column names (roles or header names), ` +
      `or "none" to turn the duplicate check off`;
    if (typeof key === "string") {
      if (key.trim().toLowerCase() !== "none") fail(at("dedup_key"), problem);
      mapping.dedupKey = [];
    } else if (
      Array.isArray(key) && key.length > 0 &&
      key.every((name) => typeof name === "string" && name.trim() !== "")
    ) {
      mapping.dedupKey = key.map((name: string) => name.trim());
    } else {
      fail(at("dedup_key"), problem);
    }
  }
  if ("drop_extra_columns" in config) {
    if (typeof config.drop_extra_columns !== "boolean") {
      fail(at("drop_extra_columns"), `"drop_extra_columns" must be true or false`);
    }
    mapping.dropExtraColumns = config.drop_extra_columns as boolean;
  }
  return mapping;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function lastEntry(
  entries: readonly JsonEntryLocation[],
  key: string,
): JsonEntryLocation | undefined {
  return entries.findLast((entry) => entry.key === key);
}

function firstValuePosition(text: string): TextPosition {
  const offset = text.search(/\S/);
  return positionAt(text, offset < 0 ? 0 : offset);
}

/** The entries of the object that is the value of `entry` (a key of the top-level object). */
function nestedEntries(text: string, entry: JsonEntryLocation): JsonEntryLocation[] {
  const keyOffset = textOffset(text, entry.position);
  const afterKey = /"(?:[^"\\]|\\.)*"\s*:\s*/y;
  afterKey.lastIndex = keyOffset;
  if (!afterKey.test(text)) return [];
  const valueOffset = afterKey.lastIndex;
  const base = positionAt(text, valueOffset);
  return topLevelEntries(text.slice(valueOffset)).map((nested) => ({
    key: nested.key,
    position: nested.position.line === 1
      ? { line: base.line, column: base.column + nested.position.column - 1 }
      : { line: base.line + nested.position.line - 1, column: nested.position.column },
  }));
}

function textOffset(text: string, position: TextPosition): number {
  let offset = 0;
  for (let line = 1; line < position.line; line++) offset = text.indexOf("\n", offset) + 1;
  return offset + position.column - 1;
}
