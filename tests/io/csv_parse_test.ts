import assert from "node:assert/strict";
import {
  CR,
  CsvChunkParser,
  detectLineEnd,
  FIELD_ESCAPED_QUOTE,
  FIELD_NON_ASCII,
  FIELD_QUOTED,
  fieldBytes,
  fieldText,
  LF,
  MALFORMED_AFTER_QUOTE,
  MALFORMED_FIELD_COUNT,
  MALFORMED_TOO_LONG,
  MALFORMED_UNTERMINATED,
  MALFORMED_UTF8,
  malformedRawText,
  parseCsvChunk,
  RECORD_OK,
  SKIP_FIELD_START,
  skipRecord,
} from "../../src/io/csv_parse.ts";
import { bytesOf, parseAll, type PlainRecord, plainRecords } from "./_csv_helpers.ts";

const OK = RECORD_OK;

interface ParseCase {
  name: string;
  input: string | (string | number[])[];
  /** Expected fields per record; 0 (default) takes the first record's count, like a header. */
  fieldCount?: number;
  expected: PlainRecord[];
}

const ok = (line: number, ...fields: string[]): PlainRecord => ({ line, status: OK, fields });
const bad = (line: number, status: number, raw: string): PlainRecord => ({ line, status, raw });

const CASES: ParseCase[] = [
  {
    name: "simple",
    input: "a,b,c\n1,2,3\n",
    expected: [ok(1, "a", "b", "c"), ok(2, "1", "2", "3")],
  },
  { name: "no final line break", input: "a,b\n1,2", expected: [ok(1, "a", "b"), ok(2, "1", "2")] },
  { name: "CRLF", input: "a,b\r\n1,2\r\n", expected: [ok(1, "a", "b"), ok(2, "1", "2")] },
  {
    name: "lone CR is data",
    input: "a,b\rc\n1,2\n",
    expected: [ok(1, "a", "b\rc"), ok(2, "1", "2")],
  },
  {
    name: "CR before CR LF is data",
    input: "field\r\r\nx\r\r\n",
    expected: [ok(1, "field\r"), ok(2, "x\r")],
  },
  {
    name: "lone CR at the end of the input is data",
    input: "a,b\r",
    expected: [ok(1, "a", "b\r")],
  },
  {
    name: "empty fields",
    input: "a,b,c\n,,\n,,\r\n",
    expected: [ok(1, "a", "b", "c"), ok(2, "", "", ""), ok(3, "", "", "")],
  },
  { name: "trailing comma at EOF", input: "a,b,", expected: [ok(1, "a", "b", "")] },
  { name: "header only", input: "a,b,c\n", expected: [ok(1, "a", "b", "c")] },
  { name: "empty input", input: "", expected: [] },
  { name: "only blank lines", input: "\n\r\n\n", expected: [] },
  {
    name: "blank lines are skipped but use up line numbers",
    input: "\n\na,b\n\n\r\n1,2\n\n3,4\n\n",
    expected: [ok(3, "a", "b"), ok(6, "1", "2"), ok(8, "3", "4")],
  },
  {
    name: "a line of spaces is a record, not a blank line",
    input: "a,b\n  \n1,2\n",
    expected: [ok(1, "a", "b"), bad(2, MALFORMED_FIELD_COUNT, "  "), ok(3, "1", "2")],
  },
  {
    name: "quoted fields with commas and escaped quotes",
    input: 'name,size\n"Desk, large","27"""\n"""x""",""\n',
    expected: [ok(1, "name", "size"), ok(2, "Desk, large", '27"'), ok(3, '"x"', "")],
  },
  { name: "quotes only", input: '""""""""', expected: [ok(1, '"""')] },
  {
    name: "a quoted empty field is a record",
    input: 'a\n""\nb\n',
    expected: [ok(1, "a"), ok(2, ""), ok(3, "b")],
  },
  {
    name: "a quote inside an unquoted field is literal",
    input: 'a,b\nsay "hi",x"\n',
    expected: [ok(1, "a", "b"), ok(2, 'say "hi"', 'x"')],
  },
  {
    name: "quoted line breaks: the record keeps its first line, the next record counts them",
    input: 'a,b\n"two\nlines",x\n"three\r\nmore\nlines","y"\r\nlast,z\n',
    expected: [
      ok(1, "a", "b"),
      ok(2, "two\nlines", "x"),
      ok(4, "three\r\nmore\nlines", "y"),
      ok(7, "last", "z"),
    ],
  },
  {
    name: "closing quote then CR LF or EOF",
    input: 'a,b\r\n"x","y"\r\n"p","q"',
    expected: [ok(1, "a", "b"), ok(2, "x", "y"), ok(3, "p", "q")],
  },
  {
    name: "text after a closing quote: malformed to the end of that physical line",
    input: 'a,b\n"x"y,z\n1,2\n',
    expected: [ok(1, "a", "b"), bad(2, MALFORMED_AFTER_QUOTE, '"x"y,z'), ok(3, "1", "2")],
  },
  {
    name: "text after a closing quote on a later physical line",
    input: 'a,b\n"x\ny" ,z,"w\nv"\r\n1,2\n',
    expected: [
      ok(1, "a", "b"),
      bad(2, MALFORMED_AFTER_QUOTE, '"x\ny" ,z,"w'),
      bad(4, MALFORMED_FIELD_COUNT, 'v"'),
      ok(5, "1", "2"),
    ],
  },
  {
    name: "a CR then EOF after a closing quote is malformed; the final CR is dropped",
    input: 'a\n"x"\r',
    expected: [ok(1, "a"), bad(2, MALFORMED_AFTER_QUOTE, '"x"')],
  },
  {
    name: "a malformed line ending in CR CR LF keeps one CR: only the final CR is dropped",
    input: 'a,b\nx\r\r\n1,2\n"y"z\r\r\n',
    expected: [
      ok(1, "a", "b"),
      bad(2, MALFORMED_FIELD_COUNT, "x\r"),
      ok(3, "1", "2"),
      bad(4, MALFORMED_AFTER_QUOTE, '"y"z\r'),
    ],
  },
  {
    name: "EOF inside quotes after a CR CR LF keeps one CR",
    input: 'a,b\n1,"open\r\r\n',
    expected: [ok(1, "a", "b"), bad(2, MALFORMED_UNTERMINATED, '1,"open\r')],
  },
  {
    name: "a CR then data after a closing quote",
    input: 'a,b\n"x"\ry,z\nc,d',
    expected: [ok(1, "a", "b"), bad(2, MALFORMED_AFTER_QUOTE, '"x"\ry,z'), ok(3, "c", "d")],
  },
  {
    name: "EOF inside quotes: the rest of the input is one record",
    input: 'a,b\n1,"open\n2,3\n\n4,5\n',
    expected: [ok(1, "a", "b"), bad(2, MALFORMED_UNTERMINATED, '1,"open\n2,3\n\n4,5')],
  },
  {
    name: "EOF inside quotes with CR LF line ends",
    input: 'a,b\r\n"open,1\r\n2,3\r\n',
    expected: [ok(1, "a", "b"), bad(2, MALFORMED_UNTERMINATED, '"open,1\r\n2,3')],
  },
  {
    name: "EOF right after an opening quote",
    input: 'a,b\n1,"',
    expected: [ok(1, "a", "b"), bad(2, MALFORMED_UNTERMINATED, '1,"')],
  },
  {
    name: "ragged rows",
    input: "a,b,c\n1,2\n1,2,3,4\n1,2,3\n\n,\n",
    expected: [
      ok(1, "a", "b", "c"),
      bad(2, MALFORMED_FIELD_COUNT, "1,2"),
      bad(3, MALFORMED_FIELD_COUNT, "1,2,3,4"),
      ok(4, "1", "2", "3"),
      bad(6, MALFORMED_FIELD_COUNT, ","),
    ],
  },
  {
    name: "an explicit field count applies to the first record too",
    input: "a,b,c\n1,2\n",
    fieldCount: 2,
    expected: [bad(1, MALFORMED_FIELD_COUNT, "a,b,c"), ok(2, "1", "2")],
  },
  {
    name: "valid UTF-8 of every length",
    input: 'name,city\nJosé,Zürich\n€uro,日本\n😀,"a, é"\n',
    expected: [
      ok(1, "name", "city"),
      ok(2, "José", "Zürich"),
      ok(3, "€uro", "日本"),
      ok(4, "😀", "a, é"),
    ],
  },
  {
    name: "invalid UTF-8: a stray continuation byte, raw text with U+FFFD",
    input: ["a,b\n", [0xff], ",x\nok,y\n"],
    expected: [ok(1, "a", "b"), bad(2, MALFORMED_UTF8, "\ufffd,x"), ok(3, "ok", "y")],
  },
  {
    name: "invalid UTF-8: overlong, surrogate, beyond U+10FFFF, truncated",
    input: [
      "a,b\n",
      [0xc0, 0xaf],
      ",1\n",
      [0xed, 0xa0, 0x80],
      ",2\n",
      [0xf4, 0x90, 0x80, 0x80],
      ',3\n"',
      [0xe2, 0x82],
      '",4\n',
    ],
    expected: [
      ok(1, "a", "b"),
      bad(2, MALFORMED_UTF8, "\ufffd\ufffd,1"),
      bad(3, MALFORMED_UTF8, "\ufffd\ufffd\ufffd,2"),
      bad(4, MALFORMED_UTF8, "\ufffd\ufffd\ufffd\ufffd,3"),
      bad(5, MALFORMED_UTF8, '"\ufffd",4'),
    ],
  },
];

