/**
 * Outputs that appear whole or not at all, and never replace what is not a regular file.
 *
 * Every file dpd writes goes to a temporary name beside its final path (same directory, so the
 * rename is atomic on one filesystem) and is renamed only once complete. A crash, Ctrl-C or error
 * leaves at most a `.dpd-tmp-*` file, never a half-written file under the name readers use.
 *
 * A temporary name carries its writer's pid and process start time, so a later run into the same
 * directory can tell the leftovers of a killed writer (pid gone, or reused by another process)
 * from the files of a writer still at work, and removes the former.
 *
 * This module installs no signal handler: it keeps a registry of the temporary files this process
 * has open ({@linkcode cleanUpBeforeExitSync}), which the CLI layer's handler empties on Ctrl-C.
 *
 * What is at the final path decides how it is written: nothing or a regular file is replaced by
 * rename; a symbolic link is written through (its target is replaced, the link stays); a FIFO or
 * device is streamed into when the caller allows it ({@linkcode AtomicFileOptions.stream}) and
 * refused otherwise; a directory or socket is refused.
 *
 * @example Write a report that readers see whole or not at all
 * ```ts
 * await writeFileAtomic("report.json", JSON.stringify({ rows: 3 }));
 *
 * await using output = await AtomicFile.create("rows.csv");
 * await output.write(new TextEncoder().encode("id\n1\n2\n3\n"));
 * await output.commit(); // without it, leaving the block removes the temporary file
 * ```
 */
import { basename, dirname, join, resolve } from "node:path";
import { errorMessage, UserError } from "./errors.ts";

/** Temporary files of this process, removed before an interrupted run exits. */
const openTemporaryFiles = new Set<string>();
/** Work that must happen before an interrupted run exits (a publish in progress completes). */
const exitTasks = new Set<() => void>();

/**
 * Completes what must be completed and removes this process's temporary files, synchronously:
 * for the CLI's signal handler, just before it exits.
 */
export function cleanUpBeforeExitSync(): void {
  for (const task of exitTasks) {
    try {
      task();
    } catch { /* the next dpd command completes it */ }
  }
  for (const path of openTemporaryFiles) {
    try {
      Deno.removeSync(path, { recursive: true });
    } catch { /* already gone */ }
  }
  openTemporaryFiles.clear();
}

/** Registers `task` to run before an interrupted run exits; returns its unregistration. */
export function beforeExit(task: () => void): () => void {
  exitTasks.add(task);
  return () => exitTasks.delete(task);
}

/** Temporary files of this process still open (tests check that failures leave none). */
export function openTemporaryFileCount(): number {
  return openTemporaryFiles.size;
}

/** Hands a temporary file over to someone else (a commit record): no longer removed on exit. */
export function releaseTemporaryFile(path: string): void {
  openTemporaryFiles.delete(path);
}

let ownStartTime: string | undefined;

/** A process's start time in clock ticks since boot (Linux), or undefined where unknown. */
function processStartTime(pid: number): string | undefined | null {
  let stat: string;
  try {
    stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  } catch (error) {
    // No such process: null. No /proc at all (not Linux): undefined, "cannot tell".
    if (error instanceof Deno.errors.NotFound) {
      try {
        Deno.statSync("/proc/self/stat");
        return null;
      } catch {
        return undefined;
      }
    }
    return undefined;
  }
  // Field 22; the command name (field 2) may hold spaces, so count after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return fields[19];
}

function ownStart(): string {
  ownStartTime ??= processStartTime(Deno.pid) ?? "0";
  return ownStartTime;
}

/**
 * Whether the process `pid` that started at `startTime` (clock ticks, "0" when unknown) may still
 * be running. Unknown is "alive": only what is certainly dead is removed.
 */
export function isWriterAlive(pid: number, startTime: string): boolean {
  if (pid === Deno.pid) return startTime === "0" || startTime === ownStart();
  const start = processStartTime(pid);
  if (start === null) return false;
  if (start === undefined || startTime === "0") return true;
  return start === startTime;
}

