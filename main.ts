/**
 * dpd: Data Pipeline Dashboard. This file only wires the subcommands; each lives with its stage.
 * It is the one place that joins what the layers may not import themselves: the update-lookups
 * command gets its dry-run clean, and the pipeline gets the dashboard (README, Architecture).
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
import { dashboardLauncher, runDashboardCommand } from "./dashboard/command.ts";
import { pipelineCommand } from "./src/pipeline.ts";
import { sampleDryRun } from "./src/sample_dry_run.ts";

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
    .addCommand(updateLookupsCommand(sampleDryRun))
    .addCommand(cleanDataCommand())
    .addCommand(buildAggregationsCommand())
    .addCommand(runDashboardCommand())
    .addCommand(pipelineCommand(dashboardLauncher));
}

if (import.meta.main) {
  await createProgram().parseAsync(Deno.args, { from: "user" });
}
