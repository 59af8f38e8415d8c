/**
 * Money as whole cents (docs/cleaning.md): each row's amount is rounded to cents once, sums are exact
 * integers, and only the written value is divided back into a DOUBLE amount.
 */

/** A row's amount in whole cents: `round(amount × 100)`. */
export function centsOf(amount: number): number {
  return Math.round(amount * 100);
}

/** The DOUBLE written for a sum of cents: the nearest double to `cents / 100`. */
export function amountFromCents(cents: number): number {
  return cents / 100;
}

/**
 * `numerator / denominator` rounded half up, for whole numbers with numerator ≥ 0 and
 * denominator > 0. Done on the remainder, so a tie is a tie (no binary fraction can blur it).
 */
export function divideRoundHalfUp(numerator: number, denominator: number): number {
  let quotient = Math.floor(numerator / denominator);
  let remainder = numerator - quotient * denominator;
  // The floating quotient can be one off when it rounds to a whole number; the remainder says.
  if (remainder < 0) {
    quotient -= 1;
    remainder += denominator;
  } else if (remainder >= denominator) {
    quotient += 1;
    remainder -= denominator;
  }
  return 2 * remainder >= denominator ? quotient + 1 : quotient;
}

/** The mean in cents, rounded half up, as a DOUBLE amount: `round-half-up(cents / count) / 100`. */
export function meanAmountFromCents(cents: number, count: number): number {
  return amountFromCents(divideRoundHalfUp(cents, count));
}
