/// <reference lib="deno.worker" />
/**
 * A clean-data worker: message plumbing around {@linkcode ChunkCleaner}. The main thread sends
 * `setup` once, then `scan` and `finish` per chunk (see clean_data.ts for the protocol).
 */
import { ChunkCleaner } from "./chunk_cleaner.ts";
import type { WorkerReply, WorkerRequest } from "./_clean_protocol.ts";
import { workerFaultCheckpoint } from "../io/worker_fault.ts";

let cleaner: ChunkCleaner | undefined;

function reply(message: WorkerReply, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  try {
    if (request.type === "scan" || request.type === "finish") {
      workerFaultCheckpoint("clean", request.chunkId);
    }
    switch (request.type) {
      case "setup":
        cleaner = new ChunkCleaner(request.setup);
        return;
      case "scan": {
        const source = new Uint8Array(request.buffer);
        const scan = cleaner!.scan(
          request.chunkId,
          source,
          request.begin,
          request.end,
          request.final,
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
        reply({ type: "finished", chunkId: request.chunkId, output }, transfer);
        return;
      }
    }
  } catch (error) {
    reply({
      type: "failed",
      message: error instanceof Error ? error.message : String(error),
      stack: error instanceof Error ? error.stack : undefined,
      userError: error instanceof Error && error.name === "UserError",
    });
  }
};
