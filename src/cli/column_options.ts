/**
 * The flags of every command that reads a sales CSV, saying which column is which: `--config`,
 * `--column ROLE=HEADER`, `--dedup-key` and `--drop-extra-columns`, merged over `dpd.json`.
 * Flags win: a `--column` replaces that role's entry in the file, `--dedup-key` replaces its key.
 */
import { type Command, InvalidArgumentError } from "commander";
import { COLUMN_ROLES, type ColumnMapping, isColumnRole } from "../io/column_roles.ts";
import { DEFAULT_CONFIG_FILE, loadDpdConfig } from "./dpd_config.ts";

/** The flags as commander hands them over. */
export interface ColumnFlags {
  config?: string;
  column?: [string, string][];
  dedupKey?: string[];
  dropExtraColumns?: boolean;
}

/** Adds the four flags (see the module comment). */
export function addColumnOptions(command: Command): Command {
  return command
    .option(
      "--config <file>",
      `column mapping file (default: ${DEFAULT_CONFIG_FILE} in the working directory, if any)`,
    )
    .option(
      "--column <role=header>",
      'read the column named HEADER as ROLE, e.g. "sale_date=Order Date" (repeatable)',
      collectColumn,
    )
    .option(
      "--dedup-key <columns>",
      "comma-separated columns (roles or header names) that identify a duplicate row, or none " +
        "(default: order_id)",
      parseDedupKey,
    )
    .option(
      "--drop-extra-columns",
      "leave columns the contract does not use out of the clean parquet",
    );
}

/** `ROLE=HEADER` → `[role, header]`, added to the ones given before. */
export function collectColumn(
  value: string,
  previous: [string, string][] | undefined,
): [string, string][] {
  const equals = value.indexOf("=");
  const role = equals < 0 ? "" : value.slice(0, equals).trim();
  const header = equals < 0 ? "" : value.slice(equals + 1);
  if (!isColumnRole(role) || header.trim() === "") {
    throw new InvalidArgumentError(
      `expected ROLE=HEADER with ROLE one of ${COLUMN_ROLES.join(", ")}, got "${value}"`,
    );
  }
  return [...previous ?? [], [role, header]];
}

/** `A,B` → `["A", "B"]`; `none` → `[]`. */
export function parseDedupKey(value: string): string[] {
  if (value.trim().toLowerCase() === "none") return [];
  const names = value.split(",").map((name) => name.trim());
  if (names.some((name) => name === "")) {
    throw new InvalidArgumentError(
      `expected column names separated by commas, or none, got "${value}"`,
    );
  }
  return names;
}

/** The mapping a command runs with: `--config` or `./dpd.json` (if any), then the flags over it. */
export async function columnMappingFrom(flags: ColumnFlags): Promise<ColumnMapping> {
  const file = await loadDpdConfig(flags.config ?? DEFAULT_CONFIG_FILE, flags.config !== undefined);
  const columns = { ...file?.columns };
  for (const [role, header] of flags.column ?? []) {
    if (isColumnRole(role)) columns[role] = header;
  }
  return {
    columns,
    dedupKey: flags.dedupKey ?? file?.dedupKey,
    dropExtraColumns: flags.dropExtraColumns || (file?.dropExtraColumns ?? false),
  };
}
