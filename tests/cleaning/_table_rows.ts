/** Comparing parquet tables by value, for tests where two runs sum in different orders. */
import { parquetReadObjects } from "hyparquet";

/**
 * A table's rows as sorted JSON lines, numbers rounded to 9 significant digits: money sums are
 * exact, but averages summed in another order (shards, partitions) may differ in the last bits.
 */
export async function tableRows(path: string): Promise<string[]> {
  const rows = await parquetReadObjects({ file: (await Deno.readFile(path)).buffer });
  return rows.map((row) =>
    JSON.stringify(
      row,
      (_, value) =>
        typeof value === "bigint"
          ? String(value)
          : typeof value === "number"
          ? Number(value.toPrecision(9))
          : value,
    )
  ).sort();
}
