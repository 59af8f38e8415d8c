/**
 * What the review queue saved, newest first: each mapping with the rows it affected when it was
 * saved (the rows then rejected with that value) and what the entry held before, so the page can
 * list the mappings a person made and undo one. Kept in `<data dir>/review/history.json`: it is
 * workspace state, not a lookup (the lookups stay the only thing the cleaner reads).
 */
import { join } from "node:path";
import { writeFileAtomic } from "../../src/io/atomic_file.ts";

export const HISTORY_FILE = join("review", "history.json");
/** Entries kept; older ones are dropped (the lookups themselves keep every mapping). */
export const MAX_HISTORY_ENTRIES = 500;

export interface HistoryEntry {
  column: "region" | "category";
  /** The lookup key (lower-cased, trimmed). */
  key: string;
  /** The raw spelling shown in the queue. */
  display: string;
  /** What it was mapped to. */
  value: string;
  /** What the entry held before, if it existed. */
  previous?: string;
  /** Rejected rows with this value when it was saved. */
  rows: number;
  /** ISO time of the save. */
  savedAt: string;
}

function isEntry(value: unknown): value is HistoryEntry {
  const entry = value as HistoryEntry;
  return typeof entry === "object" && entry !== null &&
    (entry.column === "region" || entry.column === "category") &&
    typeof entry.key === "string" && typeof entry.value === "string" &&
    typeof entry.rows === "number" && typeof entry.savedAt === "string";
}

/** The history, newest first; a missing or damaged file is an empty history. */
export async function readHistory(dataDir: string): Promise<HistoryEntry[]> {
  try {
    const parsed = JSON.parse(await Deno.readTextFile(join(dataDir, HISTORY_FILE)));
    return Array.isArray(parsed) ? parsed.filter(isEntry) : [];
  } catch {
    return [];
  }
}

let queue: Promise<unknown> = Promise.resolve();
function serialised<T>(work: () => Promise<T>): Promise<T> {
  const result = queue.then(work, work);
  queue = result.catch(() => {});
  return result;
}

async function write(dataDir: string, entries: HistoryEntry[]): Promise<void> {
  await Deno.mkdir(join(dataDir, "review"), { recursive: true });
  await writeFileAtomic(
    join(dataDir, HISTORY_FILE),
    `${JSON.stringify(entries.slice(0, MAX_HISTORY_ENTRIES), null, 2)}\n`,
  );
}

/** Adds entries at the top (an older entry for the same value is replaced). */
export function recordMappings(dataDir: string, added: HistoryEntry[]): Promise<void> {
  if (added.length === 0) return Promise.resolve();
  return serialised(async () => {
    const same = (a: HistoryEntry, b: HistoryEntry) => a.column === b.column && a.key === b.key;
    const kept = (await readHistory(dataDir)).filter((old) => !added.some((n) => same(old, n)));
    await write(dataDir, [...added, ...kept]);
  });
}

/** Removes a value's entry (after an undo). */
export function forgetMapping(
  dataDir: string,
  column: HistoryEntry["column"],
  key: string,
): Promise<void> {
  return serialised(async () => {
    const entries = await readHistory(dataDir);
    const kept = entries.filter((entry) => !(entry.column === column && entry.key === key));
    if (kept.length !== entries.length) await write(dataDir, kept);
  });
}
