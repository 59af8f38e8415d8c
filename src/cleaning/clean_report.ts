/**
 * The clean report (`<data-dir>/reports/<stem>_clean_report.json`, docs/schemas.md): its one type,
 * the writer that builds it from a run's totals, and the strict parser every reader uses
 * (build-aggregations, the dashboard). A report a reader cannot use is a
 * {@linkcode CleanReportError} naming the file and the field.
 *
 * @example
 * ```ts
 * import { parseCleanReport, reasonEntries } from "./clean_report.ts";
 * const text = '{"input_rows": 3, "clean_rows": 2, "rejected_rows": 1, "reasons": {"zero_quantity": 1}}';
 * const report = parseCleanReport(text, "sales_clean_report.json");
 * console.log(report.clean_rows, reasonEntries(report.reasons)); // 2 [["zero_quantity", 1]]
 * ```
 */
import { UserError } from "../io/errors.ts";
import { errorMessage } from "../io/errors.ts";
import { COLUMN_ROLES, type ColumnRole } from "../io/column_roles.ts";
import { ANOMALY_FLAGS, REJECTION_REASONS, type RejectionReason } from "./rules/reasons.ts";
import type { ShardSpec } from "./shard.ts";

/** The report as clean-data writes it: one JSON object, keys as in docs/schemas.md. */
export interface CleanReport {
  /** Data rows read (headers excluded). */
  input_rows: number;
  /** Rows written to the clean parquet. */
  clean_rows: number;
  /** Rows rejected: `input_rows - clean_rows`. */
  rejected_rows: number;
  /** Rejected rows per reason (every reason, 0 included). */
  reasons: Record<RejectionReason, number>;
  /** Clean rows per anomaly flag. */
  anomalies: Record<string, number>;
  /** Lookup file name → sha256 of the bytes the run used. */
  lookups: Record<string, string>;
  /** The day sale dates were checked against, `YYYY-MM-DD`. */
  as_of: string;
  /** Wall-clock seconds of the run. */
  duration_s: number;
  /** `input_rows / duration_s`. */
  rows_per_s: number;
  /** The process's peak resident memory during the run. */
  peak_rss_bytes: number;
  /** The `--input` values as given, joined with ", ". */
  input: string;
  /** The run's name: its outputs are `<name>_clean.parquet` and so on. */
  name: string;
  /** Every input file in the order cleaned, with its input rows (header excluded). */
  inputs: { file: string; rows: number }[];
  /** The clean parquet (file or dataset directory); null on a dry run. */
  output: string | null;
  /** The rejected-rows CSV; null on a dry run or when rejected rows are not saved. */
  rejected: string | null;
  /** Whether zero quantities were kept, so a re-run can clean the same way. */
  keep_zero_quantity: boolean;
  /** The run's id, also in the clean parquet's footer (`dpd.run_id`): readers match them. */
  run_id: string;
  /** Size of the rejected CSV this run wrote, so readers can tell it is this run's. */
  rejected_bytes: number | null;
  /**
   * Role → the header name read for it (null: the file has none), so a re-run reads the file the
   * same way whatever dpd.json says by then.
   */
  columns: Record<ColumnRole, string | null>;
  /** The dedup key as given (roles or header names); empty when rule 2 was off. */
  dedup_key: string[];
  /** The extra columns written to the clean parquet, in order (none with --drop-extra-columns). */
  extra_columns: string[];
  /** Whether the extra columns were left out (`--drop-extra-columns`). */
  drop_extra_columns: boolean;
  /** `--shard K/N` as `{index, count}`: this report counts that shard's rows only; else null. */
  shard: ShardSpec | null;
}

