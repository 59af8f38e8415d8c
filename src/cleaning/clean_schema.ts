/**
 * The clean parquet's columns (docs/schemas.md): the contract between `clean-data` and everything
 * that reads its output (aggregations, the dashboard, people downstream). The contract columns come
 * first; the input's extra columns follow as nullable strings under their header names.
 */
import { UserError } from "../io/errors.ts";

export interface CleanColumn {
  name: string;
  /** hyparquet-writer's type name. */
  type: "STRING" | "INT64" | "DOUBLE";
  nullable: boolean;
}

export const CLEAN_COLUMNS = [
  { name: "order_id", type: "STRING", nullable: false },
  { name: "product_name", type: "STRING", nullable: false },
  { name: "category", type: "STRING", nullable: false },
  { name: "quantity", type: "INT64", nullable: false },
  { name: "unit_price", type: "DOUBLE", nullable: false },
  { name: "discount_percent", type: "DOUBLE", nullable: false },
  { name: "region", type: "STRING", nullable: false },
  /** Unix epoch seconds of the sale day at UTC midnight. */
  { name: "sale_date", type: "INT64", nullable: false },
  { name: "customer_email", type: "STRING", nullable: true },
  { name: "revenue", type: "DOUBLE", nullable: false },
  { name: "anomaly_flag", type: "STRING", nullable: true },
] as const satisfies readonly CleanColumn[];

export type CleanColumnName = typeof CLEAN_COLUMNS[number]["name"];

/** An input column the contract does not use, carried into the clean parquet. */
export interface ExtraColumn {
  /** The parquet column's name: the header name, trimmed (`column_N` for a blank one). */
  name: string;
  /** Its index in the input's header. */
  position: number;
}

/** The parquet schema of a run: the contract columns, then each extra column as nullable STRING. */
export function cleanColumnsWith(extras: readonly ExtraColumn[]): CleanColumn[] {
  return [
    ...CLEAN_COLUMNS,
    ...extras.map((extra): CleanColumn => ({ name: extra.name, type: "STRING", nullable: true })),
  ];
}

/**
 * The extra columns at `positions` of `header`, named for the parquet. Names compare ignoring
 * case (as DuckDB and Spark do), so a name equal to a contract column (`anomaly_flag`, or
 * `sale_date` when another column was mapped to that role) or to another extra column is a
 * {@linkcode UserError}: rename the column in the file, or leave extras out.
 */
export function extraColumnsOf(
  header: readonly string[],
  positions: readonly number[],
  file: string,
): ExtraColumn[] {
  const seen = new Map<string, string>(
    CLEAN_COLUMNS.map((column) => [column.name, "the contract column"]),
  );
  return positions.map((position) => {
    const name = header[position].trim() || `column_${position + 1}`;
    const clash = seen.get(name.toLowerCase());
    if (clash !== undefined) {
      throw new UserError(
        `${file}: extra column ${position + 1} (${JSON.stringify(header[position])}) would be ` +
          `written to the clean parquet under the same name as ${clash} ${
            JSON.stringify(name)
          }. Rename it in the file, map it to a role with --column, or leave extra columns ` +
          `out with --drop-extra-columns.`,
      );
    }
    seen.set(name.toLowerCase(), `extra column ${position + 1}`);
    return { name, position };
  });
}

export { SECONDS_PER_DAY } from "../io/days.ts";
