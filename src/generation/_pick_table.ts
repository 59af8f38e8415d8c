/**
 * Weighted picks without a search: a table in which each index stands in proportion to its weight,
 * so indexing it with a uniform random integer draws an index (products, regions, sale days).
 */

/** A table of `size` entries, each index of `weights` appearing in proportion to its weight. */
export function buildPickTable(weights: readonly number[], size: number): Uint16Array {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const table = new Uint16Array(size);
  let index = 0;
  let cumulative = weights[0] / total;
  for (let slot = 0; slot < size; slot++) {
    const position = (slot + 0.5) / size;
    while (position > cumulative && index < weights.length - 1) {
      index++;
      cumulative += weights[index] / total;
    }
    table[slot] = index;
  }
  return table;
}
