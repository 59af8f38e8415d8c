/**
 * Outputs that appear whole or not at all.
 *
 * Every file dpd writes goes to a temporary name beside its final path (same directory, so the
 * rename is atomic on one filesystem) and is renamed only once complete. A crash, Ctrl-C or error
 * leaves at most a `.dpd-tmp-*` file, never a half-written file under the name the dashboard reads.
 */
import { basename, dirname, join } from "node:path";
import { UserError } from "../cli/errors.ts";

/** Temporary files of this process, removed on Ctrl-C so an interrupted run leaves no litter. */
const openTemporaryFiles = new Set<string>();
let signalHandlerInstalled = false;

function installSignalCleanup(): void {
  if (signalHandlerInstalled) return;
  signalHandlerInstalled = true;
  const cleanupAndExit = () => {
    for (const path of openTemporaryFiles) {
      try {
        Deno.removeSync(path, { recursive: true });
      } catch { /* already gone */ }
    }
    Deno.exit(130);
  };
  try {
    Deno.addSignalListener("SIGINT", cleanupAndExit);
    Deno.addSignalListener("SIGTERM", cleanupAndExit);
  } catch {
    // Signals are not available on every platform; temporary names still protect final paths.
  }
}

/**
 * Removes `path` (a file or a whole directory, like the dedup spill files) if the process is
 * interrupted before the returned function is called.
 */
export function removeOnInterrupt(path: string): () => void {
  installSignalCleanup();
  openTemporaryFiles.add(path);
  return () => openTemporaryFiles.delete(path);
}

/** The temporary name used for `path` while it is being written. */
export function temporaryPathFor(path: string): string {
  const suffix = `${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  return join(dirname(path), `.dpd-tmp-${basename(path)}.${suffix}`);
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

function reason(error: unknown): string {
  if (error instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (error instanceof Deno.errors.NotFound) return "no such directory";
  if (error instanceof Deno.errors.AlreadyExists) return "a file is in the way";
  if (error instanceof Deno.errors.IsADirectory) return "it is a directory";
  return error instanceof Error ? error.message : String(error);
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

/**
 * A file being written under a temporary name. Call {@linkcode AtomicFile.commit} when complete, or
 * {@linkcode AtomicFile.abort} on failure; `using`/`await using` aborts if neither happened.
 */
export class AtomicFile implements AsyncDisposable {
  readonly path: string;
  readonly temporaryPath: string;
  readonly file: Deno.FsFile;
  /** Directories made for this file; an aborted file removes them when they are still empty. */
  readonly #createdDirectories: string[];
  #settled = false;
  bytesWritten = 0;

  private constructor(
    path: string,
    temporaryPath: string,
    file: Deno.FsFile,
    createdDirectories: string[],
  ) {
    this.path = path;
    this.temporaryPath = temporaryPath;
    this.file = file;
    this.#createdDirectories = createdDirectories;
  }

  /** Opens a temporary file for `path`, creating its directory. */
  static async create(path: string): Promise<AtomicFile> {
    const createdDirectories = await ensureParentDirectory(path);
    const temporaryPath = temporaryPathFor(path);
    let file: Deno.FsFile;
    try {
      file = await Deno.open(temporaryPath, { write: true, createNew: true });
    } catch (error) {
      // The directory exists (just made), so "not found" here means it takes no new files (/proc).
      const why = error instanceof Deno.errors.NotFound
        ? `${dirname(path)} does not accept new files`
        : reason(error);
      throw new UserError(
        `cannot write ${path}: ${why}. Choose another output path or fix its permissions.`,
        { cause: error },
      );
    }
    installSignalCleanup();
    openTemporaryFiles.add(temporaryPath);
    return new AtomicFile(path, temporaryPath, file, createdDirectories);
  }

  async write(bytes: Uint8Array): Promise<void> {
    await writeAll(this.file, bytes);
    this.bytesWritten += bytes.length;
  }

  writeSync(bytes: Uint8Array): void {
    writeAllSync(this.file, bytes);
    this.bytesWritten += bytes.length;
  }

  /** Flushes, closes and renames into place. */
  async commit(): Promise<void> {
    if (this.#settled) return;
    this.#settled = true;
    this.file.close();
    await Deno.rename(this.temporaryPath, this.path);
    openTemporaryFiles.delete(this.temporaryPath);
  }

  /** Closes and deletes the temporary file; the final path is untouched. */
  async abort(): Promise<void> {
    if (this.#settled) return;
    this.#settled = true;
    try {
      this.file.close();
    } catch { /* already closed */ }
    await Deno.remove(this.temporaryPath).catch(() => {});
    openTemporaryFiles.delete(this.temporaryPath);
    // Not recursive: a directory that meanwhile holds anything else stays.
    for (const directory of this.#createdDirectories) {
      await Deno.remove(directory).catch(() => {});
    }
  }

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
