/**
 * Values derived from files, recomputed whenever the file changes.
 *
 * The dashboard reads from disk on every request (dashboard/README.md: no stale data), but decoding the same
 * parquet or indexing the same CSV on every request would be wasted work. A cached value is keyed
 * by the file's identity and shape — inode, size and modification time — which all change when a
 * stage rewrites a file (dpd writes under a temporary name and renames, so the inode changes
 * even when size and mtime happen to match). Every lookup stats the file first. A dataset directory
 * (`clean-data --partition-by`, shards) is one value whose version is that of all its parquet files:
 * a re-run replaces the files inside the directory, which leaves the directory's own stat as it was.
 */

import { listDatasetFiles } from "../../src/io/parquet_dataset.ts";

interface CacheEntry<T> {
  signature: string;
  value: Promise<T>;
  lastUsed: number;
}

/** The stat fields that identify one version of a file. */
export function fileSignature(info: Deno.FileInfo): string {
  return `${info.ino ?? 0}:${info.size}:${info.mtime?.getTime() ?? 0}`;
}

/** The version of a file, or of a dataset directory: the signatures of its parquet files. */
export async function pathSignature(path: string, info: Deno.FileInfo): Promise<string> {
  if (!info.isDirectory) return fileSignature(info);
  const files = await listDatasetFiles(path);
  const signatures = await Promise.all(
    files.map(async (file) => `${file}=${fileSignature(await Deno.stat(file))}`),
  );
  return signatures.join("|");
}

/**
 * A bounded cache of values computed from files. Concurrent requests for the same version share
 * one computation; a failed computation is not kept.
 */
export class FileDerivedCache<T> {
  readonly #entries = new Map<string, CacheEntry<T>>();
  readonly #capacity: number;
  #clock = 0;

  constructor(capacity = 32) {
    this.#capacity = capacity;
  }

  /**
   * The value for the current version of `path`, computed with `compute` when the file is new or
   * changed (for a dataset directory: any of its files). A missing file rejects with `Deno.errors.NotFound`, like `Deno.stat`.
   */
  async get(path: string, compute: (path: string, info: Deno.FileInfo) => Promise<T>): Promise<T> {
    const info = await Deno.stat(path);
    return this.#lookup(path, await pathSignature(path, info), () => compute(path, info));
  }

  /**
   * The value for the current versions of several files read as one (the rejected CSVs of a
   * sharded run), recomputed when any of them changes. A missing file rejects with
   * `Deno.errors.NotFound`.
   */
  async getAll(
    paths: readonly string[],
    compute: (infos: Deno.FileInfo[]) => Promise<T>,
  ): Promise<T> {
    const infos = await Promise.all(paths.map((path) => Deno.stat(path)));
    const signatures = await Promise.all(
      paths.map((path, index) => pathSignature(path, infos[index])),
    );
    return this.#lookup(paths.join("\n"), signatures.join("|"), () => compute(infos));
  }

  #lookup(key: string, signature: string, compute: () => Promise<T>): Promise<T> {
    const cached = this.#entries.get(key);
    if (cached && cached.signature === signature) {
      cached.lastUsed = ++this.#clock;
      return cached.value;
    }
    const value = compute();
    const entry = { signature, value, lastUsed: ++this.#clock };
    this.#entries.set(key, entry);
    value.catch(() => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
    });
    this.#evict();
    return value;
  }

  #evict(): void {
    while (this.#entries.size > this.#capacity) {
      let oldestPath: string | undefined;
      let oldest = Infinity;
      for (const [path, entry] of this.#entries) {
        if (entry.lastUsed < oldest) {
          oldest = entry.lastUsed;
          oldestPath = path;
        }
      }
      if (oldestPath === undefined) return;
      this.#entries.delete(oldestPath);
    }
  }
}
