/// <reference lib="deno.worker" />
/**
 * A clean-data worker: message plumbing around {@linkcode ChunkCleaner}. The main thread sends
 * `setup` once, then `scan` and `finish` per chunk (see clean_run.ts for the protocol), and the
 * key census its `census-*` and `resolve` requests (dedup/key_census.ts).
 */
import { ChunkCleaner } from "./chunk_cleaner.ts";
import type { CensusReply, WorkerReply, WorkerRequest } from "./_clean_protocol.ts";
import { CensusSpiller } from "./dedup/census_spiller.ts";
import { KeyScanner } from "./dedup/key_scanner.ts";
import { resolvePartition } from "./dedup/spill.ts";
import { workerFaultCheckpoint } from "../io/worker_fault.ts";
import { reply as replyToPool, serveRequests } from "../io/pool_worker.ts";

let cleaner: ChunkCleaner | undefined;
let spiller: CensusSpiller | undefined;
let keyScanner: KeyScanner | undefined;
/** `--shard K/N`: the key scanner knows no shards, so the census uses the full scan. */
let sharded = false;

function reply(message: WorkerReply | CensusReply, transfer: Transferable[] = []): void {
  replyToPool(message, transfer);
}

serveRequests<WorkerRequest>((request) => {
  if (request.type === "scan" || request.type === "finish") {
    workerFaultCheckpoint("clean", request.chunkId);
  }
  switch (request.type) {
    case "setup":
      cleaner = new ChunkCleaner(request.setup);
      keyScanner = new KeyScanner(request.setup, cleaner);
      sharded = request.setup.shard !== undefined;
      return;
    case "scan": {
      const source = new Uint8Array(request.buffer);
      const scan = cleaner!.scan(
        request.chunkId,
        source,
        request.begin,
        request.end,
        request.final,
        request.skipState,
      );
      reply({ type: "scanned", chunkId: request.chunkId, scan }, [
        scan.claimNumbers.buffer as ArrayBuffer,
      ]);
      return;
    }
    case "discard":
      cleaner!.discard(request.chunkId);
      return;
    case "finish": {
      const output = cleaner!.finish(request.chunkId, request.duplicates, request.firstLine);
      const transfer: Transferable[] = [output.rejectedCsv.buffer as ArrayBuffer];
      if (output.rowGroup) transfer.push(output.rowGroup.bytes.buffer as ArrayBuffer);
      for (const group of output.monthGroups ?? []) {
        transfer.push(group.rowGroup.bytes.buffer as ArrayBuffer);
      }
      reply({ type: "finished", chunkId: request.chunkId, output }, transfer);
      return;
    }
    case "census-open":
      spiller = new CensusSpiller(request.directory, request.writer, request.bufferBytes);
      return;
    case "census-scan": {
      const source = new Uint8Array(request.buffer);
      const { begin, end, final } = request;
      const scan = sharded
        ? cleaner!.scan(request.chunkId, source, begin, end, final, undefined, {
          claimsOnly: true,
        })
        : keyScanner!.scan(source, begin, end, final);
      spiller!.keep(request.chunkId, scan.claimKeys!);
      reply({
        type: "census-scanned",
        chunkId: request.chunkId,
        consumed: scan.consumed,
        lineFeeds: scan.lineFeeds,
        records: scan.records,
        claims: scan.claimKeys!.ends.length,
      });
      return;
    }
    case "census-discard":
      spiller!.drop(request.chunkId);
      return;
    case "census-spill":
      spiller!.spill(request.chunkId, request.firstOrdinal);
      reply({ type: "census-spilled", chunkId: request.chunkId });
      return;
    case "census-close":
      reply({ type: "census-closed", bytes: spiller!.close() });
      spiller = undefined;
      return;
    case "resolve": {
      const duplicates = resolvePartition(request.paths, request.budgetBytes, request.directory);
      reply({ type: "resolved", duplicates }, [duplicates.buffer as ArrayBuffer]);
      return;
    }
  }
}, () => spiller?.abandon());
