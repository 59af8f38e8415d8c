/**
 * `run-dashboard`: serves the dashboard until interrupted (README, dashboard/README.md); and the
 * dashboard `pipeline --dashboard` serves.
 */
import { Command } from "commander";
import { runCommand } from "../src/cli/errors.ts";
import { parsePort } from "../src/cli/options.ts";
import { type GlobalFlags, peakRssBytes } from "../src/cli/summary.ts";
import type { DashboardLauncher } from "../src/pipeline.ts";
import { checkCanListen, DEFAULT_HOST, DEFAULT_PORT, serveDashboard } from "./server.ts";
import { isLoopback } from "./routes/_middleware.ts";

interface RunDashboardFlags extends GlobalFlags {
  host: string;
  port: number;
  dataDir: string;
  lookupsDir: string;
}

export function runDashboardCommand(): Command {
  return new Command("run-dashboard")
    .description(
      "Serve the web dashboard: KPIs, the aggregations explorer, rejections and the review queue.",
    )
    .option("--host <address>", "address to listen on (keep the default: no login)", DEFAULT_HOST)
    .option("--port <port>", "port to listen on (0 picks a free one)", parsePort, DEFAULT_PORT)
    .option("--data-dir <dir>", "workspace whose outputs are shown", "data")
    .option("--lookups-dir <dir>", "lookup files the review queue edits", "lookups")
    .addHelpText(
      "after",
      "\nExample:\n  deno task run-dashboard --port 8080\n  then open http://127.0.0.1:8080/\n",
    )
    .action((_options, command: Command) =>
      runCommand(async () => {
        const flags = command.optsWithGlobals<RunDashboardFlags>();
        const say = (line: string) => {
          if (!flags.quiet) console.error(line);
        };
        const started = performance.now();
        const dashboard = await serveDashboard({
          host: flags.host,
          port: flags.port,
          dataDir: flags.dataDir,
          lookupsDir: flags.lookupsDir,
          log: say,
        });
        if (!isLoopback(flags.host)) {
          console.error(
            `warning: listening on ${flags.host}: anyone who can reach this machine can read the ` +
              `data and edit the lookups (the dashboard has no login)`,
          );
        }
        if (flags.json) {
          console.log(JSON.stringify({
            command: "run-dashboard",
            url: dashboard.url,
            host: dashboard.hostname,
            port: dashboard.port,
            data_dir: dashboard.context.workspace.dataDir,
            lookups_dir: dashboard.context.workspace.lookupsDir,
            duration_s: (performance.now() - started) / 1000,
            peak_rss_bytes: peakRssBytes(),
          }));
        }
        say(`dashboard: serving ${dashboard.context.workspace.dataDir} at ${dashboard.url}`);
        say("dashboard: press Ctrl-C to stop");
        await dashboard.server.finished;
      })
    );
}

/** The dashboard as `pipeline --dashboard` serves it once the run is done; main.ts wires the two. */
export const dashboardLauncher: DashboardLauncher = {
  defaultHost: DEFAULT_HOST,
  defaultPort: DEFAULT_PORT,
  checkCanListen,
  serve: async (options) => {
    const dashboard = await serveDashboard(options);
    return { url: dashboard.url, finished: dashboard.server.finished };
  },
};
