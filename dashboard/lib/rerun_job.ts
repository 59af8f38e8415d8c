/**
 * Re-running cleaning and aggregations from the dashboard (dashboard/README.md): one run at a time, its
 * progress published to any number of listeners (the server-sent-events stream, the page that
 * renders the status without JavaScript).
 */
import { errorMessage } from "../../src/io/errors.ts";
import type { ColumnMapping } from "../../src/io/column_roles.ts";
import type { RejectionCounts, RerunPhase, RerunSnapshot } from "../shared/rerun_status.ts";

export type { RejectionCounts, RerunPhase, RerunSnapshot };

/** Progress as the stages report it. */
export interface StageProgress {
  rows?: number;
  bytes?: number;
  totalBytes?: number;
  totalRows?: number;
}

/** How a re-run cleans, as the last clean run did it (same input, as-of date and outputs). */
export interface CleanSettings {
  /** The input file, or the files of a run over several (cleaned as one run again). */
  input: string | readonly string[];
  /** The run's name (`--name`): a run over several files needs it. */
  name?: string;
  /** Partitioned output (`--partition-by`): the clean parquet is a dataset directory. */
  partitionBy?: "sale_month";
  dataDir: string;
  lookupsDir: string;
  /** The as-of date of the last run: date range checks must not move with the calendar. */
  asOf?: string;
  saveRejected: boolean;
  keepZeroQuantity: boolean;
  /** Where the rejected CSV goes (the last run's directory). */
  rejectedDir: string;
  /** How the last run read the input's columns (roles, dedup key, extra columns). */
  columns?: ColumnMapping;
}

/**
 * The {@linkcode CleanSettings} of `options`, field by field: the one place a re-run's settings are
 * handed on, so the request, the clean step and `cleanData` cannot drift apart.
 */
export function cleanSettings(options: CleanSettings): CleanSettings {
  return {
    input: options.input,
    name: options.name,
    partitionBy: options.partitionBy,
    dataDir: options.dataDir,
    lookupsDir: options.lookupsDir,
    asOf: options.asOf,
    saveRejected: options.saveRejected,
    keepZeroQuantity: options.keepZeroQuantity,
    rejectedDir: options.rejectedDir,
    columns: options.columns,
  };
}

/** What a re-run cleans and where the clean parquet goes. */
export interface RerunRequest extends CleanSettings {
  /** The clean parquet (written by the clean step, read by the aggregate step). */
  cleaned: string;
  /** The counts of the last run, to show what the re-run changed. */
  before?: RejectionCounts;
}

/** What the clean step is given: the settings, its output and a progress callback. */
export interface CleanStepOptions extends CleanSettings {
  output: string;
  onProgress: (progress: StageProgress) => void;
}

/** The two stages a re-run calls, in process. */
export interface RerunSteps {
  clean(options: CleanStepOptions): Promise<RejectionCounts>;
  aggregate(options: {
    dataDir: string;
    cleaned: string;
    onProgress: (progress: StageProgress) => void;
  }): Promise<{ tables: number }>;
}

/** Thrown by {@linkcode RerunController.start} while a run is in progress (HTTP 409). */
export class RerunBusyError extends Error {
  constructor() {
    super("a re-run is already in progress");
    this.name = "RerunBusyError";
  }
}

/** Share of the progress bar given to cleaning; aggregating reads far less and is quicker. */
const CLEAN_SHARE = 0.85;
/** Listeners hear running progress at most this often (terminal states always). */
const PUBLISH_INTERVAL_MS = 150;

export class RerunController {
  readonly #steps: RerunSteps;
  #snapshot: RerunSnapshot = { id: 0, status: "idle" };
  #listeners = new Set<(snapshot: RerunSnapshot) => void>();
  #lastPublishedMs = 0;
  #running: Promise<void> | undefined;

  constructor(steps: RerunSteps) {
    this.#steps = steps;
  }

  get snapshot(): RerunSnapshot {
    return this.#snapshot;
  }

  /** Resolves when the current run (if any) has finished. */
  async settled(): Promise<void> {
    await this.#running;
  }

  /** Calls `listener` with every published snapshot until the returned function is called. */
  subscribe(listener: (snapshot: RerunSnapshot) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Starts a run: clean `input` with the lookups, then rebuild the aggregations from `cleaned`.
   * Throws {@linkcode RerunBusyError} while one is running.
   */
  start(options: RerunRequest): RerunSnapshot {
    if (this.#snapshot.status === "running") throw new RerunBusyError();
    this.#snapshot = {
      id: this.#snapshot.id + 1,
      status: "running",
      phase: "clean",
      fraction: 0,
      rows: 0,
      startedMs: Date.now(),
      before: options.before,
    };
    this.#publish(true);
    this.#running = this.#run(options);
    return this.#snapshot;
  }

  async #run(options: RerunRequest): Promise<void> {
    try {
      const after = await this.#steps.clean({
        ...cleanSettings(options),
        output: options.cleaned,
        onProgress: (progress) => this.#progress("clean", progress),
      });
      this.#update({ phase: "aggregate", fraction: CLEAN_SHARE, rows: 0, after }, true);
      const { tables } = await this.#steps.aggregate({
        dataDir: options.dataDir,
        cleaned: options.cleaned,
        onProgress: (progress) => this.#progress("aggregate", progress),
      });
      this.#update({ status: "done", fraction: 1, tables, finishedMs: Date.now() }, true);
    } catch (error) {
      this.#update({
        status: "failed",
        error: errorMessage(error),
        finishedMs: Date.now(),
      }, true);
    }
  }

  #progress(phase: RerunPhase, progress: StageProgress): void {
    const done = progress.totalBytes
      ? (progress.bytes ?? 0) / progress.totalBytes
      : progress.totalRows
      ? (progress.rows ?? 0) / progress.totalRows
      : undefined;
    const phaseFraction = done === undefined ? undefined : Math.min(1, Math.max(0, done));
    const fraction = phaseFraction === undefined
      ? this.#snapshot.fraction
      : phase === "clean"
      ? phaseFraction * CLEAN_SHARE
      : CLEAN_SHARE + phaseFraction * (1 - CLEAN_SHARE);
    this.#update({ phase, fraction, rows: progress.rows ?? this.#snapshot.rows }, false);
  }

  #update(change: Partial<RerunSnapshot>, force: boolean): void {
    this.#snapshot = { ...this.#snapshot, ...change };
    this.#publish(force);
  }

  #publish(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.#lastPublishedMs < PUBLISH_INTERVAL_MS) return;
    this.#lastPublishedMs = now;
    for (const listener of this.#listeners) {
      try {
        listener(this.#snapshot);
      } catch {
        // A listener that fails (a closed stream) must not stop the run or other listeners.
      }
    }
  }
}
