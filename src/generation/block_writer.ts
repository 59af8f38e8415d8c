/**
 * The hot loop: one block of rows written as CSV bytes into a preallocated buffer.
 *
 * A block's bytes depend only on (seed, mode, as-of, block index): rows come from two seeded
 * streams of their own block, one for the clean values and one for the damage, so
 * - any number of workers can write blocks in any order and the joined file is the same, and
 * - row `i` of a dirty file is row `i` of the clean file with the same seed, plus damage: the clean
 *   stream draws the same numbers in both modes.
 * Order IDs come from `order_ids.ts`, decided per row number rather than per stream.
 */
import type { TokenArena } from "./_token_arena.ts";
import { DIRTY_RATES } from "./dirty_rates.ts";
import { type OrderIdShape, orderIdsOf, uuidIdKey, writeUuidOrderId } from "./order_ids.ts";
import { Sfc32 } from "./prng.ts";
import {
  DISCOUNT_MIN_HUNDREDTHS,
  DOLLAR_TOKEN_LIMIT,
  PICK_TABLE_BITS,
  type RowTables,
} from "./row_tables.ts";

/** Rows per block: fixed, so the file does not depend on how blocks are shared among workers. */
export const BLOCK_ROWS = 32_768;

export interface BlockSpec {
  seed: number;
  dirty: boolean;
  /** Block number; the block holds rows `block × BLOCK_ROWS` onwards. */
  block: number;
  /** Rows in this block: BLOCK_ROWS except for the last block. */
  rowCount: number;
  /** `ord` (`ORD-` + 9 digits, the default) or `uuid` (one UUID per number, see order_ids.ts). */
  idShape?: OrderIdShape;
}

/** A share of all rows as a threshold on a uniform 32-bit word. */
function threshold(share: number): number {
  return Math.round(share * 0x1_0000_0000);
}

/** Cumulative thresholds: outcome k when `bounds[k − 1] ≤ draw < bounds[k]`; no damage above all. */
function cumulative(...shares: number[]): number[] {
  let total = 0;
  return shares.map((share) => threshold(total += share));
}

const rates = DIRTY_RATES;
const [PRODUCT_BLANK, PRODUCT_TYPO] = cumulative(rates.productName.blank, rates.productName.typo);
const [CATEGORY_JUNK, CATEGORY_MISLABEL, CATEGORY_TYPO] = cumulative(
  rates.category.junk,
  rates.category.mislabelled,
  rates.category.typo,
);
const [QUANTITY_ZERO, QUANTITY_NEGATIVE, QUANTITY_OVERSIZED, QUANTITY_TEXT] = cumulative(
  rates.quantity.zero,
  rates.quantity.negative,
  rates.quantity.oversized,
  rates.quantity.nonNumeric,
);
const [PRICE_INVALID] = cumulative(rates.unitPrice.invalid);
const [DISCOUNT_EXTREME, DISCOUNT_BAD] = cumulative(rates.discount.extreme, rates.discount.bad);
const [REGION_UNKNOWN, REGION_VARIANT] = cumulative(rates.region.unknown, rates.region.variant);
const [DATE_BLANK, DATE_OTHER_FORMAT, DATE_JUNK, DATE_OUT_OF_RANGE] = cumulative(
  rates.saleDate.blank,
  rates.saleDate.otherFormat,
  rates.saleDate.junk,
  rates.saleDate.outOfRange,
);
const [EMAIL_BLANK, EMAIL_MALFORMED] = cumulative(
  rates.customerEmail.blank,
  rates.customerEmail.malformed,
);
const EMAIL_CAPITALS = threshold(rates.customerEmail.capitals);
/** Share of emails with a two-digit number after the name. */
const EMAIL_NUMBER = threshold(0.4);
const PICK_SHIFT = 32 - PICK_TABLE_BITS;
/** The damage draw of clean mode: above every threshold. */
const NO_DAMAGE = 0xffffffff;

