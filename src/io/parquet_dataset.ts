/**
 * A clean parquet that may be one file or a dataset directory: a hive-style tree such as
 * `data/clean/sales/sale_month=2026-01/part-00000.parquet`, written by `clean-data --partition-by`
 * or by several `clean-data --shard K/N` runs. Readers see one sequence of row groups either way.
 *
 * @example Count the rows of a partitioned clean dataset, one row group at a time
 * ```ts
 * import { openParquetDataset } from "./parquet_dataset.ts";
 * using dataset = await openParquetDataset("data/clean/sales");
 * for (const group of dataset.rowGroups) {
 *   const batch = await dataset.readRowGroup(group, ["revenue"]);
 *   console.log(batch.rowCount);
 * }
 * ```
 */
import { join, relative } from "node:path";
import { errorMessage, UserError } from "./errors.ts";
import {
  type ParquetColumnInfo,
  ParquetFile,
  type ParquetRowBatch,
  type ReadRowsOptions,
} from "./parquet_read.ts";

/** One row group of one file of the dataset. */
export interface DatasetRowGroup {
  /** Position of the file in {@linkcode ParquetDataset.paths}. */
  file: number;
  /** The row group's index inside that file. */
  index: number;
  /** Rows in the row group. */
  rows: number;
}

/**
 * Whether a directory entry is part of a dataset: hidden names (temporary files of a run in
 * progress, `.dpd-*`) and names starting with `_` (`_SUCCESS`, `_metadata`, as Spark writes them)
 * are not.
 */
export function isDatasetEntryName(name: string): boolean {
  return !name.startsWith(".") && !name.startsWith("_");
}

/** Every `*.parquet` under `directory`, depth first, in name order (so in partition order). */
export async function listDatasetFiles(directory: string): Promise<string[]> {
  const files: string[] = [];
  const visit = async (folder: string) => {
    const entries = (await Array.fromAsync(Deno.readDir(folder)))
      .filter((entry) => isDatasetEntryName(entry.name))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory) await visit(path);
      else if (entry.name.endsWith(".parquet")) files.push(path);
    }
  };
  await visit(directory);
  return files;
}

/** A file or dataset directory of parquet files with one schema, read as one row-group sequence. */
export class ParquetDataset implements Disposable {
  /** What was opened: a file or a directory. */
  readonly path: string;
  /** Whether {@linkcode ParquetDataset.path} is a dataset directory (not a single file). */
  readonly isDirectory: boolean;
  /** The files, in dataset order. */
  readonly paths: readonly string[];
  /** Rows in all files. */
  readonly rowCount: number;
  /** Every row group of every file, in dataset order. */
  readonly rowGroups: readonly DatasetRowGroup[];
  /** The columns every file has, in schema order. */
  readonly columns: readonly ParquetColumnInfo[];
  readonly #files: ParquetFile[];

  private constructor(path: string, isDirectory: boolean, files: ParquetFile[]) {
    this.path = path;
    this.isDirectory = isDirectory;
    this.#files = files;
    this.paths = files.map((file) => file.path);
    this.rowCount = files.reduce((sum, file) => sum + file.rowCount, 0);
    this.rowGroups = files.flatMap((file, fileIndex) =>
      file.rowGroups.map((group) => ({
        file: fileIndex,
        index: group.index,
        rows: group.rowEnd - group.rowStart,
      }))
    );
    this.columns = files[0]?.columns ?? [];
  }

  /** Opens a parquet file, or every part file of a dataset directory. */
  static async open(path: string): Promise<ParquetDataset> {
    let isDirectory = false;
    try {
      isDirectory = (await Deno.stat(path)).isDirectory;
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        throw new UserError(`${path} does not exist`, { cause: error });
      }
      throw new UserError(`cannot read ${path}: ${errorMessage(error)}`, { cause: error });
    }
    if (!isDirectory) return new ParquetDataset(path, false, [await ParquetFile.open(path)]);
    let paths: string[];
    try {
      paths = await listDatasetFiles(path);
    } catch (error) {
      throw new UserError(`cannot list ${path}: ${errorMessage(error)}`, { cause: error });
    }
    if (paths.length === 0) {
      throw new UserError(`${path} holds no parquet files: run clean-data first`);
    }
    return new ParquetDataset(path, true, await ParquetDataset.#openAll(path, paths));
  }

  /** Opens exactly these files (a worker re-opening what the main thread listed). */
  static async openFiles(
    path: string,
    paths: readonly string[],
    isDirectory: boolean,
  ): Promise<ParquetDataset> {
    return new ParquetDataset(path, isDirectory, await ParquetDataset.#openAll(path, paths));
  }

  static async #openAll(path: string, paths: readonly string[]): Promise<ParquetFile[]> {
    const files: ParquetFile[] = [];
    try {
      for (const filePath of paths) files.push(await ParquetFile.open(filePath));
      checkSameSchema(path, files);
      return files;
    } catch (error) {
      for (const file of files) file.close();
      throw error;
    }
  }

  /** The column called `name`, or undefined. */
  column(name: string): ParquetColumnInfo | undefined {
    return this.columns.find((column) => column.name === name);
  }

  /** Each file, for checks that need one file's metadata. */
  get files(): readonly ParquetFile[] {
    return this.#files;
  }

  /** Reads one whole row group of the given columns. */
  readRowGroup(
    group: DatasetRowGroup,
    columns?: readonly string[],
    options: Pick<ReadRowsOptions, "parseStrings"> = {},
  ): Promise<ParquetRowBatch> {
    return this.#files[group.file].readRowGroup(group.index, columns, options);
  }

  /** Closes every file. */
  close(): void {
    for (const file of this.#files) file.close();
  }

  /** Closes every file at the end of a `using` block. */
  [Symbol.dispose](): void {
    this.close();
  }
}

/** Opens a parquet file or dataset directory: see {@linkcode ParquetDataset}. */
export function openParquetDataset(path: string): Promise<ParquetDataset> {
  return ParquetDataset.open(path);
}

/** Every file must have the first file's columns, with the same types and nullability. */
function checkSameSchema(path: string, files: readonly ParquetFile[]): void {
  const [first, ...rest] = files;
  if (!first) return;
  const describe = (columns: readonly ParquetColumnInfo[]) =>
    columns.map((column) => `${column.name}:${column.type}${column.nullable ? "?" : ""}`).join(",");
  const expected = describe(first.columns);
  for (const file of rest) {
    if (describe(file.columns) !== expected) {
      throw new UserError(
        `${relative(path, file.path) || file.path} in dataset ${path} has other columns than ` +
          `${relative(path, first.path) || first.path}: a dataset's files must come from one ` +
          `clean-data run (or its shards); re-run clean-data`,
      );
    }
  }
}
