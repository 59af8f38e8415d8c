/**
 * What a clean run is configured by, beyond its input and output paths: the switches of
 * `clean-data` (README, docs/cleaning.md), the as-of date the sale-date range hangs on, and the lookups.
 */
import type { Lookups } from "../lookups/load_lookups.ts";
import { todayIso } from "../cli/options.ts";

export interface CleanConfig {
  /**
   * Reject rows whose quantity is 0 (after negatives become 0) as `zero_quantity`. `true` unless
   * `--keep-zero-quantity`.
   */
  dropZeroQuantity: boolean;
  /** Write the rejected-rows CSV. `true` unless `--no-save-rejected`. */
  saveRejectedRows: boolean;
  /** `YYYY-MM-DD`: valid sale days run from 20 years before it to 1 year after. */
  asOf: string;
  /** The category and region lookups the rules match against. */
  lookups: Lookups;
}

/** The switches' defaults: what `clean-data` does without flags. */
export const DEFAULT_CLEAN_SWITCHES = {
  dropZeroQuantity: true,
  saveRejectedRows: true,
} as const satisfies Partial<CleanConfig>;

/**
 * A complete config from the lookups and any overrides: the switches default as above and `asOf` to
 * today in UTC (the same default as `--as-of`).
 */
export function cleanConfig(
  lookups: Lookups,
  overrides: Partial<Omit<CleanConfig, "lookups">> = {},
): CleanConfig {
  return { ...DEFAULT_CLEAN_SWITCHES, asOf: todayIso(), ...dropUndefined(overrides), lookups };
}

/** `overrides` without keys set to `undefined`, so an unset flag never erases a default. */
function dropUndefined<T extends object>(overrides: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(overrides).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}
