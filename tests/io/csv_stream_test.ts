import assert from "node:assert/strict";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { UserError } from "../../src/io/errors.ts";
import { CsvParseStream, openCsv } from "../../src/io/csv_stream.ts";
import {
  type CsvRecordBatch,
  fieldText,
  MALFORMED_FIELD_COUNT,
  MALFORMED_TOO_LONG,
  MALFORMED_UTF8,
  RECORD_OK,
} from "../../src/io/csv_parse.ts";
import { bytesOf, parseAll, type PlainRecord, plainRecords } from "./_csv_helpers.ts";

const BOM = [0xef, 0xbb, 0xbf];

/** Feeds `chunks` through a CsvParseStream and returns its batches. */
async function streamBatches(
  chunks: Uint8Array[],
  options: ConstructorParameters<typeof CsvParseStream>[0] = {},
): Promise<CsvRecordBatch[]> {
  const source = ReadableStream.from(chunks);
  return await Array.fromAsync(source.pipeThrough(new CsvParseStream(options)));
}

function splitAt(bytes: Uint8Array, ...positions: number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const position of [...positions, bytes.length]) {
    // Copies, like a real source: every chunk is its own buffer.
    chunks.push(bytes.slice(start, position));
    start = position;
  }
  return chunks;
}

const MIXED_INPUT = bytesOf([
  BOM,
  'id,name,city\r\n1,"Smith, J",Zürich\n\n\r\n2,"multi\nline ""q""",x\r\n3,bad"quote,y\n',
  '4,"x"y,z\n5,short\n6,a,b,c\n7,"😀",\r\n',
  [0xe2, 0x82],
  ',broken,utf8\n8,,"end"',
]);
/** The records of MIXED_INPUT, parsed in one piece without its BOM. */
const MIXED_EXPECTED = parseAll(MIXED_INPUT.subarray(3));

Deno.test("CsvParseStream gives identical records with the input split at every byte", async () => {
  for (let split = 0; split <= MIXED_INPUT.length; split++) {
    for (const minBatchBytes of [1, 1 << 20]) {
      const batches = await streamBatches(splitAt(MIXED_INPUT, split), { minBatchBytes });
      assert.deepEqual(
        batches.flatMap(plainRecords),
        MIXED_EXPECTED,
        `split at ${split}, minBatchBytes ${minBatchBytes}`,
      );
    }
  }
});

Deno.test("CsvParseStream gives identical records from one-byte and three-way split chunks", async () => {
  const oneByteChunks = Array.from(MIXED_INPUT, (byte) => Uint8Array.of(byte));
  for (const minBatchBytes of [1, 7, 1 << 20]) {
    const batches = await streamBatches(oneByteChunks, { minBatchBytes });
    assert.deepEqual(
      batches.flatMap(plainRecords),
      MIXED_EXPECTED,
      `minBatchBytes ${minBatchBytes}`,
    );
  }
  for (let first = 0; first <= MIXED_INPUT.length; first += 3) {
    for (let second = first; second <= MIXED_INPUT.length; second += 5) {
      const batches = await streamBatches(splitAt(MIXED_INPUT, first, second), {
        minBatchBytes: 1,
      });
      assert.deepEqual(
        batches.flatMap(plainRecords),
        MIXED_EXPECTED,
        `split at ${first}, ${second}`,
      );
    }
  }
});

Deno.test("CsvParseStream emits the header alone, then batches with its field count", async () => {
  const batches = await streamBatches([bytesOf("\n\ufeffa,b\n1,2\n3\n4,5,6\n7,8")]);
  assert.equal(batches[0].count, 1);
  assert.deepEqual(plainRecords(batches[0]), [{
    line: 2,
    status: RECORD_OK,
    fields: ["\ufeffa", "b"],
  }]);
  const records = batches.slice(1).flatMap(plainRecords);
  assert.ok(batches.slice(1).every((batch) => batch.fieldCount === 2));
  assert.deepEqual(records.map((record) => record.status), [
    RECORD_OK,
    MALFORMED_FIELD_COUNT,
    MALFORMED_FIELD_COUNT,
    RECORD_OK,
  ]);
});

