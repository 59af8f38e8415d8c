import assert from "node:assert/strict";
import { cleanConfig } from "../../src/cleaning/config.ts";
import { todayIso } from "../../src/cli/options.ts";
import type { Lookups } from "../../src/lookups/load_lookups.ts";

const LOOKUPS: Lookups = {
  categories: ["Books"],
  regions: ["Asia"],
  regionMap: {},
  fileHashes: {},
  directory: "lookups",
};

Deno.test("cleanConfig: clean-data's defaults, overridden only by flags that were given", () => {
  assert.deepEqual(cleanConfig(LOOKUPS), {
    dropZeroQuantity: true,
    saveRejectedRows: true,
    asOf: todayIso(),
    lookups: LOOKUPS,
  });
  assert.deepEqual(
    cleanConfig(LOOKUPS, {
      dropZeroQuantity: false,
      saveRejectedRows: undefined,
      asOf: "2020-01-01",
    }),
    { dropZeroQuantity: false, saveRejectedRows: true, asOf: "2020-01-01", lookups: LOOKUPS },
  );
});
