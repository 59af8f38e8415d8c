/**
 * Reading the lookup files a person may have edited by hand, with errors that say which file, where
 * in it, what was expected and which command rebuilds it.
 */
import { join } from "node:path";
import { formatLocation, UserError } from "../io/errors.ts";
import { LIST_LIMIT, shortQuote } from "../io/short_text.ts";
import {
  countTopLevelEntries,
  parseJson,
  positionAt,
  type TextPosition,
  topLevelEntries,
} from "../io/json_text.ts";
import {
  BUILDER_OF,
  CATEGORIES_FILE,
  CATEGORY_MAP_FILE,
  type Lookups,
  REGION_MAP_FILE,
  REGIONS_FILE,
} from "./lookup_files.ts";
import { validateLookups } from "./validate_lookups.ts";

export type { Lookups } from "./lookup_files.ts";
export { validateLookups } from "./validate_lookups.ts";

/** A lookup file's text and the sha256 of its bytes. */
export interface LookupText {
  path: string;
  text: string;
  sha256: string;
}

/**
 * Loads and checks the three lookup files in `lookupsDir`. Throws a {@linkcode UserError} for a
 * missing or unreadable file, a JSON syntax error (file:line:column), an entry of the wrong type,
 * a key written twice, or lookups that contradict each other ({@linkcode validateLookups}).
 */
export async function loadLookups(lookupsDir: string): Promise<Lookups> {
  const files = await Promise.all(
    [CATEGORIES_FILE, REGIONS_FILE, REGION_MAP_FILE].map(async (name) => {
      const file = await readLookupText(join(lookupsDir, name));
      if (file === undefined) throw missingFileError(join(lookupsDir, name));
      return file;
    }),
  );
  const [categoriesFile, regionsFile, regionMapFile] = files;
  // Optional: only present once a person mapped a category variant.
  const categoryMapFile = await readLookupText(join(lookupsDir, CATEGORY_MAP_FILE));
  const lookups: Lookups = {
    categories: parseNameList(categoriesFile),
    regions: parseNameList(regionsFile),
    regionMap: parseRegionMap(regionMapFile),
    fileHashes: {
      [CATEGORIES_FILE]: categoriesFile.sha256,
      [REGIONS_FILE]: regionsFile.sha256,
      [REGION_MAP_FILE]: regionMapFile.sha256,
    },
    directory: lookupsDir,
  };
  if (categoryMapFile) {
    lookups.categoryMap = parseCategoryMap(categoryMapFile);
    lookups.fileHashes[CATEGORY_MAP_FILE] = categoryMapFile.sha256;
  }
  const problems = validateLookups(lookups);
  if (problems.length > 0) throw contradictionError(lookupsDir, problems);
  return lookups;
}

/**
 * The contradictions among the lookup files in `lookupsDir` as they are on disk, for the single
 * builders to warn about: none while a file is missing, and an unreadable file is one problem.
 */
export async function lookupsDirProblems(lookupsDir: string): Promise<string[]> {
  try {
    const texts = await Promise.all(
      [CATEGORIES_FILE, REGIONS_FILE, REGION_MAP_FILE].map((name) =>
        readLookupText(join(lookupsDir, name))
      ),
    );
    const [categories, regions, regionMap] = texts;
    if (!categories || !regions || !regionMap) return [];
    const categoryMap = await readLookupText(join(lookupsDir, CATEGORY_MAP_FILE));
    return validateLookups({
      categories: parseNameList(categories),
      regions: parseNameList(regions),
      regionMap: parseRegionMap(regionMap),
      categoryMap: categoryMap ? parseCategoryMap(categoryMap) : undefined,
    });
  } catch (error) {
    if (error instanceof UserError) return [error.message];
    throw error;
  }
}

/** The error for lookups that contradict each other: every problem on its own line. */
export function contradictionError(lookupsDir: string, problems: string[]): UserError {
  return new UserError(
    `the lookups in ${lookupsDir} contradict each other (${problems.length} ` +
      `problem${problems.length === 1 ? "" : "s"}):\n` +
      problems.slice(0, LIST_LIMIT).map((problem) => `  - ${problem}`).join("\n") +
      (problems.length > LIST_LIMIT ? `\n  - and ${problems.length - LIST_LIMIT} more` : "") +
      `\n  Edit the files to resolve ${problems.length === 1 ? "it" : "them"}, then run ` +
      `\`deno task update-lookups SAMPLE\` to check.`,
  );
}

/** The error for a lookup file that does not exist, naming the command that builds it. */
export function missingFileError(path: string): UserError {
  const name = path.split(/[\\/]/).at(-1) ?? path;
  const builder = BUILDER_OF[name];
  const how = builder
    ? `build it with \`deno task ${builder} SAMPLE.csv\`, or all three with ` +
      `\`deno task update-lookups SAMPLE.csv\``
    : `build the lookups with \`deno task update-lookups SAMPLE.csv\``;
  return new UserError(`lookup file ${path} is missing: ${how} (or pass --lookups-dir)`);
}

/**
 * Reads a lookup file: its text (UTF-8, one leading BOM dropped, as editors may add one) and the
 * sha256 of its bytes. `undefined` when it does not exist; other failures are {@linkcode UserError}s.
 */
