/**
 * Which column of a sales CSV's header plays which role of the contract (docs/cleaning.md, "The
 * header rule"). The contract's column names are roles: a header name plays the role it equals
 * after normalising ("Order ID" is `order_id`), and anything else is named explicitly with
 * `--column ROLE=HEADER` or `dpd.json`. Columns that play no role are the export's extra columns.
 *
 * @example Find the roles in an export's header
 * ```ts
 * const header = ["Order ID", "Product", "Category", "Qty", "Unit Price", "Region", "Date", "Note"];
 * const resolved = resolveColumns(
 *   header,
 *   { columns: { product_name: "Product", quantity: "Qty", sale_date: "Date" } },
 *   { file: "export.csv", need: REQUIRED_ROLES, dedupKey: true },
 * );
 * console.log(resolved.positions.unit_price); // 4: "Unit Price" normalises to unit_price
 * console.log(resolved.extraPositions); // [7]: "Note" plays no role
 * ```
 */
import { UserError } from "./errors.ts";
import { SALES_CSV_COLUMNS, type SalesCsvColumn } from "./sales_columns.ts";

/** A contract column: what a header column means to dpd. */
export type ColumnRole = SalesCsvColumn;

/** Every role, in the contract's column order. */
export const COLUMN_ROLES: readonly ColumnRole[] = SALES_CSV_COLUMNS;

/** The roles a file must have for clean-data to run. */
export const REQUIRED_ROLES = [
  "order_id",
  "product_name",
  "category",
  "quantity",
  "unit_price",
  "region",
  "sale_date",
] as const satisfies readonly ColumnRole[];

/** The roles a file may lack: no discount is 0, no e-mail is null, and revenue is never read. */
export const OPTIONAL_ROLES = [
  "discount_percent",
  "customer_email",
  "revenue",
] as const satisfies readonly ColumnRole[];

/** The dedup key when none is given: rule 2 on `order_id`, as the contract has always said. */
export const DEFAULT_DEDUP_KEY: readonly string[] = ["order_id"];

/** Header names shown in an error before "and N more". */
const LISTED_NAMES = 20;

/** Whether `name` is one of the contract's roles (exactly, not normalised). */
export function isColumnRole(name: string): name is ColumnRole {
  return (COLUMN_ROLES as readonly string[]).includes(name);
}

/**
 * A header name as it is compared with a role: lower case, each run of characters that are not
 * letters or digits turned into one `_`, with `_` trimmed from both ends. `" Order ID "`,
 * `"order-id"` and `"ORDER_ID"` are all `order_id`.
 */
export function normaliseColumnName(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "_").replace(/^_+|_+$/g, "");
}

/** How a person says which column is which: `--column`, `--dedup-key`, `dpd.json`, merged. */
export interface ColumnMapping {
  /** Role → header name, for columns whose names do not match their role. */
  columns?: Partial<Record<ColumnRole, string>>;
  /**
   * The columns (roles or header names) whose values together identify a row for rule 2
   * (`duplicate_order_id`); an empty list turns rule 2 off. Default `["order_id"]`.
   */
  dedupKey?: readonly string[];
  /** Leave the columns that play no role out of the clean parquet. */
  dropExtraColumns?: boolean;
}

/** Where each role is in one header. */
export interface ResolvedColumns {
  /** Role → index in the header, or -1 when the header has no column for it. */
  positions: Record<ColumnRole, number>;
  /** The indexes of the columns that play no role, in header order. */
  extraPositions: number[];
  /** The indexes of the dedup key's columns, in key order; empty when rule 2 is off. */
  dedupKey: number[];
  /**
   * For people: an optional role the file seems to have under another name ("Discount" for
   * discount_percent), which would otherwise be read as absent without a word.
   */
  notes: string[];
}

/** What {@linkcode resolveColumns} must find, and the file it names in messages. */
export interface ResolveColumnsOptions {
  /** The file the header came from, for messages. */
  file: string;
  /** The roles this command cannot do without (clean-data: {@linkcode REQUIRED_ROLES}). */
  need: readonly ColumnRole[];
  /** Resolve the dedup key too (clean-data); the lookup builders do not use it. */
  dedupKey?: boolean;
}

