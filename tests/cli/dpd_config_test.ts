import assert from "node:assert/strict";
import { join } from "node:path";
import { InvalidArgumentError } from "commander";
import { UserError } from "../../src/io/errors.ts";
import { collectColumn, columnMappingFrom, parseDedupKey } from "../../src/cli/column_options.ts";
import { loadDpdConfig, parseDpdConfig } from "../../src/cli/dpd_config.ts";
import type { ColumnMapping } from "../../src/io/column_roles.ts";

Deno.test("parseDpdConfig() reads columns, dedup_key and drop_extra_columns", async (t) => {
  const cases: [string, string, ColumnMapping][] = [
    ["empty", "{}", {}],
    [
      "the issue's example",
      '{ "columns": { "discount_percent": "Discount", "sale_date": "Order Date" },\n' +
      '  "dedup_key": ["Order ID", "Product ID"] }',
      {
        columns: { discount_percent: "Discount", sale_date: "Order Date" },
        dedupKey: ["Order ID", "Product ID"],
      },
    ],
    ["dedup off", '{"dedup_key": "none"}', { dedupKey: [] }],
    ["dedup off, any case", '{"dedup_key": "NONE"}', { dedupKey: [] }],
    ["drop extras", '{"drop_extra_columns": true}', { dropExtraColumns: true }],
  ];
  for (const [name, text, expected] of cases) {
    await t.step(name, () => assert.deepEqual(parseDpdConfig(text, "dpd.json"), expected));
  }
});

Deno.test("parseDpdConfig() refuses a bad file with file:line:column", async (t) => {
  const cases: [string, string, RegExp][] = [
    [
      "a syntax error",
      '{\n  "columns": {\n    "sale_date": "Order Date",\n  }\n}',
      /^dpd\.json:4:3: /,
    ],
    ["unterminated", '{"columns": {"sale_date": "Order Date"', /^dpd\.json:1:\d+: /],
    ["not an object", '\n  ["sale_date"]', /^dpd\.json:2:3: expected a JSON object/],
    [
      "an unknown key",
      '{\n  "colums": {}\n}',
      /^dpd\.json:2:3: unknown key "colums"; a dpd\.json holds/,
    ],
    [
      "an unknown role, pointed at inside the columns object",
      '{\n  "columns": {\n    "sale_date": "Order Date",\n    "sale_dat": "Ship Date"\n  }\n}',
      /^dpd\.json:4:5: unknown role "sale_dat"; the roles are order_id, /,
    ],
    [
      "an unknown role on the same line as the key",
      '{"columns": {"order_id": "A", "price": "B"}}',
      /^dpd\.json:1:31: unknown role "price"/,
    ],
    [
      "a header name that is not a string",
      '{\n  "columns": { "quantity": 3 }\n}',
      /^dpd\.json:2:16: the header name for quantity must be a non-empty string/,
    ],
    [
      "columns not an object",
      '{\n "columns": ["a"]\n}',
      /^dpd\.json:2:2: "columns" must be an object/,
    ],
    ["an empty dedup key", '{\n  "dedup_key": []\n}', /^dpd\.json:2:3: "dedup_key" must be a list/],
    [
      "a dedup key string",
      '{"dedup_key": "Order ID"}',
      /^dpd\.json:1:2: "dedup_key" must be a list/,
    ],
    [
      "a key written twice",
      '{"dedup_key": "none",\n "dedup_key": "none"}',
      /^dpd\.json:2:2: "dedup_key" is written twice/,
    ],
    [
      "a role mapped twice",
      '{"columns": {\n"region": "A",\n"region": "B"}}',
      /^dpd\.json:3:1: role region is mapped twice/,
    ],
    [
      "a non-boolean switch",
      '{"drop_extra_columns": "yes"}',
      /^dpd\.json:1:2: "drop_extra_columns" must be true or false/,
    ],
  ];
  for (const [name, text, message] of cases) {
    await t.step(name, () => {
      assert.throws(
        () => parseDpdConfig(text, "dpd.json"),
        (error) => error instanceof UserError && message.test(error.message),
      );
    });
  }
});

Deno.test("loadDpdConfig(): no dpd.json is no mapping, a missing --config file is an error", async () => {
  const directory = await Deno.makeTempDir({ prefix: "dpd-config-" });
  assert.equal(await loadDpdConfig(join(directory, "dpd.json"), false), undefined);
  await assert.rejects(
    () => loadDpdConfig(join(directory, "mine.json"), true),
    (error) => error instanceof UserError && /mine\.json does not exist/.test(error.message),
  );
  await Deno.writeTextFile(join(directory, "bom.json"), '\uFEFF{"dedup_key": "none"}');
  assert.deepEqual(await loadDpdConfig(join(directory, "bom.json"), true), { dedupKey: [] });
});

Deno.test("flags win over dpd.json, role by role", async () => {
  const directory = await Deno.makeTempDir({ prefix: "dpd-config-" });
  const config = join(directory, "dpd.json");
  await Deno.writeTextFile(
    config,
    JSON.stringify({
      columns: { sale_date: "Order Date", discount_percent: "Discount" },
      dedup_key: ["Order ID", "Product ID"],
      drop_extra_columns: true,
    }),
  );
  assert.deepEqual(await columnMappingFrom({ config }), {
    columns: { sale_date: "Order Date", discount_percent: "Discount" },
    dedupKey: ["Order ID", "Product ID"],
    dropExtraColumns: true,
  });
  const flags = {
    config,
    column: collectColumn("sale_date=Ship Date", collectColumn("region=Territory", undefined)),
    dedupKey: parseDedupKey("none"),
  };
  assert.deepEqual(await columnMappingFrom(flags), {
    columns: { sale_date: "Ship Date", discount_percent: "Discount", region: "Territory" },
    dedupKey: [],
    dropExtraColumns: true,
  });
});

Deno.test("--column and --dedup-key parse or refuse", () => {
  assert.deepEqual(collectColumn("sale_date=Order = Date", [["region", "R"]]), [
    ["region", "R"],
    ["sale_date", "Order = Date"],
  ]);
  for (const bad of ["sale_date", "date=Order Date", "sale_date= ", "=x"]) {
    assert.throws(() => collectColumn(bad, undefined), InvalidArgumentError, bad);
  }
  assert.deepEqual(parseDedupKey("Order ID, Product ID"), ["Order ID", "Product ID"]);
  assert.deepEqual(parseDedupKey(" None "), []);
  assert.throws(() => parseDedupKey("a,,b"), InvalidArgumentError);
});
