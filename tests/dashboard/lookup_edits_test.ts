/** The review queue's writes to the lookup files, on real files in a temporary directory. */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  addCanonicalCategories,
  saveCategoryMappings,
  saveRegionMappings,
  undoMapping,
} from "../../dashboard/lib/lookup_edits.ts";
import { CategoryMatcher } from "../../src/lookups/category_matcher.ts";
import { UserError } from "../../src/io/errors.ts";
import { loadLookups } from "../../src/lookups/load_lookups.ts";

const REGIONS = ["Asia", "Europe", "North America", "South America"];

async function lookupsDir(regionMap: Record<string, string>): Promise<string> {
  const directory = await Deno.makeTempDir({ prefix: "dpd-lookup-edits-" });
  await Deno.writeTextFile(
    join(directory, "common_categories.json"),
    JSON.stringify(["Books", "Electronics"], null, 2) + "\n",
  );
  await Deno.writeTextFile(
    join(directory, "common_regions.json"),
    JSON.stringify(REGIONS, null, 2) + "\n",
  );
  await Deno.writeTextFile(
    join(directory, "region_map.json"),
    JSON.stringify(regionMap, null, 2) + "\n",
  );
  return directory;
}

/** What {@linkcode lookupsDir} writes: a save leaves nothing else behind. */
const FIXTURE_FILES = ["common_categories.json", "common_regions.json", "region_map.json"];

async function entries(directory: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(directory)) names.push(entry.name);
  return names.sort();
}