Deno.test("parseCsvChunk() follows docs/cleaning.md on each case", async (t) => {
  for (const testCase of CASES) {
    await t.step(testCase.name, () => {
      assert.deepEqual(parseAll(bytesOf(testCase.input), testCase.fieldCount), testCase.expected);
    });
  }
});

Deno.test("parseCsvChunk() parses a 200 KB field, quoted and not", () => {
  const long = "x".repeat(200_000);
  const quoted = `é,${long}\n` + 'a"b'.repeat(70_000) + ",";
  const input = `a,b\n${long},"${quoted.replaceAll('"', '""')}"\n1,2\n`;
  assert.deepEqual(parseAll(bytesOf(input)), [
    ok(1, "a", "b"),
    ok(2, long, quoted),
    ok(4, "1", "2"),
  ]);
});

Deno.test("parseCsvChunk() reports offsets and flags of each field", () => {
  const bytes = bytesOf('plain,"q,uoted","es""caped",né\n');
  const batch = parseCsvChunk(bytes, 0, bytes.length, { fieldCount: 0, firstLine: 1, final: true });
  assert.equal(batch.fieldCount, 4);
  assert.deepEqual(Array.from(batch.fieldStart.subarray(0, 4)), [0, 7, 17, 28]);
  assert.deepEqual(Array.from(batch.fieldEnd.subarray(0, 4)), [5, 14, 26, 31]);
  assert.deepEqual(Array.from(batch.fieldFlags.subarray(0, 4)), [
    0,
    FIELD_QUOTED,
    FIELD_QUOTED | FIELD_ESCAPED_QUOTE,
    FIELD_NON_ASCII,
  ]);
  assert.equal(batch.recordStart[0], 0);
  assert.equal(batch.recordEnd[0], 31);
  assert.equal(batch.source, bytes);
  assert.deepEqual(fieldBytes(batch, 0, 2), bytesOf('es"caped'));
  assert.equal(fieldBytes(batch, 0, 1).buffer, bytes.buffer, "a field without escapes is a view");
  assert.equal(fieldText(batch, 0, 3), "né");
});

