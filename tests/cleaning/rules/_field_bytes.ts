/**
 * Test helpers for the byte-level fast paths: a field placed inside a larger buffer (so a fast path
 * that reads past its range is caught), and seeded random field text for property tests.
 */
import assert from "node:assert/strict";
import { seededRandom } from "../../_seeded_random.ts";

const encoder = new TextEncoder();

/** Calls a byte-level rule on `text` encoded between other fields, as the engine would. */
export function callOnBytes<Result>(
  rule: (source: Uint8Array, start: number, end: number) => Result,
  text: string,
): Result {
  const before = encoder.encode("7,");
  const field = encoder.encode(text);
  const source = new Uint8Array(before.length + field.length + 2);
  source.set(before);
  source.set(field, before.length);
  source.set(encoder.encode(",9"), before.length + field.length);
  return rule(source, before.length, before.length + field.length);
}

// Whitespace JS `trim()` removes (ASCII and not), and look-alikes it keeps (U+0085, U+001C, U+200B).
const SPACES = [
  " ",
  "\t",
  "\n",
  "\v",
  "\f",
  "\r",
  "\u00a0",
  "\ufeff",
  "\u2028",
  "\u3000",
  "\u1680",
];
const NOT_SPACES = ["\u0085", "\u001c", "\u200b"];
const JUNK = ["x", "$", ",", "%", "_", "e", "E", "0x", "NaN", "Infinity", "\u0663", "\uff13", "😀"];

/**
 * Random field text: half "soup" (any mix of digits, signs, dots, exponents, spaces, junk, unicode),
 * half number-shaped (optional spaces, sign, up to 20 integer and 25 fraction digits, exponent),
 * which reaches the fast path's exactness limits (2^53 mantissas, 22 fraction digits) often.
 */
export function randomFieldText(random: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const digits = (max: number) => {
    let text = "";
    const count = Math.floor(random() * (max + 1));
    for (let index = 0; index < count; index++) text += String(Math.floor(random() * 10));
    return text;
  };
  if (random() < 0.5) {
    const tokens = [
      ..."0123456789",
      "+",
      "-",
      ".",
      "..",
      ...SPACES,
      ...NOT_SPACES,
      ...JUNK,
    ];
    let text = "";
    const count = Math.floor(random() * 12);
    for (let index = 0; index < count; index++) text += pick(tokens);
    return text;
  }
  const space = () => (random() < 0.3 ? pick(SPACES) : "") + (random() < 0.1 ? pick(SPACES) : "");
  const sign = random() < 0.3 ? pick(["+", "-"]) : "";
  const integer = random() < 0.2 ? "0".repeat(Math.floor(random() * 4)) + digits(20) : digits(6);
  const fraction = random() < 0.5 ? "." + (random() < 0.2 ? digits(25) : digits(4)) : "";
  const exponent = random() < 0.1 ? pick(["e", "E"]) + pick(["", "+", "-"]) + digits(3) : "";
  const junk = random() < 0.05 ? pick([...JUNK, ...NOT_SPACES]) : "";
  return space() + sign + integer + fraction + exponent + junk + space();
}

/**
 * Asserts that a byte-level rule agrees with its string rule (same value, `-0` and `0` told apart)
 * on `count` random fields.
 */
export function assertBytesAgreeOnRandomFields<Result>(
  stringRule: (raw: string) => Result,
  bytesRule: (source: Uint8Array, start: number, end: number) => Result,
  seed: number,
  count: number,
): void {
  const random = seededRandom(seed);
  for (let index = 0; index < count; index++) {
    const text = randomFieldText(random);
    assert.equal(
      callOnBytes(bytesRule, text),
      stringRule(text),
      `the byte and string rules differ on ${JSON.stringify(text)} (case ${index}, seed ${seed})`,
    );
  }
}
