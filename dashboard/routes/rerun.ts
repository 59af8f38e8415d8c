/**
 * Re-running cleaning and aggregations (dashboard/README.md): `POST /rerun` starts a run (202, or 409 while
 * one is running), `GET /rerun/events` streams its progress as server-sent events, and
 * `GET /rerun/status` returns the current state as JSON. A form post without JavaScript is
 * redirected back to the review page, which refreshes itself while the run goes on.
 */
import type { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { dirname, resolve } from "node:path";
import type { LatestReport } from "../lib/clean_report.ts";
import { loadOverview } from "../lib/overview.ts";
import { RerunBusyError } from "../lib/rerun_job.ts";
import { isFinished, type RerunSnapshot } from "../shared/rerun_status.ts";
import { type DashboardContext, wantsJson } from "./_context.ts";

/**
 * What the last run cleaned: its input as given when it read one file, else every file its report
 * lists (a directory or repeated `--input`), so the re-run reads the same files in the same order.
 */
function rerunInputs(report: LatestReport): string[] {
  if (report.inputs.length > 1) return report.inputs;
  return report.input ? [report.input] : [];
}

/** Why a re-run cannot start now, or undefined when it can. */
export async function rerunBlockedReason(
  report: LatestReport | undefined,
): Promise<string | undefined> {
  if (!report) return "Nothing to re-run yet: no clean report in the data directory.";
  if (report.shard) {
    return `The latest clean report is shard ${report.shard.index}/${report.shard.count} of a ` +
      "sharded run: re-run every shard with the scheduler that started them (see " +
      "docs/scale-out.md); the dashboard re-runs whole runs only.";
  }
  const inputs = rerunInputs(report);
  if (inputs.length === 0) {
    return "The clean report does not name its input, so it cannot be re-run.";
  }
  for (const input of inputs) {
    try {
      await Deno.stat(resolve(input));
    } catch {
      return `The input ${input} no longer exists, so it cannot be cleaned again.`;
    }
  }
  return undefined;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch {
    return false;
  }
}

/** Seconds between keep-alive comments on an idle stream (proxies drop silent connections). */
const KEEP_ALIVE_MS = 15_000;

export function mountRerun(app: Hono, context: DashboardContext): void {
  app.post("/rerun", async (c) => {
    const overview = await loadOverview(context.workspace);
    const report = overview.report;
    const blocked = await rerunBlockedReason(report);
    if (blocked || !report) {
      return wantsJson(c) ? c.json({ error: blocked }, 400) : c.text(`${blocked}\n`, 400);
    }
    try {
      const inputs = rerunInputs(report).map((input) => resolve(input));
      const snapshot = context.rerun.start({
        input: inputs.length === 1 ? inputs[0] : inputs,
        name: report.name,
        // A dataset directory is what --partition-by wrote (shards are refused above).
        partitionBy: await isDirectory(report.cleanParquetPath) ? "sale_month" : undefined,
        dataDir: context.workspace.dataDir,
        lookupsDir: context.workspace.lookupsDir,
        asOf: report.asOf,
        cleaned: report.cleanParquetPath,
        saveRejected: report.rejectedSaved,
        keepZeroQuantity: report.keepZeroQuantity,
        columns: report.columns,
        rejectedDir: dirname(report.rejectedCsvPath),
        before: {
          inputRows: report.inputRows,
          cleanRows: report.cleanRows,
          rejectedRows: report.rejectedRows,
          reasons: Object.fromEntries(report.reasons),
        },
      });
      return wantsJson(c) ? c.json(snapshot, 202) : c.redirect("/review", 303);
    } catch (error) {
      if (!(error instanceof RerunBusyError)) throw error;
      return wantsJson(c)
        ? c.json(context.rerun.snapshot, 409)
        : c.text("A re-run is already in progress; see /review.\n", 409);
    }
  });

  app.get("/rerun/status", (c) => c.json(context.rerun.snapshot));

  app.get("/rerun/events", (c) =>
    streamSSE(c, async (stream) => {
      const queue: RerunSnapshot[] = [];
      let wake: (() => void) | undefined;
      const unsubscribe = context.rerun.subscribe((snapshot) => {
        queue.push(snapshot);
        wake?.();
      });
      stream.onAbort(() => wake?.());
      try {
        let current = context.rerun.snapshot;
        await stream.writeSSE({ event: "snapshot", data: JSON.stringify(current) });
        while (!isFinished(current) && !stream.aborted) {
          if (queue.length === 0) {
            let timer: ReturnType<typeof setTimeout> | undefined;
            await new Promise<void>((resolve) => {
              wake = resolve;
              timer = setTimeout(resolve, KEEP_ALIVE_MS);
            });
            clearTimeout(timer);
            wake = undefined;
            if (queue.length === 0 && !stream.aborted) await stream.write(": keep-alive\n\n");
            continue;
          }
          // Only the newest snapshot matters; older ones queued meanwhile are skipped.
          current = queue[queue.length - 1];
          queue.length = 0;
          await stream.writeSSE({ event: "snapshot", data: JSON.stringify(current) });
        }
      } finally {
        unsubscribe();
      }
    }));
}
