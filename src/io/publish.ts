/**
 * Publishing a run's outputs as one set (docs/schemas.md, "How outputs are published").
 *
 * A run writes every output of its set under a temporary name ({@linkcode AtomicFile}), then:
 * takes the workspace's publish lock (`<data-dir>/.dpd-publish.lock`, an advisory `flock` the
 * kernel releases when its holder dies, however it dies); writes a commit record
 * (`<data-dir>/.dpd-commit-<run-id>.json`, the list of temporary → final renames, synced);
 * renames; removes the record; releases the lock. A writer killed anywhere before the record
 * exists leaves the previous set untouched; killed after, it leaves a record that the next dpd
 * command touching the workspace completes ({@linkcode completePendingPublishes}) before doing
 * its own work. Ctrl-C and SIGTERM complete a publish in progress before exiting.
 *
 * Each set carries a run id — the report's `run_id`, the `dpd.run_id` key of every parquet's
 * footer — so readers can check that the files they read belong together.
 *
 * @example Publish two outputs as one set
 * ```ts
 * import { AtomicFile } from "./atomic_file.ts";
 *
 * const dataDir = "data";
 * await prepareWorkspace(dataDir); // completes a publish a killed run left half done
 * const runId = newRunId();
 * const table = await AtomicFile.create("data/aggregations/totals.csv");
 * const report = await AtomicFile.create("data/aggregations/totals_report.json");
 * await table.write(new TextEncoder().encode("total\n42\n"));
 * await report.write(new TextEncoder().encode(JSON.stringify({ run_id: runId })));
 * await publishSet(dataDir, runId, [table, report]); // both appear, or neither
 * ```
 */
import { join, resolve } from "node:path";
import { errorMessage, UserError } from "./errors.ts";
import { pauseAfter } from "./test_pause.ts";
import {
  AtomicFile,
  beforeExit,
  ensureParentDirectory,
  reason,
  removeDeadWritersFiles,
  storageUserError,
} from "./atomic_file.ts";

// The publish steps a test can stop at (src/cli/test_pause.ts): `written` (every temporary file
// complete), `locked`, `recorded` (commit record durable), `renamed-<n>` (after the n-th rename,
// from 1), `published` (record removed, lock still held).

/** The parquet footer key holding the run id of the set a file belongs to. */
export const RUN_ID_KEY = "dpd.run_id";
/** The aggregation tables' footer key naming the clean-data run they were computed from. */
export const SOURCE_RUN_ID_KEY = "dpd.clean_run_id";

const LOCK_NAME = ".dpd-publish.lock";
const RECORD_PREFIX = ".dpd-commit-";
const RECORD_SUFFIX = ".json";
/** How long a command waits for another one's publish (renames take milliseconds). */
const LOCK_WAIT_MS = 60_000;
const LOCK_POLL_MS = 20;

/** A new random run id: 16 hex digits. */
export function newRunId(): string {
  return crypto.randomUUID().replaceAll("-", "").slice(0, 16);
}

interface Rename {
  from: string;
  to: string;
}

interface CommitRecord {
  run_id: string;
  pid: number;
  renames: Rename[];
}

/** The workspace's publish lock, held by this process until released. */
interface PublishLock {
  release(): void;
}

/**
 * Takes the publish lock of `dataDir`, waiting while another command (or another publish of this
 * process: a `flock` belongs to its open file) holds it.
 */
async function acquirePublishLock(dataDir: string, holder: string): Promise<PublishLock> {
  const path = join(dataDir, LOCK_NAME);
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true, write: true, create: true });
  } catch (error) {
    throw storageUserError(path, error);
  }
  const deadline = Date.now() + LOCK_WAIT_MS;
  while (!await file.tryLock(true)) {
    if (Date.now() > deadline) {
      const current = await Deno.readTextFile(path).catch(() => "");
      file.close();
      throw new UserError(
        `another dpd command (${
          current.trim() || "unknown"
        }) has been publishing into ${dataDir} ` +
          `for ${LOCK_WAIT_MS / 1000} s: wait for it to finish (or stop it) and re-run`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
  try {
    // Who holds it, for the message above; the lock itself is the kernel's.
    await file.truncate(0);
    await file.write(new TextEncoder().encode(`pid ${Deno.pid}, ${holder}\n`));
  } catch { /* the lock holds without its note */ }
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      try {
        file.close(); // closing releases the flock
      } catch { /* already closed */ }
    },
  };
}

async function pendingRecords(dataDir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(dataDir)) {
      if (
        entry.isFile && entry.name.startsWith(RECORD_PREFIX) && entry.name.endsWith(RECORD_SUFFIX)
      ) {
        names.push(join(dataDir, entry.name));
      }
    }
  } catch { /* no workspace yet: nothing pending */ }
  return names.sort();
}

