import { Command } from "commander";
import { runCommand, UserError } from "./cli/errors.ts";

/** Placeholder until the stage lands: registered so `--help` lists the whole product. */
export function pipelineCommand(): Command {
  return new Command("pipeline")
    .description("(not built yet)")
    .action(() =>
      runCommand(() => {
        throw new UserError("pipeline is not built yet");
      })
    );
}