/**
 * Finds every role in `header`. An explicit mapping wins over a matching name, and must name a
 * column that exists. A needed role without a column, a role two columns could play, or a dedup
 * key naming no column is a {@linkcode UserError} saying what to write to fix it.
 */
export function resolveColumns(
  header: readonly string[],
  mapping: ColumnMapping,
  options: ResolveColumnsOptions,
): ResolvedColumns {
  const file = options.file;
  const positions = Object.fromEntries(COLUMN_ROLES.map((role) => [role, -1])) as Record<
    ColumnRole,
    number
  >;
  const taken = new Map<number, ColumnRole>();
  for (const role of COLUMN_ROLES) {
    const name = mapping.columns?.[role];
    if (name === undefined) continue;
    const position = findHeaderColumn(header, name, file, `--column ${role}=${name}`);
    const other = taken.get(position);
    if (other !== undefined) {
      throw new UserError(
        `${file}: column ${JSON.stringify(header[position])} is mapped to both ${other} and ` +
          `${role}; a column plays one role. Fix the --column flags or dpd.json "columns".`,
      );
    }
    taken.set(position, role);
    positions[role] = position;
  }

  const byName = new Map<string, number[]>();
  header.forEach((name, index) => {
    if (taken.has(index)) return;
    const key = normaliseColumnName(name);
    byName.set(key, [...byName.get(key) ?? [], index]);
  });
  for (const role of COLUMN_ROLES) {
    if (positions[role] >= 0) continue;
    const candidates = byName.get(role) ?? [];
    if (candidates.length > 1) {
      throw new UserError(
        `${file}: columns ${
          candidates.map((index) => `${index + 1} (${JSON.stringify(header[index])})`).join(", ")
        } could all be ${role}, so it is unclear which to read. Rename or remove the extra ` +
          `column, or choose one with ${columnFlag(role, header[candidates[0]])}.`,
      );
    }
    if (candidates.length === 1) {
      positions[role] = candidates[0];
      taken.set(candidates[0], role);
    }
  }

  const missing = options.need.filter((role) => positions[role] < 0);
  if (missing.length > 0) throw missingRolesError(header, missing, taken, file);

  const extraPositions = header.map((_, index) => index).filter((index) => !taken.has(index));
  const dedupKey = options.dedupKey
    ? resolveDedupKey(header, mapping.dedupKey ?? DEFAULT_DEDUP_KEY, positions, file)
    : [];
  return {
    positions,
    extraPositions,
    dedupKey,
    notes: lookalikeNotes(header, positions, extraPositions),
  };
}

/** Words in an extra column's name that suggest it plays an optional role the file lacks. */
const LOOKALIKE_WORDS: Partial<Record<ColumnRole, readonly string[]>> = {
  discount_percent: ["discount", "disc"],
  customer_email: ["email", "mail"],
};

function lookalikeNotes(
  header: readonly string[],
  positions: Record<ColumnRole, number>,
  extraPositions: readonly number[],
): string[] {
  const notes: string[] = [];
  for (const [role, words] of Object.entries(LOOKALIKE_WORDS) as [ColumnRole, string[]][]) {
    if (positions[role] >= 0) continue;
    const lookalike = extraPositions.find((index) =>
      normaliseColumnName(header[index]).split("_").some((word) => words.includes(word))
    );
    if (lookalike === undefined) continue;
    const name = header[lookalike].trim();
    notes.push(
      `no ${role} column, so ${
        role === "discount_percent" ? "every discount is 0" : "every e-mail is null"
      }; if ${JSON.stringify(name)} is it, add ${columnFlag(role, name)} (or map it in dpd.json)`,
    );
  }
  return notes;
}

/**
 * The header index of the column called `name`: the one whose trimmed name is exactly `name`,
 * else the one whose normalised name equals `name`'s.
 */
