/// <reference lib="deno.worker" />
/**
 * A scan worker: opens the clean parquet (or dataset files), claims row groups until none is left, and sends back
 * its tables' accumulator states (see scan.ts).
 */
import { ParquetDataset } from "../io/parquet_dataset.ts";
import { workerFaultCheckpoint } from "../io/worker_fault.ts";
import { reply as replyToPool, serveRequests } from "../io/pool_worker.ts";
import type { ScanReply, ScanRequest } from "./_scan_protocol.ts";
import { tablesNamed } from "./registry.ts";
import { scanRowGroups } from "./scan.ts";
import { StringIdRegistry } from "./string_ids.ts";

function reply(message: ScanReply): void {
  replyToPool(message);
}

serveRequests<ScanRequest>(async (request) => {
  workerFaultCheckpoint("scan", 0);
  using dataset = await ParquetDataset.openFiles(
    request.path,
    request.paths,
    request.isDirectory,
  );
  const ids = new StringIdRegistry();
  const accumulators = tablesNamed(request.tableNames).map((table) => table.createAccumulator(ids));
  const counter = new Int32Array(request.nextRowGroup);
  const groupCount = dataset.rowGroups.length;
  const claim = () => {
    const index = Atomics.add(counter, 0, 1);
    return index < groupCount ? index : undefined;
  };
  await scanRowGroups(
    dataset,
    request.columns,
    accumulators,
    ids,
    claim,
    (rows) => reply({ type: "progress", rows }),
  );
  reply({ type: "done", states: accumulators.map((accumulator) => accumulator.state()) });
});
