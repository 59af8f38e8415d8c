import assert from "node:assert/strict";
import { PRODUCT_CATEGORY_BY_NAME } from "../../src/generation/catalogue.ts";
import { generateAndRead } from "./_generated.ts";
import { formatCsvField, parseCsv } from "./_csv.ts";

Deno.test("test CSV reader: quoted fields, doubled quotes, empty fields", () => {
  const cases: [string, string[][]][] = [
    ["a,b\n", [["a", "b"]]],
    ['"x, y","say ""hi""",\n', [["x, y", 'say "hi"', ""]]],
    [',,\n"",z\n', [["", "", ""], ["", "z"]]],
  ];
  for (const [text, expected] of cases) {
    assert.deepEqual(parseCsv(text).map((record) => record.fields), expected);
  }
  assert.throws(() => parseCsv('"open\n'), /unterminated/);
  assert.throws(() => parseCsv('"a"b\n'), /unexpected/);
});

for (const clean of [true, false]) {
  Deno.test(`${clean ? "clean" : "dirty"} mode: fields are quoted exactly when RFC 4180 needs it`, async () => {
    const file = await generateAndRead({ rows: 60_000, clean });
    let quoted = 0;
    for (const record of file.records) {
      assert.equal(record.fields.length, 10, record.raw);
      // Re-encoding with minimal quoting reproduces the line byte for byte: nothing is quoted
      // without need, and everything that needs quotes has them.
      assert.equal(record.fields.map(formatCsvField).join(","), record.raw);
      if (record.raw.includes('"')) quoted++;
    }
    assert.ok(quoted > 0);
    const names = new Set(file.rows.map((row) => row[1]));
    for (const name of PRODUCT_CATEGORY_BY_NAME.keys()) {
      if (clean || !/[",]/.test(name)) continue;
      assert.ok(names.has(name), `${name} round-trips`);
    }
    assert.ok([...names].some((name) => name.includes(",")), "a name with a comma");
    assert.ok([...names].some((name) => name.includes('"')), "a name with a double quote");
  });
}
