/**
 * Everything a row is built from, pre-encoded as bytes and indexed by small integers: the
 * catalogue, regions, dates of the window, name parts, and every dirty spelling. Built once per
 * worker from (as-of) alone, so every worker holds identical tables.
 */
import { type TokenArena, TokenArenaBuilder, type TokenRange } from "./_token_arena.ts";
import { csvField } from "../io/csv_write.ts";
import { buildPickTable } from "./_pick_table.ts";
import {
  CATEGORIES,
  CATEGORY_DISCOUNT_RANGES,
  CATEGORY_PRICE_RANGES,
  JUNK_CATEGORIES,
  PRODUCTS,
} from "./catalogue.ts";
import { SALE_DATE_WINDOW_DAYS } from "./dirty_rates.ts";
import { EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES } from "./people.ts";
import { REGION_VARIANTS, REGION_WEIGHTS, REGIONS, UNKNOWN_REGIONS } from "./regions.ts";
import {
  buildDayOffsetTable,
  epochDayToParts,
  formatSaleDate,
  isoToEpochDay,
} from "./sale_dates.ts";
import { categoryTypos, productNameTypos } from "./typos.ts";
import { SALES_CSV_COLUMNS } from "../io/sales_columns.ts";

/** The columns, in file order (docs/generation.md). */
export const CSV_COLUMNS = SALES_CSV_COLUMNS;

/** The header line, with its line end. */
export const CSV_HEADER = `${CSV_COLUMNS.join(",")}\n`;

/** Room for the longest order ID the row loop writes itself: a UUID and its comma. */
const ORDER_ID_SCRATCH_BYTES = 40;

/** Entries in the weighted pick tables; indexed by the top 12 bits of a random word. */
export const PICK_TABLE_BITS = 12;

/** Quantity texts that are not integers, and the non-negative integer revenue treats each as. */
export const NON_NUMERIC_QUANTITIES: readonly { text: string; normalised: number }[] = [
  { text: "two", normalised: 0 },
  { text: "many", normalised: 0 },
  { text: "N/A", normalised: 0 },
  { text: "3.5", normalised: 3 },
  { text: "", normalised: 0 },
];

/** Unit price texts that are not numbers; revenue treats them as 0. */
export const NON_NUMERIC_PRICES = ["abc", "N/A", "$19.99", ""] as const;

/** Sale date texts that are no date at all. */
export const JUNK_DATES = [
  "not a date",
  "2023-13-45",
  "0000-00-00",
  "TBD",
  "32/13/2024",
  "2024-02-30",
] as const;

/** Discount tokens are indexed by hundredths from this value up to {@linkcode DISCOUNT_MAX_HUNDREDTHS}. */
export const DISCOUNT_MIN_HUNDREDTHS = -100;
const DISCOUNT_MAX_HUNDREDTHS = 200;
/** Quantities below this have tokens of their own; oversized ones are written as they come. */
export const QUANTITY_TOKEN_LIMIT = 1_000;
/** Dollar amounts below this have tokens of their own. */
export const DOLLAR_TOKEN_LIMIT = 100_000;

/** Entries `first[g]` … `first[g] + count[g] − 1` of `tokens` form group `g`. */
export interface TokenGroups {
  tokens: TokenRange;
  first: Int32Array;
  count: Int32Array;
}

/**
 * The token tables rows are assembled from. Tokens of a field that a comma follows carry the comma
 * (`Books,`), so a blank field is the lone `,` token; revenue carries the line end.
 */
export interface RowTables {
  arena: TokenArena;
  header: Uint8Array;
  /** An upper bound on the bytes of one row, line end included. */
  maxRowBytes: number;
  /** Tokens the row loop fills itself with numbers beyond the tables: order ID, quantity, revenue. */
  scratchTokens: [number, number, number];

  comma: number;
  minus: number;
  /** `ORD-0` … `ORD-9`: the prefix and the first of 9 digits. */
  orderIdPrefixes: TokenRange;
  /** `0000` … `9999`, and the same with a comma. */
  digitGroups: TokenRange;
  digitGroupsComma: TokenRange;

