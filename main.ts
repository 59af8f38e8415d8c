/**
 * dpd: Data Pipeline Dashboard. This file only wires the subcommands; each lives with its stage.
 */
import { Command } from "commander";
import denoConfig from "./deno.json" with { type: "json" };
import { generateDataCommand } from "./src/generation/command.ts";
import {
  buildCategoryLookupCommand,
  buildRegionLookupCommand,
  buildRegionMapCommand,
  updateLookupsCommand,
} from "./src/lookups/command.ts";
import { cleanDataCommand } from "./src/cleaning/command.ts";
import { buildAggregationsCommand } from "./src/aggregations/command.ts";
import { runDashboardCommand } from "./dashboard/command.ts";
import { pipelineCommand } from "./src/pipeline.ts";

export function createProgram(): Command {
  return new Command("dpd")
    .description(
      "Turn a messy sales CSV into clean parquet, metrics and a dashboard, on one laptop.",
    )
    .version(denoConfig.version, "--version", "print the version")
    .option("--quiet", "no progress output")
    .option("--json", "print one machine-readable summary object on stdout at the end")
    .showHelpAfterError("(run with --help for usage)")
    .addCommand(generateDataCommand())
    .addCommand(buildCategoryLookupCommand())
    .addCommand(buildRegionLookupCommand())
    .addCommand(buildRegionMapCommand())
    .addCommand(updateLookupsCommand())
    .addCommand(cleanDataCommand())
    .addCommand(buildAggregationsCommand())
    .addCommand(runDashboardCommand())
    .addCommand(pipelineCommand());
}

if (import.meta.main) {
  await createProgram().parseAsync(Deno.args, { from: "user" });
}
