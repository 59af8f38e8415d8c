/**
 * Where `generate-data` writes when `--output` is not given: the README's
 * `<data-dir>/input/{dirty,clean}_{100k,1m,100m…}.csv`.
 */
import { join } from "node:path";

/** 100k, 1m, 10m, 100m; an exact count when it is no whole number of thousands. */
export function sizeLabel(rows: number): string {
  if (rows % 1_000_000 === 0) return `${rows / 1_000_000}m`;
  if (rows % 1_000 === 0) return `${rows / 1_000}k`;
  return String(rows);
}

/** The default output path for `rows` rows of one mode in a workspace. */
export function defaultOutputPath(dataDir: string, rows: number, clean: boolean): string {
  return join(dataDir, "input", `${clean ? "clean" : "dirty"}_${sizeLabel(rows)}.csv`);
}