/** What a clean-data run knows at its end, from which {@linkcode buildCleanReport} writes the report. */
export interface CleanRunTotals {
  /** Data rows read (headers excluded). */
  inputRows: number;
  /** Rows written to the clean parquet. */
  cleanRows: number;
  /** Rejected rows by reason, indexed as `REJECTION_REASONS`. */
  reasonCounts: readonly number[];
  /** Clean rows flagged `heavy_discount`. */
  heavyDiscountRows: number;
  /** Lookup file name → sha256 of the bytes used. */
  lookupHashes: Record<string, string>;
  /** The day sale dates were checked against, `YYYY-MM-DD`. */
  asOf: string;
  /** Wall-clock seconds of the run. */
  durationSeconds: number;
  /** The `--input` values as given. */
  inputs: readonly string[];
  /** The run's name (`--name`, else the single input's stem). */
  name: string;
  /** Every input file in the order cleaned, with its input rows. */
  inputRowsByFile: { file: string; rows: number }[];
  /** The clean parquet or dataset directory; null on a dry run. */
  output: string | null;
  /** The rejected CSV; null when none was written. */
  rejected: string | null;
  /** Whether zero quantities were kept (`--keep-zero-quantity`). */
  keepZeroQuantity: boolean;
  /** The run's id, also in the clean parquet's footer. */
  runId: string;
  /** Size of the rejected CSV written; null when none was. */
  rejectedBytes: number | null;
  /** The input's header, as read. */
  headerFields: readonly string[];
  /** Each role's position in the header (-1: the input has none). */
  positions: Record<ColumnRole, number>;
  /** The dedup key as given (roles or header names); empty when rule 2 was off. */
  dedupKey: readonly string[];
  /** The extra columns written to the clean parquet, in order. */
  extraColumns: readonly string[];
  /** Whether extra columns were left out (`--drop-extra-columns`). */
  dropExtraColumns: boolean;
  /** `--shard K/N`, if the run cleaned one shard. */
  shard?: ShardSpec;
  /** The process's peak resident memory during the run. */
  peakRssBytes: number;
}

/** The report of a finished run. */
export function buildCleanReport(run: CleanRunTotals): CleanReport {
  return {
    input_rows: run.inputRows,
    clean_rows: run.cleanRows,
    rejected_rows: run.inputRows - run.cleanRows,
    reasons: Object.fromEntries(
      REJECTION_REASONS.map((reason, index) => [reason, run.reasonCounts[index]]),
    ) as Record<RejectionReason, number>,
    anomalies: Object.fromEntries(ANOMALY_FLAGS.map((flag) => [flag, run.heavyDiscountRows])),
    lookups: run.lookupHashes,
    as_of: run.asOf,
    duration_s: Math.round(run.durationSeconds * 1000) / 1000,
    rows_per_s: Math.round(run.inputRows / Math.max(run.durationSeconds, 1e-9)),
    peak_rss_bytes: run.peakRssBytes,
    input: run.inputs.join(", "),
    name: run.name,
    inputs: run.inputRowsByFile,
    output: run.output,
    rejected: run.rejected,
    keep_zero_quantity: run.keepZeroQuantity,
    run_id: run.runId,
    rejected_bytes: run.rejectedBytes,
    columns: Object.fromEntries(
      COLUMN_ROLES.map((role) => {
        const position = run.positions[role];
        return [role, position < 0 ? null : run.headerFields[position].trim()];
      }),
    ) as Record<ColumnRole, string | null>,
    dedup_key: [...run.dedupKey],
    extra_columns: [...run.extraColumns],
    drop_extra_columns: run.dropExtraColumns,
    shard: run.shard ? { ...run.shard } : null,
  };
}