Deno.test("parseCsvChunk() parses a range inside a larger buffer with its first line", () => {
  const bytes = bytesOf('junk\nx,y\n"multi\nline",z\ntail,w\nmore');
  const begin = bytes.indexOf(0x0a) + 1;
  const end = bytes.lastIndexOf(0x0a) + 1;
  const batch = parseCsvChunk(bytes, begin, end, { fieldCount: 2, firstLine: 2, final: false });
  assert.deepEqual(plainRecords(batch), [
    ok(2, "x", "y"),
    ok(3, "multi\nline", "z"),
    ok(5, "tail", "w"),
  ]);
  assert.equal(batch.consumed, end);
  assert.equal(batch.nextLine, 6);
});

Deno.test("parseCsvChunk() with maxRecords stops after the header and skips blank lines", () => {
  const bytes = bytesOf("\na,b\n\n\r\n1,2\n");
  const header = parseCsvChunk(bytes, 0, bytes.length, {
    fieldCount: 0,
    firstLine: 1,
    final: false,
    maxRecords: 1,
  });
  assert.equal(header.count, 1);
  assert.equal(header.fieldCount, 2);
  assert.equal(header.recordLine[0], 2);
  assert.equal(header.consumed, bytes.indexOf(0x31)); // the "1" of the next record
  assert.equal(header.nextLine, 5);
});

