/**
 * Suggestions end to end on 50k generated dirty rows with lookups inferred fresh (no starter map):
 * update-lookups lists a suggestion for each variant the edit-distance rule cannot place and
 * writes nothing for them, `--accept-suggestions` writes them, and clean-data's `unknown_region`
 * rows are then exactly the rows holding junk or a blank region.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { cleanData } from "../../src/cleaning/clean_data.ts";
import { generateData } from "../../src/generation/generate_data.ts";
import { UNKNOWN_REGIONS } from "../../src/generation/regions.ts";
import { openCsv } from "../../src/io/csv_stream.ts";
import { RECORD_OK, recordFields } from "../../src/io/csv_parse.ts";
import { regionKey } from "../../src/lookups/keys.ts";
import { runDpd } from "../_dpd.ts";

const AS_OF = "2026-11-28";
const JUNK_KEYS = new Set<string>(UNKNOWN_REGIONS.map(regionKey));

/** The source lines of the rows clean-data rejects as `unknown_region`, with their region keys. */
async function unknownRegionRows(
  input: string,
  lookupsDir: string,
  directory: string,
): Promise<Map<number, string>> {
  const rejectedDir = join(directory, `rejected_${crypto.randomUUID()}`);
  const { report } = await cleanData({
    input,
    output: join(directory, "clean.parquet"),
    rejectedDir,
    reportDir: directory,
    lookupsDir,
    asOf: AS_OF,
    workers: 1,
    quiet: true,
  });
  const csv = await openCsv(report.rejected!);
  const region = csv.header.indexOf("region");
  const reason = csv.header.indexOf("rejection_reason");
  const line = csv.header.indexOf("source_line");
  const rows = new Map<number, string>();
  for await (const batch of csv.batches) {
    for (let record = 0; record < batch.count; record++) {
      if (batch.status[record] !== RECORD_OK) continue;
      const fields = recordFields(batch, record);
      if (fields[reason] === "unknown_region") {
        rows.set(Number(fields[line]), regionKey(fields[region]));
      }
    }
  }
  assert.equal(rows.size, report.reasons.unknown_region);
  return rows;
}

interface SuggestionJson {
  column: string;
  raw: string;
  canonical: string;
  method: string;
  rows: number;
  accepted: boolean;
}

