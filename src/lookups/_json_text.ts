/**
 * Positions inside lookup JSON text, so that a person editing a file by hand is told the line and
 * column of a mistake (a syntax error, an entry of the wrong type, a key written twice).
 *
 * `JSON.parse` stays the parser of record; this module only finds offsets: in V8's error message
 * when it gives one, else with a small scanner of RFC 8259 JSON.
 */

/** A 1-based line and column (columns count UTF-16 units, as editors do). */
export interface TextPosition {
  line: number;
  column: number;
}

/** The line and column of `offset` in `text`. */
export function positionAt(text: string, offset: number): TextPosition {
  const clamped = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < clamped; index++) {
    if (text.charCodeAt(index) === 0x0a) {
      line++;
      lineStart = index + 1;
    }
  }
  return { line, column: clamped - lineStart + 1 };
}

/** What went wrong in a JSON text and where. */
export interface JsonSyntaxProblem {
  /** The parser's explanation without its position, like `Expected ',' or '}' after property value`. */
  message: string;
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
  position: TextPosition;
}

/**
 * Where each top-level entry of `text` starts. `text` must already be valid JSON (`JSON.parse`
 * accepted it); a scalar at the top returns no entries. Used to point at entries of the wrong type
 * and at keys written twice, which `JSON.parse` silently merges.
 */
export function topLevelEntries(text: string): JsonEntryLocation[] {
  const entries: JsonEntryLocation[] = [];
  let index = skipWhitespace(text, 0);
  const opener = text[index];
  if (opener !== "[" && opener !== "{") return entries;
  let depth = 0;
  let expectingEntry = false;
  for (; index < text.length; index++) {
    const character = text[index];
    if (character === '"') {
      const end = stringEnd(text, index);
      if (depth === 1 && expectingEntry) {
        const position = positionAt(text, index);
        entries.push(
          opener === "{" ? { key: JSON.parse(text.slice(index, end)) as string, position } : {
            position,
          },
        );
        expectingEntry = false;
      }
      index = end - 1;
      continue;
    }
    if (character === " " || character === "\t" || character === "\n" || character === "\r") {
      continue;
    }
    if (depth === 1 && expectingEntry && character !== "]" && character !== "}") {
      entries.push({ position: positionAt(text, index) });
      expectingEntry = false;
    }
    if (character === "[" || character === "{") {
      depth++;
      if (depth === 1) expectingEntry = true;
    } else if (character === "]" || character === "}") {
      depth--;
      if (depth === 0) break;
    } else if (character === "," && depth === 1) {
      expectingEntry = true;
    }
  }
  return entries;
}

function skipWhitespace(text: string, from: number): number {
  let index = from;
  while (index < text.length && " \t\n\r".includes(text[index])) index++;
  return index;
}

/** The offset just past the string literal that opens at `start` (a `"`). */
function stringEnd(text: string, start: number): number {
  let index = start + 1;
  while (index < text.length) {
    const character = text[index];
    if (character === "\\") index += 2;
    else if (character === '"') return index + 1;
    else index++;
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