Deno.test("CsvParseStream drops one leading BOM only, even split across chunks", async () => {
  const input = bytesOf([BOM, BOM, "a,b\n1,2\n"]);
  for (let split = 0; split <= 6; split++) {
    const batches = await streamBatches(splitAt(input, split), { minBatchBytes: 1 });
    assert.equal(fieldText(batches[0], 0, 0), "\ufeffa", `split at ${split}`);
  }
  const plain = await streamBatches([bytesOf([[0xef, 0xbb], "a\n"])]);
  assert.equal(plainRecords(plain[0])[0].status, MALFORMED_UTF8, "a partial BOM is invalid UTF-8");
});

Deno.test("CsvParseStream carries a 200 KB quoted field across 64 KB chunks", async () => {
  const long = "é,\n".repeat(70_000);
  const input = bytesOf(`a,b\n1,"${long}"\n2,x\n`);
  const chunks = Array.from(
    { length: Math.ceil(input.length / 65536) },
    (_, index) => input.slice(index * 65536, (index + 1) * 65536),
  );
  const expected: PlainRecord[] = [
    { line: 1, status: RECORD_OK, fields: ["a", "b"] },
    { line: 2, status: RECORD_OK, fields: ["1", long] },
    { line: 70_003, status: RECORD_OK, fields: ["2", "x"] },
  ];
  for (const minBatchBytes of [1, 1 << 20]) {
    const batches = await streamBatches(chunks, { minBatchBytes });
    assert.deepEqual(batches.flatMap(plainRecords), expected);
  }
});

Deno.test("an unclosed quote past maxRecordBytes becomes one cut malformed record and the stream ends", async () => {
  const input = bytesOf('a,b\n1,2\n3,"never closed' + " padding\n".repeat(1000));
  for (const minBatchBytes of [1, 1 << 20]) {
    const batches = await streamBatches(splitAt(input, 100, 2000, 5000), {
      maxRecordBytes: 1000,
      minBatchBytes,
    });
    assert.deepEqual(batches.flatMap(plainRecords), [
      { line: 1, status: RECORD_OK, fields: ["a", "b"] },
      { line: 2, status: RECORD_OK, fields: ["1", "2"] },
      {
        line: 3,
        status: MALFORMED_TOO_LONG,
        raw: ('3,"never closed' + " padding\n".repeat(1000)).slice(0, 1000) +
          "…[record cut: longer than 1000 bytes]",
      },
    ]);
  }
});

Deno.test("an unquoted field past maxRecordBytes becomes one cut malformed record and reading goes on", async () => {
  // The long record holds line breaks inside quotes too: the lines after it still count them.
  const long = `3,"q\nq"` + "x".repeat(5000);
  const input = bytesOf(`a,b\n1,2\n${long}\n4,5\n"6\n",7\n`);
  for (const minBatchBytes of [1, 1 << 20]) {
    for (const chunks of [[input], splitAt(input, 3, 9, 11, 2000, 5010, 5015)]) {
      const batches = await streamBatches(chunks, { maxRecordBytes: 1000, minBatchBytes });
      assert.deepEqual(batches.flatMap(plainRecords), [
        { line: 1, status: RECORD_OK, fields: ["a", "b"] },
        { line: 2, status: RECORD_OK, fields: ["1", "2"] },
        {
          line: 3,
          status: MALFORMED_TOO_LONG,
          raw: long.slice(0, 1000) + "…[record cut: longer than 1000 bytes]",
        },
        { line: 5, status: RECORD_OK, fields: ["4", "5"] },
        { line: 6, status: RECORD_OK, fields: ["6\n", "7"] },
      ]);
    }
  }
});

Deno.test("CsvParseStream on empty input gives no batches", async () => {
  assert.deepEqual(await streamBatches([]), []);
  assert.deepEqual(await streamBatches([bytesOf("\n\n"), new Uint8Array(0)]), []);
});