const TEMPORARY_PREFIX = ".dpd-tmp-";
/** `.dpd-tmp-<name>.<pid>-<start>-<random>`; older versions wrote `.dpd-tmp-<name>.<pid>-<random>`. */
const TEMPORARY_NAME = /^\.dpd-tmp-.+\.(\d+)-(?:(\d+)-)?[0-9a-f]{8}$/;

/**
 * Removes `path` (a file or a whole directory, like the dedup spill files) if the process is
 * interrupted before the returned function is called.
 */
export function removeOnInterrupt(path: string): () => void {
  openTemporaryFiles.add(path);
  return () => openTemporaryFiles.delete(path);
}

/** The temporary name used for `path` while it is being written. */
export function temporaryPathFor(path: string): string {
  const suffix = `${Deno.pid}-${ownStart()}-${crypto.randomUUID().slice(0, 8)}`;
  return join(dirname(path), `${TEMPORARY_PREFIX}${basename(path)}.${suffix}`);
}

/** The writer a temporary name names, or undefined for other names. */
export function temporaryFileWriter(name: string): { pid: number; startTime: string } | undefined {
  const match = TEMPORARY_NAME.exec(name);
  if (!match) return undefined;
  return { pid: Number(match[1]), startTime: match[2] ?? "0" };
}

const sweptDirectories = new Set<string>();

/**
 * Removes the temporary files in `directory` whose writer is dead (killed with SIGKILL, say).
 * Once per directory per process; returns the names removed.
 */
export async function removeDeadWritersFiles(directory: string): Promise<string[]> {
  const key = resolve(directory);
  if (sweptDirectories.has(key)) return [];
  sweptDirectories.add(key);
  const removed: string[] = [];
  try {
    for await (const entry of Deno.readDir(directory)) {
      if (!entry.isFile || !entry.name.startsWith(TEMPORARY_PREFIX)) continue;
      const writer = temporaryFileWriter(entry.name);
      if (!writer || isWriterAlive(writer.pid, writer.startTime)) continue;
      try {
        await Deno.remove(join(directory, entry.name));
        removed.push(entry.name);
      } catch { /* removed meanwhile, or not ours to remove */ }
    }
  } catch { /* an unreadable directory: the write itself will say so */ }
  return removed;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Creates the directory of `path`, with a readable error when that is impossible. Returns the
 * directories it created, deepest first, so a failed run can remove them again.
 */
export async function ensureParentDirectory(path: string): Promise<string[]> {
  const directory = dirname(path);
  const created: string[] = [];
  for (let missing = directory; !await exists(missing); missing = dirname(missing)) {
    created.push(missing);
    if (dirname(missing) === missing) break;
  }
  try {
    await Deno.mkdir(directory, { recursive: true });
    return created;
  } catch (error) {
    throw new UserError(
      `cannot create directory ${directory} for ${path}: ${reason(error)}. ` +
        `Choose another output path or fix its permissions.`,
      { cause: error },
    );
  }
}

/** Error codes of the disk and the file system rather than of dpd. */
const STORAGE_ERROR_CODES: Record<string, string> = {
  ENOSPC: "no space left on device",
  EDQUOT: "disk quota exceeded",
  EFBIG: "file too large for this file system",
  EROFS: "read-only file system",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EISDIR: "it is a directory",
  ENOTDIR: "a path component is not a directory",
  EIO: "input/output error",
  ENAMETOOLONG: "name too long",
  ELOOP: "too many symbolic links",
  EMFILE: "too many open files",
  ENFILE: "too many open files",
  EXDEV: "across file systems",
  ETXTBSY: "file busy",
};

/** Why a file operation failed, in words. */
export function reason(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === "string" && code in STORAGE_ERROR_CODES) return STORAGE_ERROR_CODES[code];
  if (error instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (error instanceof Deno.errors.NotFound) return "no such directory";
  if (error instanceof Deno.errors.AlreadyExists) return "a file is in the way";
  if (error instanceof Deno.errors.IsADirectory) return "it is a directory";
  return errorMessage(error);
}

/** Whether `error` is a fault of the disk or file system (full, read-only, no permission, …). */
export function isStorageError(error: unknown): error is Error {
  if (error instanceof UserError) return false;
  const code = (error as { code?: unknown })?.code;
  return (typeof code === "string" && code in STORAGE_ERROR_CODES) ||
    error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.IsADirectory ||
    error instanceof Deno.errors.NotADirectory;
}

/** What to do about a storage fault on `path`. */
function advice(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  if (code === "ENOSPC" || code === "EDQUOT" || code === "EFBIG") {
    return "Free some space there or choose another output path; previous outputs are unchanged.";
  }
  if (code === "EROFS") return "Choose an output path on a writable file system.";
  return "Choose another output path or fix its permissions; previous outputs are unchanged.";
}

/** A storage fault on `path` as one line for people; anything else unchanged. */
export function storageUserError(path: string, error: unknown): unknown {
  if (!isStorageError(error)) return error;
  return new UserError(`cannot write ${path}: ${reason(error)}. ${advice(error)}`, {
    cause: error,
  });
}

/** Writes all of `bytes`: `FsFile.write` may write only part of a buffer. */
export async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) written += await file.write(bytes.subarray(written));
}

