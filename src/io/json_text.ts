/**
 * Positions inside JSON text people edit by hand (the lookup files, dpd.json), so that they are told
 * the line and column of a mistake (a syntax error, an entry of the wrong type, a key written twice).
 *
 * `JSON.parse` stays the parser of record; this module only finds offsets: in V8's error message
 * when it gives one, else with a small scanner of RFC 8259 JSON.
 *
 * @example
 * ```ts
 * import { parseJson } from "./json_text.ts";
 * const parsed = parseJson('{"a": 1,}');
 * if ("problem" in parsed) console.log(parsed.problem.position); // { line: 1, column: 9 }
 * ```
 */

/** A 1-based line and column (columns count UTF-16 units, as editors do). */
export interface TextPosition {
  /** 1-based line number. */
  line: number;
  /** 1-based column, in UTF-16 units. */
  column: number;
}

/** The line and column of `offset` in `text`. */
export function positionAt(text: string, offset: number): TextPosition {
  return new PositionCursor(text).at(offset);
}

/**
 * Line and column of offsets in one text, asked for in increasing order: each call scans only the
 * text since the previous one, so locating every entry of a large file is one pass, not one pass per
 * entry. An offset before the previous one is still answered (by scanning from the start again).
 */
export class PositionCursor {
  readonly #text: string;
  #offset = 0;
  #line = 1;
  #lineStart = 0;

  /** A cursor over `text`, starting at its first line. */
  constructor(text: string) {
    this.#text = text;
  }

  /** The line and column of `offset` (clamped to the text). */
  at(offset: number): TextPosition {
    const text = this.#text;
    const clamped = Math.max(0, Math.min(offset, text.length));
    if (clamped < this.#offset) {
      this.#offset = 0;
      this.#line = 1;
      this.#lineStart = 0;
    }
    let lineFeed = text.indexOf("\n", this.#offset);
    while (lineFeed >= 0 && lineFeed < clamped) {
      this.#line++;
      this.#lineStart = lineFeed + 1;
      lineFeed = text.indexOf("\n", lineFeed + 1);
    }
    this.#offset = clamped;
    return { line: this.#line, column: clamped - this.#lineStart + 1 };
  }
}

/** What went wrong in a JSON text and where. */
export interface JsonSyntaxProblem {
  /** The parser's explanation without its position, like `Expected ',' or '}' after property value`. */
  message: string;
  /** Where the parser stopped. */
  position: TextPosition;
}

/**
 * Parses `text` with `JSON.parse`; on a syntax error returns where it is. V8 reports either
 * "… at position N (line L column C)", "… at position N", or no position at all ("Unexpected
 * token …", "Unexpected end of JSON input"): all three are handled.
 */
export function parseJson(text: string): { value: unknown } | { problem: JsonSyntaxProblem } {
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    return { problem: describeSyntaxError(text, error.message) };
  }
}

/** Turns a V8 `JSON.parse` message into a message and a position. */
export function describeSyntaxError(text: string, parserMessage: string): JsonSyntaxProblem {
  const lineColumn = /\(line (\d+) column (\d+)\)/.exec(parserMessage);
  const offset = /at position (\d+)/.exec(parserMessage);
  const message = parserMessage
    .replace(/\s*\(line \d+ column \d+\)/, "")
    .replace(/\s*in JSON at position \d+/, "")
    .replace(/\s*at position \d+/, "")
    .replace(/, ".*" is not valid JSON$/s, "")
    .trim();
  if (lineColumn) {
    return { message, position: { line: Number(lineColumn[1]), column: Number(lineColumn[2]) } };
  }
  if (offset) return { message, position: positionAt(text, Number(offset[1])) };
  return { message, position: positionAt(text, findSyntaxErrorOffset(text) ?? text.length) };
}

/** The top-level entries of a valid JSON array or object: each key (objects) and where it starts. */
export interface JsonEntryLocation {
  /** The decoded key for objects, `undefined` for arrays. */
  key?: string;
  /** Where the entry starts. */
  position: TextPosition;
}

/**
 * Where each top-level entry of `text` starts. `text` must already be valid JSON (`JSON.parse`
 * accepted it); a scalar at the top returns no entries. Used to point at entries of the wrong type
 * and at keys written twice, which `JSON.parse` silently merges. One pass over the text.
 */
export function topLevelEntries(text: string): JsonEntryLocation[] {
  const entries: JsonEntryLocation[] = [];
  const cursor = new PositionCursor(text);
  const keyed = text.charCodeAt(skipWhitespace(text, 0)) === OPEN_BRACE;
  visitTopLevelEntries(text, (start, keyEnd) => {
    const position = cursor.at(start);
    entries.push(keyed ? { key: stringValue(text, start, keyEnd), position } : { position });
  });
  return entries;
}

/**
 * How many top-level entries valid JSON `text` holds (keys written twice counted twice): compared
 * with the parsed object's key count, it tells whether any key is written twice without locating
 * every entry.
 */
export function countTopLevelEntries(text: string): number {
  let count = 0;
  visitTopLevelEntries(text, () => count++);
  return count;
}

const QUOTE = 0x22, BACKSLASH = 0x5c, COMMA = 0x2c, SPACE = 0x20, TAB = 0x09, LF = 0x0a, CR = 0x0d;
const OPEN_BRACKET = 0x5b, CLOSE_BRACKET = 0x5d, OPEN_BRACE = 0x7b, CLOSE_BRACE = 0x7d;

/**
 * Calls `visit` with the offset of each top-level entry of valid JSON `text` and, when the entry
 * starts with a string (an object's key), the offset just past that string.
 */
function visitTopLevelEntries(
  text: string,
  visit: (start: number, stringEnd: number) => void,
): void {
  let index = skipWhitespace(text, 0);
  const opener = text.charCodeAt(index);
  if (opener !== OPEN_BRACKET && opener !== OPEN_BRACE) return;
  let depth = 0;
  let expectingEntry = false;
  for (; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === QUOTE) {
      const end = stringEnd(text, index);
      if (depth === 1 && expectingEntry) {
        visit(index, end);
        expectingEntry = false;
      }
      index = end - 1;
      continue;
    }
    if (code === SPACE || code === LF || code === CR || code === TAB) continue;
    if (depth === 1 && expectingEntry && code !== CLOSE_BRACKET && code !== CLOSE_BRACE) {
      visit(index, -1);
      expectingEntry = false;
    }
    if (code === OPEN_BRACKET || code === OPEN_BRACE) {
      depth++;
      if (depth === 1) expectingEntry = true;
    } else if (code === CLOSE_BRACKET || code === CLOSE_BRACE) {
      depth--;
      if (depth === 0) break;
    } else if (code === COMMA && depth === 1) {
      expectingEntry = true;
    }
  }
}