async function withTempDir(body: (directory: string) => Promise<void>): Promise<void> {
  const directory = await Deno.makeTempDir({ prefix: "dpd_csv_test_" });
  try {
    await body(directory);
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
}

async function readAll(path: string) {
  const csv = await openCsv(path);
  const records: PlainRecord[] = [];
  for await (const batch of csv.batches) {
    assert.equal(batch.fieldCount, csv.header.length);
    records.push(...plainRecords(batch));
  }
  return { csv, records };
}

const FILE_TEXT = 'order_id,product_name\r\n\nORD-1,"Desk, large"\nORD-2,"Lamp ""LED"""\nORD-3\n';
const FILE_RECORDS: PlainRecord[] = [
  { line: 3, status: RECORD_OK, fields: ["ORD-1", "Desk, large"] },
  { line: 4, status: RECORD_OK, fields: ["ORD-2", 'Lamp "LED"'] },
  { line: 5, status: MALFORMED_FIELD_COUNT, raw: "ORD-3" },
];

Deno.test("openCsv() reads the header and the records of a plain and a gzipped file", async () => {
  await withTempDir(async (directory) => {
    const bytes = bytesOf(FILE_TEXT);
    const files = {
      "sales.csv": bytes,
      "sales.csv.gz": gzipSync(bytes),
      // Two gzip members, as `cat a.gz b.gz` makes.
      "parts.csv.GZ": new Uint8Array([
        ...gzipSync(bytes.subarray(0, 30)),
        ...gzipSync(bytes.subarray(30)),
      ]),
    };
    for (const [name, content] of Object.entries(files)) {
      const path = join(directory, name);
      await Deno.writeFile(path, content);
      const { csv, records } = await readAll(path);
      assert.deepEqual(csv.header, ["order_id", "product_name"], name);
      assert.equal(csv.headerLine, 1);
      assert.deepEqual(records, FILE_RECORDS, name);
      assert.equal(csv.totalBytes, content.length);
      assert.equal(csv.bytesRead(), content.length);
    }
  });
});

Deno.test("openCsv() closes the file when the caller stops early", async () => {
  await withTempDir(async (directory) => {
    const path = join(directory, "many.csv");
    await Deno.writeTextFile(path, "a,b\n" + "1,2\n".repeat(600_000));
    const csv = await openCsv(path, { minBatchBytes: 1 << 16 });
    for await (const batch of csv.batches) {
      assert.ok(batch.count > 0);
      break;
    }
    // Deno's resource sanitizer fails this test if the file were left open.
  });
});

interface BadFileCase {
  name: string;
  content?: Uint8Array;
  /** Create a directory instead of a file. */
  directory?: boolean;
  /** Expected message pattern; `PATH` stands for the file's path. */
  message: RegExp;
}

const BAD_FILES: BadFileCase[] = [
  { name: "empty.csv", content: new Uint8Array(0), message: /empty.csv is empty/ },
  { name: "blank.csv", content: bytesOf("\n\r\n\n"), message: /blank.csv is empty/ },
  { name: "bom_only.csv", content: Uint8Array.from(BOM), message: /bom_only.csv is empty/ },
  {
    name: "bad_header.csv",
    content: bytesOf('\n"order_id"x,name\n1,2\n'),
    message: /bad_header.csv:2: the header row is malformed \(text after a closing quote/,
  },
  {
    name: "bad_utf8_header.csv",
    content: bytesOf(["id,n", [0xff], "me\n"]),
    message: /bad_utf8_header.csv:1: the header row is malformed \(invalid UTF-8\)/,
  },
  { name: "missing.csv", message: /input file not found: .*missing.csv/ },
  { name: "folder.csv", directory: true, message: /folder.csv is a directory/ },
  {
    name: "garbage.csv.gz",
    content: bytesOf("this is not gzip"),
    message: /garbage.csv.gz is not a readable gzip file/,
  },
];

Deno.test("openCsv() explains unusable files with a UserError naming them", async (t) => {
  await withTempDir(async (directory) => {
    for (const testCase of BAD_FILES) {
      await t.step(testCase.name, async () => {
        const path = join(directory, testCase.name);
        if (testCase.directory) await Deno.mkdir(path);
        else if (testCase.content) await Deno.writeFile(path, testCase.content);
        await assert.rejects(
          readAll(path),
          (error) => error instanceof UserError && testCase.message.test(error.message),
        );
      });
    }
  });
});

Deno.test("openCsv() reports a truncated .gz as a UserError when it surfaces", async () => {
  await withTempDir(async (directory) => {
    const path = join(directory, "cut.csv.gz");
    const whole = gzipSync(bytesOf("a,b\n" + "1,2\n".repeat(100_000)));
    await Deno.writeFile(path, whole.subarray(0, whole.length - 100));
    await assert.rejects(
      readAll(path),
      (error) =>
        error instanceof UserError && /cut.csv.gz is not a readable gzip file/.test(error.message),
    );
  });
});

Deno.test("openCsv() reads past a runaway record: one cut malformed record, bounded", async () => {
  await withTempDir(async (directory) => {
    const path = join(directory, "runaway.csv");
    // Longer than one read (1 MiB), so the open record is carried, then skipped, between chunks.
    await Deno.writeTextFile(path, 'a,b\n1,2\n3,"open' + "x".repeat(1_500_000));
    const csv = await openCsv(path, { maxRecordBytes: 1000 });
    const records = (await Array.fromAsync(csv.batches)).flatMap(plainRecords);
    assert.deepEqual(records.map((record) => [record.line, record.status]), [
      [2, RECORD_OK],
      [3, MALFORMED_TOO_LONG],
    ]);
    assert.equal(
      records[1].raw,
      '3,"open' + "x".repeat(993) + "…[record cut: longer than 1000 bytes]",
    );
  });
});
/** MIXED_INPUT without its CR LF endings, for a CR-only twin: every LF becomes a CR. */
const LF_INPUT = bytesOf(
  'id,name,city\n1,"Smith, J",Zürich\n\n\n2,"multi\nline ""q""",x\n3,bad"quote,y\n' +
    '4,"x"y,z\n5,short\n6,a,b,c\n7,"😀",\n8,,"end"\n"open,at the end\n',
);
const CR_INPUT = LF_INPUT.map((byte) => byte === 0x0a ? 0x0d : byte);

/** Records with every CR turned back into LF, to compare a CR-only file with its LF twin. */
function asLf(records: PlainRecord[]): PlainRecord[] {
  const lf = (text: string) => text.replaceAll("\r", "\n");
  return records.map((record) => ({
    ...record,
    ...(record.fields ? { fields: record.fields.map(lf) } : {}),
    ...(record.raw !== undefined ? { raw: lf(record.raw) } : {}),
  }));
}

Deno.test("a CR-only file gives the same records as its LF twin, split at every byte", async () => {
  const expected = (await streamBatches([LF_INPUT])).flatMap(plainRecords);
  assert.equal(expected.length, 10);
  for (let split = 0; split <= CR_INPUT.length; split++) {
    for (const minBatchBytes of [1, 1 << 20]) {
      const batches = await streamBatches(splitAt(CR_INPUT, split), { minBatchBytes });
      assert.deepEqual(
        asLf(batches.flatMap(plainRecords)),
        expected,
        `split at ${split}, minBatchBytes ${minBatchBytes}`,
      );
    }
  }
});

Deno.test("a 2,000-row CR-only file reads as 2,000 records with their line numbers", async () => {
  const rows = ["id,name"];
  for (let row = 1; row <= 2000; row++) rows.push(`${row},name ${row}`);
  const input = bytesOf(rows.join("\r") + "\r");
  const records = (await streamBatches(splitAt(input, 5000, 5001), { minBatchBytes: 1 }))
    .flatMap(plainRecords);
  assert.equal(records.length, 2001);
  assert.ok(records.every((record) => record.status === RECORD_OK));
  assert.deepEqual(records[2000], { line: 2001, status: RECORD_OK, fields: ["2000", "name 2000"] });
});
