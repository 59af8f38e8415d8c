/**
 * The errors a person can fix, and how any error reads as one line. They live at the bottom of the
 * import graph because every layer throws them; the CLI layer (src/cli/errors.ts) turns them into
 * exit codes.
 *
 * @example
 * ```ts
 * import { formatLocation, UserError } from "./errors.ts";
 *
 * const error = new UserError(`${formatLocation("sales.csv", 3, 7)}: unclosed quote`);
 * console.log(error.message); // "sales.csv:3:7: unclosed quote"
 * ```
 */

/** A problem the user can fix. `where` is a file, optionally with line and column. */
export class UserError extends Error {
  /** `message` says what went wrong, where, and what to do; `cause` keeps the original error. */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "UserError";
  }
}

/** The message of anything thrown: an Error's message, or the value as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Formats `file:line:column` the way editors and terminals link it. */
export function formatLocation(file: string, line?: number, column?: number): string {
  if (line === undefined) return file;
  if (column === undefined) return `${file}:${line}`;
  return `${file}:${line}:${column}`;
}
