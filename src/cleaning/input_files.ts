/**
 * The input of one clean-data run: one file, several files (`--input` repeated), or a directory of
 * exports (every `*.csv` and `*.csv.gz` in it, in name order), cleaned as one run: rule 2 spans the
 * files in that order (file, then line), and the outputs are named after the run (`--name`).
 *
 * @example
 * ```ts
 * import { resolveInputFiles, runName } from "./input_files.ts";
 * const files = await resolveInputFiles(["data/input/exports"]);
 * console.log(runName(["data/input/exports"]), files.map((file) => file.name));
 * ```
 */
import { basename, join, resolve } from "node:path";
import { errorMessage, UserError } from "../io/errors.ts";
import { inputStem } from "./output_names.ts";

/** One input file of a run. */
export interface InputFile {
  /** The path as given or as found in a directory. */
  path: string;
  /** Its file name: the rejected CSV's `source_file`. */
  name: string;
}

/** True for the names a directory input contributes: `*.csv` and `*.csv.gz`, not hidden. */
export function isSalesCsvName(name: string): boolean {
  return !name.startsWith(".") && /\.csv(\.gz)?$/i.test(name);
}

/** Lists the files of `--input` values: files as given, directories expanded in name order. */
export async function resolveInputFiles(inputs: readonly string[]): Promise<InputFile[]> {
  if (inputs.length === 0) throw new UserError("no --input given: name a CSV file or a directory");
  const files: InputFile[] = [];
  for (const input of inputs) {
    let stat: Deno.FileInfo;
    try {
      stat = await Deno.stat(input);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        throw new UserError(`${input} does not exist: check the --input path`, { cause: error });
      }
      throw new UserError(`cannot read ${input}: ${errorMessage(error)}`, { cause: error });
    }
    if (!stat.isDirectory) {
      files.push({ path: input, name: basename(input) });
      continue;
    }
    const names = (await Array.fromAsync(Deno.readDir(input)))
      .filter((entry) => !entry.isDirectory && isSalesCsvName(entry.name))
      .map((entry) => entry.name)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (names.length === 0) {
      throw new UserError(`${input} holds no *.csv or *.csv.gz files: check the --input directory`);
    }
    for (const name of names) files.push({ path: join(input, name), name });
  }
  const seen = new Map<string, string>();
  for (const file of files) {
    const key = resolve(file.path);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw new UserError(
        `${file.path} is named twice as input (also as ${earlier}): each file is cleaned once`,
      );
    }
    seen.set(key, file.path);
  }
  return files;
}

/**
 * The name a run's outputs carry: `--name`, else the single input's stem (`sales` for
 * `sales.csv.gz`) or directory name. Several inputs without `--name` are a UserError, since no
 * one name fits them.
 */
export function runName(inputs: readonly string[], name?: string): string {
  if (name !== undefined) {
    if (!/^[^/\\\0]+$/.test(name) || name === "." || name === "..") {
      throw new UserError(`--name "${name}" must be a plain file name (no slashes)`);
    }
    return name;
  }
  if (inputs.length !== 1) {
    throw new UserError(
      `${inputs.length} --input values given: name the run's outputs with --name NAME`,
    );
  }
  const trimmed = inputs[0].replace(/[\\/]+$/, "");
  return inputStem(trimmed);
}
