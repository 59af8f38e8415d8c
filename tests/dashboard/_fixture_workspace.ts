/**
 * A real workspace for the dashboard tests: a seeded dirty sales CSV (with the rejection reasons
 * and anomalies the pages show, and a few hostile values), lookups, and the outputs of the real
 * `cleanData` and `buildAggregations` run on it in process, all in a temporary directory.
 *
 * Built once per test process and shared: tests that change it (the review loop) build their own.
 * {@linkcode buildPipelineWorkspace} makes one from generated data with the whole pipeline instead.
 */
import { join } from "node:path";
import { buildAggregations } from "../../src/aggregations/build_aggregations.ts";
import { cleanData } from "../../src/cleaning/clean_data.ts";
import { csvLine } from "../../src/io/csv_write.ts";
import { runPipeline } from "../../src/pipeline.ts";
import { SALES_CSV_COLUMNS } from "../../src/io/sales_columns.ts";
import { type DashboardServer, serveDashboard } from "../../dashboard/server.ts";
import { seededRandom } from "../_seeded_random.ts";

/** A value that would run as script if a page did not escape it. */
export const HOSTILE_VALUE = "<script>alert(1)</script>";
/** A misspelt region no lookup resolves: the review loop maps it. */
export const UNMAPPED_REGION = "Nrth Amrca";
export const AS_OF = "2025-06-30";

const CATEGORIES = [
  "Books",
  "Clothing",
  "Electronics",
  "Grocery",
  "Home & Kitchen",
  "Toys & Games",
];
const REGIONS = [
  "Africa",
  "Asia",
  "Europe",
  "Middle East",
  "North America",
  "Oceania",
  "South America",
];
const PRODUCTS: Record<string, string[]> = {
  "Books": ["Paperback novel", "Cookbook", "Atlas"],
  "Clothing": ["T-shirt", "Jeans", 'Rain jacket, "hooded"'],
  "Electronics": ["USB mouse", "Headphones", "Monitor 27in"],
  "Grocery": ["Coffee beans", "Olive oil", "Rice 5kg"],
  "Home & Kitchen": ["Kettle", "Chef knife", "Frying pan"],
  "Toys & Games": ["Puzzle 1000", "Board game", HOSTILE_VALUE],
};

export interface FixtureWorkspace {
  root: string;
  dataDir: string;
  lookupsDir: string;
  input: string;
  inputRows: number;
}

/** Writes a dirty CSV of `rows` data rows; returns its text. */
export function dirtyCsv(rows: number, seed = 7): string {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const start = Date.UTC(2023, 0, 1);
  const days = 540;
  let text = csvLine(SALES_CSV_COLUMNS);
  for (let row = 0; row < rows; row++) {
    const category = pick(CATEGORIES);
    let fields = [
      `ORD-${String(row + 1).padStart(7, "0")}`,
      pick(PRODUCTS[category]),
      category,
      String(1 + Math.floor(random() * 5)),
      (2 + random() * 200).toFixed(2),
      random() < 0.3 ? (random() * 0.5).toFixed(2) : "0",
      pick(REGIONS),
      new Date(start + Math.floor(random() * days) * 86_400_000).toISOString().slice(0, 10),
      `buyer${row}@example.com`,
      "0",
    ];
    // Dirt, each kind on a fixed share of rows so every page has something to show.
    const kind = row % 50;
    if (kind === 1) fields[6] = UNMAPPED_REGION;
    else if (kind === 2) fields[6] = "Atlantis";
    else if (kind === 3) fields[2] = "Gadgets";
    else if (kind === 4) fields[3] = "two";
    else if (kind === 5) fields[7] = "31/02/2024";
    else if (kind === 6) fields[5] = "0.95"; // heavy_discount anomaly (kept)
    else if (kind === 7 && row > 0) fields[0] = `ORD-${String(row).padStart(7, "0")}`; // duplicate
    else if (kind === 8) fields = [fields[0], fields[1], "broken row"]; // malformed
    else if (kind === 9 && row % 100 === 9) fields[6] = HOSTILE_VALUE;
    text += csvLine(fields);
  }
  return text;
}

