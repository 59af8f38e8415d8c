/**
 * Ctrl-C and SIGTERM for every command: complete a publish in progress, remove this process's
 * temporary files, and exit 130 (SIGINT) or 143 (SIGTERM), the shell's 128 + signal number.
 */
import { cleanUpBeforeExitSync } from "../io/atomic_file.ts";

export const EXIT_SIGINT = 130;
export const EXIT_SIGTERM = 143;

let installed = false;

/** Installs the handlers once per process; commands call it through `runCommand`. */
export function installSignalHandlers(): void {
  if (installed) return;
  installed = true;
  const signals: [Deno.Signal, number][] = [["SIGINT", EXIT_SIGINT], ["SIGTERM", EXIT_SIGTERM]];
  for (const [signal, exitCode] of signals) {
    try {
      Deno.addSignalListener(signal, () => {
        cleanUpBeforeExitSync();
        Deno.exit(exitCode);
      });
    } catch {
      // Not every platform has these signals; temporary names still protect final paths.
    }
  }
}
