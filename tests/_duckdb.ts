/**
 * DuckDB as an independent parquet reader for the tests.
 *
 * dpd writes parquet with its own encoder and hyparquet-writer, and reads it with hyparquet: all
 * three come from one family, so a misreading shared by writer and reader would pass unseen.
 * DuckDB's C++ reader shares no code with them. It reads the files the way a person downstream of
 * dpd does (DuckDB, pandas via pyarrow and Spark all follow the same parquet spec).
 */
import { DuckDBInstance } from "@duckdb/node-api";

/** A row as DuckDB hands it to JS: BIGINT as bigint, DATE as a `Date` at UTC midnight. */
export type DuckRow = Record<string, unknown>;

/** An in-memory DuckDB; `close` it (or `using`) when done. */
export class DuckDb implements Disposable {
  readonly #instance: DuckDBInstance;
  readonly #connection: Awaited<ReturnType<DuckDBInstance["connect"]>>;

  private constructor(
    instance: DuckDBInstance,
    connection: Awaited<ReturnType<DuckDBInstance["connect"]>>,
  ) {
    this.#instance = instance;
    this.#connection = connection;
  }

  static async open(): Promise<DuckDb> {
    const instance = await DuckDBInstance.create(":memory:", { threads: "1" });
    return new DuckDb(instance, await instance.connect());
  }

  /** Runs `sql` and returns every row. */
  async rows(sql: string): Promise<DuckRow[]> {
    const result = await this.#connection.runAndReadAll(sql);
    return result.getRowObjectsJS() as DuckRow[];
  }

  /** Runs `sql` that returns exactly one row. */
  async row(sql: string): Promise<DuckRow> {
    const rows = await this.rows(sql);
    if (rows.length !== 1) throw new Error(`expected one row from ${sql}, got ${rows.length}`);
    return rows[0];
  }

  close(): void {
    this.#connection.closeSync();
    this.#instance.closeSync();
  }

  [Symbol.dispose](): void {
    this.close();
  }
}

/** A path as an SQL string literal. */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** A column name as an SQL identifier. */
export function sqlName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A column as `parquet_schema` reports it. */
export interface ParquetSchemaColumn {
  name: string;
  /** Physical type: BYTE_ARRAY, INT32, INT64, DOUBLE… */
  type: string;
  repetition: "REQUIRED" | "OPTIONAL";
  /** Converted (legacy logical) type: UTF8, DATE… or null. */
  convertedType: string | null;
  /** The DuckDB type the column reads as: VARCHAR, BIGINT, DOUBLE, DATE. */
  duckdbType: string;
}

/** The leaf columns of a parquet file, in file order, as DuckDB reads its footer. */
export async function parquetSchemaOf(db: DuckDb, path: string): Promise<ParquetSchemaColumn[]> {
  const rows = await db.rows(
    `SELECT name, type, repetition_type, converted_type, duckdb_type
     FROM parquet_schema(${sqlString(path)}) WHERE num_children IS NULL ORDER BY column_id`,
  );
  return rows.map((row) => ({
    name: row.name as string,
    type: row.type as string,
    repetition: row.repetition_type as "REQUIRED" | "OPTIONAL",
    convertedType: row.converted_type as string | null,
    duckdbType: row.duckdb_type as string,
  }));
}

/** Every row of a parquet file in file order, as DuckDB reads it. */
export async function parquetRowsOf(db: DuckDb, path: string): Promise<DuckRow[]> {
  return await db.rows(
    `SELECT * EXCLUDE (file_row_number)
     FROM read_parquet(${sqlString(path)}, file_row_number = true) ORDER BY file_row_number`,
  );
}
