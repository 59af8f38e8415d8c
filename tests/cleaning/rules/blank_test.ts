import assert from "node:assert/strict";
import { isBlank } from "../../../src/cleaning/rules/blank.ts";

const CASES: [string, boolean][] = [
  ["", true],
  [" ", true],
  ["\t\r\n\v\f ", true],
  ["\u00a0", true], // no-break space: JS trim() removes it
  ["\ufeff\u3000\u2028", true],
  ["ORD-000000001", false],
  [" x ", false],
  ["\u200b", false], // zero-width space is not whitespace to trim()
  ["\u0085", false], // nor is NEL
  ["0", false],
];

for (const [raw, expected] of CASES) {
  Deno.test(`isBlank(${JSON.stringify(raw)}) = ${expected}`, () => {
    assert.equal(isBlank(raw), expected);
  });
}
