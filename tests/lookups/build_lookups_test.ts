/**
 * The builders on small CSV files written here: merging with files a person edited, `--out`,
 * `--prune`, unchanged files left alone, and broken files refused rather than overwritten.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { UserError } from "../../src/io/errors.ts";
import { writeCsvParts } from "../_csv_parts.ts";
import { buildCategoryLookup } from "../../src/lookups/build_category_lookup.ts";
import { buildRegionLookup } from "../../src/lookups/build_region_lookup.ts";
import { buildRegionMap } from "../../src/lookups/build_region_map.ts";
import { countSampleValues } from "../../src/lookups/sample_counts.ts";
import { updateLookups } from "../../src/lookups/update_lookups.ts";

const HEADER =
  "order_id,product_name,category,quantity,unit_price,discount_percent,region,sale_date," +
  "customer_email,revenue";

/** A sample CSV with `rows` of (category, region), each repeated `times`. */
async function writeSample(
  directory: string,
  rows: [category: string, region: string, times: number][],
  extraLines: string[] = [],
): Promise<string> {
  const lines = [HEADER];
  let id = 0;
  for (const [category, region, times] of rows) {
    for (let repeat = 0; repeat < times; repeat++) {
      id++;
      lines.push(
        `ORD-${String(id).padStart(9, "0")},Widget,${csvField(category)},1,9.99,0,` +
          `${csvField(region)},2026-01-02,a@b.co,9.99`,
      );
    }
  }
  lines.push(...extraLines);
  const path = join(directory, "sample.csv");
  await Deno.writeTextFile(path, lines.join("\n") + "\n");
  return path;
}

function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

