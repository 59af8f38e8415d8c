import { Command } from "commander";
import { runCommand, UserError } from "../cli/errors.ts";

/** Placeholder until the stage lands: registered so `--help` lists the whole product. */
export function cleanDataCommand(): Command {
  return new Command("clean-data")
    .description("(not built yet)")
    .action(() =>
      runCommand(() => {
        throw new UserError("clean-data is not built yet");
      })
    );
}
