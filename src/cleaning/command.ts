import { Command, Option } from "commander";
import { addColumnOptions, type ColumnFlags, columnMappingFrom } from "../cli/column_options.ts";
import { runCommand } from "../cli/errors.ts";
import {
  addWorkspaceOptions,
  asOfOption,
  collectInputs,
  parseShard,
  workersOption,
} from "../cli/options.ts";
import { type GlobalFlags, printSummary } from "../cli/summary.ts";
import { cleanData } from "./clean_data.ts";
import { describeCleanReport } from "./describe_clean_report.ts";

interface CleanDataFlags extends GlobalFlags, ColumnFlags {
  input: string[];
  name?: string;
  shard?: { index: number; count: number };
  partitionBy?: "sale_month";
  output?: string;
  rejectedDir?: string;
  saveRejected: boolean;
  keepZeroQuantity?: boolean;
  dataDir: string;
  lookupsDir: string;
  asOf?: string;
  workers: number;
}

export function cleanDataCommand(): Command {
  return addColumnOptions(
    addWorkspaceOptions(
      new Command("clean-data")
        .description("Clean a sales CSV into parquet, keeping every rejected row with its reason.")
        .requiredOption(
          "--input <path>",
          "the CSV to clean (.csv or .csv.gz), or a directory of them; repeat for several, " +
            "cleaned as one run",
          collectInputs,
        )
        .option(
          "--name <name>",
          "names the outputs (default: the single input's stem or directory name)",
        )
        .option(
          "--shard <K/N>",
          "clean only shard K of N (rows by dedup key hash); N runs equal one run " +
            "(parquet: <data-dir>/clean/<name>/part-shard-K-of-N.parquet)",
          parseShard,
        )
        .addOption(
          new Option(
            "--partition-by <column>",
            "write the clean rows as a hive-style dataset <data-dir>/clean/<name>/" +
              "sale_month=YYYY-MM/part-*.parquet",
          ).choices(["sale_month"]),
        )
        .option(
          "--output <file>",
          "the clean parquet (default: <data-dir>/clean/<name>_clean.parquet)",
        )
        .option(
          "--rejected-dir <dir>",
          "where the rejected CSV goes (default: <data-dir>/rejected)",
        )
        .option("--no-save-rejected", "do not write the rejected rows")
        .option("--keep-zero-quantity", "keep rows whose quantity is 0 instead of rejecting them"),
      "workspace for outputs",
    )
      .addOption(asOfOption())
      .addOption(workersOption()),
  )
    .addHelpText(
      "after",
      '\nColumns are found by name ("Order ID" is order_id); name others with --column or a\n' +
        'dpd.json in the working directory (see README, "Your own export").\n\n' +
        "Examples:\n  deno task clean-data --input data/input/dirty_1m.csv --as-of 2026-11-28\n" +
        "  deno task clean-data --input exports/ --name sales_2026   # every *.csv(.gz) in it\n" +
        '  deno task clean-data --input export.csv --column "sale_date=Order Date" \\\n' +
        '    --dedup-key "Order ID,Product ID"\n',
    )
    .action((_options, command: Command) =>
      runCommand(async () => {
        const flags = command.optsWithGlobals<CleanDataFlags>();
        const { report, reportPath, notes } = await cleanData({
          input: flags.input,
          name: flags.name,
          shard: flags.shard,
          partitionBy: flags.partitionBy,
          output: flags.output,
          rejectedDir: flags.rejectedDir,
          saveRejected: flags.saveRejected,
          keepZeroQuantity: flags.keepZeroQuantity,
          dataDir: flags.dataDir,
          lookupsDir: flags.lookupsDir,
          asOf: flags.asOf,
          workers: flags.workers,
          columns: await columnMappingFrom(flags),
          quiet: flags.quiet || flags.json,
        });
        printSummary(flags, { command: "clean-data", ...report, report: reportPath, notes }, [
          ...notes.map((note) => `note: ${note}`),
          ...describeCleanReport(report),
          `wrote ${report.output}`,
          ...(report.rejected ? [`wrote ${report.rejected}`] : []),
          `wrote ${reportPath}`,
        ]);
      })
    );
}
