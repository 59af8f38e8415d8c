import { Command } from "commander";
import { runCommand, UserError } from "../cli/errors.ts";

/** Placeholder until the stage lands: registered so `--help` lists the whole product. */
export function buildAggregationsCommand(): Command {
  return new Command("build-aggregations")
    .description("(not built yet)")
    .action(() =>
      runCommand(() => {
        throw new UserError("build-aggregations is not built yet");
      })
    );
}
