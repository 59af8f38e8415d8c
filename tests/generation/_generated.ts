/** Generating a file into a temporary directory and reading it back, for the tests. */
import { join } from "node:path";
import { generateData, type GenerateDataResult } from "../../src/generation/generate_data.ts";
import type { OrderIdShape } from "../../src/generation/order_ids.ts";
import { type CsvRecord, parseCsv } from "./_csv.ts";

export const AS_OF = "2025-06-30";

export interface GeneratedFile {
  result: GenerateDataResult;
  bytes: Uint8Array;
  header: string[];
  rows: string[][];
  records: CsvRecord[];
}

export async function generateInto(
  directory: string,
  name: string,
  options: {
    rows: number;
    clean?: boolean;
    seed?: number;
    workers?: number;
    asOf?: string;
    idShape?: OrderIdShape;
  },
): Promise<GenerateDataResult> {
  return await generateData({
    rows: options.rows,
    clean: options.clean ?? false,
    seed: options.seed ?? 42,
    asOf: options.asOf ?? AS_OF,
    output: join(directory, name),
    workers: options.workers ?? 2,
    idShape: options.idShape,
  });
}

/** Generates and parses a file; the temporary directory is removed before returning. */
export async function generateAndRead(
  options: { rows: number; clean?: boolean; seed?: number; workers?: number; asOf?: string },
): Promise<GeneratedFile> {
  const directory = await Deno.makeTempDir({ prefix: "dpd-generation-test-" });
  try {
    const result = await generateInto(directory, "data.csv", options);
    const bytes = await Deno.readFile(result.output);
    const records = parseCsv(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    return {
      result,
      bytes,
      header: records[0].fields,
      rows: records.slice(1).map((record) => record.fields),
      records,
    };
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
}