  productPick: Uint16Array;
  productCategory: Int32Array;
  productMaxQuantity: Int32Array;
  productBaseCents: Float64Array;
  /** Product `p`'s names are `productNames` entries productFirstName[p] … + productNameCount[p]. */
  productFirstName: Int32Array;
  productNameCount: Int32Array;
  productNames: TokenRange;
  /** Grouped by product name (entry of `productNames`). */
  productNameTypos: TokenGroups;

  categoryNames: TokenRange;
  categoryTypos: TokenGroups;
  junkCategories: TokenRange;
  categoryMinCents: Float64Array;
  categoryMaxCents: Float64Array;
  categoryDiscountOdds: Float64Array;
  categoryDiscountMin: Int32Array;
  categoryDiscountSpan: Int32Array;

  /** `0,` … `999,` */
  quantities: TokenRange;
  /** `-1,` … `-10,` */
  negativeQuantities: TokenRange;
  nonNumericQuantities: TokenRange;
  nonNumericQuantityValues: Int32Array;
  /** `0` … `99999`: the dollars of a price or revenue. */
  dollars: TokenRange;
  /** `.00,` … `.99,` and `.00\n` … `.99\n`: the cents of a price and of revenue. */
  centsComma: TokenRange;
  centsNewline: TokenRange;
  nonNumericPrices: TokenRange;
  /** Entry `h − DISCOUNT_MIN_HUNDREDTHS` is h/100 with two decimals, like `0.15,`. */
  discounts: TokenRange;

  regionPick: Uint16Array;
  regionNames: TokenRange;
  regionVariants: TokenGroups;
  unknownRegions: TokenRange;

  dayOffsets: Uint16Array;
  /** Indexed by day offset (0 = as-of). `otherFormatDates` groups: us, european, slashed. */
  isoDates: TokenRange;
  otherFormatDates: TokenGroups;
  junkDates: TokenRange;
  outOfRangeDates: TokenRange;

  /** Lower-case, Capitalised and UPPER spellings, each table in the same order. */
  firstNames: [TokenRange, TokenRange, TokenRange];
  lastNames: [TokenRange, TokenRange, TokenRange];
  /** `.` and a space, between first and last name. */
  nameSeparators: TokenRange;
  /** `00` … `99` */
  emailNumbers: TokenRange;
  /** `@` and `@@` */
  atSigns: TokenRange;
  /** With a comma: lower-case, UPPER, and without the top-level part (`gmail,`). */
  domains: [TokenRange, TokenRange, TokenRange];
}

function capitalise(word: string): string {
  return word[0].toUpperCase() + word.slice(1).toLowerCase();
}

function discountText(hundredths: number): string {
  const sign = hundredths < 0 ? "-" : "";
  const magnitude = Math.abs(hundredths);
  return `${sign}${Math.floor(magnitude / 100)}.${String(magnitude % 100).padStart(2, "0")}`;
}

/** Old (before 2000 and before as-of minus 20 years) and future (over a year ahead) ISO dates. */
function outOfRangeDateTexts(asOfEpochDay: number): string[] {
  const asOfYear = epochDayToParts(asOfEpochDay).year;
  const latestOldYear = Math.min(1999, asOfYear - 21);
  const oldest = isoToEpochDay(`${String(Math.max(1, latestOldYear - 49)).padStart(4, "0")}-01-01`);
  const newestOld = isoToEpochDay(`${String(latestOldYear).padStart(4, "0")}-12-31`);
  const texts: string[] = [];
  for (let index = 0; index < 256; index++) {
    // Spread evenly rather than randomly: the tables must not depend on any random stream.
    const old = oldest + Math.floor(((newestOld - oldest) * (index + 0.5)) / 256);
    const future = asOfEpochDay + 367 + Math.floor((730 * (index + 0.5)) / 256);
    texts.push(formatSaleDate(old, "iso"), formatSaleDate(future, "iso"));
  }
  return texts;
}

function withComma(values: readonly string[]): string[] {
  return values.map((value) => `${value},`);
}

function range<T>(count: number, entry: (index: number) => T): T[] {
  return Array.from({ length: count }, (_, index) => entry(index));
}

