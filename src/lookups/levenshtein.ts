/**
 * Levenshtein edit distance over Unicode code points (docs/cleaning.md): insertions, deletions and
 * substitutions each cost 1, and an astral character such as an emoji counts as one character.
 *
 * The cleaner calls this for every distinct raw category against every canonical one, so it is
 * written to be cheap: common prefix and suffix are skipped, the two rows live in reused typed
 * arrays, and with `maxDistance` only a diagonal band is computed and the scan stops as soon as the
 * answer must exceed the bound.
 */

let previousRow = new Int32Array(64);
let currentRow = new Int32Array(64);

/** The code points of `text` (a string of plain BMP characters is returned as char codes). */
function codePoints(text: string): number[] {
  const points: number[] = [];
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
      const low = text.charCodeAt(index + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        points.push((code - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000);
        index++;
        continue;
      }
    }
    points.push(code);
  }
  return points;
}

/**
 * The edit distance between `a` and `b`. With `maxDistance` (≥ 0), any distance above it is
 * reported as `maxDistance + 1`, which lets the computation stop early.
 */
export function levenshtein(a: string, b: string, maxDistance = Infinity): number {
  if (a === b) return 0;
  const limit = Math.max(0, maxDistance);
  let left = codePoints(a);
  let right = codePoints(b);
  if (left.length > right.length) [left, right] = [right, left];

  // Shared prefix and suffix never change the distance.
  let start = 0;
  while (start < left.length && left[start] === right[start]) start++;
  let leftEnd = left.length;
  let rightEnd = right.length;
  while (leftEnd > start && left[leftEnd - 1] === right[rightEnd - 1]) {
    leftEnd--;
    rightEnd--;
  }
  const leftLength = leftEnd - start;
  const rightLength = rightEnd - start;
  if (rightLength - leftLength > limit) return limit + 1;
  if (leftLength === 0) return rightLength;

  if (previousRow.length <= rightLength) {
    previousRow = new Int32Array(rightLength * 2 + 1);
    currentRow = new Int32Array(rightLength * 2 + 1);
  }
  let previous = previousRow;
  let current = currentRow;
  // Cells farther than `limit` from the diagonal cost more than `limit`: keep them at a value
  // that already exceeds it, and compute only the band between.
  const outside = Number.isFinite(limit) ? limit + 1 : rightLength + leftLength + 1;
  for (let column = 0; column <= rightLength; column++) {
    previous[column] = column <= limit ? column : outside;
  }
  for (let row = 1; row <= leftLength; row++) {
    const leftPoint = left[start + row - 1];
    const bandStart = Math.max(1, row - limit);
    const bandEnd = Math.min(rightLength, row + limit);
    current[0] = row <= limit ? row : outside;
    if (bandStart > 1) current[bandStart - 1] = outside;
    let rowMinimum = current[0];
    for (let column = bandStart; column <= bandEnd; column++) {
      const substitution = previous[column - 1] + (leftPoint === right[start + column - 1] ? 0 : 1);
      const deletion = previous[column] + 1;
      const insertion = current[column - 1] + 1;
      let cell = substitution < deletion ? substitution : deletion;
      if (insertion < cell) cell = insertion;
      if (cell > outside) cell = outside;
      current[column] = cell;
      if (cell < rowMinimum) rowMinimum = cell;
    }
    if (bandEnd < rightLength) current[bandEnd + 1] = outside;
    if (rowMinimum > limit) return limit + 1;
    [previous, current] = [current, previous];
  }
  const distance = previous[rightLength];
  return distance > limit ? limit + 1 : distance;
}
