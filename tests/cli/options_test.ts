import assert from "node:assert/strict";
import { Command, InvalidArgumentError } from "commander";
import {
  addWorkspaceOptions,
  asOfOption,
  defaultWorkers,
  parseCount,
  parseIsoDate,
  parsePort,
  parseSeed,
  parseShare,
  parseWorkers,
  workersOption,
} from "../../src/cli/options.ts";

Deno.test("parseCount reads plain, underscored and suffixed counts", () => {
  const cases: [string, number][] = [
    ["1", 1],
    ["100000", 100_000],
    ["10_000_000", 10_000_000],
    ["1m", 1_000_000],
    ["100M", 100_000_000],
    ["250k", 250_000],
    [" 42 ", 42],
  ];
  for (const [text, expected] of cases) assert.equal(parseCount(text), expected, text);
});

Deno.test("parseCount refuses what is not a whole number ≥ its minimum", () => {
  for (const text of ["abc", "-5", "0", "1.5", "1e6", "", "5x", "1mm"]) {
    assert.throws(() => parseCount(text), InvalidArgumentError, text);
  }
  assert.equal(parseSeed("0"), 0);
  assert.throws(() => parseSeed("-1"), InvalidArgumentError);
});

Deno.test("parseCount as a commander parser ignores the option's previous value", () => {
  // commander calls parsers as parser(value, previous): a default of 100000 must not become a minimum.
  const asCommanderCalls = parseCount as (value: string, previous: unknown) => number;
  assert.equal(asCommanderCalls("30k", 100_000), 30_000);
});

Deno.test("other flag parsers accept their range and refuse the rest", () => {
  assert.equal(parseWorkers("2"), 2);
  assert.throws(() => parseWorkers("65"), InvalidArgumentError);
  assert.equal(parseShare("0.02"), 0.02);
  assert.equal(parseShare("2%"), 0.02);
  // A percent is the same double as the fraction written out, so a share exactly on it passes.
  for (let tenths = 1; tenths <= 200; tenths++) {
    const percent = `${Math.floor(tenths / 10)}.${tenths % 10}%`;
    assert.equal(parseShare(percent), Number(`${tenths}e-3`), percent);
  }
  assert.equal(parseShare("1.1%"), 11 / 1000);
  assert.ok(11 / 1000 >= parseShare("1.1%"));
  for (const text of ["", "1.5", "-0.1", "abc", "200%"]) {
    assert.throws(() => parseShare(text), InvalidArgumentError, text);
  }
  assert.equal(parseIsoDate("2024-02-29"), "2024-02-29");
  for (const text of ["2023-02-29", "2024-13-01", "24-01-01", "2024/01/01", "today"]) {
    assert.throws(() => parseIsoDate(text), InvalidArgumentError, text);
  }
  assert.equal(parsePort("0"), 0);
  assert.equal(parsePort("8000"), 8000);
  for (const text of ["-1", "65536", "http", "80.5"]) {
    assert.throws(() => parsePort(text), InvalidArgumentError, text);
  }
});

Deno.test("the shared workspace, --as-of and --workers options parse and default alike", () => {
  const command = () =>
    addWorkspaceOptions(new Command("probe").exitOverride().configureOutput({ writeErr: () => {} }))
      .addOption(asOfOption())
      .addOption(workersOption());
  const cases: [argv: string[], expected: Record<string, unknown>][] = [
    [[], { dataDir: "data", lookupsDir: "lookups", workers: defaultWorkers() }],
    [
      ["--data-dir", "w", "--lookups-dir", "l", "--as-of", "2026-02-28", "--workers", "3"],
      { dataDir: "w", lookupsDir: "l", asOf: "2026-02-28", workers: 3 },
    ],
  ];
  for (const [argv, expected] of cases) {
    assert.deepEqual(command().parse(argv, { from: "user" }).opts(), expected, argv.join(" "));
  }
  for (const argv of [["--as-of", "2026-02-30"], ["--workers", "65"], ["--workers", "0"]]) {
    assert.throws(() => command().parse(argv, { from: "user" }), /is invalid/, argv.join(" "));
  }
});
