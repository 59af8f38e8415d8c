/**
 * `csv-parse (1 core)`: the CSV reader alone over the generate stage's dirty file, read as
 * `clean-data` reads it (synchronous reads into a large buffer, the byte-level parser), in a
 * subprocess (`bench/csv_parse_probe.ts`) so the peak RSS is the parser's own.
 */
import { join } from "node:path";
import { type BenchStage, ensureDirtyInput, PROJECT_ROOT } from "../harness.ts";

interface ProbeResult {
  seconds: number;
  rows: number;
  bytes: number;
  malformedRows: number;
  peakRssBytes: number;
}

async function runProbe(path: string): Promise<ProbeResult> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(PROJECT_ROOT, "bench", "csv_parse_probe.ts"), path],
    cwd: PROJECT_ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) {
    throw new Error(
      `csv_parse_probe.ts ${path} failed (exit ${output.code}):\n${
        new TextDecoder().decode(output.stderr)
      }`,
    );
  }
  const lines = new TextDecoder().decode(output.stdout).trim().split("\n");
  return JSON.parse(lines.at(-1) ?? "{}") as ProbeResult;
}

export const csvParseStage: BenchStage = {
  name: "csv-parse (1 core)",
  async prepare(context) {
    await ensureDirtyInput(context);
  },
  async run(context) {
    const result = await runProbe(await ensureDirtyInput(context));
    return {
      seconds: result.seconds,
      rows: result.rows,
      bytes: result.bytes,
      peakRssBytes: result.peakRssBytes,
    };
  },
};