/**
 * Performs the renames a commit record lists; those already done are skipped. A rename that fails
 * names its target (the output that cannot be written), not the record.
 */
function rollForwardSync(record: CommitRecord): void {
  for (const rename of record.renames) {
    try {
      Deno.renameSync(rename.from, rename.to);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) continue; // renamed already
      throw storageUserError(rename.to, error);
    }
  }
}

/**
 * Completes the publishes that writers killed mid-way left in `dataDir` (their commit records),
 * and removes the temporary files of dead writers there. Cheap when there is nothing to do (one
 * directory listing, no lock). With `wait`, first waits for any publish in progress to end, even
 * when no record is visible yet. Returns the run ids completed.
 */
export async function completePendingPublishes(
  dataDir: string,
  options: { wait?: boolean } = {},
): Promise<string[]> {
  if (!options.wait && (await pendingRecords(dataDir)).length === 0) return [];
  try {
    if (!(await Deno.stat(dataDir)).isDirectory) return [];
  } catch {
    return [];
  }
  const lock = await acquirePublishLock(dataDir, "completing interrupted publishes");
  const completed: string[] = [];
  try {
    // Under the lock, every record left is a dead writer's: a live one holds the lock meanwhile.
    for (const path of await pendingRecords(dataDir)) {
      let record: CommitRecord;
      try {
        record = JSON.parse(await Deno.readTextFile(path));
      } catch (error) {
        throw new UserError(
          `cannot read the commit record ${path} (${errorMessage(error)}): remove it and ` +
            `re-run clean-data and build-aggregations`,
          { cause: error },
        );
      }
      try {
        rollForwardSync(record);
        await Deno.remove(path);
      } catch (error) {
        throw storageUserError(path, error);
      }
      completed.push(record.run_id);
    }
    await removeDeadWritersFiles(dataDir);
  } finally {
    lock.release();
  }
  return completed;
}

/**
 * Makes the workspace whole before a command works in it: completes interrupted publishes and
 * clears the litter of dead writers. Every dpd command that reads or writes the workspace calls
 * this first.
 */
export async function prepareWorkspace(dataDir: string): Promise<void> {
  await completePendingPublishes(dataDir);
}

/**
 * Publishes complete temporary files as one set: after this resolves, every final path holds this
 * run's file; a kill at any point leaves either the previous set or a commit record that the next
 * command (or this process's signal handler) completes.
 */
export async function publishSet(
  dataDir: string,
  runId: string,
  files: readonly AtomicFile[],
): Promise<void> {
  for (const file of files) file.complete();
  await pauseAfter("written");
  await ensureParentDirectory(join(dataDir, LOCK_NAME));
  const lock = await acquirePublishLock(dataDir, `run ${runId}`);
  try {
    await pauseAfter("locked");
    const renamed = files.filter((file) => !file.streaming);
    const record: CommitRecord = {
      run_id: runId,
      pid: Deno.pid,
      renames: renamed.map((file) => ({
        from: resolve(file.temporaryPath),
        to: resolve(file.targetPath),
      })),
    };
    const recordPath = join(dataDir, `${RECORD_PREFIX}${runId}${RECORD_SUFFIX}`);
    const recordFile = await AtomicFile.create(recordPath);
    try {
      await recordFile.write(new TextEncoder().encode(`${JSON.stringify(record, null, 2)}\n`));
      recordFile.complete({ sync: true });
      await recordFile.commit();
    } catch (error) {
      await recordFile.abort();
      throw error;
    }
    // From here the record owns the temporary files: an interrupt completes the renames.
    for (const file of files) file.published();
    const unregister = beforeExit(() => {
      rollForwardSync(record);
      Deno.removeSync(recordPath);
    });
    try {
      await pauseAfter("recorded");
      for (const [index, rename] of record.renames.entries()) {
        try {
          await Deno.rename(rename.from, rename.to);
        } catch (error) {
          throw new UserError(
            `cannot publish ${rename.to}: ${reason(error)}. ` +
              `The next dpd command in ${dataDir} completes this run's outputs.`,
            { cause: error },
          );
        }
        await pauseAfter(`renamed-${index + 1}`);
      }
      await Deno.remove(recordPath).catch(() => {});
    } finally {
      unregister();
    }
    await pauseAfter("published");
  } finally {
    lock.release();
  }
}

/** The `dpd.run_id` (or another key) in a parquet footer's key-value metadata. */
export function footerValue(
  metadata: { key_value_metadata?: { key: string; value?: string }[] },
  key = RUN_ID_KEY,
): string | undefined {
  return metadata.key_value_metadata?.find((entry) => entry.key === key)?.value;
}