interface PartialCase {
  name: string;
  input: string;
  records: number;
  /** The unconsumed tail: the incomplete record. */
  tail: string;
}

const PARTIAL_CASES: PartialCase[] = [
  { name: "inside an unquoted field", input: "a,b\n1,2", records: 1, tail: "1,2" },
  { name: "after a trailing comma", input: "a,b\n1,", records: 1, tail: "1," },
  { name: "CR that may start CR LF", input: "a,b\n1,2\r", records: 1, tail: "1,2\r" },
  { name: "CR at the start of a record", input: "a,b\n\r", records: 1, tail: "\r" },
  { name: "inside quotes", input: 'a,b\n"1\n,2', records: 1, tail: '"1\n,2' },
  { name: "closing quote (could be an escaped quote)", input: 'a,b\n"1"', records: 1, tail: '"1"' },
  { name: "closing quote and CR", input: 'a,b\n"1"\r', records: 1, tail: '"1"\r' },
  {
    name: "text after a closing quote, line not ended",
    input: 'a\n"1"x',
    records: 1,
    tail: '"1"x',
  },
  { name: "complete records then blank lines", input: "a,b\n\n\n", records: 1, tail: "" },
];

Deno.test("parseCsvChunk() leaves an incomplete record for the next chunk", async (t) => {
  for (const testCase of PARTIAL_CASES) {
    await t.step(testCase.name, () => {
      const bytes = bytesOf(testCase.input);
      const batch = parseCsvChunk(bytes, 0, bytes.length, {
        fieldCount: 0,
        firstLine: 1,
        final: false,
      });
      assert.equal(batch.count, testCase.records);
      assert.equal(new TextDecoder().decode(bytes.subarray(batch.consumed)), testCase.tail);
      const linesBefore = bytes.subarray(0, batch.consumed).filter((byte) => byte === 10).length;
      assert.equal(batch.nextLine, 1 + linesBefore);
    });
  }
});

Deno.test("CsvChunkParser gives the same records split at every byte as in one parse", () => {
  const input = bytesOf(
    'id,name,city\r\n1,"Smith, J",Zürich\n\n2,"multi\nline ""q""",x\r\n3,bad"quote,y\n' +
      '4,"x"y,z\n5,short\n6,a,b,c\n7,"😀",\r\n8,,"end"',
  );
  const expected = parseAll(input);
  const parser = new CsvChunkParser();
  for (let split = 0; split <= input.length; split++) {
    const first = parser.parse(input, 0, split, { fieldCount: 0, firstLine: 1, final: false });
    const records = plainRecords(first);
    // The tail is moved to a new buffer, as a reader would, so offsets restart at 0.
    const rest = input.slice(first.consumed);
    const second = parser.parse(rest, 0, rest.length, {
      fieldCount: first.count > 0 ? first.fieldCount : 0,
      firstLine: first.nextLine,
      final: true,
    });
    records.push(...plainRecords(second));
    assert.deepEqual(records, expected, `split at byte ${split}`);
  }
});

Deno.test("CsvChunkParser grows its arrays for many records and wide ragged records", () => {
  const wide = Array.from({ length: 5000 }, (_, index) => `w${index}`).join(",");
  const rows = Array.from({ length: 3000 }, (_, index) => `${index},"v${index}"`);
  rows.splice(1500, 0, wide);
  const input = bytesOf(`a,b\n${rows.join("\n")}\n`);
  const parser = new CsvChunkParser();
  for (let run = 0; run < 2; run++) {
    const batch = parser.parse(input, 0, input.length, {
      fieldCount: 0,
      firstLine: 1,
      final: true,
    });
    assert.equal(batch.count, 3002);
    assert.equal(batch.status[1501], MALFORMED_FIELD_COUNT);
    assert.equal(malformedRawText(batch, 1501), wide);
    assert.deepEqual(plainRecords(batch).at(-1), ok(3002, "2999", "v2999"));
    assert.equal(fieldText(batch, 1502, 1), "v1500");
  }
});

