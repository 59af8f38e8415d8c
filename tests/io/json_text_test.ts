import assert from "node:assert/strict";
import {
  countTopLevelEntries,
  describeSyntaxError,
  findSyntaxErrorOffset,
  positionAt,
  PositionCursor,
  topLevelEntries,
} from "../../src/io/json_text.ts";

const TEXT = '{\n  "eu": "Europe",\n  "latam" "South America"\n}';

Deno.test("describeSyntaxError reads each form of V8's message", () => {
  const cases: [string, string, number, number][] = [
    // Newer V8: offset and line/column.
    [
      "Expected ',' or '}' after property value in JSON at position 30 (line 3 column 11)",
      "Expected ',' or '}' after property value",
      3,
      11,
    ],
    // Older V8: the offset alone, converted here.
    ["Unexpected string in JSON at position 30", "Unexpected string", 3, 11],
    // No position at all: found by the scanner.
    [`Unexpected token '"', "${TEXT}" is not valid JSON`, "Unexpected token '\"'", 3, 11],
    ["Unexpected end of JSON input", "Unexpected end of JSON input", 3, 11],
  ];
  for (const [parserMessage, message, line, column] of cases) {
    assert.deepEqual(describeSyntaxError(TEXT, parserMessage), {
      message,
      position: { line, column },
    });
  }
});

Deno.test("findSyntaxErrorOffset agrees with JSON.parse on what is valid", () => {
  const texts = [
    '{"a": [1, -2.5e3, true, null, "x\\u00e9\\n"]}',
    "[]",
    " {} ",
    '["a",]',
    "[01]",
    '"tab\there"',
    '{"a" 1}',
    "[1] [2]",
    "[1.]",
    '"\\x"',
    "",
  ];
  for (const text of texts) {
    let valid = true;
    try {
      JSON.parse(text);
    } catch {
      valid = false;
    }
    assert.equal(findSyntaxErrorOffset(text) === undefined, valid, JSON.stringify(text));
  }
});

Deno.test("topLevelEntries locates keys and elements, not nested ones", () => {
  assert.deepEqual(topLevelEntries('{\n  "a": {"b": 1},\n  "c\\"d": "e"\n}'), [
    { key: "a", position: { line: 2, column: 3 } },
    { key: 'c"d', position: { line: 3, column: 3 } },
  ]);
  assert.deepEqual(topLevelEntries('[1, ["x", 2], "y", {"k": 3}]'), [
    { position: { line: 1, column: 2 } },
    { position: { line: 1, column: 5 } },
    { position: { line: 1, column: 15 } },
    { position: { line: 1, column: 20 } },
  ]);
  assert.deepEqual(topLevelEntries("[]"), []);
  assert.deepEqual(topLevelEntries("42"), []);
});

Deno.test("PositionCursor answers offsets in any order", () => {
  const text = "ab\ncd\n\nef";
  const cursor = new PositionCursor(text);
  const offsets = [0, 2, 3, 8, 4, 9, 100, 6];
  for (const offset of offsets) {
    assert.deepEqual(cursor.at(offset), positionAt(text, offset), `offset ${offset}`);
  }
  assert.deepEqual(cursor.at(8), { line: 4, column: 2 });
  assert.deepEqual(positionAt(text, 3), { line: 2, column: 1 });
});

Deno.test("countTopLevelEntries counts keys written twice, and skips escaped quotes", () => {
  assert.equal(countTopLevelEntries('{"a": 1, "a": 2, "b\\"": {"c": [1, 2]}}'), 3);
  assert.equal(countTopLevelEntries('["x\\\\", "y", [1, 2]]'), 3);
  assert.equal(countTopLevelEntries("{}"), 0);
  assert.deepEqual(topLevelEntries('{"a\\\\": 1, "b": "\\"}"}').map((entry) => entry.key), [
    "a\\",
    "b",
  ]);
});
