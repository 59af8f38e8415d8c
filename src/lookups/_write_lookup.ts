/**
 * Writing a lookup file: atomically, and only when its content changes, so a rerun on the same
 * sample leaves the file (and its modification time, which the dashboard shows) untouched.
 */
import { writeFileAtomic } from "../io/atomic_file.ts";

/** Writes `text` to `path` unless the file already holds exactly it; returns whether it wrote. */
export async function writeLookupIfChanged(path: string, text: string): Promise<boolean> {
  try {
    if (await Deno.readTextFile(path) === text) return false;
  } catch { /* missing or unreadable: write it */ }
  await writeFileAtomic(path, text);
  return true;
}
