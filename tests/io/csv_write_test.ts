import assert from "node:assert/strict";
import { CsvByteWriter, csvField, csvLine } from "../../src/io/csv_write.ts";
import { parseCsvChunk, recordFields } from "../../src/io/csv_parse.ts";
import { bytesOf, parseAll } from "./_csv_helpers.ts";
import { seededRandom } from "../_seeded_random.ts";

const decoder = new TextDecoder();

const FIELD_CASES: [string, string][] = [
  ["plain", "plain"],
  ["", ""],
  ["with space ", "with space "],
  ["a,b", '"a,b"'],
  ['say "hi"', '"say ""hi"""'],
  ['"', '""""'],
  ["line\nbreak", '"line\nbreak"'],
  ["cr\r", '"cr\r"'],
  ["café €5 😀", "café €5 😀"],
  ["é,😀", '"é,😀"'],
];

Deno.test('csvField() quotes only values holding , " CR or LF', () => {
  for (const [value, expected] of FIELD_CASES) assert.equal(csvField(value), expected, value);
});

Deno.test("CsvByteWriter writes strings and bytes exactly as csvField does", () => {
  for (const [value, expected] of FIELD_CASES) {
    const fromString = new CsvByteWriter(16).writeField(value).take();
    const fromBytes = new CsvByteWriter(16).writeFieldBytes(bytesOf(value)).take();
    assert.equal(decoder.decode(fromString), expected, value);
    assert.equal(decoder.decode(fromBytes), expected, value);
  }
});

Deno.test("csvLine() ends with LF and keeps a lone empty field visible", () => {
  assert.equal(csvLine(["a", "b,c", ""]), 'a,"b,c",\n');
  assert.equal(csvLine(["", ""]), ",\n");
  assert.equal(csvLine([""]), '""\n');
  const writer = new CsvByteWriter();
  writer.writeRecord(["a", "b,c", ""]).writeRecord([""]).writeRecord(["x"]);
  assert.equal(decoder.decode(writer.take()), 'a,"b,c",\n""\nx\n');
  assert.equal(writer.length, 0, "take() starts over");
});

Deno.test("CsvByteWriter.writeSourceField() copies parsed fields as read, quoted only if needed", () => {
  const input = bytesOf(
    'id,name,note\n1,"Desk, large","plain"\n2,"say ""hi""",x"y\n3,"two\nlines",cr\rinside\n',
  );
  const batch = parseCsvChunk(input, 0, input.length, { fieldCount: 3, firstLine: 1, final: true });
  const writer = new CsvByteWriter(8);
  for (let record = 0; record < batch.count; record++) {
    for (let field = 0; field < 3; field++) writer.writeSourceField(batch, record, field);
    writer.writeField(`line ${batch.recordLine[record]}`).endRecord();
  }
  assert.equal(
    decoder.decode(writer.take()),
    "id,name,note,line 1\n" +
      '1,"Desk, large",plain,line 2\n' +
      '2,"say ""hi""","x""y",line 3\n' +
      '3,"two\nlines","cr\rinside",line 4\n',
  );
});

/** Characters that stress quoting, line ends and UTF-8. */
const ALPHABET = ["a", "Z", "0", " ", ",", '"', "\r", "\n", "\r\n", "é", "€", "😀", "\ufeff"];

function randomRecords(random: () => number): string[][] {
  const fieldCount = 1 + Math.floor(random() * 5);
  const records: string[][] = [];
  const recordCount = 1 + Math.floor(random() * 6);
  for (let record = 0; record < recordCount; record++) {
    const fields: string[] = [];
    for (let field = 0; field < fieldCount; field++) {
      let value = "";
      const length = Math.floor(random() * 7);
      for (let index = 0; index < length; index++) {
        value += ALPHABET[Math.floor(random() * ALPHABET.length)];
      }
      fields.push(value);
    }
    records.push(fields);
  }
  return records;
}

Deno.test("round trip: random records → csvLine / CsvByteWriter → parse = the same records", () => {
  const random = seededRandom(2024);
  for (let trial = 0; trial < 3000; trial++) {
    const records = randomRecords(random);
    const text = records.map(csvLine).join("");
    const writer = new CsvByteWriter(16);
    for (const record of records) writer.writeRecord(record);
    const written = writer.take();
    assert.deepEqual(written, bytesOf(text), "CsvByteWriter and csvLine agree byte for byte");

    const parsed = parseAll(written, records[0].length);
    assert.deepEqual(parsed.map((record) => record.fields), records, JSON.stringify(text));

    // Copying every parsed field as read gives the same bytes again.
    const batch = parseCsvChunk(written, 0, written.length, {
      fieldCount: records[0].length,
      firstLine: 1,
      final: true,
    });
    const copier = new CsvByteWriter(16);
    for (let record = 0; record < batch.count; record++) {
      for (let field = 0; field < batch.fieldCount; field++) {
        copier.writeSourceField(batch, record, field);
      }
      copier.endRecord();
      assert.deepEqual(recordFields(batch, record), records[record]);
    }
    assert.deepEqual(copier.take(), written);
  }
});
