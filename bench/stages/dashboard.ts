/**
 * Bench stage `run-dashboard`: how fast the server-rendered explorer page answers for the
 * aggregations the earlier stages left in the work directory (the README's target: < 300 ms).
 *
 * The dashboard runs as a user runs it (`main.ts run-dashboard --port 0 --json`, a subprocess);
 * each run warms it up (the first request decodes the tables), then times {@linkcode REQUESTS}
 * sequential requests of `/explorer/daily_sales` and reports their median as the run's seconds.
 * The row's "rows" are the table's rows on the page's table, "bytes" the page's size, peak RSS the
 * server's. Every other table's page is timed once too and printed for information.
 */
import { join } from "node:path";
import {
  type BenchContext,
  type BenchStage,
  ensureCleanParquet,
  median,
  PROJECT_ROOT,
  runDpd,
} from "../harness.ts";

/** Timed requests per run (after the warm-up). */
export const REQUESTS = 25;
const WARM_UP_REQUESTS = 3;
const PAGE = "/explorer/daily_sales";

interface RunningDashboard {
  url: string;
  child: Deno.ChildProcess;
}

async function startDashboard(workDir: string): Promise<RunningDashboard> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      join(PROJECT_ROOT, "main.ts"),
      "run-dashboard",
      "--port",
      "0",
      "--data-dir",
      workDir,
      "--json",
      "--quiet",
    ],
    cwd: PROJECT_ROOT,
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("run-dashboard exited before it was listening");
    text += value;
  }
  reader.releaseLock();
  child.stdout.cancel().catch(() => {});
  return { url: JSON.parse(text.split("\n")[0]).url, child };
}

/** The server's peak resident memory (Linux), else 0. */
function peakRss(pid: number): number {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    return Number(/^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

async function timedGet(url: string): Promise<{ seconds: number; bytes: number; html: string }> {
  const started = performance.now();
  const response = await fetch(url);
  const html = await response.text();
  const seconds = (performance.now() - started) / 1000;
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  return { seconds, bytes: new TextEncoder().encode(html).length, html };
}

/**
 * Makes whatever the earlier stages did not leave (the dirty CSV, the clean run of this size),
 * then builds the tables from this size's clean parquet: the work directory may hold the tables of
 * another size, and building them costs seconds next to generating and cleaning.
 */
async function ensureAggregations(context: BenchContext): Promise<void> {
  const cleaned = await ensureCleanParquet(context);
  await runDpd(["build-aggregations", "--cleaned", cleaned, "--data-dir", context.workDir]);
}

export const dashboardStage: BenchStage = {
  name: "run-dashboard (explorer page, median request)",
  prepare: ensureAggregations,
  async run(context) {
    const dashboard = await startDashboard(context.workDir);
    try {
      const url = new URL(PAGE, dashboard.url).href;
      for (let request = 0; request < WARM_UP_REQUESTS; request++) await timedGet(url);
      const times: number[] = [];
      let last = { seconds: 0, bytes: 0, html: "" };
      for (let request = 0; request < REQUESTS; request++) {
        last = await timedGet(url);
        times.push(last.seconds);
      }
      const others: string[] = [];
      for await (const entry of Deno.readDir(join(context.workDir, "aggregations"))) {
        if (!entry.isFile || !entry.name.endsWith(".parquet")) continue;
        const table = entry.name.slice(0, -".parquet".length);
        const page = new URL(`/explorer/${table}`, dashboard.url).href;
        await timedGet(page);
        others.push(`${table} ${((await timedGet(page)).seconds * 1000).toFixed(0)} ms`);
      }
      console.error(`  other tables (warm, one request each): ${others.sort().join(", ")}`);
      const rows = Number(/Rows 1–[\d,]+ of ([\d,]+)/.exec(last.html)?.[1].replace(/,/g, "") ?? 0);
      return {
        seconds: median(times),
        rows,
        bytes: last.bytes,
        peakRssBytes: peakRss(dashboard.child.pid),
      };
    } finally {
      dashboard.child.kill("SIGTERM");
      await dashboard.child.status;
    }
  },
};
