import assert from "node:assert/strict";
import { normaliseEmail } from "../../../src/cleaning/rules/email.ts";

/** Raw field → normalised email, or `null` (DESIGN §10). */
const CASES: [string, string | null][] = [
  ["john.smith@example.com", "john.smith@example.com"],
  ["John.Smith@Example.COM", "john.smith@example.com"], // upper case lowered
  ["  maria.garcia42@mail.example.org\t", "maria.garcia42@mail.example.org"],
  ["\u00a0a@b.co\u3000", "a@b.co"], // JS trim() removes non-ASCII spaces
  ["x+tag@sub.domain.co.uk", "x+tag@sub.domain.co.uk"],
  ["a_b%c-d@e-f.io", "a_b%c-d@e-f.io"],
  ["42@123.example.com", "42@123.example.com"],
  ["", null],
  ["   ", null],
  ["a@b", null], // no TLD
  ["a@b.c", null], // one-letter TLD
  ["a@b.c0m", null], // TLD letters only
  ["a@@b.com", null],
  ["a@b@c.com", null],
  ["ab.com", null], // no @
  ["a b@c.com", null], // inner space
  ["a@b .com", null],
  ["a@b.com.", null], // trailing dot
  ["a@.com", null],
  ["a@b..com", null],
  [".a@b.com", null],
  ["a.@b.com", null],
  ["a..b@c.com", null],
  ["@b.com", null],
  ["a@", null],
  ["josé@example.com", null], // ASCII only
  ["a@exämple.com", null],
  ["a@example.com\u0085", null], // NEL is not trimmed
  ['"a"@example.com', null],
  ["a@[127.0.0.1]", null],
  ["mailto:a@b.com", null],
];

for (const [raw, expected] of CASES) {
  Deno.test(`normaliseEmail(${JSON.stringify(raw)}) = ${JSON.stringify(expected)}`, () => {
    assert.equal(normaliseEmail(raw), expected);
  });
}

Deno.test("normaliseEmail lower-cases before matching, as JS toLowerCase() does", () => {
  // The Kelvin sign lower-cases to an ASCII "k": the contract matches lower(trim(raw)).
  assert.equal(normaliseEmail("\u212a@b.com"), "k@b.com");
  // Dotted capital I lower-cases to "i" + a combining dot, which is not ASCII.
  assert.equal(normaliseEmail("\u0130@b.com"), null);
});

Deno.test("normaliseEmail rejects long hostile values without catastrophic backtracking", () => {
  // Each shape would take exponential time with a nested pattern; here each finishes at once.
  const hostile = [
    "a".repeat(100_000),
    "a".repeat(50_000) + "@" + "b.".repeat(25_000),
    "a.".repeat(50_000) + "@b.com!",
    "a@" + "b-".repeat(50_000) + "!",
    "a@" + "bb.".repeat(30_000) + "c",
  ];
  for (const raw of hostile) assert.equal(normaliseEmail(raw), null);
});