Deno.test("fresh lookups → suggestions listed → accepted → unknown_region is junk and blanks alone", async () => {
  const directory = await Deno.makeTempDir({ prefix: "dpd_suggestions_e2e_" });
  try {
    const sample = join(directory, "dirty_50k.csv");
    await generateData({
      rows: 50_000,
      clean: false,
      seed: 42,
      asOf: AS_OF,
      output: sample,
      workers: 1,
    });
    const lookupsDir = join(directory, "lookups");
    await Deno.mkdir(lookupsDir);
    const mapPath = join(lookupsDir, "region_map.json");
    const update = (...flags: string[]) =>
      runDpd([
        "update-lookups",
        sample,
        "--lookups-dir",
        lookupsDir,
        "--as-of",
        AS_OF,
        "--json",
        ...flags,
      ]);

    // 1. Listed, not written.
    const listed = await update();
    assert.equal(listed.code, 0, listed.stderr);
    const suggestions: SuggestionJson[] = JSON.parse(listed.stdout).suggestions;
    const byRaw = Object.fromEntries(
      suggestions.map((entry) => [entry.raw, [entry.column, entry.canonical, entry.method]]),
    );
    assert.deepEqual(byRaw, {
      "n. america": ["region", "North America", "abbreviation"],
      "s. america": ["region", "South America", "abbreviation"],
      "eu": ["region", "Europe", "abbreviation"],
      "uk": ["region", "Europe", "gazetteer"],
      "latam": ["region", "South America", "gazetteer"],
      "austalia": ["region", "Oceania", "gazetteer"],
    });
    assert.ok(suggestions.every((entry) => entry.rows > 0 && !entry.accepted));
    const rows = suggestions.map((entry) => entry.rows);
    assert.deepEqual(rows, [...rows].sort((a, b) => b - a), "most rows first");
    const listedMap = JSON.parse(await Deno.readTextFile(mapPath));
    for (const entry of suggestions) assert.equal(listedMap[entry.raw], "UNKNOWN", entry.raw);
    const before = await unknownRegionRows(sample, lookupsDir, directory);
    assert.ok([...before.values()].some((key) => !JUNK_KEYS.has(key)), "variants are rejected");

    // 2. Accepted: written into the map, and only junk stays UNKNOWN.
    const accepted = await update("--accept-suggestions");
    assert.equal(accepted.code, 0, accepted.stderr);
    const summary = JSON.parse(accepted.stdout);
    assert.deepEqual(
      summary.suggestions.map((entry: SuggestionJson) => [entry.raw, entry.accepted]),
      suggestions.map((entry) => [entry.raw, true]),
    );
    const acceptedMap = JSON.parse(await Deno.readTextFile(mapPath));
    for (const entry of suggestions) assert.equal(acceptedMap[entry.raw], entry.canonical);
    assert.deepEqual(
      summary.region_map.unknown_regions.map((entry: { value: string }) => entry.value).sort(),
      [...JUNK_KEYS].filter((key) => key !== "").sort(),
    );

    // 3. clean-data rejects exactly the rows it rejected before for junk or a blank.
    const after = await unknownRegionRows(sample, lookupsDir, directory);
    const junkBefore = [...before].filter(([, key]) => JUNK_KEYS.has(key)).map(([line]) => line);
    assert.deepEqual([...after.keys()].sort((a, b) => a - b), junkBefore.sort((a, b) => a - b));
    assert.equal(summary.dry_run.reasons.unknown_region, after.size);
    assert.ok(after.size < before.size);

    // 4. A second run has nothing left to suggest and leaves the map as it is.
    const again = await update("--accept-suggestions=gazetteer");
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(JSON.parse(again.stdout).suggestions, []);
    assert.equal(JSON.parse(again.stdout).region_map.written, false);
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});

Deno.test("--accept-suggestions refuses a word that is not a method, naming the methods", async () => {
  const result = await runDpd(["update-lookups", "--accept-suggestions", "sample.csv"]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /"sample\.csv" is not a suggestion method/);
  assert.match(result.stderr, /fingerprint, abbreviation, gazetteer, phonetic/);
  assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
});

Deno.test("update-lookups prints each suggestion and accepts only the methods listed", async () => {
  const directory = await Deno.makeTempDir({ prefix: "dpd_suggestions_text_" });
  try {
    const header = "order_id,product_name,category,quantity,unit_price,discount_percent,region," +
      "sale_date,customer_email,revenue";
    const lines = [header];
    const regions: [string, number][] = [
      ["North America", 50],
      ["Europe", 40],
      ["N. America", 5],
      ["UK", 3],
      ["Mars", 2],
    ];
    for (const [region, times] of regions) {
      for (let repeat = 0; repeat < times; repeat++) {
        lines.push(`ORD-${lines.length},Thing,Books,1,2.50,0,${region},2026-01-01,x@y.org,2.5`);
      }
    }
    const sample = join(directory, "sample.csv");
    await Deno.writeTextFile(sample, lines.join("\n") + "\n");
    const lookupsDir = join(directory, "lookups");
    await Deno.mkdir(lookupsDir);
    const update = (...flags: string[]) =>
      runDpd([
        "update-lookups",
        sample,
        "--lookups-dir",
        lookupsDir,
        "--min-share",
        "10%",
        ...flags,
      ]);
    const mapPath = join(lookupsDir, "region_map.json");

    const listed = await update();
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stderr, /"n\. america"\s+5\s+"North America"\s+abbreviation\n/);
    assert.match(listed.stderr, /"uk"\s+3\s+"Europe"\s+gazetteer\n/);
    assert.match(listed.stderr, /"mars"\s+2\s+-\s+-\n/);
    assert.match(listed.stderr, /2 region suggestion\(s\) cover 8 rows; nothing is written until/);
    assert.equal(JSON.parse(await Deno.readTextFile(mapPath))["uk"], "UNKNOWN");

    const accepted = await update("--accept-suggestions=gazetteer");
    assert.equal(accepted.code, 0, accepted.stderr);
    assert.match(
      accepted.stderr,
      /accepted 1 suggestion\(s\) into [^\n]+:\n[^\n]+\n[^\n]+\n\s+"uk"\s+3\s+"Europe"\s+gazetteer\n/,
    );
    assert.match(
      accepted.stderr,
      /1 region suggestion\(s\) \(5 rows\) by other methods left for review/,
    );
    const map = JSON.parse(await Deno.readTextFile(mapPath));
    assert.equal(map["uk"], "Europe");
    assert.equal(map["n. america"], "UNKNOWN");
    assert.equal(map["mars"], "UNKNOWN");
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});
