import assert from "node:assert/strict";
import { closestNames, hintDistanceFor } from "../../dashboard/lib/closest_names.ts";
import { regionKey } from "../../src/lookups/keys.ts";

const REGIONS = ["Africa", "Asia", "Europe", "North America", "South America"];

Deno.test("hints name the nearest regions only when they are near for the key's length", () => {
  const cases: [string, { names: string[]; distance: number } | undefined][] = [
    ["nrth amrca", { names: ["North America"], distance: 3 }],
    ["eurpoe", { names: ["Europe"], distance: 2 }],
    ["n/a", undefined],
    ["mars", undefined],
    ["??", undefined],
    ["xorth america", { names: ["North America"], distance: 1 }],
    ["asia", { names: ["Asia"], distance: 0 }],
    // Equally near two regions: both are named, the person decides.
    ["nouth america", { names: ["North America", "South America"], distance: 1 }],
  ];
  for (const [key, expected] of cases) {
    assert.deepEqual(closestNames(key, REGIONS, regionKey), expected, key);
  }
  assert.deepEqual([1, 2, 3, 9, 12, 30].map((length) => hintDistanceFor("x".repeat(length))), [
    1,
    1,
    1,
    3,
    4,
    4,
  ]);
});
