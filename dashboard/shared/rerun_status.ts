/**
 * The state of a re-run as the server publishes it and the pages describe it: shared by the
 * server-rendered status (no JavaScript) and the live progress island.
 */
import { formatCount, formatDuration } from "./format.ts";

/** Counts compared before and after a run. */
export interface RejectionCounts {
  inputRows: number;
  cleanRows: number;
  rejectedRows: number;
  /** Reason → rows. */
  reasons: Record<string, number>;
}

export type RerunPhase = "clean" | "aggregate";

/** A JSON-ready picture of the current (or last) run. */
export interface RerunSnapshot {
  /** Increments with every run; 0 before the first. */
  id: number;
  status: "idle" | "running" | "done" | "failed";
  phase?: RerunPhase;
  /** Progress of the whole run, 0 to 1, when it can be estimated. */
  fraction?: number;
  rows?: number;
  startedMs?: number;
  finishedMs?: number;
  error?: string;
  before?: RejectionCounts;
  after?: RejectionCounts;
  tables?: number;
}

/** Reasons the review queue can fix, listed in the run summary. */
const REVIEWED_REASONS = ["unknown_region", "unknown_category"];

function change(before: number | undefined, after: number): string {
  return before === undefined
    ? formatCount(after)
    : `${formatCount(before)} → ${formatCount(after)}`;
}

/** One sentence for people about a run. */
export function describeRerun(snapshot: RerunSnapshot): string {
  switch (snapshot.status) {
    case "idle":
      return "Re-run cleaning and aggregations after saving mappings to apply them.";
    case "running": {
      const percent = snapshot.fraction === undefined
        ? ""
        : ` (${Math.floor(snapshot.fraction * 100)}%)`;
      if (snapshot.phase === "aggregate") return `Building aggregations…${percent}`;
      return `Cleaning… ${formatCount(snapshot.rows ?? 0)} rows${percent}`;
    }
    case "failed":
      return `The re-run failed: ${snapshot.error ?? "unknown error"}`;
    case "done": {
      const seconds = ((snapshot.finishedMs ?? 0) - (snapshot.startedMs ?? 0)) / 1000;
      const after = snapshot.after;
      if (!after) return `Done in ${formatDuration(seconds)}.`;
      const before = snapshot.before;
      const parts = [`rejected rows ${change(before?.rejectedRows, after.rejectedRows)}`];
      for (const reason of REVIEWED_REASONS) {
        parts.push(`${reason} ${change(before?.reasons[reason], after.reasons[reason] ?? 0)}`);
      }
      return `Done in ${formatDuration(seconds)}: ${parts.join(", ")}.`;
    }
  }
}

/** Whether no further updates will come for this run. */
export function isFinished(snapshot: RerunSnapshot): boolean {
  return snapshot.status === "done" || snapshot.status === "failed" || snapshot.status === "idle";
}