/** Synchronous twin of {@linkcode writeAll}, for workers and hot loops. */
export function writeAllSync(file: Deno.FsFile, bytes: Uint8Array): void {
  let written = 0;
  while (written < bytes.length) written += file.writeSync(bytes.subarray(written));
}

/** How {@linkcode AtomicFile.create} treats what is already at the path. */
export interface AtomicFileOptions {
  /**
   * Write straight into a FIFO or character device at the path instead of refusing it
   * (`generate-data` into a pipe). Such an output is not atomic, and never replaced.
   */
  stream?: boolean;
}

/** What is at an output path, and so how it may be written. */
async function outputTarget(
  path: string,
  options: AtomicFileOptions,
): Promise<{ target: string; stream: boolean }> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(path);
  } catch {
    return { target: path, stream: false }; // Not there yet, or unreachable: create explains.
  }
  let target = path;
  if (info.isSymlink) {
    try {
      target = await Deno.realPath(path);
      info = await Deno.stat(target);
    } catch (error) {
      throw new UserError(
        `cannot write ${path}: it is a symbolic link to a missing or unreachable file ` +
          `(${reason(error)}). Point it at a file or choose another output path.`,
        { cause: error },
      );
    }
  }
  if (info.isFile) return { target, stream: false };
  if (info.isDirectory) {
    throw new UserError(`cannot write ${path}: it is a directory. Give a file name instead.`);
  }
  const kind = info.isFifo
    ? "a FIFO"
    : info.isCharDevice || info.isBlockDevice
    ? "a device"
    : info.isSocket
    ? "a socket"
    : "not a regular file";
  if (options.stream && (info.isFifo || info.isCharDevice)) return { target, stream: true };
  throw new UserError(
    `cannot write ${path}: it is ${kind}, and dpd replaces only regular files. ` +
      `Choose another output path.`,
  );
}

/**
 * A file being written under a temporary name. Call {@linkcode AtomicFile.commit} when complete, or
 * {@linkcode AtomicFile.abort} on failure; `using`/`await using` aborts if neither happened. A set
 * of files published together (`publish.ts`) calls {@linkcode AtomicFile.complete} instead of
 * `commit` and renames them under a commit record.
 */
export class AtomicFile implements AsyncDisposable {
  /** The output path as given (used in messages). */
  readonly path: string;
  /** The path the file is renamed to: `path`, or the file a symbolic link at `path` points to. */
  readonly targetPath: string;
  /** The temporary name, or `targetPath` itself when streaming into a FIFO or device. */
  readonly temporaryPath: string;
  /** The open temporary file (or the FIFO or device itself when streaming). */
  readonly file: Deno.FsFile;
  /** Writing straight into a FIFO or device: nothing to rename or remove. */
  readonly streaming: boolean;
  /** Directories made for this file; an aborted file removes them when they are still empty. */
  readonly #createdDirectories: string[];
  #closed = false;
  #settled = false;
  /** Bytes written through {@linkcode AtomicFile.write} and {@linkcode AtomicFile.writeSync}. */
  bytesWritten = 0;

