import assert from "node:assert/strict";
import { normaliseEmail, normaliseEmailBytes } from "../../../src/cleaning/rules/email.ts";
import { callOnBytes } from "./_field_bytes.ts";
import { seededRandom } from "../../_seeded_random.ts";

const decoder = new TextDecoder();

/** {@linkcode normaliseEmailBytes} of `raw`, decoded back to text for comparison. */
function normaliseEmailViaBytes(raw: string): string | null {
  const bytes = callOnBytes(normaliseEmailBytes, raw);
  return bytes === null ? null : decoder.decode(bytes);
}

/** Raw field → normalised email, or `null` (docs/cleaning.md). */
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
    assert.equal(normaliseEmailViaBytes(raw), expected, "normaliseEmailBytes differs");
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

Deno.test("normaliseEmailBytes agrees with normaliseEmail on 200,000 random fields", () => {
  const random = seededRandom(0xe3a1);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const pieces = [
    ..."abcxyzABCXYZ0189._%+-@",
    "@",
    ".",
    "..",
    "com",
    "CO",
    "example",
    " ",
    "\t",
    "\u00a0",
    "\u3000",
    "\u0085",
    "\u212a", // Kelvin sign: lower-cases to ASCII k
    "\u0130",
    "é",
    "😀",
    "!",
    "#",
    '"',
  ];
  for (let index = 0; index < 200_000; index++) {
    let text: string;
    if (random() < 0.5) {
      text = "";
      const count = Math.floor(random() * 14);
      for (let piece = 0; piece < count; piece++) text += pick(pieces);
    } else {
      // Email-shaped: local parts, one @, labels, a TLD, with a mutation now and then.
      const part = () => {
        let word = "";
        const length = 1 + Math.floor(random() * 4);
        for (let letter = 0; letter < length; letter++) word += pick([..."aZ09_%+-"]);
        return word;
      };
      const local = Array.from({ length: 1 + Math.floor(random() * 3) }, part).join(".");
      const labels = Array.from({ length: Math.floor(random() * 3) }, part);
      const tld = pick(["com", "IO", "c", "c0", "org", "uk"]);
      text = `${local}@${[...labels, tld].join(".")}`;
      if (random() < 0.3) {
        const at = Math.floor(random() * (text.length + 1));
        text = text.slice(0, at) + pick(pieces) + text.slice(at + (random() < 0.5 ? 1 : 0));
      }
      if (random() < 0.2) text = pick([" ", "\t", "\u00a0"]) + text + pick(["", " ", "\r\n"]);
    }
    assert.equal(normaliseEmailViaBytes(text), normaliseEmail(text), JSON.stringify(text));
  }
});

Deno.test("normaliseEmailBytes returns a view for lower-case ASCII and a copy otherwise", () => {
  const source = new TextEncoder().encode(" a.b@c.io ,X.Y@C.IO");
  const view = normaliseEmailBytes(source, 0, 10);
  assert.ok(view);
  assert.equal(view.buffer, source.buffer);
  assert.equal(decoder.decode(view), "a.b@c.io");
  const copy = normaliseEmailBytes(source, 11, source.length);
  assert.ok(copy);
  assert.notEqual(copy.buffer, source.buffer);
  assert.equal(decoder.decode(copy), "x.y@c.io");
  assert.equal(decoder.decode(source.subarray(11)), "X.Y@C.IO", "the source is left as it was");
});
