/**
 * The lookups inferred from what `generate-data` really writes: 200k dirty rows, seed 42, with the
 * shipped starter `region_map.json`. The generator's exported tables are the ground truth, and the
 * cleaner's own resolvers check that every variant resolves the way `clean-data` will see it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { CategoryMatcher } from "../../src/lookups/category_matcher.ts";
import { RegionResolver } from "../../src/cleaning/rules/region.ts";
import { CATEGORIES } from "../../src/generation/catalogue.ts";
import {
  REGION_ABBREVIATIONS,
  REGION_VARIANTS,
  REGIONS,
  UNKNOWN_REGIONS,
} from "../../src/generation/regions.ts";
import { categoryKey, regionKey } from "../../src/lookups/keys.ts";
import { levenshtein } from "../../src/lookups/levenshtein.ts";
import { parseCsv } from "../generation/_csv.ts";
import { loadLookups } from "../../src/lookups/load_lookups.ts";
import { updateLookups } from "../../src/lookups/update_lookups.ts";

const PROJECT_ROOT = join(import.meta.dirname!, "..", "..");
const sorted = (names: readonly string[]) => [...names].sort((a, b) => a < b ? -1 : 1);

/** Generates the sample once for every step below, and a lookups dir holding the starter map. */
async function prepare(): Promise<{ directory: string; sample: string; lookupsDir: string }> {
  const directory = await Deno.makeTempDir({ prefix: "dpd_lookups_generated_" });
  const sample = join(directory, "dirty_200k.csv");
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      join(PROJECT_ROOT, "main.ts"),
      "generate-data",
      "--rows",
      "200k",
      "--seed",
      "42",
      "--as-of",
      "2026-11-28",
      "--output",
      sample,
      "--quiet",
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  const lookupsDir = join(directory, "lookups");
  await Deno.mkdir(lookupsDir);
  await Deno.copyFile(
    join(PROJECT_ROOT, "lookups", "region_map.json"),
    join(lookupsDir, "region_map.json"),
  );
  return { directory, sample, lookupsDir };
}

Deno.test("lookups inferred from 200k generated dirty rows", async (t) => {
  const { directory, sample, lookupsDir } = await prepare();
  try {
    const first = await updateLookups({ sample, lookupsDir, quiet: true });

    await t.step("the starter map covers the generator's abbreviations", async () => {
      const starter = JSON.parse(
        await Deno.readTextFile(join(PROJECT_ROOT, "lookups", "region_map.json")),
      );
      for (const [raw, region] of Object.entries(REGION_ABBREVIATIONS)) {
        assert.equal(starter[raw], region, raw);
      }
    });

    await t.step("exactly the 8 catalogue categories and the 7 regions", () => {
      assert.equal(first.sample.rows, 200_000);
      assert.deepEqual(first.categories.names, sorted(CATEGORIES));
      assert.deepEqual(first.regions.names, sorted(REGIONS));
      assert.deepEqual(first.problems, []);
      assert.ok(first.lookups, "consistent lookups are loaded for the dry run");
    });

    await t.step("every region variant resolves to its region as clean-data will see it", () => {
      const resolver = new RegionResolver(first.lookups!.regions, first.lookups!.regionMap);
      for (const [region, variants] of Object.entries(REGION_VARIANTS)) {
        for (const variant of variants) {
          const key = regionKey(variant);
          const reachable = key in REGION_ABBREVIATIONS ||
            REGIONS.some((canonical) => levenshtein(key, regionKey(canonical), 2) <= 2);
          assert.ok(reachable, `${variant} is neither near a region nor in the starter map`);
          assert.equal(resolver.resolve(variant), region, JSON.stringify(variant));
        }
      }
    });

    await t.step("unknown regions land as UNKNOWN, blank gets no entry", async () => {
      const map = first.regionMap.map;
      // The rows of each region key, counted by hand from the sample.
      const [header, ...records] = parseCsv(await Deno.readTextFile(sample));
      const regionAt = header.fields.indexOf("region");
      const rowsOf = Map.groupBy(
        records.filter(({ fields }) => fields.length === header.fields.length),
        ({ fields }) => regionKey(fields[regionAt]),
      );
      for (const raw of UNKNOWN_REGIONS) {
        const key = regionKey(raw);
        if (key === "") {
          assert.ok(!("" in map));
          assert.equal(first.regionMap.blankRows, rowsOf.get("")?.length);
        } else {
          assert.equal(map[key], "UNKNOWN", raw);
          const queued = first.regionMap.unknownQueue.find((entry) => entry.key === key);
          assert.equal(queued?.rows, rowsOf.get(key)?.length, `${raw} is queued with its rows`);
        }
      }
      const queueRows = first.regionMap.unknownQueue.map((entry) => entry.rows);
      assert.deepEqual(queueRows, [...queueRows].sort((a, b) => b - a));
    });

    await t.step("every category typo within distance 2 resolves; junk does not", () => {
      const matcher = new CategoryMatcher(first.lookups!.categories);
      const counts = first.sample.values.category!;
      const unknown = new Set(first.unknownCategories.map((entry) => entry.key));
      for (const raw of counts.keys()) {
        const key = categoryKey(raw);
        const near = CATEGORIES.some((category) => levenshtein(key, categoryKey(category), 2) <= 2);
        assert.equal(matcher.match(raw) !== undefined, near, JSON.stringify(raw));
        if (key !== "") assert.equal(unknown.has(key), !near, JSON.stringify(raw));
      }
      for (const junk of ["n/a", "misc", "???"]) assert.ok(unknown.has(junk), junk);
    });

    await t.step("a rerun on the same sample changes nothing", async () => {
      const again = await updateLookups({ sample, lookupsDir, quiet: true });
      assert.equal(again.categories.written, false);
      assert.equal(again.regions.written, false);
      assert.equal(again.regionMap.written, false);
    });

    await t.step("a person's decisions and spellings survive a rerun", async () => {
      const mapPath = join(lookupsDir, "region_map.json");
      const map = JSON.parse(await Deno.readTextFile(mapPath));
      assert.equal(map["atlantis"], "UNKNOWN");
      map["atlantis"] = "Oceania"; // a person decides
      await Deno.writeTextFile(mapPath, JSON.stringify(map, null, 2) + "\n");
      const categoriesPath = join(lookupsDir, "common_categories.json");
      const categories: string[] = JSON.parse(await Deno.readTextFile(categoriesPath));
      const respelt = categories.map((name) => name === "Grocery" ? "GROCERY" : name);
      await Deno.writeTextFile(categoriesPath, JSON.stringify(respelt, null, 2) + "\n");

      const rerun = await updateLookups({ sample, lookupsDir, quiet: true });
      assert.deepEqual(rerun.problems, []);
      const after = JSON.parse(await Deno.readTextFile(mapPath));
      assert.equal(after["atlantis"], "Oceania");
      assert.equal(after["mars"], "UNKNOWN");
      assert.ok(!rerun.regionMap.unknownQueue.some((entry) => entry.key === "atlantis"));
      const categoriesAfter = JSON.parse(await Deno.readTextFile(categoriesPath));
      assert.ok(categoriesAfter.includes("GROCERY"));
      assert.ok(!categoriesAfter.includes("Grocery"));
      const lookups = await loadLookups(lookupsDir);
      assert.equal(
        new RegionResolver(lookups.regions, lookups.regionMap).resolve(" ATLANTIS"),
        "Oceania",
      );
    });
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});