  private constructor(
    path: string,
    targetPath: string,
    temporaryPath: string,
    file: Deno.FsFile,
    streaming: boolean,
    createdDirectories: string[],
  ) {
    this.path = path;
    this.targetPath = targetPath;
    this.temporaryPath = temporaryPath;
    this.file = file;
    this.streaming = streaming;
    this.#createdDirectories = createdDirectories;
  }

  /** Opens a temporary file for `path`, creating its directory. */
  static async create(path: string, options: AtomicFileOptions = {}): Promise<AtomicFile> {
    const { target, stream } = await outputTarget(path, options);
    if (stream) {
      let file: Deno.FsFile;
      try {
        file = await Deno.open(target, { write: true });
      } catch (error) {
        throw storageUserError(path, error);
      }
      return new AtomicFile(path, target, target, file, true, []);
    }
    const createdDirectories = await ensureParentDirectory(target);
    await removeDeadWritersFiles(dirname(target));
    const temporaryPath = temporaryPathFor(target);
    // Registered before it exists: a Ctrl-C whose handler runs after the file is made but before
    // this function resumes must still remove it.
    openTemporaryFiles.add(temporaryPath);
    let file: Deno.FsFile;
    try {
      file = await Deno.open(temporaryPath, { write: true, createNew: true });
    } catch (error) {
      openTemporaryFiles.delete(temporaryPath);
      // The directory exists (just made), so "not found" here means it takes no new files (/proc).
      const why = error instanceof Deno.errors.NotFound
        ? `${dirname(path)} does not accept new files`
        : reason(error);
      throw new UserError(
        `cannot write ${path}: ${why}. Choose another output path or fix its permissions.`,
        { cause: error },
      );
    }
    return new AtomicFile(path, target, temporaryPath, file, false, createdDirectories);
  }

  /** Appends all of `bytes`; a storage failure (disk full…) is a {@linkcode UserError}. */
  async write(bytes: Uint8Array): Promise<void> {
    try {
      await writeAll(this.file, bytes);
    } catch (error) {
      throw storageUserError(this.path, error);
    }
    this.bytesWritten += bytes.length;
  }

  /** Synchronous {@linkcode AtomicFile.write}, for workers and hot loops. */
  writeSync(bytes: Uint8Array): void {
    try {
      writeAllSync(this.file, bytes);
    } catch (error) {
      throw storageUserError(this.path, error);
    }
    this.bytesWritten += bytes.length;
  }

  /**
   * Closes the complete temporary file without renaming it: for a set published together. With
   * `sync`, its bytes reach the disk first.
   */
  complete(options: { sync?: boolean } = {}): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      if (options.sync && !this.streaming) this.file.syncSync();
      this.file.close();
    } catch (error) {
      throw storageUserError(this.path, error);
    }
  }

  /** Marks the file as published by someone else (a commit record renamed it). */
  published(): void {
    this.#settled = true;
    releaseTemporaryFile(this.temporaryPath);
  }

  /** Flushes, closes and renames into place. */
  async commit(): Promise<void> {
    if (this.#settled) return;
    this.complete();
    this.#settled = true;
    if (this.streaming) return;
    try {
      await Deno.rename(this.temporaryPath, this.targetPath);
    } catch (error) {
      this.#settled = false;
      throw storageUserError(this.path, error);
    }
    openTemporaryFiles.delete(this.temporaryPath);
  }

  /** Closes and deletes the temporary file; the final path is untouched. */
  async abort(): Promise<void> {
    if (this.#settled) return;
    this.#settled = true;
    try {
      if (!this.#closed) this.file.close();
    } catch { /* already closed */ }
    this.#closed = true;
    if (this.streaming) return;
    await Deno.remove(this.temporaryPath).catch(() => {});
    openTemporaryFiles.delete(this.temporaryPath);
    // Not recursive: a directory that meanwhile holds anything else stays.
    for (const directory of this.#createdDirectories) {
      await Deno.remove(directory).catch(() => {});
    }
  }

  /** Aborts unless committed or published: `await using` leaves no temporary file behind. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.abort();
  }
}

/** Writes a whole file atomically. */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const output = await AtomicFile.create(path);
  try {
    await output.write(bytes);
    await output.commit();
  } catch (error) {
    await output.abort();
    throw error;
  }
}
