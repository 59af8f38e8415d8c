/**
 * clean-data's inputs opened and their headers read: the first block of each stays in memory for
 * the clean pass, and every further input must have the first one's header.
 */
import { UserError } from "../io/errors.ts";
import { BlockReader } from "../io/block_reader.ts";
import {
  CsvChunkParser,
  describeRecordStatus,
  detectLineEnd,
  fieldText,
  LF,
  type ParseChunkResult,
  RECORD_OK,
} from "../io/csv_parse.ts";
import { REQUIRED_ROLES } from "../io/column_roles.ts";
import { type InputBytes, isGzipPath, openInputBytes, stripBom } from "../io/input_bytes.ts";
import { checkSameHeader, type InputFile } from "../io/input_files.ts";

/** An input file opened, its header read: the first block stays in `view` for the clean pass. */
export interface OpenedInput {
  file: InputFile;
  input: InputBytes;
  reader: BlockReader;
  compressed: boolean;
  view: Uint8Array;
  filled: number;
  /** Decompressed bytes read, to turn bytes processed into a share of the (compressed) file. */
  rawBytesRead: number;
  endOfInput: boolean;
  header: ParseChunkResult;
  lineEnd: number;
  headerFields: string[];
}

/**
 * Opens an input and reads its header: the first non-empty record. Nothing is written unless it
 * names every column. The first line end outside quotes also tells an LF (or CR LF) file from a
 * CR-only one.
 */
export async function openCsvInput(
  file: InputFile,
  blockBytes: number,
  maxRecordBytes: number,
): Promise<OpenedInput> {
  const input = await openInputBytes(file.path);
  const reader = new BlockReader(input.stream);
  let view = new Uint8Array(new SharedArrayBuffer(blockBytes));
  let filled = await reader.fill(view, 0);
  let rawBytesRead = filled;
  let endOfInput = filled < view.length;
  const headerParser = new CsvChunkParser();
  const headerStart = stripBom(view.subarray(0, filled));
  let lineEnd = detectLineEnd(view, headerStart, filled, endOfInput);
  const parseHeader = () =>
    headerParser.parse(view, headerStart, filled, {
      fieldCount: 0,
      firstLine: 1,
      final: endOfInput,
      maxRecords: 1,
      lineEnd: lineEnd ?? LF,
      maxRecordBytes,
    });
  let header = parseHeader();
  while ((header.count === 0 || lineEnd === undefined) && !endOfInput) {
    if (filled - headerStart > maxRecordBytes) {
      await reader.cancel();
      throw new UserError(
        `${file.path}: the header row runs past ${maxRecordBytes} bytes without ending. ` +
          `Is this a CSV file? (A quote opened and never closed in the first line does this.)`,
      );
    }
    const larger = new Uint8Array(new SharedArrayBuffer(view.length * 2));
    larger.set(view.subarray(0, filled));
    view = larger;
    const more = await reader.fill(view, filled);
    filled += more;
    rawBytesRead += more;
    endOfInput = filled < view.length;
    lineEnd = detectLineEnd(view, headerStart, filled, endOfInput);
    header = parseHeader();
  }
  if (header.count === 0) {
    await reader.cancel();
    throw new UserError(
      `${file.path} has no header row (the file is empty). ` +
        `Expected a header naming: ${REQUIRED_ROLES.join(", ")}.`,
    );
  }
  if (header.status[0] !== RECORD_OK) {
    await reader.cancel();
    throw new UserError(
      `${file.path}:${header.recordLine[0]}: the header row is malformed ` +
        `(${describeRecordStatus(header.status[0])}). Is this a CSV file?`,
    );
  }
  const headerFields = Array.from(
    { length: header.fieldCount },
    (_, field) => fieldText(header, 0, field),
  );
  return {
    file,
    input,
    reader,
    compressed: isGzipPath(file.path),
    view,
    filled,
    rawBytesRead,
    endOfInput,
    header,
    lineEnd: lineEnd ?? LF,
    headerFields,
  };
}

/**
 * Opens a further input to read its header (returned), refusing it when it differs from the first
 * file's: the run writes one clean schema and one rejected CSV, whose columns are the first file's
 * header.
 */
export async function checkInputHeader(
  file: InputFile,
  first: readonly string[],
  maxRecordBytes: number,
): Promise<OpenedInput> {
  const opened = await openCsvInput(file, 64 << 10, maxRecordBytes);
  await opened.reader.cancel();
  checkSameHeader(file.path, opened.headerFields, first);
  return opened;
}

/** A file's size, if it is a regular file (a FIFO or a missing file has none). */
export async function fileSize(path: string): Promise<number | undefined> {
  try {
    const info = await Deno.stat(path);
    return info.isFile ? info.size : undefined;
  } catch {
    return undefined;
  }
}