Deno.test("fieldText() refuses malformed records", () => {
  const bytes = bytesOf("a,b\n1\n");
  const batch = parseCsvChunk(bytes, 0, bytes.length, { fieldCount: 0, firstLine: 1, final: true });
  assert.throws(() => fieldText(batch, 1, 0), RangeError);
  assert.throws(() => fieldText(batch, 2, 0), RangeError);
});

Deno.test("detectLineEnd() reads the first line end outside quotes", () => {
  const cases: [string, boolean, number | undefined][] = [
    ["a,b\nc", false, LF],
    ["a,b\r\nc", false, LF],
    ["a,b\rc\nd", false, CR],
    ['"x\ny",b\rc', false, CR], // the LF inside quotes is data
    ['"x\r\ny"\n', false, LF],
    ['a"b\rc', false, CR], // a quote inside an unquoted field is literal
    ["a,b\r", false, undefined], // CR LF or CR: the next byte decides
    ["a,b\r", true, CR],
    ["a,b", false, undefined],
    ["a,b", true, LF],
    ['"open\r', true, LF],
  ];
  for (const [text, final, expected] of cases) {
    const bytes = bytesOf(text);
    assert.equal(detectLineEnd(bytes, 0, bytes.length, final), expected, JSON.stringify(text));
  }
});

Deno.test("skipRecord() finds the end a parse would give the record, split anywhere", () => {
  const records = [
    'plain,field,"quoted, with ""quotes"" and\nbreaks"\n',
    '"closed"junk after,"quote\n',
    '"closed"\r\n',
    "a,b\r\n",
    '"never closed\nat all',
  ];
  for (const lineEnd of [LF, CR]) {
    for (let text of records) {
      if (lineEnd === CR) text = text.replaceAll("\r\n", "\r").replaceAll("\n", "\r");
      const bytes = bytesOf(text + "next,record\n");
      const parsed = parseCsvChunk(bytes, 0, bytes.length, {
        fieldCount: 0,
        firstLine: 1,
        final: true,
        maxRecords: 1,
        lineEnd,
      });
      const expectedNext = text.endsWith("at all") ? -1 : text.length;
      const lineEnds = [...text].filter((c) => c.charCodeAt(0) === lineEnd).length;
      for (let split = 0; split <= bytes.length; split++) {
        const first = skipRecord(bytes, 0, split, SKIP_FIELD_START, lineEnd);
        const result = first.next >= 0
          ? first
          : skipRecord(bytes, split, bytes.length, first.state, lineEnd);
        const total = first.next >= 0 ? first.lineEnds : first.lineEnds + result.lineEnds;
        if (expectedNext >= 0) {
          assert.equal(result.next, expectedNext, `${JSON.stringify(text)} split ${split}`);
          assert.equal(parsed.consumed, expectedNext);
          assert.equal(total, lineEnds);
        } else {
          assert.equal(result.next, -1);
        }
      }
    }
  }
});

Deno.test("a record over maxRecordBytes is MALFORMED_TOO_LONG with its raw text cut", () => {
  const long = "é".repeat(3000); // 6,000 bytes: the cut must not split a character
  const bytes = bytesOf(`a,b\n1,x${long}\n2,3\n"${long}",4\n5,"${long}`);
  const batch = parseCsvChunk(bytes, 0, bytes.length, {
    fieldCount: 0,
    firstLine: 1,
    final: true,
    maxRecordBytes: 5001,
  });
  assert.deepEqual(Array.from(batch.status.subarray(0, batch.count)), [
    RECORD_OK,
    MALFORMED_TOO_LONG,
    RECORD_OK,
    MALFORMED_TOO_LONG,
    MALFORMED_TOO_LONG, // unterminated at the end, and over the limit
  ]);
  assert.equal(
    malformedRawText(batch, 1),
    `1,x${"é".repeat(2046)}…[record cut: longer than 5001 bytes]`,
  );
  assert.equal(batch.recordLine[4], 5);
  // The kept prefix is at most TOO_LONG_PREFIX_BYTES, whatever the limit.
  assert.ok(new TextEncoder().encode(malformedRawText(batch, 3)).length < 4200);
  // Within the limit, the same records are whole.
  const whole = parseCsvChunk(bytes, 0, bytes.length, { fieldCount: 0, firstLine: 1, final: true });
  assert.equal(whole.status[1], RECORD_OK);
  assert.equal(malformedRawText(whole, 4), `5,"${long}`);
});
