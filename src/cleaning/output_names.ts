/**
 * The names of clean-data's outputs, and the only place they are built or taken apart: the clean
 * parquet `<stem>_clean.parquet`, the rejected rows `<stem>_rejected.csv` and the report
 * `<stem>_clean_report.json` (docs/schemas.md). A run's stem is its name (`sales` for
 * `sales.csv.gz`, or `--name`); a shard's outputs add the shard's tag (`sales_shard-2-of-4`).
 *
 * @example
 * ```ts
 * import { cleanOutputPaths, parseShardReportName } from "./output_names.ts";
 * const paths = cleanOutputPaths({ name: "sales", shard: { index: 2, count: 4 } });
 * console.log(paths.report); // data/reports/sales_shard-2-of-4_clean_report.json
 * console.log(parseShardReportName("sales_shard-2-of-4_clean_report.json")); // { name: "sales", … }
 * ```
 */
import { basename, join } from "node:path";
import { inputStem } from "../io/input_files.ts";
import { type ShardSpec, shardTag } from "./shard.ts";

// The input stem rule lives with the inputs (src/io/input_files.ts); the names built from it here.
export { inputStem };

/** The data directory's folder of clean parquets and datasets. */
export const CLEAN_DIR = "clean";
/** The data directory's folder of rejected-rows CSVs. */
export const REJECTED_DIR = "rejected";
/** The data directory's folder of clean reports. */
export const REPORTS_DIR = "reports";

const CLEAN_PARQUET_SUFFIX = "_clean.parquet";
const REJECTED_CSV_SUFFIX = "_rejected.csv";
/** Every clean report's file name ends so. */
export const CLEAN_REPORT_SUFFIX = "_clean_report.json";

/** The stem of a run's outputs: its name, with the shard's tag for a `--shard K/N` run. */
export function outputStem(name: string, shard?: ShardSpec): string {
  return shard ? `${name}_${shardTag(shard)}` : name;
}

/** `sales_clean.parquet`. */
export function cleanParquetName(stem: string): string {
  return `${stem}${CLEAN_PARQUET_SUFFIX}`;
}

/** `sales_rejected.csv`. */
export function rejectedCsvName(stem: string): string {
  return `${stem}${REJECTED_CSV_SUFFIX}`;
}

/** `sales_clean_report.json`. */
export function cleanReportName(stem: string): string {
  return `${stem}${CLEAN_REPORT_SUFFIX}`;
}

/** The stem of a report's file name (`sales` for `sales_clean_report.json`), if it is one. */
export function reportStem(fileName: string): string | undefined {
  return fileName.endsWith(CLEAN_REPORT_SUFFIX)
    ? fileName.slice(0, -CLEAN_REPORT_SUFFIX.length)
    : undefined;
}

/** The stem a clean parquet's report is looked for by: `dirty_1m` for `…/dirty_1m_clean.parquet`. */
export function cleanParquetStem(parquetPath: string): string {
  return basename(parquetPath).replace(/_clean\.parquet$/i, "").replace(/\.parquet$/i, "");
}

/** The file of a dataset part: `part-shard-2-of-4.parquet` for a shard, else `part-00000.parquet`. */
export function datasetPartName(shard?: ShardSpec): string {
  return shard ? `part-${shardTag(shard)}.parquet` : "part-00000.parquet";
}

/** A shard report's file name taken apart. */
export interface ShardReportName {
  /** The dataset's name: `sales`. */
  name: string;
  /** Which shard of how many the report counts. */
  shard: ShardSpec;
}

const SHARD_REPORT = /^(.*)_shard-(\d+)-of-(\d+)_clean_report\.json$/;

/** `sales_shard-2-of-4_clean_report.json` → shard 2 of 4 of `sales`; undefined for other names. */
export function parseShardReportName(fileName: string): ShardReportName | undefined {
  const match = SHARD_REPORT.exec(fileName);
  if (!match) return undefined;
  return { name: match[1], shard: { index: Number(match[2]), count: Number(match[3]) } };
}

/** What the output paths of a run depend on (`cleanData`'s options extend it). */
export interface OutputPathOptions {
  /** The run's name ({@linkcode inputStem} of its input, or `--name`). */
  name: string;
  /**
   * `--shard K/N`: clean only the rows whose dedup key hashes to K (shard.ts). The clean parquet
   * becomes one part of the dataset `<dataDir>/clean/<name>/`, the rejected CSV and the report
   * carry the shard in their names, and N such runs together equal one run.
   */
  shard?: ShardSpec;
  /**
   * `--partition-by sale_month`: the clean rows go to the hive-style dataset
   * `<dataDir>/clean/<name>/sale_month=YYYY-MM/part-*.parquet`, one file per month.
   */
  partitionBy?: "sale_month";
  /** Workspace root for the default paths. Default `data`. */
  dataDir?: string;
  /**
   * `--output`: the clean parquet (or dataset directory) instead of the default
   * `<dataDir>/clean/<stem>_clean.parquet`.
   */
  output?: string;
  /** Where the rejected CSV goes. Default `<dataDir>/rejected`. */
  rejectedDir?: string;
  /** Where the report goes. Default `<dataDir>/reports`. */
  reportDir?: string;
}

/** Where a run writes its clean parquet (or dataset directory), rejected CSV and report. */
export function cleanOutputPaths(options: OutputPathOptions): {
  output: string;
  rejected: string;
  report: string;
} {
  const dataDir = options.dataDir ?? "data";
  const { name, shard } = options;
  // A shard's parquet is one part of the run's dataset; its other outputs carry the shard's tag.
  const stem = outputStem(name, shard);
  // Partitioned, the output is the dataset directory (its files: one per month).
  const output = options.partitionBy
    ? join(dataDir, CLEAN_DIR, name)
    : shard
    ? join(dataDir, CLEAN_DIR, name, datasetPartName(shard))
    : join(dataDir, CLEAN_DIR, cleanParquetName(stem));
  return {
    output: options.output ?? output,
    rejected: join(options.rejectedDir ?? join(dataDir, REJECTED_DIR), rejectedCsvName(stem)),
    report: join(options.reportDir ?? join(dataDir, REPORTS_DIR), cleanReportName(stem)),
  };
}