Deno.test("saving mappings sets keys by region key, keeps other entries, writes sorted", async () => {
  const directory = await lookupsDir({
    "eu": "Europe",
    "nrth amrca": "UNKNOWN",
    "  N.  Amer ": "UNKNOWN",
  });
  try {
    const result = await saveRegionMappings(directory, [
      { raw: "Nrth Amrca", region: "North America" },
      { raw: "n. amer", region: "North America" }, // matches the spaced key, kept as written
      { raw: "  ASIA-PAC ", region: "Asia" },
      { raw: "eu", region: "Europe" }, // unchanged
    ]);
    assert.equal(result.changed, 3);
    const text = await Deno.readTextFile(join(directory, "region_map.json"));
    assert.equal(
      text,
      [
        "{",
        '  "  N.  Amer ": "North America",',
        '  "asia-pac": "Asia",',
        '  "eu": "Europe",',
        '  "nrth amrca": "North America"',
        "}",
        "",
      ].join("\n"),
    );
    // The result is lookups the cleaner accepts, and nothing else was left in the directory.
    const lookups = await loadLookups(directory);
    assert.equal(lookups.regionMap["nrth amrca"], "North America");
    assert.deepEqual(await entries(directory), FIXTURE_FILES);
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});

Deno.test("a region that is not canonical, or a blank raw value, is refused and nothing written", async () => {
  const directory = await lookupsDir({ "eu": "Europe" });
  try {
    const before = await Deno.readTextFile(join(directory, "region_map.json"));
    const cases = [
      [{ raw: "x", region: "Atlantis" }],
      [{ raw: "x", region: "europe" }], // canonical spelling required
      [{ raw: "   ", region: "Europe" }],
      [{ raw: "y", region: "Asia" }, { raw: "z", region: "<script>" }],
    ];
    for (const mappings of cases) {
      await assert.rejects(() => saveRegionMappings(directory, mappings), UserError);
    }
    assert.equal(await Deno.readTextFile(join(directory, "region_map.json")), before);
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});

Deno.test("UNKNOWN can be set back; a mapping that contradicts the regions is refused", async () => {
  const directory = await lookupsDir({ "latam": "South America" });
  try {
    assert.equal(
      (await saveRegionMappings(directory, [{ raw: "latam", region: "UNKNOWN" }])).changed,
      1,
    );
    assert.equal((await loadLookups(directory)).regionMap["latam"], "UNKNOWN");
    // "asia" is itself a canonical region: mapping it elsewhere would be silently ignored at clean time.
    await assert.rejects(
      () => saveRegionMappings(directory, [{ raw: "Asia", region: "Europe" }]),
      /not saved/,
    );
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});

Deno.test("concurrent saves both land", async () => {
  const directory = await lookupsDir({});
  try {
    await Promise.all([
      saveRegionMappings(directory, [{ raw: "a1", region: "Asia" }]),
      saveRegionMappings(directory, [{ raw: "e1", region: "Europe" }]),
      addCanonicalCategories(directory, ["Garden"]),
    ]);
    const lookups = await loadLookups(directory);
    assert.equal(lookups.regionMap["a1"], "Asia");
    assert.equal(lookups.regionMap["e1"], "Europe");
    assert.deepEqual(lookups.categories, ["Books", "Electronics", "Garden"]);
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});

Deno.test("adding categories keeps the builders' order and skips known keys", async () => {
  const directory = await lookupsDir({});
  try {
    const result = await addCanonicalCategories(directory, [
      " Garden ",
      "BOOKS",
      "Art Supplies",
      "garden",
    ]);
    assert.equal(result.changed, 2);
    assert.equal(
      await Deno.readTextFile(join(directory, "common_categories.json")),
      JSON.stringify(["Art Supplies", "Books", "Electronics", "Garden"], null, 2) + "\n",
    );
    await assert.rejects(() => addCanonicalCategories(directory, ["  "]), UserError);
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});

Deno.test("a category variant maps to an existing category in category_map.json", async () => {
  const directory = await lookupsDir({});
  try {
    const result = await saveCategoryMappings(directory, [
      { raw: "  Electronic Gadgets ", category: "Electronics" },
      { raw: "paperbacks", category: "Books" },
    ]);
    assert.equal(result.changed, 2);
    assert.deepEqual(result.changes?.map((change) => change.key), [
      "electronic gadgets",
      "paperbacks",
    ]);
    assert.equal(
      await Deno.readTextFile(join(directory, "category_map.json")),
      '{\n  "electronic gadgets": "Electronics",\n  "paperbacks": "Books"\n}\n',
    );
    // The cleaner reads it back and places the variants.
    const lookups = await loadLookups(directory);
    const matcher = new CategoryMatcher(lookups.categories, lookups.categoryMap);
    assert.equal(matcher.match("ELECTRONIC GADGETS"), "Electronics");
    // Saving the same again changes nothing; a name that is not a category is refused.
    assert.equal(
      (await saveCategoryMappings(directory, [{ raw: "paperbacks", category: "Books" }])).changed,
      0,
    );
    await assert.rejects(
      saveCategoryMappings(directory, [{ raw: "toys", category: "Toys" }]),
      (error) => error instanceof UserError && /"Toys" is not a category/.test(error.message),
    );
    await assert.rejects(
      saveCategoryMappings(directory, [{ raw: "books", category: "Electronics" }]),
      (error) => error instanceof UserError && /is itself a category/.test(error.message),
    );
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});

Deno.test("undo puts a region back to what it was (or UNKNOWN) and removes a category entry", async () => {
  const directory = await lookupsDir({ "nrth amrca": "UNKNOWN", "eu": "Europe" });
  try {
    const saved = await saveRegionMappings(directory, [
      { raw: "Nrth Amrca", region: "North America" },
      { raw: "eu", region: "Asia" },
    ]);
    assert.deepEqual(saved.changes, [
      { key: "nrth amrca", value: "North America", previous: "UNKNOWN" },
      { key: "eu", value: "Asia", previous: "Europe" },
    ]);
    assert.equal((await undoMapping(directory, "region", "eu", "Europe")).changed, 1);
    assert.equal((await undoMapping(directory, "region", "NRTH AMRCA")).changed, 1);
    assert.deepEqual(
      JSON.parse(await Deno.readTextFile(join(directory, "region_map.json"))),
      { "eu": "Europe", "nrth amrca": "UNKNOWN" },
    );
    assert.equal((await undoMapping(directory, "region", "nowhere")).changed, 0);
    await saveCategoryMappings(directory, [{ raw: "paperbacks", category: "Books" }]);
    assert.equal((await undoMapping(directory, "category", "Paperbacks")).changed, 1);
    assert.deepEqual(JSON.parse(await Deno.readTextFile(join(directory, "category_map.json"))), {});
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});

Deno.test("a refused mapping names the map and the value, and writes nothing", async () => {
  const directory = await lookupsDir({ "eu": "Europe" });
  const before = await Deno.readTextFile(join(directory, "region_map.json"));
  const cases: [string, () => Promise<unknown>, RegExp][] = [
    [
      "blank raw region",
      () => saveRegionMappings(directory, [{ raw: "  ", region: "Asia" }]),
      /^the raw region " {2}" is blank or too long$/,
    ],
    [
      "raw category too long",
      () => saveCategoryMappings(directory, [{ raw: "x".repeat(201), category: "Books" }]),
      /^the raw category "x{201}" is blank or too long$/,
    ],
    [
      "not a region",
      () => saveRegionMappings(directory, [{ raw: "eu", region: "Atlantis" }]),
      /^"Atlantis" is not a region in common_regions\.json; choose one of "Asia", "Europe"/,
    ],
  ];
  try {
    for (const [label, save, message] of cases) {
      await assert.rejects(
        save,
        (error) => error instanceof UserError && message.test(error.message),
        label,
      );
    }
    assert.equal(await Deno.readTextFile(join(directory, "region_map.json")), before);
    assert.deepEqual(await entries(directory), FIXTURE_FILES);
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});
