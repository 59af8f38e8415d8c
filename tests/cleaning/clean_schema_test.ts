import assert from "node:assert/strict";
import { UserError } from "../../src/io/errors.ts";
import { cleanColumnsWith, extraColumnsOf } from "../../src/cleaning/clean_schema.ts";

Deno.test("extraColumnsOf() names extra columns after their header, trimmed", () => {
  const header = ["order_id", " City ", "", "Sub-Category", "notes"];
  const extras = extraColumnsOf(header, [1, 2, 3, 4], "in.csv");
  assert.deepEqual(extras, [
    { name: "City", position: 1 },
    { name: "column_3", position: 2 },
    { name: "Sub-Category", position: 3 },
    { name: "notes", position: 4 },
  ]);
  assert.deepEqual(
    cleanColumnsWith(extras).slice(-4),
    extras.map((extra) => ({ name: extra.name, type: "STRING", nullable: true })),
  );
});

Deno.test("extraColumnsOf() refuses a name a reader could not tell apart", async (t) => {
  const cases: [string, string[], RegExp][] = [
    [
      "a contract column's name, in any case",
      ["x", "Revenue"],
      /extra column 2 \("Revenue"\) .* same name as the contract column "Revenue"/,
    ],
    ["anomaly_flag, which no input column plays", ["anomaly_flag"], /contract column/],
    [
      "two extras alike but for case",
      ["Note", "x", " note"],
      /extra column 3 .* same name as extra column 1/,
    ],
    ["a blank name equal to a named column_N", ["column_2", ""], /extra column 2 \(""\)/],
  ];
  for (const [name, header, message] of cases) {
    await t.step(name, () => {
      assert.throws(
        () => extraColumnsOf(header, header.map((_, index) => index), "in.csv"),
        (error) => error instanceof UserError && message.test(error.message),
      );
    });
  }
});
