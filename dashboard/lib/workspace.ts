/**
 * Where the dashboard finds things in the workspace (docs/schemas.md), and the only way it turns a
 * name from a request into a path: a name must be a plain file name that a directory listing
 * actually returned, and the resolved file must lie inside the data directory.
 */
import { basename, join, relative, resolve, sep } from "node:path";
import { UserError } from "../../src/io/errors.ts";
import { completePendingPublishes } from "../../src/io/publish.ts";
import { parquetRunId } from "./run_ids.ts";
import type { RerunSnapshot } from "../shared/rerun_status.ts";
import { CLEAN_DIR, REJECTED_DIR, REPORTS_DIR } from "../../src/cleaning/output_names.ts";

export const AGGREGATIONS_DIR = "aggregations";
export { CLEAN_DIR, REJECTED_DIR, REPORTS_DIR };

/** Sub-directories of the data directory whose files may be downloaded. */
export const DOWNLOADABLE_DIRS = [AGGREGATIONS_DIR, CLEAN_DIR, REJECTED_DIR, REPORTS_DIR] as const;
export type DownloadableDir = typeof DOWNLOADABLE_DIRS[number];

/** The directories the dashboard works in, resolved to absolute paths once at start. */
export interface Workspace {
  dataDir: string;
  lookupsDir: string;
  /**
   * The state of the re-run rewriting this workspace, when a server runs them (every page's
   * header shows a run in progress).
   */
  rerunStatus?: () => RerunSnapshot;
}

export function resolveWorkspace(options: { dataDir: string; lookupsDir: string }): Workspace {
  return { dataDir: resolve(options.dataDir), lookupsDir: resolve(options.lookupsDir) };
}

/** The order of docs/schemas.md's tables, so the explorer lists the familiar tables first. */
const KNOWN_TABLE_ORDER = [
  "daily_sales",
  "monthly_category_sales",
  "monthly_region_sales",
  "product_performance",
  "category_region_revenue",
  "discount_bands",
  "anomaly_summary",
  "rejection_summary",
];

/**
 * A plain file name: any name a person might give a table (spaces, accents, a leading `_`), but no
 * path separator, no control character, nothing hidden (temporary files start with a dot).
 */
export function isPlainFileName(name: string): boolean {
  // deno-lint-ignore no-control-regex
  return name.length > 0 && name.length <= 255 && !/[/\\\x00-\x1f\x7f]/.test(name) &&
    !name.startsWith(".");
}

/**
 * Whether `path`, symbolic links followed, lies inside the data directory: the one rule for every
 * file the dashboard reads to show or writes on a re-run.
 */
export async function isInsideDataDir(workspace: Workspace, path: string): Promise<boolean> {
  try {
    const realData = await Deno.realPath(workspace.dataDir);
    let realFile: string;
    try {
      realFile = await Deno.realPath(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) return false;
      // Not written yet (a re-run's output): judge its directory instead.
      realFile = join(await Deno.realPath(resolve(path, "..")), basename(path));
    }
    return realFile.startsWith(realData + sep);
  } catch {
    return false;
  }
}

export interface WorkspaceFile {
  /** The file name inside its directory. */
  fileName: string;
  path: string;
  bytes: number;
  modifiedMs: number;
}

