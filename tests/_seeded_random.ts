/**
 * The one seeded PRNG of the tests (mulberry32): small and fast, so a fixture is the same on every
 * run and a failing random case is reproducible. Generated sales data uses the generator's own
 * streams (src/generation/prng.ts); this is for test fixtures and property tests.
 */

/** Numbers in [0, 1), the same sequence for the same seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}