/** Random words drawn per row from the values stream, and what each decides. */
const VALUE_WORDS = 12;
const [
  V_PRODUCT,
  V_PRODUCT_NAME,
  V_QUANTITY,
  V_PRICE,
  V_DISCOUNT_ODDS,
  V_DISCOUNT,
  V_REGION,
  V_DAY,
  V_FIRST_NAME,
  V_LAST_NAME,
  V_EMAIL_NUMBER,
  V_DOMAIN,
] = Array.from({ length: VALUE_WORDS }, (_, index) => index);

/**
 * Random words drawn per row from the damage stream (dirty mode only). A fixed number per row keeps
 * row `i`'s damage independent of what happened to earlier rows. Picks that need few bits share a
 * word: one from its high 16 bits, one from its low 16.
 */
const DAMAGE_WORDS = 16;
const [
  D_PRODUCT,
  D_CATEGORY,
  D_QUANTITY,
  D_PRICE,
  D_DISCOUNT,
  D_REGION,
  D_DATE,
  D_EMAIL,
  D_CAPITALS,
  D_PRODUCT_AND_CATEGORY_PICK,
  D_QUANTITY_VALUE,
  D_PRICE_PICK,
  D_PRICE_VALUE,
  D_DISCOUNT_VALUE,
  D_REGION_AND_DATE_PICK,
  D_EMAIL_PICK,
] = Array.from({ length: DAMAGE_WORDS }, (_, index) => index);

const TO_UNIT = 1 / 0x1_0000_0000;
const EMAIL_NO_AT = 0;
const EMAIL_DOUBLE_AT = 1;
const EMAIL_SPACE = 2;
const EMAIL_NO_TLD = 3;
/** Tokens in the longest row: order ID 3, email 6, revenue 3, the other 7 fields 1 each. */
const MAX_TOKENS_PER_ROW = 24;

/**
 * Per-block working arrays, reused from block to block: allocating 4 MB per block would leave
 * the collector behind and memory climbing.
 */
const blockScratch = {
  values: new Uint32Array(BLOCK_ROWS * VALUE_WORDS),
  damage: new Uint32Array(BLOCK_ROWS * DAMAGE_WORDS),
  orderIds: new Float64Array(BLOCK_ROWS),
};

/** Writes `text` (ASCII) into a scratch token: the rare path for numbers beyond the tables. */
function fillScratch(arena: TokenArena, token: number, text: string): number {
  let position = arena.starts[token];
  for (let index = 0; index < text.length; index++) {
    arena.bytes[position++] = text.charCodeAt(index);
  }
  arena.ends[token] = position;
  return token;
}

/**
 * Writes the rows of `spec` into `out` (at least `rowCount × tables.maxRowBytes` long) and returns
 * the number of bytes written.
 *
 * Each row is first decided as a list of tokens (numbers into `tables.arena`), then copied in one
 * loop. Random numbers come from arrays filled once per block rather than a call per number.
 */