function skipWhitespace(text: string, from: number): number {
  let index = from;
  while (index < text.length && " \t\n\r".includes(text[index])) index++;
  return index;
}

/** The value of the valid string literal `text[start, end)`; one without escapes is a plain slice. */
function stringValue(text: string, start: number, end: number): string {
  const inner = text.slice(start + 1, end - 1);
  return inner.includes("\\") ? JSON.parse(text.slice(start, end)) as string : inner;
}

/** The offset just past the string literal that opens at `start` (a `"`). */
function stringEnd(text: string, start: number): number {
  let quote = text.indexOf('"', start + 1);
  while (quote >= 0) {
    // A quote preceded by an odd run of backslashes is escaped.
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    quote = text.indexOf('"', quote + 1);
  }
  return text.length;
}

/**
 * The offset of the first syntax error in `text`, by a strict RFC 8259 scan; `undefined` when the
 * scanner finds none (or the nesting is too deep to scan).
 */
export function findSyntaxErrorOffset(text: string): number | undefined {
  try {
    const end = scanValue(text, skipWhitespace(text, 0));
    const rest = skipWhitespace(text, end);
    return rest < text.length ? rest : undefined;
  } catch (error) {
    if (error instanceof ScanError) return error.offset;
    if (error instanceof RangeError) return undefined; // nesting deeper than the stack allows
    throw error;
  }
}

class ScanError extends Error {
  constructor(readonly offset: number) {
    super(`JSON syntax error at ${offset}`);
  }
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/** Scans one value starting at `start`; returns the offset after it. */
function scanValue(text: string, start: number): number {
  const character = text[start];
  if (character === "{") return scanContainer(text, start, "}", true);
  if (character === "[") return scanContainer(text, start, "]", false);
  if (character === '"') return scanString(text, start);
  for (const literal of ["true", "false", "null"]) {
    if (text.startsWith(literal, start)) return start + literal.length;
  }
  NUMBER.lastIndex = start;
  if (NUMBER.test(text)) return NUMBER.lastIndex;
  throw new ScanError(start);
}

function scanContainer(text: string, start: number, closer: string, keyed: boolean): number {
  let index = skipWhitespace(text, start + 1);
  if (text[index] === closer) return index + 1;
  for (;;) {
    if (keyed) {
      if (text[index] !== '"') throw new ScanError(index);
      index = skipWhitespace(text, scanString(text, index));
      if (text[index] !== ":") throw new ScanError(index);
      index = skipWhitespace(text, index + 1);
    }
    index = skipWhitespace(text, scanValue(text, index));
    if (text[index] === closer) return index + 1;
    if (text[index] !== ",") throw new ScanError(index);
    index = skipWhitespace(text, index + 1);
  }
}

function scanString(text: string, start: number): number {
  let index = start + 1;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (code === 0x22) return index + 1;
    if (code < 0x20) throw new ScanError(index);
    if (code === 0x5c) {
      const escape = text[index + 1];
      if (escape === "u") {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(index + 2, index + 6))) {
          throw new ScanError(index);
        }
        index += 6;
      } else if (escape !== undefined && '"\\/bfnrt'.includes(escape)) {
        index += 2;
      } else {
        throw new ScanError(index);
      }
      continue;
    }
    index++;
  }
  throw new ScanError(text.length);
}
