/**
 * `dpd generate-data`: the command-line face of {@linkcode generateData}.
 */
import { Command, InvalidArgumentError } from "commander";
import { runCommand } from "../cli/errors.ts";
import { UserError } from "../io/errors.ts";
import { asOfOption, parseCount, parseSeed, todayIso, workersOption } from "../cli/options.ts";
import { formatCount, formatSeconds, Progress } from "../cli/progress.ts";
import { type GlobalFlags, printSummary } from "../cli/summary.ts";
import { generateData, STANDARD_OUTPUT } from "./generate_data.ts";
import { defaultOutputPath } from "./output_path.ts";
import { ORDER_ID_SHAPES, type OrderIdShape } from "./order_ids.ts";

interface GenerateDataFlags {
  rows: number;
  clean?: boolean;
  seed: number;
  asOf?: string;
  output?: string;
  workers: number;
  dataDir: string;
  idShape: OrderIdShape;
}

function parseIdShape(value: string): OrderIdShape {
  if ((ORDER_ID_SHAPES as readonly string[]).includes(value)) return value as OrderIdShape;
  throw new InvalidArgumentError(`expected one of ${ORDER_ID_SHAPES.join(", ")}`);
}

function formatMegabytes(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

export function generateDataCommand(): Command {
  return new Command("generate-data")
    .description(
      "Write a synthetic sales CSV: dirty by default (typos, duplicates, bad values at the rates " +
        "of docs/generation.md), or valid rows only with --clean. The same rows, mode, seed and --as-of " +
        "always give the same bytes.",
    )
    .option(
      "--rows <n>",
      "data rows to write (100000, 1m, 10_000_000)",
      parseCount,
      100_000,
    )
    .option("--clean", "valid rows only (default: dirty)")
    .option("--seed <n>", "random seed", parseSeed, 42)
    .addOption(asOfOption("last possible sale day, YYYY-MM-DD (default: today, UTC)"))
    .option(
      "--output <path>",
      "file to write; a name ending in .gz is gzip-compressed; - writes the CSV to stdout " +
        "(default: <data-dir>/input/{dirty,clean}_<rows>.csv, like dirty_1m.csv)",
    )
    .addOption(workersOption())
    .option(
      "--id-shape <shape>",
      "order IDs as `ord` (ORD-000000001) or `uuid` (a UUID per number, one-to-one and fixed by " +
        "the seed: the same rows and duplicates as the ord file)",
      parseIdShape,
      "ord",
    )
    .option("--data-dir <dir>", "workspace for inputs and outputs", "data")
    // Generation reads no lookups; the flag is accepted so every command takes the same workspace
    // flags (README) and scripts can pass them all alike.
    .option("--lookups-dir <dir>", "where the lookup JSON files live (unused here)", "lookups")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  deno task generate-data --rows 1m                 # data/input/dirty_1m.csv\n" +
        "  deno task generate-data --rows 10m --clean --seed 7 --as-of 2025-06-30 \\\n" +
        "    --output data/input/clean_10m.csv.gz\n" +
        "  deno task generate-data --rows 1m --id-shape uuid --output data/input/dirty_1m_uuid.csv\n",
    )
    .action((flags: GenerateDataFlags, command: Command) =>
      runCommand(async () => {
        const global = command.optsWithGlobals<GlobalFlags>();
        const clean = flags.clean ?? false;
        const output = flags.output ?? defaultOutputPath(flags.dataDir, flags.rows, clean);
        if (output === STANDARD_OUTPUT && global.json) {
          throw new UserError(
            "--json and --output - both want stdout: drop --json, or write the CSV to a file",
          );
        }
        const progress = new Progress({
          label: "generate-data",
          totalRows: flags.rows,
          quiet: global.quiet || global.json,
        });
        const result = await generateData({
          rows: flags.rows,
          clean,
          seed: flags.seed,
          asOf: flags.asOf ?? todayIso(),
          output,
          idShape: flags.idShape,
          workers: flags.workers,
          onProgress: (rows, bytes) => progress.update({ rows, bytes }),
        });
        progress.finish();
        printSummary(global, {
          command: "generate-data",
          rows: result.rows,
          bytes: result.bytes,
          csv_bytes: result.csvBytes,
          output: result.output,
          mode: result.clean ? "clean" : "dirty",
          seed: result.seed,
          as_of: result.asOf,
          id_shape: result.idShape,
          workers: result.workers,
          compressed: result.compressed,
          duration_s: Number(result.durationSeconds.toFixed(3)),
          rows_per_s: Math.round(result.rowsPerSecond),
          peak_rss_bytes: result.peakRssBytes,
        }, [
          `generate-data: wrote ${formatCount(result.rows)} ${
            result.clean ? "clean" : "dirty"
          } rows to ${result.output} (${formatMegabytes(result.bytes)}) in ${
            formatSeconds(result.durationSeconds)
          }: ${formatCount(result.rowsPerSecond)} rows/s, peak RSS ${
            (result.peakRssBytes / 2 ** 20).toFixed(0)
          } MiB (seed ${result.seed}, as of ${result.asOf})`,
        ]);
      })
    );
}
