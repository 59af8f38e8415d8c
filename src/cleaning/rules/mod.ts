/**
 * The cleaning rules of docs/cleaning.md, one pure function (or matcher) per rule. The engine
 * (`clean_data.ts`) applies them in the order of {@linkcode REJECTION_REASONS}; `docs/cleaning.md`
 * describes them for people downstream.
 *
 * @module
 */
export * from "./reasons.ts";
export * from "./blank.ts";
export * from "./quantity.ts";
export * from "./unit_price.ts";
export * from "./discount.ts";
export * from "./region.ts";
export * from "./sale_date.ts";
export * from "./revenue.ts";
export * from "./email.ts";
