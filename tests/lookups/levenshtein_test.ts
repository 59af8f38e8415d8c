import assert from "node:assert/strict";
import { levenshtein } from "../../src/lookups/levenshtein.ts";
import { seededRandom } from "../_seeded_random.ts";

/** The textbook full-matrix definition, to check the optimised one against. */
function referenceDistance(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  const table = Array.from(
    { length: left.length + 1 },
    (_, row) =>
      Array.from(
        { length: right.length + 1 },
        (_, column) => row === 0 ? column : column === 0 ? row : 0,
      ),
  );
  for (let row = 1; row <= left.length; row++) {
    for (let column = 1; column <= right.length; column++) {
      table[row][column] = Math.min(
        table[row - 1][column] + 1,
        table[row][column - 1] + 1,
        table[row - 1][column - 1] + (left[row - 1] === right[column - 1] ? 0 : 1),
      );
    }
  }
  return table[left.length][right.length];
}

const CASES: [string, string, number][] = [
  ["", "", 0],
  ["", "abc", 3],
  ["abc", "", 3],
  ["kitten", "sitting", 3],
  ["flaw", "lawn", 2],
  ["electronics", "electronics", 0],
  ["electronics", "electornics", 2], // a swap is two edits
  ["electronics", "electronic", 1],
  ["electronics", "electroniccs", 1],
  ["electronics", "elec tronics", 1],
  ["north america", "south america", 2],
  ["asia", "aisa", 2],
  ["europe", "eurpoe", 2],
  ["oceania", "africa", 6],
  ["mars", "asia", 4],
  ["😀a", "a", 1], // an astral character is one code point
  ["a😀", "a😁", 1],
  ["café", "cafe", 1],
];

for (const [a, b, expected] of CASES) {
  Deno.test(`levenshtein(${JSON.stringify(a)}, ${JSON.stringify(b)}) = ${expected}`, () => {
    assert.equal(levenshtein(a, b), expected);
    assert.equal(levenshtein(b, a), expected);
    assert.equal(referenceDistance(a, b), expected);
  });
}

Deno.test("levenshtein with maxDistance reports anything farther as maxDistance + 1", () => {
  const bounded: [string, string, number, number][] = [
    ["kitten", "sitting", 2, 3],
    ["kitten", "sitting", 3, 3],
    ["kitten", "sitting", 10, 3],
    ["oceania", "africa", 2, 3],
    ["asia", "aisa", 2, 2],
    ["asia", "aisa", 1, 2],
    ["asia", "aisa", 0, 1],
    ["asia", "asia", 0, 0],
    ["", "abcdef", 2, 3],
    ["north america", "south america", 2, 2],
    ["north america", "middle east", 2, 3],
  ];
  for (const [a, b, maxDistance, expected] of bounded) {
    assert.equal(levenshtein(a, b, maxDistance), expected, `${a} / ${b} / ${maxDistance}`);
    assert.equal(levenshtein(b, a, maxDistance), expected, `${b} / ${a} / ${maxDistance}`);
  }
});

Deno.test("levenshtein agrees with the reference on random strings, bounded and not", () => {
  const next = seededRandom(12345);
  const alphabet = ["a", "b", "c", " ", "é", "😀"];
  const randomText = () =>
    Array.from({ length: Math.floor(next() * 9) }, () => alphabet[Math.floor(next() * 6)]).join(
      "",
    );
  for (let trial = 0; trial < 3000; trial++) {
    const a = randomText();
    const b = randomText();
    const expected = referenceDistance(a, b);
    assert.equal(levenshtein(a, b), expected, `${a} / ${b}`);
    for (const maxDistance of [0, 1, 2, 3]) {
      assert.equal(
        levenshtein(a, b, maxDistance),
        Math.min(expected, maxDistance + 1),
        `${a} / ${b} / ${maxDistance}`,
      );
    }
  }
});