async function withDirectory(body: (directory: string) => Promise<void>): Promise<void> {
  const directory = await Deno.makeTempDir({ prefix: "dpd_build_lookups_test_" });
  try {
    await body(directory);
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
}

const readJson = async (path: string) => JSON.parse(await Deno.readTextFile(path));

Deno.test("countSampleValues reads a CR-only sample like its LF twin", async () => {
  await withDirectory(async (directory) => {
    const sample = await writeSample(directory, [["Books", "Asia", 3], ["Toys", "Eu\nrope", 2]], [
      "ORD-2,too,few",
    ]);
    const lf = await countSampleValues(sample, ["category", "region"], { quiet: true });
    const crPath = join(directory, "mac.csv");
    await Deno.writeTextFile(crPath, (await Deno.readTextFile(sample)).replaceAll("\n", "\r"));
    const cr = await countSampleValues(crPath, ["category", "region"], { quiet: true });
    assert.equal(cr.rows, 5);
    assert.equal(cr.malformedRows, 1);
    assert.deepEqual(cr.values.category, lf.values.category);
    // A line break inside quotes is read as written: CR in the CR-only file.
    assert.deepEqual(cr.values.region, new Map([["Asia", 3], ["Eu\rrope", 2]]));
  });
});

Deno.test("countSampleValues counts raw values as read and skips malformed records", async () => {
  await withDirectory(async (directory) => {
    const sample = await writeSample(directory, [
      ["Books", "Asia", 3],
      [" books", "Asia ", 2],
      ['Home, "Garden"', "", 1],
    ], [
      'ORD-1,"broken"x,Books,1,1,0,Asia,2026-01-01,a@b.co,1',
      "ORD-2,too,few",
      // The same text written three ways: quoted, unquoted with a literal quote, and non-ASCII.
      'ORD-3,W,"a""b",1,1,0,"Asia",2026-01-01,a@b.co,1',
      'ORD-4,W,a"b,1,1,0,Asia,2026-01-01,a@b.co,1',
      "ORD-5,W,Café,1,1,0,Ásia,2026-01-01,a@b.co,1",
      'ORD-6,W,"Café",1,1,0,Ásia,2026-01-01,a@b.co,1',
    ]);
    const counts = await countSampleValues(sample, ["category", "region"], { quiet: true });
    assert.equal(counts.rows, 10);
    assert.equal(counts.malformedRows, 2);
    const sortedEntries = (map: Map<string, number>) => [...map].sort(([a], [b]) => a < b ? -1 : 1);
    assert.deepEqual(sortedEntries(counts.values.category!), [
      [" books", 2],
      ["Books", 3],
      ["Café", 2],
      ['Home, "Garden"', 1],
      ['a"b', 2],
    ]);
    assert.deepEqual(sortedEntries(counts.values.region!), [
      ["", 1],
      ["Asia", 5],
      ["Asia ", 2],
      ["Ásia", 2],
    ]);
  });
});

Deno.test("a sample without the needed column is refused, naming the column", async () => {
  await withDirectory(async (directory) => {
    const sample = join(directory, "no_region.csv");
    await Deno.writeTextFile(sample, "order_id,category\nORD-1,Books\n");
    await assert.rejects(
      buildRegionLookup({ sample, lookupsDir: directory, quiet: true }),
      (error: unknown) => error instanceof UserError && /"region"/.test(error.message),
    );
  });
});

Deno.test("build-category-lookup keeps a person's spelling and entries, and --prune drops", async () => {
  await withDirectory(async (directory) => {
    const sample = await writeSample(directory, [
      ["electronics", "Asia", 60],
      ["Electronics", "Asia", 10],
      ["Books", "Asia", 29],
      ["Bokos", "Asia", 1],
    ]);
    const out = join(directory, "common_categories.json");
    const first = await buildCategoryLookup({ sample, lookupsDir: directory, quiet: true });
    assert.equal(first.path, out);
    assert.deepEqual(await readJson(out), ["Books", "electronics"]);
    assert.equal(await Deno.readTextFile(out), '[\n  "Books",\n  "electronics"\n]\n');

    // A person fixes a spelling and adds a category the sample lacks.
    await Deno.writeTextFile(out, '["Books", "Electronics", "Toys"]\n');
    const second = await buildCategoryLookup({ sample, lookupsDir: directory, quiet: true });
    assert.deepEqual(await readJson(out), ["Books", "Electronics", "Toys"]);
    assert.equal(second.written, true); // re-sorted into the file's pretty form
    assert.deepEqual(second.unsupported.map(({ name, rows }) => [name, rows]), [["Toys", 0]]);

    const third = await buildCategoryLookup({ sample, lookupsDir: directory, quiet: true });
    assert.equal(third.written, false); // nothing changed: the file is left alone

    const pruned = await buildCategoryLookup({
      sample,
      lookupsDir: directory,
      prune: true,
      quiet: true,
    });
    assert.deepEqual(await readJson(out), ["Books", "Electronics"]);
    assert.equal(pruned.pruned, true);
  });
});

Deno.test("--out writes elsewhere and --min-share moves the cut", async () => {
  await withDirectory(async (directory) => {
    const sample = await writeSample(directory, [
      ["Books", "Asia", 90],
      ["Toys", "Asia", 6],
      ["Games", "Asia", 4],
    ]);
    const out = join(directory, "nested", "categories.json");
    await buildCategoryLookup({ sample, lookupsDir: directory, out, minShare: 0.05, quiet: true });
    assert.deepEqual(await readJson(out), ["Books", "Toys"]);
    await assert.rejects(Deno.stat(join(directory, "common_categories.json")));
  });
});

Deno.test("build-region-lookup folds known abbreviations into their region", async () => {
  await withDirectory(async (directory) => {
    await Deno.writeTextFile(
      join(directory, "region_map.json"),
      '{"eu": "Europe", "uk": "Europe", "mars": "UNKNOWN"}\n',
    );
    const sample = await writeSample(directory, [
      ["Books", "Asia", 96],
      ["Books", "Europe", 1],
      ["Books", "EU", 1],
      ["Books", "UK", 1],
      ["Books", "Mars", 1],
    ]);
    const result = await buildRegionLookup({
      sample,
      lookupsDir: directory,
      minShare: 0.03,
      quiet: true,
    });
    // Europe: 1 + 1 + 1 = 3% once folded; Mars stays 1%.
    assert.deepEqual(result.names, ["Asia", "Europe"]);
  });
});

Deno.test("build-region-map needs the regions, keeps a person's decisions, skips blanks", async () => {
  await withDirectory(async (directory) => {
    const sample = await writeSample(directory, [
      ["Books", "Europe", 50],
      ["Books", "Eurpoe", 3],
      ["Books", "Mars", 2],
      ["Books", "Atlantis", 1],
      ["Books", "  ", 4],
    ]);
    await assert.rejects(
      buildRegionMap({ sample, lookupsDir: directory, quiet: true }),
      (error: unknown) =>
        error instanceof UserError &&
        /common_regions\.json.*build-region-lookup/.test(error.message),
    );
    await Deno.writeTextFile(join(directory, "common_regions.json"), '["Asia", "Europe"]\n');
    const mapPath = join(directory, "region_map.json");
    const first = await buildRegionMap({ sample, lookupsDir: directory, quiet: true });
    assert.deepEqual(await readJson(mapPath), {
      "atlantis": "UNKNOWN",
      "europe": "Europe",
      "eurpoe": "Europe",
      "mars": "UNKNOWN",
    });
    assert.deepEqual(first.unknownQueue, [{ key: "mars", rows: 2 }, { key: "atlantis", rows: 1 }]);
    assert.equal(first.blankRows, 4);

    // A person decides about Mars; the rerun keeps it and no longer queues it.
    const edited = await readJson(mapPath);
    edited["mars"] = "Asia";
    await Deno.writeTextFile(mapPath, JSON.stringify(edited, null, 2));
    const second = await buildRegionMap({ sample, lookupsDir: directory, quiet: true });
    assert.equal((await readJson(mapPath))["mars"], "Asia");
    assert.deepEqual(second.unknownQueue, [{ key: "atlantis", rows: 1 }]);
  });
});

Deno.test("a broken existing file stops the builder and is not overwritten", async () => {
  await withDirectory(async (directory) => {
    const sample = await writeSample(directory, [["Books", "Asia", 10]]);
    const broken = '["Books",\n  "Toys"\n';
    const path = join(directory, "common_categories.json");
    await Deno.writeTextFile(path, broken);
    await assert.rejects(
      buildCategoryLookup({ sample, lookupsDir: directory, quiet: true }),
      (error: unknown) =>
        error instanceof UserError && error.message.startsWith(`${path}:3:1: JSON syntax error`),
    );
    assert.equal(await Deno.readTextFile(path), broken);
  });
});

Deno.test("updateLookups reports contradictions a person introduced, without losing edits", async () => {
  await withDirectory(async (directory) => {
    const sample = await writeSample(directory, [
      ["Books", "Asia", 50],
      ["Toys", "Europe", 50],
    ]);
    const mapPath = join(directory, "region_map.json");
    const map = '{\n  "eu": "Eurpoe",\n  "asie": "Asia",\n  "ASIE": "Europe"\n}\n';
    await Deno.writeTextFile(mapPath, map);
    const result = await updateLookups({ sample, lookupsDir: directory, quiet: true });
    assert.equal(result.lookups, undefined);
    assert.equal(result.problems.length, 2, result.problems.join("\n"));
    assert.match(result.problems.join("\n"), /"eu" maps to "Eurpoe"/);
    assert.match(result.problems.join("\n"), /"ASIE" and "asie" are the same raw value/);
    const written = await readJson(mapPath);
    assert.equal(written["eu"], "Eurpoe");
    assert.equal(written["asie"], "Asia");
    assert.equal(written["ASIE"], "Europe");
  });
});

/**
 * A sample written twice: as one file, and split into a directory of three (a.csv.gz, b.csv
 * opening with a quoted line break, c.csv), each with the header.
 */
async function writeSplitSample(directory: string) {
  const records: string[] = [];
  const rows: [string, string, number][] = [
    ["Books", "Asia", 30],
    ["electronics", "EU", 25],
    [" books", "Asia ", 12],
    ["Toys", "Eu\nrope", 3],
    ["Bokos", "Asia", 6],
    ["Home", "Atlantis", 2],
    ["Home", "Mars", 3],
    ["", "", 4],
  ];
  let id = 0;
  for (const [category, region, times] of rows) {
    for (let repeat = 0; repeat < times; repeat++) {
      records.push(
        `ORD-${++id},Widget,${csvField(category)},1,9.99,0,${csvField(region)},2026-01-02,` +
          "a@b.co,9.99",
      );
    }
  }
  // Interleave so every file holds some of each value, then move a line break to b.csv's start.
  records.sort((a, b) => (a.length % 7) - (b.length % 7) || (a < b ? -1 : 1));
  const broken = records.findIndex((record) => record.includes("\n"));
  const [quoted] = records.splice(broken, 1);
  records.splice(40, 0, quoted, "ORD-x,too,few");
  const parts = {
    "a.csv.gz": records.slice(0, 40),
    "b.csv": records.slice(40, 70),
    "c.csv": records.slice(70),
  };
  const exports = join(directory, "exports");
  const files = await writeCsvParts(exports, HEADER, parts);
  const whole = join(directory, "whole.csv");
  await Deno.writeTextFile(whole, [HEADER, ...records].join("\n") + "\n");
  return { exports, whole, parts, files };
}

/** A lookups directory holding only the shipped abbreviation EU → Europe. */
async function lookupsWithMap(directory: string, name: string): Promise<string> {
  const lookupsDir = join(directory, name);
  await Deno.mkdir(lookupsDir);
  await Deno.writeTextFile(join(lookupsDir, "region_map.json"), '{\n  "eu": "Europe"\n}\n');
  return lookupsDir;
}

async function lookupTexts(lookupsDir: string): Promise<Record<string, string>> {
  const texts: Record<string, string> = {};
  for (const name of ["common_categories.json", "common_regions.json", "region_map.json"]) {
    texts[name] = await Deno.readTextFile(join(lookupsDir, name));
  }
  return texts;
}

Deno.test("the builders over a directory of files build what their concatenation builds", async () => {
  await withDirectory(async (directory) => {
    const { exports, whole, parts } = await writeSplitSample(directory);
    const build = async (sample: string | string[], name: string) => {
      const lookupsDir = await lookupsWithMap(directory, name);
      const options = { sample, lookupsDir, quiet: true, minShare: 0.05 };
      const categories = await buildCategoryLookup(options);
      const regions = await buildRegionLookup(options);
      const regionMap = await buildRegionMap(options);
      return { lookupsDir, categories, regions, regionMap };
    };
    const fromWhole = await build(whole, "whole_lookups");
    const fromDirectory = await build(exports, "directory_lookups");
    assert.deepEqual(
      await lookupTexts(fromDirectory.lookupsDir),
      await lookupTexts(fromWhole.lookupsDir),
    );
    // The sample is not trivial: names reached the share, Mars and Atlantis await review.
    assert.deepEqual(fromWhole.categories.names, ["Bokos", "Books", "electronics", "Home"]);
    assert.deepEqual(fromDirectory.regionMap.unknownQueue, fromWhole.regionMap.unknownQueue);
    assert.deepEqual(fromWhole.regionMap.unknownQueue.map(({ key }) => key), ["mars", "atlantis"]);
    const sample = fromDirectory.regionMap.sample;
    assert.equal(sample.rows, fromWhole.regionMap.sample.rows);
    assert.equal(sample.malformedRows, 1);
    assert.deepEqual(
      sample.files.map(({ rows }) => rows),
      Object.values(parts).map((part) =>
        part.filter((record) => !record.includes("too,few")).length
      ),
    );
    assert.equal(sample.path, exports);
  });
});

Deno.test("updateLookups over repeated files equals the concatenation; a header mismatch stops", async () => {
  await withDirectory(async (directory) => {
    const { whole, files } = await writeSplitSample(directory);
    const update = async (sample: string | string[], name: string) => {
      const lookupsDir = await lookupsWithMap(directory, name);
      const result = await updateLookups({ sample, lookupsDir, quiet: true, minShare: 0.05 });
      return { result, texts: await lookupTexts(lookupsDir) };
    };
    const fromWhole = await update(whole, "whole_lookups");
    const fromFiles = await update(files, "files_lookups");
    assert.deepEqual(fromFiles.texts, fromWhole.texts);
    assert.deepEqual(fromFiles.result.unknownCategories, fromWhole.result.unknownCategories);
    assert.deepEqual(fromFiles.result.suggestions, fromWhole.result.suggestions);
    assert.deepEqual(fromFiles.result.sample.inputs, files);

    // A file whose columns differ from the first file's is refused by name, before any write.
    const other = join(directory, "other.csv");
    await Deno.writeTextFile(other, "order_id,region,category\nORD-1,Asia,Books\n");
    const lookupsDir = await lookupsWithMap(directory, "mismatch_lookups");
    await assert.rejects(
      updateLookups({ sample: [files[0], other], lookupsDir, quiet: true }),
      (error: unknown) =>
        error instanceof UserError && error.message.includes(other) &&
        /differs from the first input's/.test(error.message),
    );
    assert.deepEqual([...Deno.readDirSync(lookupsDir)].map((entry) => entry.name), [
      "region_map.json",
    ]);
  });
});