/** The report file's text: pretty printed, with a final line end. */
export function cleanReportText(report: CleanReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** The keys every report has had since the first version; the others may be missing. */
type RequiredKey = "input_rows" | "clean_rows" | "rejected_rows";

/**
 * A report as read back: the counts every version wrote, and each later key when present (reports
 * of older versions lack them). Reasons may name a reason this version does not know.
 */
export type StoredCleanReport =
  & Pick<CleanReport, RequiredKey>
  & Partial<Omit<CleanReport, RequiredKey | "reasons" | "columns">>
  & {
    reasons: Record<string, number>;
    columns?: Record<string, string | null>;
  };

/** A report that cannot be used: `problem` says why, the message also names the file. */
export class CleanReportError extends UserError {
  /** `path`: the report; `problem`: what is wrong with it, without the path. */
  constructor(readonly path: string, readonly problem: string, options?: ErrorOptions) {
    super(`${path}: ${problem}; re-run clean-data`, options);
    this.name = "CleanReportError";
  }
}

/** Reads and checks a report's JSON text; `path` names it in errors. */
export function parseCleanReport(text: string, path: string): StoredCleanReport {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CleanReportError(path, `not valid JSON (${errorMessage(error)})`, { cause: error });
  }
  if (!isObject(parsed)) throw new CleanReportError(path, "not a JSON object");
  const fields = new FieldReader(parsed, path);
  const report: StoredCleanReport = {
    input_rows: fields.wholeNumber("input_rows"),
    clean_rows: fields.wholeNumber("clean_rows"),
    rejected_rows: fields.wholeNumber("rejected_rows"),
    reasons: fields.counts("reasons", "an object of reason → rows"),
  };
  const optional: Partial<StoredCleanReport> = {
    anomalies: fields.optional(
      "anomalies",
      () => fields.counts("anomalies", "an object of flag → rows"),
    ),
    lookups: fields.optional("lookups", () => fields.strings("lookups")),
    as_of: fields.optional("as_of", () => fields.text("as_of")),
    duration_s: fields.optional("duration_s", () => fields.seconds("duration_s")),
    rows_per_s: fields.optional("rows_per_s", () => fields.wholeNumber("rows_per_s")),
    peak_rss_bytes: fields.optional("peak_rss_bytes", () => fields.wholeNumber("peak_rss_bytes")),
    input: fields.optional("input", () => fields.text("input")),
    name: fields.optional("name", () => fields.text("name")),
    inputs: fields.optional("inputs", () => fields.inputs("inputs")),
    output: fields.optional("output", () => fields.textOrNull("output")),
    rejected: fields.optional("rejected", () => fields.textOrNull("rejected")),
    keep_zero_quantity: fields.optional(
      "keep_zero_quantity",
      () => fields.flag("keep_zero_quantity"),
    ),
    run_id: fields.optional("run_id", () => fields.text("run_id")),
    rejected_bytes: fields.optional(
      "rejected_bytes",
      () => fields.nullable("rejected_bytes", () => fields.wholeNumber("rejected_bytes")),
    ),
    columns: fields.optional("columns", () => fields.headerNames("columns")),
    dedup_key: fields.optional("dedup_key", () => fields.textList("dedup_key")),
    extra_columns: fields.optional("extra_columns", () => fields.textList("extra_columns")),
    drop_extra_columns: fields.optional(
      "drop_extra_columns",
      () => fields.flag("drop_extra_columns"),
    ),
    shard: fields.optional("shard", () => fields.nullable("shard", () => fields.shard("shard"))),
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) (report as unknown as Record<string, unknown>)[key] = value;
  }
  return report;
}

/** Rejected rows by reason: rule order first (docs/cleaning.md), then any other reason as listed. */
export function reasonEntries(reasons: Record<string, number>): [reason: string, rows: number][] {
  const known = REJECTION_REASONS.filter((reason) => reason in reasons);
  const others = Object.keys(reasons).filter((reason) =>
    !(REJECTION_REASONS as readonly string[]).includes(reason)
  );
  return [...known, ...others].map((reason) => [reason, reasons[reason]]);
}

/** The counts of a report that add up across the shards of one run. */
export type CleanCounts =
  & Pick<StoredCleanReport, "input_rows" | "clean_rows" | "rejected_rows" | "reasons">
  & { anomalies: Record<string, number> };

/**
 * The counts of several reports added up: the shard reports of a `clean-data --shard K/N` run
 * (src/cleaning/shard_reports.ts) sum to the report of one run over the same input. Reasons and
 * flags keep the first report's order, then any other as first seen.
 */
