/**
 * `build-category-lookup SAMPLE` (docs/lookups.md): infers `common_categories.json` from a sample and
 * merges it into the existing file, keeping a person's spellings and entries.
 *
 * @example Infer the categories of a sample, and say what changed
 * ```ts
 * const result = await buildCategoryLookup({ sample: "data/input/dirty_1m.csv", quiet: true });
 * console.log(result.written ? `wrote ${result.path}` : `${result.path} is up to date`);
 * for (const added of result.added) console.log(`+ ${added.name} (${added.rows} rows)`);
 * ```
 */
import { join } from "node:path";
import type { ColumnMapping } from "../io/column_roles.ts";
import { writeLookupIfChanged } from "./_write_lookup.ts";
import { formatNameList } from "./format_lookups.ts";
import { type CanonicalInference, inferCanonicalNames } from "./infer_canonical_names.ts";
import { categoryKey } from "./keys.ts";
import { parseNameList, readLookupText } from "./load_lookups.ts";
import { CATEGORIES_FILE } from "./lookup_files.ts";
import { columnCounts, countedSample, type SampleCounts } from "./sample_counts.ts";

export type { SampleColumn, SampleCounts } from "./sample_counts.ts";
export type { CanonicalInference, NameShare } from "./infer_canonical_names.ts";

/** The default `--min-share`: a name is canonical from 2% of the sample's rows. */
export const DEFAULT_MIN_SHARE = 0.02;

/** Options shared by the three builders. */
export interface LookupBuilderOptions {
  /**
   * The sample: a CSV's path, several paths or a directory of CSVs (read as one), or its counts
   * when the caller has read it already.
   */
  sample: string | readonly string[] | SampleCounts;
  /** Where the other lookup files are read from (default `lookups`). */
  lookupsDir?: string;
  /** The file to write; default `<lookupsDir>/<its name>`. Its current content is merged. */
  out?: string;
  /** No progress line. */
  quiet?: boolean;
  /** Which column of the sample is which (`--column`, `dpd.json`). */
  columns?: ColumnMapping;
}

/** Options of the two name-list builders (categories, regions). */
export interface NameLookupOptions extends LookupBuilderOptions {
  /** Smallest share of rows that makes a name canonical (default 2%). */
  minShare?: number;
  /** Drop names in the file that the sample does not support (default: keep and report them). */
  prune?: boolean;
}

/** What a name-list builder did. */
export interface NameLookupResult extends CanonicalInference {
  /** The file written (or left as it was). */
  path: string;
  /** False when the file already held exactly this content. */
  written: boolean;
  /** The share of rows a name needed to be canonical. */
  minShare: number;
  /** Unsupported names were dropped (`--prune`) rather than kept. */
  pruned: boolean;
  /** The sample's counts, for a caller that runs another builder over the same sample. */
  sample: SampleCounts;
}

/** Builds `common_categories.json` from a sample. */
export function buildCategoryLookup(options: NameLookupOptions): Promise<NameLookupResult> {
  return buildNameLookup(options, {
    file: CATEGORIES_FILE,
    column: "category",
    label: "build-category-lookup",
    keyOf: categoryKey,
  });
}

/** What sets the two name-list builders apart: file, column, key, and an optional fold. */
export interface NameLookupKind {
  /** The lookup file's name in the lookups directory. */
  file: string;
  /** The sample column the names come from. */
  column: "category" | "region";
  /** The command name, for the progress line. */
  label: string;
  /** A raw value's key (how names compare; docs/lookups.md). */
  keyOf: (raw: string) => string;
  /** Maps a key to the canonical key it counts toward (regions: through the region map). */
  fold?: (key: string) => string | undefined;
}

/** Infers a sorted name list from a sample (docs/lookups.md's share rule) and writes it if changed. */
export async function buildNameLookup(
  options: NameLookupOptions,
  kind: NameLookupKind,
): Promise<NameLookupResult> {
  const path = options.out ?? join(options.lookupsDir ?? "lookups", kind.file);
  const existingText = await readLookupText(path);
  const existing = existingText ? parseNameList(existingText) : undefined;
  const sample = await countedSample(options.sample, [kind.column], {
    quiet: options.quiet,
    label: kind.label,
    columns: options.columns,
  });
  const minShare = options.minShare ?? DEFAULT_MIN_SHARE;
  const inference = inferCanonicalNames({
    counts: columnCounts(sample, kind.column),
    totalRows: sample.rows,
    keyOf: kind.keyOf,
    minShare,
    existing,
    prune: options.prune,
    fold: kind.fold,
  });
  const written = await writeLookupIfChanged(path, formatNameList(inference.names));
  return { ...inference, path, written, minShare, pruned: options.prune ?? false, sample };
}
