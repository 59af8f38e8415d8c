import assert from "node:assert/strict";
import {
  caseChanges,
  categoryTypos,
  letterDoubles,
  letterDrops,
  letterSwaps,
  productNameTypos,
  straySpaces,
} from "../../src/generation/typos.ts";
import { levenshtein } from "./_levenshtein.ts";

Deno.test("typos: each kind, exactly", () => {
  const cases: [string, (name: string) => string[], string, string[]][] = [
    ["swap", letterSwaps, "Abc", ["bAc", "Acb"]],
    ["swap skips equal letters and non-letters", letterSwaps, "oo-k", []],
    ["drop", letterDrops, "Ab1", ["b1", "A1"]],
    ["drop keeps one spelling per result", letterDrops, "aab", ["ab", "aa"]],
    ["double", letterDoubles, "ab", ["aab", "abb"]],
    ["stray space", straySpaces, "ab", [" ab", "a b", "ab "]],
    [
      "case",
      caseChanges,
      "Home & Kitchen",
      ["home & kitchen", "HOME & KITCHEN", "home & kitchen"]
        .filter((value, index, all) => all.indexOf(value) === index),
    ],
  ];
  for (const [label, typos, name, expected] of cases) {
    assert.deepEqual(typos(name), expected, label);
  }
});

Deno.test("typos: never the original, never repeated, within the distance docs/generation.md allows", () => {
  for (const name of ["Electronics", "Home & Kitchen", "Chef's Knife 8\"", "Books"]) {
    for (
      const [typos, limit, fold] of [
        [productNameTypos(name), 2, false],
        [categoryTypos(name), 2, true],
      ] as const
    ) {
      assert.equal(new Set(typos).size, typos.length);
      assert.ok(!typos.includes(name));
      assert.ok(typos.length >= 10, `${name}: only ${typos.length} typos`);
      for (const typo of typos) {
        const distance = fold
          ? levenshtein(typo.trim().toLowerCase(), name.toLowerCase())
          : levenshtein(typo, name);
        assert.ok(distance <= limit, `${JSON.stringify(typo)} is ${distance} from ${name}`);
      }
    }
  }
});
