/**
 * The measured half of the `csv-parse (1 core)` bench stage, run as its own process so its peak
 * RSS is the parser's alone.
 *
 * Reads FILE the way `clean-data` does: synchronous `readSync` into one large buffer, the parser
 * over what was read, the incomplete last record moved to the front before the next read.
 *
 *   deno run -A bench/csv_parse_probe.ts FILE [BLOCK_MIB]
 *
 * Prints one JSON line: `{ seconds, rows, bytes, malformedRows, peakRssBytes }`.
 */
import { CsvChunkParser, RECORD_OK } from "../src/io/csv_parse.ts";
import { stripBom } from "../src/io/input_bytes.ts";
import { peakRssBytes } from "../src/cli/summary.ts";

const [path, blockMib = "8"] = Deno.args;
if (!path) {
  console.error("usage: deno run -A bench/csv_parse_probe.ts FILE [BLOCK_MIB]");
  Deno.exit(1);
}

const started = performance.now();
const file = Deno.openSync(path, { read: true });
const buffer = new Uint8Array(Number(blockMib) << 20);
const parser = new CsvChunkParser();
let filled = 0;
let bytes = 0;
let line = 1;
let fieldCount = 0;
let headerRead = false;
let firstRead = true;
let rows = 0;
let malformedRows = 0;

for (;;) {
  if (filled === buffer.length) {
    throw new Error(`a record is longer than the ${blockMib} MiB block`);
  }
  const read = file.readSync(buffer.subarray(filled));
  const final = read === null;
  if (read !== null) {
    filled += read;
    bytes += read;
  }
  let begin = 0;
  if (firstRead) {
    // A leading BOM is decided on its three bytes.
    if (filled < 3 && !final) continue;
    begin = stripBom(buffer.subarray(0, filled));
    firstRead = false;
  }
  if (!headerRead) {
    const header = parser.parse(buffer, begin, filled, {
      fieldCount: 0,
      firstLine: line,
      final,
      maxRecords: 1,
    });
    begin = header.consumed;
    line = header.nextLine;
    if (header.count === 1) {
      headerRead = true;
      fieldCount = header.fieldCount;
    }
  }
  if (headerRead) {
    const batch = parser.parse(buffer, begin, filled, { fieldCount, firstLine: line, final });
    rows += batch.count;
    for (let record = 0; record < batch.count; record++) {
      if (batch.status[record] !== RECORD_OK) malformedRows++;
    }
    begin = batch.consumed;
    line = batch.nextLine;
  }
  if (final) break;
  buffer.copyWithin(0, begin, filled);
  filled -= begin;
}
file.close();

const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ seconds, rows, bytes, malformedRows, peakRssBytes: peakRssBytes() }));
