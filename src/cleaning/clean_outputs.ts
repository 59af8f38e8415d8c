/**
 * Where a clean-data run writes: its outputs opened under temporary names before any work, so a
 * path that cannot be written fails in a second, not after the whole input is cleaned, and
 * published or aborted as one set (io/publish.ts).
 */
import { join } from "node:path";
import { AtomicFile } from "../io/atomic_file.ts";
import { prepareWorkspace, RUN_ID_KEY } from "../io/publish.ts";
import { refuseOutputsOverInputs } from "../io/same_file.ts";
import { type EncodedRowGroup, RowGroupFileWriter } from "../io/row_group_encoder.ts";
import type { ExtraColumn } from "./clean_schema.ts";
import { cleanSchema } from "./_clean_protocol.ts";
import type { ShardSpec } from "./shard.ts";
import { datasetPartName } from "./output_names.ts";

/** The files of one run, and the writers over them. */
export interface CleanOutputs {
  /** Every file opened, in order of creation (month files join as their months appear). */
  files: AtomicFile[];
  /** The clean parquet (not when partitioned, nor on a dry run). */
  parquet?: RowGroupFileWriter;
  /** The month files of a `--partition-by sale_month` run. */
  partitions?: MonthPartitions;
  rejectedFile?: AtomicFile;
  reportFile?: AtomicFile;
}

export interface CleanOutputsOptions {
  paths: { output: string; rejected: string; report: string };
  /** The run's input files and lookup files, which no output may overwrite. */
  inputs: string[];
  dataDir: string;
  runId: string;
  extraColumns: readonly ExtraColumn[];
  dryRun: boolean;
  saveRejected: boolean;
  partitioned: boolean;
  shard?: ShardSpec;
}

/**
 * Opens a run's outputs (none on a dry run) after checking none of them is one of its inputs. On
 * failure, whatever was opened is removed again.
 */
export async function openCleanOutputs(options: CleanOutputsOptions): Promise<CleanOutputs> {
  const { paths, dryRun, saveRejected, partitioned } = options;
  if (!dryRun) {
    await refuseOutputsOverInputs(
      options.inputs,
      [paths.output, ...(saveRejected ? [paths.rejected] : []), paths.report],
    );
    await prepareWorkspace(options.dataDir);
  }
  const outputs: CleanOutputs = { files: [] };
  const open = async (path: string) => {
    const file = await AtomicFile.create(path);
    outputs.files.push(file);
    return file;
  };
  try {
    const parquetFile = dryRun || partitioned ? undefined : await open(paths.output);
    outputs.rejectedFile = saveRejected ? await open(paths.rejected) : undefined;
    outputs.reportFile = dryRun ? undefined : await open(paths.report);
    const footer = { [RUN_ID_KEY]: options.runId };
    outputs.parquet = parquetFile
      ? new RowGroupFileWriter(parquetFile, cleanSchema(options.extraColumns), footer)
      : undefined;
    outputs.partitions = partitioned && !dryRun
      ? new MonthPartitions(
        paths.output,
        datasetPartName(options.shard),
        cleanSchema(options.extraColumns),
        footer,
        outputs.files,
      )
      : undefined;
  } catch (error) {
    await abortCleanOutputs(outputs);
    throw error;
  }
  return outputs;
}

/** Removes every output of a failed run. */
export async function abortCleanOutputs(outputs: CleanOutputs): Promise<void> {
  await outputs.partitions?.settled();
  // In reverse order of creation, so directories made for them are removed once empty.
  for (const file of [...outputs.files].reverse()) await file.abort();
}

/**
 * The clean rows of a `--partition-by sale_month` run: one parquet per month, each opened when its
 * month first appears. Files are created asynchronously, so appends queue behind creation and keep
 * their order; `outputs` gets each file, to be published with the run's set or aborted with it.
 */
export class MonthPartitions {
  readonly #writers = new Map<string, RowGroupFileWriter>();
  #work: Promise<void> = Promise.resolve();
  #failure: unknown;

  constructor(
    private readonly directory: string,
    private readonly fileName: string,
    private readonly schema: ReturnType<typeof cleanSchema>,
    private readonly footer: Record<string, string>,
    private readonly outputs: AtomicFile[],
  ) {}

  append(month: string, rowGroup: EncodedRowGroup): void {
    this.#work = this.#work.then(async () => {
      if (this.#failure !== undefined) return;
      let writer = this.#writers.get(month);
      if (!writer) {
        const file = await AtomicFile.create(
          join(this.directory, `sale_month=${month}`, this.fileName),
        );
        this.outputs.push(file);
        writer = new RowGroupFileWriter(file, this.schema, this.footer);
        this.#writers.set(month, writer);
      }
      writer.append(rowGroup);
    }).catch((error) => {
      this.#failure ??= error;
    });
  }

  /** Resolves once no file is being created (before aborting the outputs). */
  settled(): Promise<void> {
    return this.#work;
  }

  async finish(): Promise<void> {
    await this.#work;
    if (this.#failure !== undefined) throw this.#failure;
    for (const writer of this.#writers.values()) writer.finish();
  }
}
