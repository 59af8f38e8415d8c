import assert from "node:assert/strict";
import { type CleanStepOptions, RerunController } from "../../dashboard/lib/rerun_job.ts";

Deno.test("a re-run cleans the way the last run did, --keep-zero-quantity included", async () => {
  for (const keepZeroQuantity of [true, false]) {
    const seen: CleanStepOptions[] = [];
    const controller = new RerunController({
      clean(options) {
        seen.push(options);
        return Promise.resolve({ inputRows: 1, cleanRows: 1, rejectedRows: 0, reasons: {} });
      },
      aggregate: () => Promise.resolve({ tables: 8 }),
    });
    controller.start({
      input: "data/input/x.csv",
      dataDir: "data",
      lookupsDir: "lookups",
      asOf: "2026-11-28",
      cleaned: "data/clean/x_clean.parquet",
      saveRejected: false,
      keepZeroQuantity,
      rejectedDir: "data/rejected",
    });
    await controller.settled();
    assert.equal(seen.length, 1);
    assert.equal(seen[0].keepZeroQuantity, keepZeroQuantity);
    assert.equal(seen[0].saveRejected, false);
    assert.equal(seen[0].asOf, "2026-11-28");
    assert.equal(controller.snapshot.status, "done");
  }
});
