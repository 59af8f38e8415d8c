/**
 * Flag parsers shared by every command. Each throws a {@linkcode UserError} naming the flag, so a
 * typo in a flag reads as one line and exits 1.
 */
import { InvalidArgumentError, Option } from "commander";

/**
 * A whole number ≥ 1, written plainly (`1000000`), with `_` separators or a `k`/`m` suffix
 * (`1_000_000`, `10m`). It takes one argument on purpose: commander calls an argument parser with
 * the option's previous value as the second, which must never act as a minimum.
 */
export function parseCount(value: string): number {
  return countAtLeast(value, 1);
}

/** Like {@linkcode parseCount}, but 0 is allowed (seeds). */
export function parseSeed(value: string): number {
  return countAtLeast(value, 0);
}

function countAtLeast(value: string, min: number): number {
  const text = value.trim().toLowerCase().replaceAll("_", "");
  const match = /^(\d+)(k|m)?$/.exec(text);
  if (!match) {
    throw new InvalidArgumentError(
      `expected a whole number (like 100000, 1m or 10_000_000), got "${value}"`,
    );
  }
  const multiplier = match[2] === "k" ? 1_000 : match[2] === "m" ? 1_000_000 : 1;
  const count = Number(match[1]) * multiplier;
  if (!Number.isSafeInteger(count) || count < min) {
    throw new InvalidArgumentError(`expected a whole number ≥ ${min}, got "${value}"`);
  }
  return count;
}

/** A number of workers: 1 to 64. */
export function parseWorkers(value: string): number {
  const count = parseCount(value);
  if (count > 64) throw new InvalidArgumentError(`expected 1 to 64 workers, got "${value}"`);
  return count;
}

/** A fraction in [0, 1], like `0.02`, or a percentage like `2%`. */
export function parseShare(value: string): number {
  const text = value.trim();
  const percent = text.endsWith("%");
  // `1.1%` is read as the decimal 1.1e-2, the same double as `0.011`; dividing by 100 would give
  // 0.011000000000000001 and drop a value whose share is exactly 1.1%.
  const share = Number(percent ? `${text.slice(0, -1)}e-2` : text);
  if (text === "" || !Number.isFinite(share) || share < 0 || share > 1) {
    throw new InvalidArgumentError(
      `expected a share between 0 and 1 (or 0% to 100%), got "${value}"`,
    );
  }
  return share;
}

/** A calendar date `YYYY-MM-DD`, returned as the same string once checked to be a real day. */
export function parseIsoDate(value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCMonth() === month - 1 && date.getUTCDate() === day) return match[0];
  }
  throw new InvalidArgumentError(`expected a date as YYYY-MM-DD, got "${value}"`);
}

/** A TCP port, 0 to 65535 (0 lets the system choose). */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError(`expected a port from 0 to 65535, got "${value}"`);
  }
  return port;
}

/** `--shard K/N`: shard K (0-based) of N, with 1 ≤ N ≤ 4096. */
export function parseShard(value: string): { index: number; count: number } {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  const [index, count] = match ? [Number(match[1]), Number(match[2])] : [NaN, NaN];
  if (!match || count < 1 || count > 4096 || index >= count) {
    throw new InvalidArgumentError(
      `expected K/N with 0 ≤ K < N ≤ 4096 (like 0/4 … 3/4), got "${value}"`,
    );
  }
  return { index, count };
}

/** Today's date in UTC as `YYYY-MM-DD`: the default `--as-of`. */
export function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The number of cores, the default `--workers`. */
export function defaultWorkers(): number {
  return Math.max(1, Math.min(64, navigator.hardwareConcurrency || 1));
}

/** The workspace flags every command that touches files shares (README). */
export interface WorkspaceFlags {
  dataDir: string;
  lookupsDir: string;
}

/**
 * Adds `--data-dir` and `--lookups-dir` with their defaults; `dataDirHelp` says what a command
 * keeps in the workspace when it is not both inputs and outputs.
 */
export function addWorkspaceOptions<T extends { option: (...args: string[]) => T }>(
  command: T,
  dataDirHelp = "workspace for inputs and outputs",
): T {
  return command
    .option("--data-dir <dir>", dataDirHelp, "data")
    .option("--lookups-dir <dir>", "where the lookup JSON files live", "lookups");
}

/** `--as-of <date>`, checked by {@linkcode parseIsoDate}; no default (commands take today). */
export function asOfOption(
  description = "the day dates are checked against (default: today)",
): Option {
  return new Option("--as-of <date>", description).argParser(parseIsoDate);
}

/** `--workers <n>`, checked by {@linkcode parseWorkers}, one per core by default. */
export function workersOption(description = "worker threads"): Option {
  return new Option("--workers <n>", description).argParser(parseWorkers).default(
    defaultWorkers(),
  );
}

/** `--input` may be repeated: the values in the order given. */
export function collectInputs(value: string, previous: string[] | undefined): string[] {
  return [...previous ?? [], value];
}
