import { Command } from "commander";
import { runCommand, UserError } from "../src/cli/errors.ts";

/** Placeholder until the stage lands: registered so `--help` lists the whole product. */
export function runDashboardCommand(): Command {
  return new Command("run-dashboard")
    .description("(not built yet)")
    .action(() =>
      runCommand(() => {
        throw new UserError("run-dashboard is not built yet");
      })
    );
}
