import { Command } from "commander";
import { runCommand, UserError } from "../cli/errors.ts";

/** Placeholder until the stage lands: registered so `--help` lists the whole product. */
export function buildCategoryLookupCommand(): Command {
  return new Command("build-category-lookup")
    .description("(not built yet)")
    .action(() =>
      runCommand(() => {
        throw new UserError("build-category-lookup is not built yet");
      })
    );
}

/** Placeholder until the stage lands: registered so `--help` lists the whole product. */
export function buildRegionLookupCommand(): Command {
  return new Command("build-region-lookup")
    .description("(not built yet)")
    .action(() =>
      runCommand(() => {
        throw new UserError("build-region-lookup is not built yet");
      })
    );
}

/** Placeholder until the stage lands: registered so `--help` lists the whole product. */
export function buildRegionMapCommand(): Command {
  return new Command("build-region-map")
    .description("(not built yet)")
    .action(() =>
      runCommand(() => {
        throw new UserError("build-region-map is not built yet");
      })
    );
}

/** Placeholder until the stage lands: registered so `--help` lists the whole product. */
export function updateLookupsCommand(): Command {
  return new Command("update-lookups")
    .description("(not built yet)")
    .action(() =>
      runCommand(() => {
        throw new UserError("update-lookups is not built yet");
      })
    );
}
