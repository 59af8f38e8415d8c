/**
 * The lookup commands as a person runs them: `deno run main.ts …` in a subprocess, checking exit
 * codes, the one-line errors on stderr and the `--json` summary on stdout.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runDpd } from "../_dpd.ts";

const HEADER =
  "order_id,product_name,category,quantity,unit_price,discount_percent,region,sale_date," +
  "customer_email,revenue";

function dpd(args: string[], cwd: string) {
  return runDpd(args, { cwd });
}

/** A workspace with a 100-row sample: Books/Toys, Asia/Europe, a few abbreviations and junk. */
async function workspace(): Promise<{ directory: string; sample: string; lookups: string }> {
  const directory = await Deno.makeTempDir({ prefix: "dpd_lookups_command_test_" });
  const rows: [string, string, number][] = [
    ["Books", "Asia", 45],
    ["Toys", "Europe", 40],
    ["toys", "EU", 10],
    ["N/A", "Mars", 3],
    ["", "", 2],
  ];
  const lines = [HEADER];
  let id = 0;
  for (const [category, region, times] of rows) {
    for (let repeat = 0; repeat < times; repeat++) {
      lines.push(`ORD-${++id},Thing,${category},1,2.50,0,${region},2026-01-01,x@y.org,2.5`);
    }
  }
  const sample = join(directory, "sample.csv");
  await Deno.writeTextFile(sample, lines.join("\n") + "\n");
  const lookups = join(directory, "lookups");
  await Deno.mkdir(lookups);
  await Deno.writeTextFile(join(lookups, "region_map.json"), '{\n  "eu": "Europe"\n}\n');
  return { directory, sample, lookups };
}