export async function readLookupText(path: string): Promise<LookupText | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    if (error instanceof Deno.errors.IsADirectory) {
      throw new UserError(`cannot read lookup file ${path}: it is a directory`);
    }
    const detail = error instanceof Deno.errors.PermissionDenied
      ? "permission denied"
      : error instanceof Error
      ? error.message
      : String(error);
    throw new UserError(`cannot read lookup file ${path}: ${detail}`, { cause: error });
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new UserError(
      `lookup file ${path} is not valid UTF-8 text; save it as UTF-8 in your editor`,
    );
  }
  return { path, text: text.replace(/^\uFEFF/, ""), sha256: await sha256Hex(bytes) };
}

/** Hex sha256 of `bytes`. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Parses JSON text, or throws a {@linkcode UserError} with `file:line:column` of the mistake. */
function parseLookupJson(file: LookupText): unknown {
  const parsed = parseJson(file.text);
  if ("value" in parsed) return parsed.value;
  const { message, position } = parsed.problem;
  throw new UserError(
    `${at(file.path, position)}: JSON syntax error: ${message}. Fix the file by hand, or delete ` +
      `it and rebuild it with \`deno task ${BUILDER_OF[baseName(file.path)] ?? "update-lookups"} ` +
      `SAMPLE.csv\``,
  );
}

/**
 * Parses `common_categories.json` or `common_regions.json`: a JSON array of non-blank strings.
 * Throws a {@linkcode UserError} naming the file and the position of the first wrong entry.
 */
export function parseNameList(file: LookupText): string[] {
  const value = parseLookupJson(file);
  const expected = `expected a JSON array of names like ["Electronics", "Books"]`;
  if (!Array.isArray(value)) {
    throw new UserError(
      `${at(file.path, firstValuePosition(file.text))}: ${expected}, found ${describe(value)}`,
    );
  }
  // Positions are found only for an error: locating every entry of a valid file is wasted work.
  const index = value.findIndex((entry) => typeof entry !== "string" || entry.trim() === "");
  if (index >= 0) {
    const entry = value[index];
    throw new UserError(
      `${at(file.path, topLevelEntries(file.text)[index]?.position)}: ${expected}, but entry ${
        index + 1
      } is ${typeof entry === "string" ? "blank" : describe(entry)}`,
    );
  }
  return value as string[];
}

/**
 * Parses `region_map.json`: a JSON object of raw value → region name (or `UNKNOWN`). Throws a
 * {@linkcode UserError} for a value that is not a string and for a key written twice (which
 * `JSON.parse` would silently resolve to the last one). The result has no prototype.
 */
export function parseRegionMap(file: LookupText): Record<string, string> {
  return parseValueMap(
    file,
    `expected a JSON object of raw value → region, like {"n. america": "North America"}`,
    `write a region name or "UNKNOWN"`,
  );
}

/**
 * Parses `category_map.json`: a JSON object of raw category → canonical category, checked like
 * `region_map.json`. The result has no prototype.
 */
export function parseCategoryMap(file: LookupText): Record<string, string> {
  return parseValueMap(
    file,
    `expected a JSON object of raw value → category, like {"home and kitchen": "Home & Kitchen"}`,
    "write a category name",
  );
}

function parseValueMap(file: LookupText, expected: string, valueHint: string) {
  const value = parseLookupJson(file);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UserError(
      `${at(file.path, firstValuePosition(file.text))}: ${expected}, found ${describe(value)}`,
    );
  }
  const valueMap = value as Record<string, unknown>;
  const keys = Object.keys(valueMap);
  // Positions are found only for an error: locating every entry of a valid file is wasted work.
  if (countTopLevelEntries(file.text) !== keys.length) throw duplicateKeyError(file);
  for (const key of keys) {
    const target = valueMap[key];
    if (typeof target !== "string") {
      const entry = topLevelEntries(file.text).find((entry) => entry.key === key);
      throw new UserError(
        `${at(file.path, entry?.position)}: ${expected}, but the value of ` +
          `${shortQuote(key)} is ${describe(target)}; ${valueHint}`,
      );
    }
  }
  // `JSON.parse` made own data properties (even for a key "__proto__"): only the prototype goes.
  Object.setPrototypeOf(valueMap, null);
  return valueMap as Record<string, string>;
}

/** The error for the first key of `file` that is written twice. */
function duplicateKeyError(file: LookupText): UserError {
  const firstPosition = new Map<string, TextPosition>();
  for (const entry of topLevelEntries(file.text)) {
    const key = entry.key!;
    const earlier = firstPosition.get(key);
    if (earlier !== undefined) {
      return new UserError(
        `${at(file.path, entry.position)}: the key ${shortQuote(key)} is written twice ` +
          `(first on line ${earlier.line}); keep one of them`,
      );
    }
    firstPosition.set(key, entry.position);
  }
  throw new Error(`${file.path}: entries and keys disagree, yet no key is written twice`);
}

function at(path: string, position: TextPosition | undefined): string {
  return formatLocation(path, position?.line, position?.column);
}

function firstValuePosition(text: string): TextPosition {
  const offset = text.search(/\S/);
  return positionAt(text, offset < 0 ? text.length : offset);
}

function baseName(path: string): string {
  return path.split(/[\\/]/).at(-1) ?? path;
}

/** A short description of a JSON value for error messages: `a number (12)`, `an object`. */
function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  switch (typeof value) {
    case "string":
      return `a string (${shortQuote(value)})`;
    case "number":
    case "boolean":
      return `a ${typeof value} (${value})`;
    default:
      return "an object";
  }
}
