/**
 * The canonical names nearest a rejected raw value, as a hint for the person reviewing it (the
 * review queue never decides by itself: ties and far values are left to a person).
 */
import { levenshtein } from "../../src/lookups/levenshtein.ts";

/** Farther than this, a canonical name is no useful hint. */
export const HINT_MAX_DISTANCE = 4;

/**
 * How far a hint may be for a key of this length: a third of its characters (at least 1, at most
 * {@linkcode HINT_MAX_DISTANCE}), so `n/a` is no near miss of `asia` while `nrth amrca` is one of
 * `north america`.
 */
export function hintDistanceFor(key: string): number {
  return Math.max(1, Math.min(HINT_MAX_DISTANCE, Math.floor([...key].length / 3)));
}

export interface ClosestNames {
  names: string[];
  distance: number;
}

export function closestNames(
  key: string,
  names: readonly string[],
  keyOf: (name: string) => string,
  maxDistance = hintDistanceFor(key),
): ClosestNames | undefined {
  let best: string[] = [];
  let bestDistance = maxDistance + 1;
  for (const name of names) {
    const distance = levenshtein(key, keyOf(name), bestDistance);
    if (distance < bestDistance) {
      best = [name];
      bestDistance = distance;
    } else if (distance === bestDistance) {
      best.push(name);
    }
  }
  return best.length > 0 && bestDistance <= maxDistance
    ? { names: best, distance: bestDistance }
    : undefined;
}