export function writeBlock(tables: RowTables, spec: BlockSpec, out: Uint8Array): number {
  if (spec.rowCount > BLOCK_ROWS) throw new RangeError(`a block holds at most ${BLOCK_ROWS} rows`);
  if (out.length < spec.rowCount * tables.maxRowBytes) {
    throw new RangeError(`block buffer too small: ${out.length} bytes for ${spec.rowCount} rows`);
  }
  const dirty = spec.dirty;
  const valueWords = blockScratch.values.subarray(0, spec.rowCount * VALUE_WORDS);
  Sfc32.forBlock(spec.seed, spec.block, 0).fill(valueWords);
  const damageWords = blockScratch.damage.subarray(0, dirty ? spec.rowCount * DAMAGE_WORDS : 0);
  Sfc32.forBlock(spec.seed, spec.block, 1).fill(damageWords);
  const orderIds = orderIdsOf(
    spec.seed,
    dirty,
    spec.block * BLOCK_ROWS,
    blockScratch.orderIds.subarray(0, spec.rowCount),
  );

  const { arena } = tables;
  const arenaBytes = arena.bytes, starts = arena.starts, ends = arena.ends;
  const [orderIdScratch, quantityScratch, revenueScratch] = tables.scratchTokens;
  const uuidKey = spec.idShape === "uuid" ? uuidIdKey(spec.seed) : undefined;
  const {
    comma,
    minus,
    productPick,
    productCategory,
    productMaxQuantity,
    productBaseCents,
    productFirstName,
    productNameCount,
    categoryMinCents,
    categoryMaxCents,
    categoryDiscountOdds,
    categoryDiscountMin,
    categoryDiscountSpan,
    nonNumericQuantityValues,
    regionPick,
    dayOffsets,
  } = tables;
  const orderIdPrefix = tables.orderIdPrefixes.first;
  const digitGroup = tables.digitGroups.first;
  const digitGroupComma = tables.digitGroupsComma.first;
  const productName0 = tables.productNames.first;
  const category0 = tables.categoryNames.first;
  const categoryCount = tables.categoryNames.count;
  const junkCategory0 = tables.junkCategories.first;
  const junkCategoryCount = tables.junkCategories.count;
  const quantity0 = tables.quantities.first;
  const negativeQuantity0 = tables.negativeQuantities.first;
  const nonNumericQuantity0 = tables.nonNumericQuantities.first;
  const nonNumericQuantityCount = tables.nonNumericQuantities.count;
  const dollars0 = tables.dollars.first;
  const centsComma0 = tables.centsComma.first;
  const centsNewline0 = tables.centsNewline.first;
  const nonNumericPrice0 = tables.nonNumericPrices.first;
  const nonNumericPriceCount = tables.nonNumericPrices.count;
  const discount0 = tables.discounts.first - DISCOUNT_MIN_HUNDREDTHS;
  const region0 = tables.regionNames.first;
  const unknownRegion0 = tables.unknownRegions.first;
  const unknownRegionCount = tables.unknownRegions.count;
  const isoDate0 = tables.isoDates.first;
  const junkDate0 = tables.junkDates.first;
  const junkDateCount = tables.junkDates.count;
  const outOfRangeDate0 = tables.outOfRangeDates.first;
  const outOfRangeDateCount = tables.outOfRangeDates.count;
  const productTypoFirst = tables.productNameTypos.first;
  const productTypoCount = tables.productNameTypos.count;
  const categoryTypoFirst = tables.categoryTypos.first;
  const categoryTypoCount = tables.categoryTypos.count;
  const regionVariantFirst = tables.regionVariants.first;
  const regionVariantCount = tables.regionVariants.count;
  const otherDateFirst = tables.otherFormatDates.first;
  const otherDateFormats = otherDateFirst.length;
  const firstNameCount = tables.firstNames[0].count;
  const lastNameCount = tables.lastNames[0].count;
  const domainCount = tables.domains[0].count;
  const firstNameByCase = Int32Array.from(tables.firstNames, (entry) => entry.first);
  const lastNameByCase = Int32Array.from(tables.lastNames, (entry) => entry.first);
  const domainByKind = Int32Array.from(tables.domains, (entry) => entry.first);
  const nameSeparator0 = tables.nameSeparators.first;
  const emailNumber0 = tables.emailNumbers.first;
  const atSign0 = tables.atSigns.first;

  const tokens = new Int32Array(MAX_TOKENS_PER_ROW);
  const outView = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const arenaView = new DataView(arenaBytes.buffer, arenaBytes.byteOffset, arenaBytes.byteLength);
  let position = 0;
  for (let rowInBlock = 0; rowInBlock < spec.rowCount; rowInBlock++) {
    const v = rowInBlock * VALUE_WORDS;
    const d = rowInBlock * DAMAGE_WORDS;
    let count = 0;

    // The clean values, from the values stream alone: identical in both modes.
    const product = productPick[valueWords[v + V_PRODUCT] >>> PICK_SHIFT];
    const productName = productFirstName[product] +
      Math.floor(valueWords[v + V_PRODUCT_NAME] * TO_UNIT * productNameCount[product]);
    const category = productCategory[product];
    const quantityDraw = valueWords[v + V_QUANTITY] * TO_UNIT;
    let quantity = 1 + Math.floor(quantityDraw * quantityDraw * productMaxQuantity[product]);
    const priceDraw = valueWords[v + V_PRICE] * TO_UNIT;
    let priceCents = Math.round(productBaseCents[product] * (0.85 + 0.3 * priceDraw * priceDraw));
    priceCents = Math.min(
      categoryMaxCents[category],
      Math.max(categoryMinCents[category], priceCents),
    );
    let discountHundredths =
      valueWords[v + V_DISCOUNT_ODDS] * TO_UNIT < categoryDiscountOdds[category]
        ? categoryDiscountMin[category] +
          Math.floor(valueWords[v + V_DISCOUNT] * TO_UNIT * categoryDiscountSpan[category])
        : 0;
    const region = regionPick[valueWords[v + V_REGION] >>> PICK_SHIFT];
    const dayOffset = dayOffsets[valueWords[v + V_DAY] >>> 16];
    const firstName = Math.floor(valueWords[v + V_FIRST_NAME] * TO_UNIT * firstNameCount);
    const lastName = Math.floor(valueWords[v + V_LAST_NAME] * TO_UNIT * lastNameCount);
    const emailNumberDraw = valueWords[v + V_EMAIL_NUMBER];
    const domain = Math.floor(valueWords[v + V_DOMAIN] * TO_UNIT * domainCount);

    // order_id: `ORD-` and 9 digits as three tokens; 0 means blank
    const orderId = orderIds[rowInBlock];
    if (orderId === 0) {
      tokens[count++] = comma;
    } else if (uuidKey) {
      const end = writeUuidOrderId(uuidKey, orderId, arenaBytes, starts[orderIdScratch]);
      arenaBytes[end] = 0x2c;
      ends[orderIdScratch] = end + 1;
      tokens[count++] = orderIdScratch;
    } else if (orderId < 1e9) {
      const id = orderId | 0;
      const high = (id / 10_000) | 0;
      const top = (high / 10_000) | 0;
      tokens[count++] = orderIdPrefix + top;
      const low = id - high * 10_000;
      const middle = high - top * 10_000;
      tokens[count++] = digitGroup + middle;
      tokens[count++] = digitGroupComma + low;
    } else {
      tokens[count++] = fillScratch(arena, orderIdScratch, `ORD-${orderId},`);
    }

    // product_name
    const productAndCategoryPick = dirty ? damageWords[d + D_PRODUCT_AND_CATEGORY_PICK] : 0;
    const productDamage = dirty ? damageWords[d + D_PRODUCT] : NO_DAMAGE;
    if (productDamage < PRODUCT_BLANK) {
      tokens[count++] = comma;
    } else if (productDamage < PRODUCT_TYPO) {
      tokens[count++] = productTypoFirst[productName] +
        (((productAndCategoryPick >>> 16) * productTypoCount[productName]) >>> 16);
    } else {
      tokens[count++] = productName0 + productName;
    }

    // category
    const categoryDamage = dirty ? damageWords[d + D_CATEGORY] : NO_DAMAGE;
    const categoryPick = productAndCategoryPick & 0xffff;
    if (categoryDamage < CATEGORY_JUNK) {
      tokens[count++] = junkCategory0 + ((categoryPick * junkCategoryCount) >>> 16);
    } else if (categoryDamage < CATEGORY_MISLABEL) {
      tokens[count++] = category0 +
        (category + 1 + ((categoryPick * (categoryCount - 1)) >>> 16)) % categoryCount;
    } else if (categoryDamage < CATEGORY_TYPO) {
      tokens[count++] = categoryTypoFirst[category] +
        ((categoryPick * categoryTypoCount[category]) >>> 16);
    } else {
      tokens[count++] = category0 + category;
    }

    // quantity, then `quantity` becomes the non-negative integer revenue is computed from
    const quantityDamage = dirty ? damageWords[d + D_QUANTITY] : NO_DAMAGE;
    if (quantityDamage < QUANTITY_TEXT) {
      const draw = damageWords[d + D_QUANTITY_VALUE] * TO_UNIT;
      if (quantityDamage < QUANTITY_ZERO) {
        quantity = 0;
        tokens[count++] = quantity0;
      } else if (quantityDamage < QUANTITY_NEGATIVE) {
        quantity = 0;
        tokens[count++] = negativeQuantity0 + Math.floor(draw * 10);
      } else if (quantityDamage < QUANTITY_OVERSIZED) {
        quantity = 1_000 + Math.floor(draw * 99_001);
        tokens[count++] = fillScratch(arena, quantityScratch, `${quantity},`);
      } else {
        const text = Math.floor(draw * nonNumericQuantityCount);
        quantity = nonNumericQuantityValues[text];
        tokens[count++] = nonNumericQuantity0 + text;
      }
    } else {
      tokens[count++] = quantity0 + quantity;
    }

    // unit_price, then `priceCents` becomes what revenue is computed from (0 for a non-number)
    const priceDamage = dirty ? damageWords[d + D_PRICE] : NO_DAMAGE;
    let priceIsText = false;
    if (priceDamage < PRICE_INVALID) {
      const pick = damageWords[d + D_PRICE_PICK];
      const kind = ((pick >>> 16) * 3) >>> 16;
      if (kind === 0) {
        priceCents = -priceCents;
      } else if (kind === 1) {
        priceCents = 5_000_001 + Math.floor(damageWords[d + D_PRICE_VALUE] * TO_UNIT * 4_999_999);
      } else {
        priceIsText = true;
        priceCents = 0;
        tokens[count++] = nonNumericPrice0 + (((pick & 0xffff) * nonNumericPriceCount) >>> 16);
      }
    }
    if (!priceIsText) {
      if (priceCents < 0) tokens[count++] = minus;
      const magnitude = Math.abs(priceCents);
      const dollars = Math.floor(magnitude / 100);
      tokens[count++] = dollars0 + dollars;
      tokens[count++] = centsComma0 + magnitude - dollars * 100;
    }

    // discount_percent
    const discountDamage = dirty ? damageWords[d + D_DISCOUNT] : NO_DAMAGE;
    if (discountDamage < DISCOUNT_BAD) {
      const pick = damageWords[d + D_DISCOUNT_VALUE];
      if (discountDamage < DISCOUNT_EXTREME) {
        discountHundredths = 85 + (((pick >>> 16) * 15) >>> 16);
      } else if ((pick & 1) === 0) {
        discountHundredths = -(1 + (((pick >>> 16) * 50) >>> 16));
      } else {
        discountHundredths = 101 + (((pick >>> 16) * 50) >>> 16);
      }
    }
    tokens[count++] = discount0 + discountHundredths;

    // region
    const regionDamage = dirty ? damageWords[d + D_REGION] : NO_DAMAGE;
    const regionAndDatePick = dirty ? damageWords[d + D_REGION_AND_DATE_PICK] : 0;
    if (regionDamage < REGION_UNKNOWN) {
      tokens[count++] = unknownRegion0 + (((regionAndDatePick >>> 16) * unknownRegionCount) >>> 16);
    } else if (regionDamage < REGION_VARIANT) {
      tokens[count++] = regionVariantFirst[region] +
        (((regionAndDatePick >>> 16) * regionVariantCount[region]) >>> 16);
    } else {
      tokens[count++] = region0 + region;
    }

    // sale_date
    const dateDamage = dirty ? damageWords[d + D_DATE] : NO_DAMAGE;
    const datePick = regionAndDatePick & 0xffff;
    if (dateDamage < DATE_BLANK) {
      tokens[count++] = comma;
    } else if (dateDamage < DATE_OTHER_FORMAT) {
      tokens[count++] = otherDateFirst[(datePick * otherDateFormats) >>> 16] + dayOffset;
    } else if (dateDamage < DATE_JUNK) {
      tokens[count++] = junkDate0 + ((datePick * junkDateCount) >>> 16);
    } else if (dateDamage < DATE_OUT_OF_RANGE) {
      tokens[count++] = outOfRangeDate0 + ((datePick * outOfRangeDateCount) >>> 16);
    } else {
      tokens[count++] = isoDate0 + dayOffset;
    }

    // customer_email: first, separator, last, [NN], @ (none, one or two), domain
    const emailDamage = dirty ? damageWords[d + D_EMAIL] : NO_DAMAGE;
    if (emailDamage < EMAIL_BLANK) {
      tokens[count++] = comma;
    } else {
      const emailPick = dirty ? damageWords[d + D_EMAIL_PICK] : 0;
      const malformation = emailDamage < EMAIL_MALFORMED ? ((emailPick >>> 16) * 4) >>> 16 : -1;
      const letterCase = dirty && damageWords[d + D_CAPITALS] < EMAIL_CAPITALS
        ? 1 + (((emailPick & 0xffff) * 2) >>> 16)
        : 0;
      tokens[count++] = firstNameByCase[letterCase] + firstName;
      tokens[count++] = nameSeparator0 + (malformation === EMAIL_SPACE ? 1 : 0);
      tokens[count++] = lastNameByCase[letterCase] + lastName;
      if (emailNumberDraw < EMAIL_NUMBER) {
        tokens[count++] = emailNumber0 + (emailNumberDraw >>> 8) % 100;
      }
      if (malformation !== EMAIL_NO_AT) {
        tokens[count++] = atSign0 + (malformation === EMAIL_DOUBLE_AT ? 1 : 0);
      }
      tokens[count++] = domainByKind[malformation === EMAIL_NO_TLD ? 2 : letterCase === 2 ? 1 : 0] +
        domain;
    }

    // revenue: docs/cleaning.md's formula on the written values, evaluated the way the cleaner does
    const clampedDiscount = discountHundredths <= 0
      ? 0
      : discountHundredths >= 100
      ? 1
      : discountHundredths / 100;
    const revenueCents = Math.round(quantity * (priceCents / 100) * (1 - clampedDiscount) * 100);
    if (revenueCents < 0) tokens[count++] = minus;
    const revenueMagnitude = Math.abs(revenueCents);
    const revenueDollars = Math.floor(revenueMagnitude / 100);
    const revenueCentsPart = revenueMagnitude - revenueDollars * 100;
    if (revenueDollars < DOLLAR_TOKEN_LIMIT) {
      tokens[count++] = dollars0 + revenueDollars;
      tokens[count++] = centsNewline0 + revenueCentsPart;
    } else {
      const centsText = String(revenueCentsPart).padStart(2, "0");
      tokens[count++] = fillScratch(arena, revenueScratch, `${revenueDollars}.${centsText}\n`);
    }

    // Copy the row's tokens 4 bytes at a time: the last word of a token may spill up to 3 bytes
    // past it, which the next token (or the next row) overwrites; `out` has room for the spill.
    for (let index = 0; index < count; index++) {
      const token = tokens[index];
      const start = starts[token];
      const length = ends[token] - start;
      for (let offset = 0; offset < length; offset += 4) {
        outView.setUint32(position + offset, arenaView.getUint32(start + offset, true), true);
      }
      position += length;
    }
  }
  return position;
}