export function sumCleanCounts(reports: readonly StoredCleanReport[]): CleanCounts {
  const add = (into: Record<string, number>, counts: Record<string, number> | undefined) => {
    for (const [key, rows] of Object.entries(counts ?? {})) into[key] = (into[key] ?? 0) + rows;
  };
  const sum: CleanCounts = {
    input_rows: 0,
    clean_rows: 0,
    rejected_rows: 0,
    reasons: {},
    anomalies: {},
  };
  for (const report of reports) {
    sum.input_rows += report.input_rows;
    sum.clean_rows += report.clean_rows;
    sum.rejected_rows += report.rejected_rows;
    add(sum.reasons, report.reasons);
    add(sum.anomalies, report.anomalies);
  }
  return sum;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads typed fields of one JSON object, throwing a {@linkcode CleanReportError} on a wrong one. */
class FieldReader {
  constructor(readonly record: Record<string, unknown>, readonly path: string) {}

  #fail(key: string, what: string): never {
    throw new CleanReportError(this.path, `"${key}" must be ${what}`);
  }

  optional<T>(key: string, read: () => T): T | undefined {
    return key in this.record ? read() : undefined;
  }

  nullable<T>(key: string, read: () => T): T | null {
    return this.record[key] === null ? null : read();
  }

  wholeNumber(key: string): number {
    const value = this.record[key];
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
      this.#fail(key, "a whole number ≥ 0");
    }
    return value;
  }

  seconds(key: string): number {
    const value = this.record[key];
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      this.#fail(key, "a number of seconds ≥ 0");
    }
    return value;
  }

  text(key: string): string {
    const value = this.record[key];
    if (typeof value !== "string") this.#fail(key, "a string");
    return value;
  }

  textOrNull(key: string): string | null {
    const value = this.record[key];
    if (value !== null && typeof value !== "string") this.#fail(key, "a path or null");
    return value;
  }

  flag(key: string): boolean {
    const value = this.record[key];
    if (typeof value !== "boolean") this.#fail(key, "true or false");
    return value;
  }

  textList(key: string): string[] {
    const value = this.record[key];
    if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
      this.#fail(key, "a list of strings");
    }
    return value;
  }

  /** An object of name → whole number (reasons, anomalies). */
  counts(key: string, what: string): Record<string, number> {
    const value = this.record[key];
    if (!isObject(value)) this.#fail(key, what);
    const inner = new FieldReader(value, this.path);
    return Object.fromEntries(
      Object.keys(value).map((name) => [name, inner.#nested(key, () => inner.wholeNumber(name))]),
    );
  }

  /** An object of name → string (lookups). */
  strings(key: string): Record<string, string> {
    const value = this.record[key];
    if (!isObject(value) || !Object.values(value).every((item) => typeof item === "string")) {
      this.#fail(key, "an object of file name → sha256");
    }
    return value as Record<string, string>;
  }

  /** An object of role → header name or null (columns). */
  headerNames(key: string): Record<string, string | null> {
    const value = this.record[key];
    if (
      !isObject(value) ||
      !Object.values(value).every((item) => item === null || typeof item === "string")
    ) {
      this.#fail(key, "an object of role → header name (or null)");
    }
    return value as Record<string, string | null>;
  }

  inputs(key: string): { file: string; rows: number }[] {
    const value = this.record[key];
    const valid = Array.isArray(value) &&
      value.every((item) =>
        isObject(item) && typeof item.file === "string" && Number.isSafeInteger(item.rows) &&
        (item.rows as number) >= 0
      );
    if (!valid) this.#fail(key, 'a list of {"file": path, "rows": n}');
    return value as { file: string; rows: number }[];
  }

  shard(key: string): ShardSpec {
    const value = this.record[key];
    const valid = isObject(value) && Number.isSafeInteger(value.index) &&
      Number.isSafeInteger(value.count) && (value.index as number) >= 0 &&
      (value.index as number) < (value.count as number);
    if (!valid) this.#fail(key, 'null or {"index": K, "count": N} with 0 ≤ K < N');
    return { index: value.index as number, count: value.count as number };
  }

  /** Runs `read` on a nested object, naming its parent in the message: `reasons: "x" must be…`. */
  #nested<T>(parent: string, read: () => T): T {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof CleanReportError)) throw error;
      throw new CleanReportError(this.path, `${parent}: ${error.problem}`);
    }
  }
}