function addGroups(
  builder: TokenArenaBuilder,
  groups: readonly (readonly string[])[],
): TokenGroups {
  const tokens = builder.add(groups.flat());
  const first = new Int32Array(groups.length);
  const count = new Int32Array(groups.length);
  let next = tokens.first;
  groups.forEach((group, index) => {
    if (group.length === 0) throw new Error(`token group ${index} is empty`);
    first[index] = next;
    count[index] = group.length;
    next += group.length;
  });
  return { tokens, first, count };
}

/** Builds every table for generating rows as of the day `asOf` (`YYYY-MM-DD`). */
export function buildRowTables(asOf: string): RowTables {
  const asOfEpochDay = isoToEpochDay(asOf);
  const builder = new TokenArenaBuilder();
  const productNameList = PRODUCTS.flatMap((entry) => entry.names);
  const productFirstName = new Int32Array(PRODUCTS.length);
  const productNameCount = new Int32Array(PRODUCTS.length);
  let nextName = 0;
  PRODUCTS.forEach((entry, index) => {
    productFirstName[index] = nextName;
    productNameCount[index] = entry.names.length;
    nextName += entry.names.length;
  });
  const categoryIndex = (name: string) => CATEGORIES.indexOf(name as typeof CATEGORIES[number]);
  const windowDays = range(SALE_DATE_WINDOW_DAYS, (offset) => asOfEpochDay - offset);
  const cents = range(100, (value) => String(value).padStart(2, "0"));
  const emailCases = [
    (name: string) => name.toLowerCase(),
    capitalise,
    (name: string) => name.toUpperCase(),
  ];

  const tables: Omit<RowTables, "arena" | "maxRowBytes"> = {
    header: new TextEncoder().encode(CSV_HEADER),
    scratchTokens: [
      builder.addScratch(ORDER_ID_SCRATCH_BYTES),
      builder.addScratch(32),
      builder.addScratch(32),
    ],
    comma: builder.add([","]).first,
    minus: builder.add(["-"]).first,
    orderIdPrefixes: builder.add(range(10, (digit) => `ORD-${digit}`)),
    digitGroups: builder.addNumbers(10_000, 4),
    digitGroupsComma: builder.addNumbers(10_000, 4, ","),

    productPick: buildPickTable(PRODUCTS.map((entry) => entry.weight), 2 ** PICK_TABLE_BITS),
    productCategory: Int32Array.from(PRODUCTS, (entry) => categoryIndex(entry.category)),
    productMaxQuantity: Int32Array.from(PRODUCTS, (entry) => entry.maxQuantity),
    productBaseCents: Float64Array.from(PRODUCTS, (entry) => Math.round(entry.basePrice * 100)),
    productFirstName,
    productNameCount,
    productNames: builder.add(withComma(productNameList.map(csvField))),
    productNameTypos: addGroups(
      builder,
      productNameList.map((name) => withComma(productNameTypos(name).map(csvField))),
    ),

    categoryNames: builder.add(withComma(CATEGORIES)),
    categoryTypos: addGroups(builder, CATEGORIES.map((name) => withComma(categoryTypos(name)))),
    junkCategories: builder.add(withComma(JUNK_CATEGORIES)),
    categoryMinCents: Float64Array.from(
      CATEGORIES,
      (name) => Math.round(CATEGORY_PRICE_RANGES[name].min * 100),
    ),
    categoryMaxCents: Float64Array.from(
      CATEGORIES,
      (name) => Math.round(CATEGORY_PRICE_RANGES[name].max * 100),
    ),
    categoryDiscountOdds: Float64Array.from(
      CATEGORIES,
      (name) => CATEGORY_DISCOUNT_RANGES[name].odds,
    ),
    categoryDiscountMin: Int32Array.from(
      CATEGORIES,
      (name) => Math.round(CATEGORY_DISCOUNT_RANGES[name].min * 100),
    ),
    categoryDiscountSpan: Int32Array.from(CATEGORIES, (name) => {
      const { min, max } = CATEGORY_DISCOUNT_RANGES[name];
      return Math.round(max * 100) - Math.round(min * 100) + 1;
    }),

    quantities: builder.addNumbers(QUANTITY_TOKEN_LIMIT, 1, ","),
    negativeQuantities: builder.add(range(10, (index) => `-${index + 1},`)),
    nonNumericQuantities: builder.add(withComma(NON_NUMERIC_QUANTITIES.map((entry) => entry.text))),
    nonNumericQuantityValues: Int32Array.from(NON_NUMERIC_QUANTITIES, (entry) => entry.normalised),
    dollars: builder.addNumbers(DOLLAR_TOKEN_LIMIT),
    centsComma: builder.add(cents.map((value) => `.${value},`)),
    centsNewline: builder.add(cents.map((value) => `.${value}\n`)),
    nonNumericPrices: builder.add(withComma(NON_NUMERIC_PRICES)),
    discounts: builder.add(
      range(
        DISCOUNT_MAX_HUNDREDTHS - DISCOUNT_MIN_HUNDREDTHS + 1,
        (index) => `${discountText(index + DISCOUNT_MIN_HUNDREDTHS)},`,
      ),
    ),

    regionPick: buildPickTable(REGIONS.map((name) => REGION_WEIGHTS[name]), 2 ** PICK_TABLE_BITS),
    regionNames: builder.add(withComma(REGIONS)),
    regionVariants: addGroups(builder, REGIONS.map((name) => withComma(REGION_VARIANTS[name]))),
    unknownRegions: builder.add(withComma(UNKNOWN_REGIONS)),

    dayOffsets: buildDayOffsetTable(asOfEpochDay),
    isoDates: builder.add(windowDays.map((day) => `${formatSaleDate(day, "iso")},`)),
    otherFormatDates: addGroups(
      builder,
      (["us", "european", "slashed"] as const).map((format) =>
        windowDays.map((day) => `${formatSaleDate(day, format)},`)
      ),
    ),
    junkDates: builder.add(withComma(JUNK_DATES)),
    outOfRangeDates: builder.add(withComma(outOfRangeDateTexts(asOfEpochDay))),

    firstNames: emailCases.map((spell) => builder.add(FIRST_NAMES.map(spell))) as [
      TokenRange,
      TokenRange,
      TokenRange,
    ],
    lastNames: emailCases.map((spell) => builder.add(LAST_NAMES.map(spell))) as [
      TokenRange,
      TokenRange,
      TokenRange,
    ],
    nameSeparators: builder.add([".", " "]),
    emailNumbers: builder.addNumbers(100, 2),
    atSigns: builder.add(["@", "@@"]),
    domains: [
      builder.add(withComma(EMAIL_DOMAINS)),
      builder.add(withComma(EMAIL_DOMAINS.map((domain) => domain.toUpperCase()))),
      builder.add(withComma(EMAIL_DOMAINS.map((domain) => domain.slice(0, domain.indexOf("."))))),
    ],
  };

  const longest = (...ranges: TokenRange[]) => Math.max(...ranges.map((entry) => entry.maxLength));
  const scratchCapacity = 32;
  const maxRowBytes = ORDER_ID_SCRATCH_BYTES + // order_id
    longest(tables.productNames, tables.productNameTypos.tokens) +
    longest(tables.categoryNames, tables.categoryTypos.tokens, tables.junkCategories) +
    Math.max(
      8,
      longest(tables.quantities, tables.negativeQuantities, tables.nonNumericQuantities),
    ) + // up to `100000,`
    Math.max(
      1 + tables.dollars.maxLength + tables.centsComma.maxLength,
      tables.nonNumericPrices.maxLength,
    ) +
    tables.discounts.maxLength +
    longest(tables.regionNames, tables.regionVariants.tokens, tables.unknownRegions) +
    longest(
      tables.isoDates,
      tables.otherFormatDates.tokens,
      tables.junkDates,
      tables.outOfRangeDates,
    ) +
    longest(...tables.firstNames) + 1 + longest(...tables.lastNames) + 2 + 2 +
    longest(...tables.domains) +
    1 + scratchCapacity + // revenue: a sign and a number of any size
    4; // the row loop copies 4-byte words and may spill 3 bytes past the row
  return { ...tables, arena: builder.build(), maxRowBytes };
}
