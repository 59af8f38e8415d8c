import assert from "node:assert/strict";
import { EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES } from "../../src/generation/people.ts";

/** docs/cleaning.md's email pattern, which every clean email must match once lower-cased. */
const EMAIL = /^[a-z0-9_%+-]+(\.[a-z0-9_%+-]+)*@([a-z0-9-]+\.)+[a-z]{2,}$/;

Deno.test("people: at least 150 first names, 200 last names and 8 domains, all distinct", () => {
  const cases: [string, readonly string[], number][] = [
    ["first names", FIRST_NAMES, 150],
    ["last names", LAST_NAMES, 200],
    ["domains", EMAIL_DOMAINS, 8],
  ];
  for (const [label, values, minimum] of cases) {
    assert.ok(values.length >= minimum, `${label}: ${values.length}`);
    assert.equal(new Set(values.map((value) => value.toLowerCase())).size, values.length, label);
  }
});

Deno.test("people: every name and domain combination makes a valid email", () => {
  for (const name of [...FIRST_NAMES, ...LAST_NAMES]) assert.match(name, /^[A-Za-z]+$/);
  for (const domain of EMAIL_DOMAINS) {
    assert.match(`${FIRST_NAMES[0]}.${LAST_NAMES[0]}99@${domain}`.toLowerCase(), EMAIL);
  }
});
