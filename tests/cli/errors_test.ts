import assert from "node:assert/strict";
import { runDpd } from "../_dpd.ts";
import { describeError } from "../../src/cli/errors.ts";
import { formatLocation, UserError } from "../../src/io/errors.ts";

Deno.test("user errors exit 1 with their message; bugs exit 2 with a hint", () => {
  assert.deepEqual(describeError(new UserError("bad input")), {
    message: "error: bad input",
    exitCode: 1,
  });
  const bug = describeError(new TypeError("x is undefined"));
  assert.equal(bug.exitCode, 2);
  assert.match(bug.message, /^internal error: x is undefined\n.*DPD_DEBUG=1/);
  assert.equal(formatLocation("a.json", 3, 7), "a.json:3:7");
  assert.equal(formatLocation("a.json", 3), "a.json:3");
  assert.equal(formatLocation("a.json"), "a.json");
});

Deno.test("the CLI: --version, unknown commands and bad flags", async () => {
  const run = (...args: string[]) => runDpd(args);
  const version = await run("--version");
  assert.equal(version.code, 0);
  assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  const unknown = await run("frobnicate");
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /unknown command 'frobnicate'/);
  const missing = await run("clean-data", "--input", "/nonexistent/file.csv");
  assert.equal(missing.code, 1);
  assert.doesNotMatch(missing.stderr, /\n\s+at /);
  const help = await run("--help");
  assert.equal(help.code, 0);
  for (
    const command of [
      "generate-data",
      "build-category-lookup",
      "build-region-lookup",
      "build-region-map",
      "update-lookups",
      "clean-data",
      "build-aggregations",
      "run-dashboard",
      "pipeline",
    ]
  ) {
    assert.match(help.stdout, new RegExp(`\\n  ${command} `), command);
    const commandHelp = await run(command, "--help");
    assert.equal(commandHelp.code, 0, command);
    assert.match(commandHelp.stdout, /Example/, `${command} --help shows an example`);
  }
});

Deno.test("a storage fault met without its own message is the machine's, not a bug: exit 1", () => {
  const cases: [unknown, RegExp][] = [
    [
      Object.assign(new Error("No space left on device (os error 28)"), { code: "ENOSPC" }),
      /^error: no space left on device \(No space left on device \(os error 28\)\)\. Free space or fix permissions, then re-run; previous outputs are unchanged\.$/,
    ],
    [
      new Deno.errors.PermissionDenied("open /data/x"),
      /^error: permission denied \(open \/data\/x\)\. Free space/,
    ],
    [
      new Deno.errors.IsADirectory("rename /data/x"),
      /^error: it is a directory \(rename \/data\/x\)/,
    ],
  ];
  for (const [error, message] of cases) {
    const described = describeError(error);
    assert.equal(described.exitCode, 1, String(error));
    assert.match(described.message, message);
  }
  // A UserError keeps its own words even when it wraps a storage fault.
  const wrapped = new UserError("cannot write out.parquet: disk full", {
    cause: new Deno.errors.PermissionDenied("x"),
  });
  assert.equal(describeError(wrapped).message, "error: cannot write out.parquet: disk full");
});
