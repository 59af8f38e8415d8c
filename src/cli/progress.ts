/**
 * Progress for long work, on stderr so stdout stays clean for `--json`.
 *
 * On a terminal the line is redrawn in place (at most ten times a second); in a log (CI, a pipe) a
 * plain line is printed every few seconds instead, since carriage returns make logs unreadable.
 * Percent and ETA come from whichever total is known: rows, or bytes of input read.
 */

export interface ProgressOptions {
  /** What is being done, like `clean-data`. */
  label: string;
  /** Rows expected in all, when known in advance. */
  totalRows?: number;
  /** Bytes of input expected in all, when known (the input file's size). */
  totalBytes?: number;
  /** No output at all (`--quiet`). */
  quiet?: boolean;
  /** Overrides terminal detection (tests). */
  interactive?: boolean;
  /** Seconds between plain log lines when not interactive. */
  logIntervalSeconds?: number;
  /** Where lines go; stderr by default. Tests capture them here. */
  write?: (text: string) => void;
  /** Clock in milliseconds; `performance.now` by default. Tests drive it. */
  now?: () => number;
}

export interface ProgressState {
  rows: number;
  bytes?: number;
}

const encoder = new TextEncoder();

function writeStderr(text: string): void {
  const bytes = encoder.encode(text);
  let written = 0;
  while (written < bytes.length) written += Deno.stderr.writeSync(bytes.subarray(written));
}

/** Formats a count the way people read it: 1,234,567. */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

/** Formats seconds as `1m05s` or `12.3s`. */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds - minutes * 60);
  return `${minutes}m${String(rest).padStart(2, "0")}s`;
}

export class Progress {
  readonly #options: ProgressOptions;
  readonly #write: (text: string) => void;
  readonly #now: () => number;
  readonly #interactive: boolean;
  readonly #startedAt: number;
  #lastDrawAt = -Infinity;
  #lineWidth = 0;
  #state: ProgressState = { rows: 0 };
  #finished = false;
  #announced = false;

  constructor(options: ProgressOptions) {
    this.#options = options;
    this.#write = options.write ?? writeStderr;
    this.#now = options.now ?? (() => performance.now());
    this.#interactive = options.interactive ?? Deno.stderr.isTerminal();
    this.#startedAt = this.#now();
  }

  /** Seconds since the start. */
  get elapsedSeconds(): number {
    return (this.#now() - this.#startedAt) / 1000;
  }

  /** Reports how far the work has come; cheap enough to call per batch. */
  update(state: ProgressState): void {
    this.#state = state;
    if (this.#options.quiet || this.#finished) return;
    if (!this.#interactive && !this.#announced) {
      // A log reader should see that work started, not silence until the first interval. Said at
      // the first update, so a run that fails before any work prints only its error.
      this.#announced = true;
      this.#write(`${this.#options.label}: started\n`);
    }
    const now = this.#now();
    const interval = this.#interactive ? 100 : (this.#options.logIntervalSeconds ?? 5) * 1000;
    if (now - this.#lastDrawAt < interval) return;
    this.#lastDrawAt = now;
    this.#draw(this.describe());
  }

  /** The current status line, without terminal control characters. */
  describe(): string {
    const { rows, bytes } = this.#state;
    const seconds = Math.max(this.elapsedSeconds, 1e-9);
    const parts = [`${this.#options.label}: ${formatCount(rows)} rows`];
    parts.push(`${formatCount(rows / seconds)} rows/s`);
    const fraction = this.#fraction();
    if (fraction !== undefined) {
      parts.push(`${(fraction * 100).toFixed(1)}%`);
      if (fraction > 0 && fraction < 1) {
        parts.push(`ETA ${formatSeconds(seconds / fraction - seconds)}`);
      }
    } else if (bytes !== undefined) {
      parts.push(`${(bytes / 1e6).toFixed(0)} MB`);
    }
    return parts.join(" · ");
  }

  /** Ends the line; prints `message` (or the final status) once. */
  finish(message?: string): void {
    if (this.#finished) return;
    this.#finished = true;
    if (this.#options.quiet) return;
    const text = message ?? this.describe();
    if (this.#interactive) this.#draw(text, true);
    else this.#write(`${text}\n`);
  }

  #fraction(): number | undefined {
    const { rows, bytes } = this.#state;
    const { totalRows, totalBytes } = this.#options;
    if (totalRows !== undefined && totalRows > 0) return Math.min(1, rows / totalRows);
    if (totalBytes !== undefined && totalBytes > 0 && bytes !== undefined) {
      return Math.min(1, bytes / totalBytes);
    }
    return undefined;
  }

  #draw(text: string, final = false): void {
    if (!this.#interactive) {
      this.#write(`${text}\n`);
      return;
    }
    const padding = " ".repeat(Math.max(0, this.#lineWidth - text.length));
    this.#lineWidth = text.length;
    this.#write(`\r${text}${padding}${final ? "\n" : ""}`);
  }
}
