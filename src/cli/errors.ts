/**
 * Errors for people, and the exit codes in the README.
 *
 * A {@linkcode UserError} is something the person running dpd can fix (bad flag, missing file, broken
 * lookup JSON): it prints as one line and exits 1. Anything else is our bug: it exits 2 with one
 * line and a hint, and the stack only when `DPD_DEBUG=1`.
 */

import { isStorageError, reason } from "../io/atomic_file.ts";
import { installSignalHandlers } from "./signals.ts";
import { errorMessage, UserError } from "../io/errors.ts";
import { pauseAfter } from "../io/test_pause.ts";

export const EXIT_OK = 0;
export const EXIT_USER_ERROR = 1;
export const EXIT_INTERNAL_ERROR = 2;

/** One line for stderr, and the exit code it deserves. */
export function describeError(error: unknown): { message: string; exitCode: number } {
  if (error instanceof UserError) {
    return { message: `error: ${error.message}`, exitCode: EXIT_USER_ERROR };
  }
  // A full disk or a read-only directory met somewhere without its own message is still the
  // machine's fault, not dpd's: say what happened (the system's words name the path).
  if (isStorageError(error)) {
    return {
      message: `error: ${reason(error)} (${error.message}). Free space or fix permissions, ` +
        `then re-run; previous outputs are unchanged.`,
      exitCode: EXIT_USER_ERROR,
    };
  }
  const detail = errorMessage(error);
  return {
    message:
      `internal error: ${detail}\n  This is a bug in dpd. Re-run with DPD_DEBUG=1 for the stack trace.`,
    exitCode: EXIT_INTERNAL_ERROR,
  };
}

/**
 * Runs a command body, turning any failure into one readable line and the right exit code.
 * Commands never call `Deno.exit` themselves, so tests can call their bodies directly.
 */
export async function runCommand(body: () => Promise<void> | void): Promise<void> {
  installSignalHandlers();
  try {
    await pauseAfter("started");
    await body();
  } catch (error) {
    const { message, exitCode } = describeError(error);
    console.error(message);
    if (Deno.env.get("DPD_DEBUG") === "1" && error instanceof Error && error.stack) {
      console.error(error.stack);
    }
    Deno.exit(exitCode);
  }
}