function findHeaderColumn(
  header: readonly string[],
  name: string,
  file: string,
  where: string,
): number {
  const wanted = name.trim();
  let matches = header.flatMap((column, index) => column.trim() === wanted ? [index] : []);
  if (matches.length === 0) {
    const key = normaliseColumnName(wanted);
    matches = header.flatMap((column, index) =>
      key !== "" && normaliseColumnName(column) === key ? [index] : []
    );
  }
  if (matches.length === 1) return matches[0];
  if (matches.length === 0) {
    throw new UserError(
      `${file}: ${where} names no column of the header (${quotedHeader(header)}). Use a header ` +
        `name as written in the file's first line.`,
    );
  }
  throw new UserError(
    `${file}: ${where} could be columns ${matches.map((index) => index + 1).join(", ")} (${
      quotedList(matches.map((index) => header[index]))
    }); rename one of them.`,
  );
}

function resolveDedupKey(
  header: readonly string[],
  names: readonly string[],
  positions: Record<ColumnRole, number>,
  file: string,
): number[] {
  const key: number[] = [];
  for (const name of names) {
    let position: number;
    if (isColumnRole(name)) {
      position = positions[name];
      if (position < 0) {
        throw new UserError(
          `${file}: the dedup key names ${name}, but the header has no ${name} column ` +
            `(${quotedHeader(header)}). Map it with ${columnFlag(name)} or choose other columns ` +
            `with --dedup-key (or "dedup_key" in dpd.json).`,
        );
      }
    } else {
      position = findHeaderColumn(header, name, file, `the dedup key's ${JSON.stringify(name)}`);
    }
    if (!key.includes(position)) key.push(position);
  }
  return key;
}

function missingRolesError(
  header: readonly string[],
  missing: readonly ColumnRole[],
  taken: ReadonlyMap<number, ColumnRole>,
  file: string,
): UserError {
  const free = new Set(header.map((_, index) => index).filter((index) => !taken.has(index)));
  const guesses = new Map<ColumnRole, string>();
  for (const role of missing) {
    const index = likeliestColumn(role, header, [...free]);
    if (index !== undefined) free.delete(index);
    guesses.set(role, index === undefined ? "HEADER" : header[index].trim());
  }
  const flags = missing.map((role) => columnFlag(role, guesses.get(role)!)).join(" ");
  const json = JSON.stringify({
    columns: Object.fromEntries(missing.map((role) => [role, guesses.get(role)])),
  }).replaceAll('":', '": ').replaceAll(',"', ', "');
  const plural = missing.length > 1 ? "s" : "";
  return new UserError(
    `${file}: no column for the required role${plural} ${missing.join(", ")}. Header: ` +
      `${quotedHeader(header)}. Say which column${plural} ${
        missing.length > 1 ? "they are" : "it is"
      } with ${flags} or in dpd.json: ${json} (names match ignoring case, spaces and ` +
      `punctuation).`,
  );
}

/** The free column sharing the most words with `role` (`Order Date` for `sale_date`), if any. */
function likeliestColumn(
  role: ColumnRole,
  header: readonly string[],
  free: readonly number[],
): number | undefined {
  const words = new Set(role.split("_"));
  let best: number | undefined;
  let bestShared = 0;
  for (const index of free) {
    const shared = normaliseColumnName(header[index]).split("_")
      .filter((word) => words.has(word)).length;
    if (shared > bestShared) {
      best = index;
      bestShared = shared;
    }
  }
  return best;
}

function columnFlag(role: ColumnRole, header = "HEADER"): string {
  return `--column ${JSON.stringify(`${role}=${header}`)}`;
}

/** The header as a quoted list, cut after {@linkcode LISTED_NAMES} names. */
function quotedHeader(header: readonly string[]): string {
  if (header.length <= LISTED_NAMES) return quotedList(header);
  return `${quotedList(header.slice(0, LISTED_NAMES))} and ${header.length - LISTED_NAMES} more`;
}

function quotedList(names: readonly string[]): string {
  return names.length === 0 ? "(nothing)" : names.map((name) => JSON.stringify(name)).join(", ");
}