/** The fixture's lookups: its categories and regions, `eu` mapped and one region awaiting review. */
export async function writeLookups(lookupsDir: string): Promise<void> {
  await Deno.mkdir(lookupsDir, { recursive: true });
  await Deno.writeTextFile(
    join(lookupsDir, "common_categories.json"),
    `${JSON.stringify(CATEGORIES, null, 2)}\n`,
  );
  await Deno.writeTextFile(
    join(lookupsDir, "common_regions.json"),
    `${JSON.stringify(REGIONS, null, 2)}\n`,
  );
  await Deno.writeTextFile(
    join(lookupsDir, "region_map.json"),
    `${JSON.stringify({ "eu": "Europe", "nrth amrca": "UNKNOWN" }, null, 2)}\n`,
  );
}

/** Builds a workspace under a new temporary directory: CSV, lookups, clean run, aggregations. */
export async function buildFixtureWorkspace(rows = 3_000): Promise<FixtureWorkspace> {
  const root = await Deno.makeTempDir({ prefix: "dpd-dashboard-test-" });
  const dataDir = join(root, "data");
  const lookupsDir = join(root, "lookups");
  const input = join(dataDir, "input", "dirty_fixture.csv");
  await Deno.mkdir(join(dataDir, "input"), { recursive: true });
  await Deno.writeTextFile(input, dirtyCsv(rows));
  await writeLookups(lookupsDir);
  await runStages({ input, dataDir, lookupsDir });
  return { root, dataDir, lookupsDir, input, inputRows: rows };
}

/** Runs the real clean and aggregate stages on a workspace. */
export async function runStages(
  options: { input: string; dataDir: string; lookupsDir: string },
): Promise<void> {
  await cleanData({
    input: options.input,
    dataDir: options.dataDir,
    lookupsDir: options.lookupsDir,
    asOf: AS_OF,
    quiet: true,
    workers: 1,
  });
  await buildAggregations({ dataDir: options.dataDir, quiet: true, workers: 1 });
}

let shared: Promise<FixtureWorkspace> | undefined;

/** One read-only workspace per test process, removed when the process ends. */
export function sharedFixtureWorkspace(): Promise<FixtureWorkspace> {
  if (!shared) {
    shared = buildFixtureWorkspace();
    shared.then((workspace) =>
      globalThis.addEventListener("unload", () => {
        try {
          Deno.removeSync(workspace.root, { recursive: true });
        } catch { /* already gone */ }
      })
    );
  }
  return shared;
}

/**
 * A workspace made by the real pipeline, in process: `rows` generated dirty rows, lookups inferred
 * from them (starting from none, so abbreviations such as `eu` wait in the review queue), clean
 * and aggregate.
 */
export async function buildPipelineWorkspace(rows: number): Promise<FixtureWorkspace> {
  const root = await Deno.makeTempDir({ prefix: "dpd-dashboard-pipeline-" });
  const dataDir = join(root, "data");
  const lookupsDir = join(root, "lookups");
  const result = await runPipeline({
    rows,
    clean: false,
    seed: 42,
    asOf: AS_OF,
    dataDir,
    lookupsDir,
    quiet: true,
  });
  return { root, dataDir, lookupsDir, input: result.input, inputRows: rows };
}

/**
 * A fresh workspace of `rows` rows (for tests that change it), served on a free port while `body`
 * runs; the server is stopped and the workspace removed afterwards.
 */
export async function withFreshDashboard(
  rows: number,
  body: (server: DashboardServer, workspace: FixtureWorkspace) => Promise<void>,
): Promise<void> {
  const workspace = await buildFixtureWorkspace(rows);
  const server = await serveFixture(workspace);
  try {
    await body(server, workspace);
  } finally {
    await server.shutdown();
    await Deno.remove(workspace.root, { recursive: true });
  }
}

/** Serves a fixture workspace on a free port, with the committed bundle as is. */
export function serveFixture(workspace: FixtureWorkspace): Promise<DashboardServer> {
  return serveDashboard({
    dataDir: workspace.dataDir,
    lookupsDir: workspace.lookupsDir,
    port: 0,
    rebuildBundle: false,
  });
}