Deno.test("update-lookups builds all three files and prints a JSON summary", async () => {
  const { directory, sample, lookups } = await workspace();
  try {
    const result = await dpd(
      ["update-lookups", sample, "--lookups-dir", lookups, "--json"],
      directory,
    );
    assert.equal(result.code, 0, result.stderr);
    const summary = JSON.parse(result.stdout.trim());
    assert.equal(summary.command, "update-lookups");
    assert.equal(summary.rows, 100);
    assert.equal(typeof summary.duration_s, "number");
    assert.ok(summary.peak_rss_bytes > 0);
    assert.deepEqual(summary.categories.names, ["Books", "N/A", "Toys"]);
    assert.deepEqual(summary.regions.names, ["Asia", "Europe", "Mars"]);
    assert.deepEqual(summary.problems, []);
    assert.deepEqual(
      JSON.parse(await Deno.readTextFile(join(lookups, "region_map.json"))),
      { "asia": "Asia", "eu": "Europe", "europe": "Europe", "mars": "Mars" },
    );
    // The dry-run clean of the sample with the new lookups: counted, nothing written.
    assert.equal(summary.dry_run.input_rows, 100);
    assert.equal(summary.dry_run.clean_rows + summary.dry_run.rejected_rows, 100);
    assert.equal(summary.dry_run.reasons.unknown_category, 2); // the blank categories
    assert.equal(summary.dry_run.reasons.unknown_region, 0); // blank rows went first
    assert.equal(summary.dry_run.clean_rows, 98);
    const written: string[] = [];
    for await (const entry of Deno.readDir(directory)) written.push(entry.name);
    assert.deepEqual(written.sort(), ["lookups", "sample.csv"]);
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});

Deno.test("update-lookups over a directory (--input) and over files equals the one-file run", async () => {
  const { directory, sample, lookups } = await workspace();
  try {
    // The sample split in two files (alternate rows), its header in each.
    const [header, ...records] = (await Deno.readTextFile(sample)).trimEnd().split("\n");
    const exports = join(directory, "exports");
    await Deno.mkdir(exports);
    const halves = [records.filter((_, i) => i % 2 === 0), records.filter((_, i) => i % 2 === 1)];
    const parts = halves.map((_, index) => join(exports, `part-${index}.csv`));
    for (const [index, half] of halves.entries()) {
      await Deno.writeTextFile(parts[index], [header, ...half].join("\n") + "\n");
    }
    const run = async (args: string[], name: string) => {
      const lookupsDir = join(directory, name);
      await Deno.mkdir(lookupsDir);
      await Deno.copyFile(join(lookups, "region_map.json"), join(lookupsDir, "region_map.json"));
      const result = await dpd(
        ["update-lookups", ...args, "--lookups-dir", lookupsDir, "--json"],
        directory,
      );
      assert.equal(result.code, 0, result.stderr);
      const summary = JSON.parse(result.stdout.trim());
      const { categories, regions, region_map, dry_run, rows } = summary;
      assert.deepEqual(
        summary.sample_files.map(({ rows }: { rows: number }) => rows),
        args.includes(sample) ? [records.length] : halves.map((half) => half.length),
      );
      const files = [];
      for (const file of ["common_categories.json", "common_regions.json", "region_map.json"]) {
        files.push(await Deno.readTextFile(join(lookupsDir, file)));
      }
      const paths = { output: undefined };
      return {
        rows,
        categories: { ...categories, ...paths },
        regions: { ...regions, ...paths },
        region_map: { ...region_map, ...paths },
        dry_run,
        files,
      };
    };
    const whole = await run([sample], "whole");
    assert.equal(whole.dry_run.input_rows, 100);
    assert.deepEqual(await run(["--input", exports], "directory"), whole);
    assert.deepEqual(await run(parts, "files"), whole);
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});

Deno.test("update-lookups lists what awaits review, most rows first", async () => {
  const { directory, sample, lookups } = await workspace();
  try {
    // At 5% neither Mars nor N/A is canonical, so both land in the review lists.
    const result = await dpd(
      ["update-lookups", sample, "--lookups-dir", lookups, "--min-share", "5%"],
      directory,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stderr,
      // Mars has no suggestion: `-` in both columns.
      /region values awaiting review[^\n]*\n[^\n]*value\s+rows\s+suggestion\s+method\n[^\n]*\n\s+"mars"\s+3\s+-\s+-\n/,
    );
    assert.match(result.stderr, /blank regions: 2 rows/);
    assert.match(result.stderr, /unknown_category[^\n]*\n[^\n]*\n[^\n]*\n\s+"n\/a"\s+3\s+-\s+-\n/);
    assert.match(result.stderr, /lookups are consistent/);
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});

const BROKEN_FILES: { name: string; file: string; text: string; expected: RegExp }[] = [
  {
    name: "a JSON syntax error",
    file: "region_map.json",
    text: '{\n  "eu": "Europe",\n  "latam": "South America",\n}\n',
    expected: /^error: \S*region_map\.json:4:1: JSON syntax error: [^\n]+\n$/,
  },
  {
    name: "an entry of the wrong type",
    file: "common_categories.json",
    text: '[\n  "Books",\n  {"name": "Toys"}\n]\n',
    expected:
      /^error: \S*common_categories\.json:3:3: expected a JSON array of names[^\n]*entry 2 is an object\n$/,
  },
];

for (const { name, file, text, expected } of BROKEN_FILES) {
  Deno.test(`update-lookups stops on ${name}: exit 1, file and position, file untouched`, async () => {
    const { directory, sample, lookups } = await workspace();
    try {
      await Deno.writeTextFile(join(lookups, file), text);
      const result = await dpd(["update-lookups", sample, "--lookups-dir", lookups], directory);
      assert.equal(result.code, 1);
      assert.match(result.stderr, expected);
      assert.doesNotMatch(result.stderr, /at .*\.ts:\d+/); // no stack trace
      assert.equal(await Deno.readTextFile(join(lookups, file)), text);
    } finally {
      await Deno.remove(directory, { recursive: true });
    }
  });
}

Deno.test("update-lookups exits 1 listing contradictions, after the JSON summary", async () => {
  const { directory, sample, lookups } = await workspace();
  try {
    await Deno.writeTextFile(
      join(lookups, "region_map.json"),
      '{\n  "eu": "Europe",\n  "EU": "Asia"\n}\n',
    );
    const result = await dpd(
      ["update-lookups", sample, "--lookups-dir", lookups, "--json"],
      directory,
    );
    assert.equal(result.code, 1);
    const summary = JSON.parse(result.stdout.trim());
    assert.equal(summary.problems.length, 1);
    assert.match(
      result.stderr,
      /contradict each other \(1 problem\):\n {2}- region_map\.json: "EU" and "eu"/,
    );
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});

Deno.test("the builders explain a missing sample, a bad flag and missing regions", async () => {
  const { directory, sample, lookups } = await workspace();
  try {
    const missing = await dpd(["build-category-lookup", "nope.csv"], directory);
    assert.equal(missing.code, 1);
    assert.match(
      missing.stderr,
      /sample not found: nope\.csv \(looked in nope\.csv, data\/input\/nope\.csv/,
    );

    const badShare = await dpd(["build-region-lookup", sample, "--min-share", "200%"], directory);
    assert.equal(badShare.code, 1);
    assert.match(badShare.stderr, /--min-share.*expected a share between 0 and 1/);

    const noRegions = await dpd(["build-region-map", sample, "--lookups-dir", lookups], directory);
    assert.equal(noRegions.code, 1);
    assert.match(
      noRegions.stderr,
      /common_regions\.json, which is missing: run `deno task build-region-lookup/,
    );
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});

Deno.test("a sample under <data-dir>/input/ is found by its name", async () => {
  const { directory, sample, lookups } = await workspace();
  try {
    await Deno.mkdir(join(directory, "work", "input"), { recursive: true });
    await Deno.rename(sample, join(directory, "work", "input", "sample.csv"));
    const result = await dpd(
      [
        "build-category-lookup",
        "sample.csv",
        "--data-dir",
        "work",
        "--lookups-dir",
        lookups,
        "--json",
      ],
      directory,
    );
    assert.equal(result.code, 0, result.stderr);
    const summary = JSON.parse(result.stdout.trim());
    assert.equal(summary.sample, join("work", "input", "sample.csv"));
    assert.deepEqual(summary.names, ["Books", "N/A", "Toys"]);
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});

/** The workspace's sample under an export's own column names, and the dpd.json that maps them. */
async function exportWorkspace(): Promise<{ directory: string; sample: string; lookups: string }> {
  const space = await workspace();
  const text = await Deno.readTextFile(space.sample);
  const renamed = text.replace(
    HEADER,
    "Order ID,Item,Product Category,Qty,Unit Price,Discount,Territory,Order Date,Email,Sales",
  );
  await Deno.writeTextFile(space.sample, renamed);
  await Deno.writeTextFile(
    join(space.directory, "dpd.json"),
    JSON.stringify({
      columns: {
        product_name: "Item",
        category: "Product Category",
        quantity: "Qty",
        region: "Territory",
        sale_date: "Order Date",
      },
    }),
  );
  return space;
}

Deno.test("the builders and update-lookups read the columns dpd.json or --column names", async (t) => {
  const { directory, sample, lookups } = await exportWorkspace();
  await t.step("build-category-lookup, with --column (no dpd.json)", async () => {
    await Deno.rename(join(directory, "dpd.json"), join(directory, "mapping.json"));
    const refused = await dpd(
      ["build-category-lookup", sample, "--lookups-dir", lookups],
      directory,
    );
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /no column for the required role category\..*--column "category=Product Category"/,
    );
    const result = await dpd(
      [
        "build-category-lookup",
        sample,
        "--lookups-dir",
        lookups,
        "--column",
        "category=Product Category",
        "--json",
      ],
      directory,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout).names, ["Books", "N/A", "Toys"]);
    await Deno.rename(join(directory, "mapping.json"), join(directory, "dpd.json"));
  });
  await t.step("build-region-lookup and build-region-map, with dpd.json", async () => {
    const regions = await dpd(
      ["build-region-lookup", sample, "--lookups-dir", lookups, "--json"],
      directory,
    );
    assert.equal(regions.code, 0, regions.stderr);
    assert.deepEqual(JSON.parse(regions.stdout).names, ["Asia", "Europe", "Mars"]);
    const map = await dpd(
      ["build-region-map", sample, "--lookups-dir", lookups, "--json"],
      directory,
    );
    assert.equal(map.code, 0, map.stderr);
    assert.equal(JSON.parse(map.stdout).entries, 4);
  });
  await t.step("update-lookups and its dry-run clean, with dpd.json", async () => {
    const result = await dpd(
      ["update-lookups", sample, "--lookups-dir", lookups, "--as-of", "2026-06-01", "--json"],
      directory,
    );
    assert.equal(result.code, 0, result.stderr);
    const summary = JSON.parse(result.stdout);
    assert.deepEqual(summary.categories.names, ["Books", "N/A", "Toys"]);
    assert.equal(summary.dry_run.input_rows, 100);
    // The order IDs are unique; only the blank region and category rows are rejected.
    assert.equal(summary.dry_run.reasons.duplicate_order_id, 0);
    assert.equal(summary.dry_run.clean_rows, 98);
  });
});
