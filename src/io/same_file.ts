/**
 * Refusing an output that is one of the run's inputs (`clean-data --input x.csv --output x.csv`
 * would otherwise replace the CSV with its own parquet).
 *
 * @example Refuse to write a run's output over its input
 * ```ts
 * import { UserError } from "./errors.ts";
 *
 * try {
 *   await refuseOutputsOverInputs(["sales.csv"], ["./sales.csv", "sales_report.json"]);
 * } catch (error) {
 *   if (!(error instanceof UserError)) throw error;
 *   console.log(error.message); // names both paths and says to choose another output
 * }
 * ```
 */
import { resolve } from "node:path";
import { UserError } from "./errors.ts";

/** The identity of the file at `path` (symbolic links followed), or its absolute path if missing. */
async function identity(path: string): Promise<string> {
  try {
    const info = await Deno.stat(path);
    if (info.ino !== null && info.dev !== null) return `inode ${info.dev}:${info.ino}`;
  } catch { /* not there yet */ }
  try {
    return `path ${await Deno.realPath(path)}`;
  } catch {
    return `path ${resolve(path)}`;
  }
}

/** Throws a {@linkcode UserError} when an output is the same file as an input or another output. */
export async function refuseOutputsOverInputs(
  inputs: readonly string[],
  outputs: readonly string[],
): Promise<void> {
  const inputIds = new Map<string, string>();
  for (const input of inputs) inputIds.set(await identity(input), input);
  const outputIds = new Map<string, string>();
  for (const output of outputs) {
    const id = await identity(output);
    const input = inputIds.get(id);
    if (input !== undefined) {
      throw new UserError(
        `${output} is the input ${input}: writing it would destroy the input. ` +
          `Choose another output path.`,
      );
    }
    const other = outputIds.get(id);
    if (other !== undefined) {
      throw new UserError(
        `${output} and ${other} are the same file: give each output its own path.`,
      );
    }
    outputIds.set(id, output);
  }
}