/** The plain files in a directory of the workspace with the given extension (none if missing). */
export async function listFiles(directory: string, extension: string): Promise<WorkspaceFile[]> {
  const files: WorkspaceFile[] = [];
  try {
    for await (const entry of Deno.readDir(directory)) {
      if (!entry.isFile || !entry.name.endsWith(extension) || !isPlainFileName(entry.name)) {
        continue;
      }
      const path = join(directory, entry.name);
      try {
        const info = await Deno.stat(path);
        files.push({
          fileName: entry.name,
          path,
          bytes: info.size,
          modifiedMs: info.mtime?.getTime() ?? 0,
        });
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error; // renamed away meanwhile
      }
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  return files.sort((a, b) => a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0);
}

/** An aggregation table on disk. */
export interface AggregationFile extends WorkspaceFile {
  /** The table name: the file name without `.parquet`. */
  name: string;
}

/**
 * Every parquet in `<data>/aggregations`, known tables first in the documented order, then by name. The
 * tables build-aggregations wrote must all carry one run id: a mixed set (a publish under way or
 * interrupted) is waited for or completed and listed again; still mixed is a {@linkcode UserError}.
 */
export async function listAggregations(workspace: Workspace): Promise<AggregationFile[]> {
  for (let attempt = 1;; attempt++) {
    const files = await listAggregationFiles(workspace);
    const runs = new Map<string, string>();
    for (const file of files) {
      const runId = await parquetRunId(file.path).catch(() => undefined);
      if (runId !== undefined) runs.set(runId, file.name);
    }
    if (runs.size <= 1) return files;
    if (attempt === 3) {
      const [[first, firstTable], [second, secondTable]] = runs;
      throw new UserError(
        `the tables in ${join(workspace.dataDir, AGGREGATIONS_DIR)} come from different ` +
          `build-aggregations runs (${firstTable}: ${first}, ${secondTable}: ${second}); ` +
          `re-run build-aggregations`,
      );
    }
    await completePendingPublishes(workspace.dataDir, { wait: true }).catch(() => {});
  }
}

async function listAggregationFiles(workspace: Workspace): Promise<AggregationFile[]> {
  const listed = await listFiles(join(workspace.dataDir, AGGREGATIONS_DIR), ".parquet");
  // A symbolic link (to a file or the whole directory) must not lead outside the data directory.
  const inside = await Promise.all(listed.map((file) => isInsideDataDir(workspace, file.path)));
  const files = listed.filter((_, index) => inside[index]);
  const rank = (name: string) => {
    const index = KNOWN_TABLE_ORDER.indexOf(name);
    return index === -1 ? KNOWN_TABLE_ORDER.length : index;
  };
  return files
    .map((file) => ({ ...file, name: file.fileName.slice(0, -".parquet".length) }))
    .sort((a, b) => rank(a.name) - rank(b.name) || (a.name < b.name ? -1 : 1));
}

/** The aggregation called `name`, only if the listing has it. */
export async function findAggregation(
  workspace: Workspace,
  name: string,
): Promise<AggregationFile | undefined> {
  if (!isPlainFileName(name)) return undefined;
  return (await listAggregations(workspace)).find((file) => file.name === name);
}

/**
 * The `/files/…` link of the file at `path`, or undefined when it is not a file directly in one of
 * {@linkcode DOWNLOADABLE_DIRS} (a file outside the data directory, a dataset directory or its
 * parts, a file that does not exist).
 */
export async function downloadHref(
  workspace: Workspace,
  path: string,
): Promise<string | undefined> {
  const parts = relative(workspace.dataDir, resolve(path)).split(sep);
  if (parts.length !== 2) return undefined;
  const [directory, fileName] = parts;
  if (!(DOWNLOADABLE_DIRS as readonly string[]).includes(directory)) return undefined;
  if (!isPlainFileName(fileName)) return undefined;
  const file = await resolveDownload(workspace, directory, fileName);
  return file ? `/files/${directory}/${encodeURIComponent(fileName)}` : undefined;
}

/**
 * Resolves a downloadable file from request parts. Returns undefined unless the directory is one
 * of {@linkcode DOWNLOADABLE_DIRS}, the name is a plain file name the directory lists, and the real
 * path (symbolic links followed) lies inside the real data directory.
 */
export async function resolveDownload(
  workspace: Workspace,
  directory: string,
  fileName: string,
): Promise<WorkspaceFile | undefined> {
  if (!(DOWNLOADABLE_DIRS as readonly string[]).includes(directory)) return undefined;
  if (!isPlainFileName(fileName)) return undefined;
  const extension = fileName.slice(fileName.lastIndexOf("."));
  const listed = (await listFiles(join(workspace.dataDir, directory), extension))
    .find((file) => file.fileName === fileName);
  if (!listed || !await isInsideDataDir(workspace, listed.path)) return undefined;
  return { ...listed, path: await Deno.realPath(listed.path) };
}

/** A path shown to people: relative to the current directory when inside it. */
export function displayPath(path: string): string {
  const cwd = Deno.cwd();
  return path.startsWith(cwd + sep) ? path.slice(cwd.length + 1) : path;
}
