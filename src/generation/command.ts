import { Command } from "commander";
import { runCommand, UserError } from "../cli/errors.ts";

/** Placeholder until the stage lands: registered so `--help` lists the whole product. */
export function generateDataCommand(): Command {
  return new Command("generate-data")
    .description("(not built yet)")
    .action(() =>
      runCommand(() => {
        throw new UserError("generate-data is not built yet");
      })
    );
}
