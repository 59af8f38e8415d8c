/**
 * Runs dpd as a person does, `deno run -A main.ts …` in a subprocess, for the tests that check exit
 * codes, stderr lines and `--json` summaries.
 */
import { join } from "node:path";

export const PROJECT_ROOT = join(import.meta.dirname!, "..");
export const MAIN = join(PROJECT_ROOT, "main.ts");

export interface DpdRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `main.ts` with `args` (no colours, so output can be matched) and waits for it. */
export async function runDpd(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<DpdRun> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    cwd: options.cwd,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", ...options.env },
  }).output();
  return {
    code: output.code,
    stdout: new TextDecoder().decode(output.stdout),
    stderr: new TextDecoder().decode(output.stderr),
  };
}

/** Starts `main.ts` with `args` and returns the running process (servers, kill tests). */
export function spawnDpd(args: string[], output: "piped" | "null" = "piped"): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    stdout: output,
    stderr: output,
    env: { NO_COLOR: "1" },
  }).spawn();
}
