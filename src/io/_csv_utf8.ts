/**
 * Strict UTF-8 validation over a byte range, without decoding.
 *
 * The parser only calls this for records that hold a byte ≥ 0x80, so ASCII input never pays for
 * it. "Strict" means exactly what `new TextDecoder("utf-8", { fatal: true })` rejects (Unicode
 * Table 3-7): overlong forms, UTF-16 surrogates (U+D800–U+DFFF), code points above U+10FFFF, stray
 * continuation bytes and sequences cut short by the end of the range.
 */

/** True when `bytes[start, end)` is well-formed UTF-8. */
export function isValidUtf8(bytes: Uint8Array, start: number, end: number): boolean {
  let position = start;
  while (position < end) {
    const lead = bytes[position];
    if (lead < 0x80) {
      position++;
      continue;
    }
    // 0x80–0xC1: a continuation byte where a character should start, or an overlong 2-byte form.
    if (lead < 0xc2) return false;
    if (lead < 0xe0) {
      if (position + 1 >= end || (bytes[position + 1] & 0xc0) !== 0x80) return false;
      position += 2;
      continue;
    }
    if (lead < 0xf0) {
      if (position + 2 >= end) return false;
      const second = bytes[position + 1];
      // E0 would be overlong below A0; ED at A0 and above encodes surrogates.
      const secondLow = lead === 0xe0 ? 0xa0 : 0x80;
      const secondHigh = lead === 0xed ? 0x9f : 0xbf;
      if (second < secondLow || second > secondHigh) return false;
      if ((bytes[position + 2] & 0xc0) !== 0x80) return false;
      position += 3;
      continue;
    }
    if (lead < 0xf5) {
      if (position + 3 >= end) return false;
      const second = bytes[position + 1];
      // F0 would be overlong below 90; F4 at 90 and above is beyond U+10FFFF.
      const secondLow = lead === 0xf0 ? 0x90 : 0x80;
      const secondHigh = lead === 0xf4 ? 0x8f : 0xbf;
      if (second < secondLow || second > secondHigh) return false;
      if ((bytes[position + 2] & 0xc0) !== 0x80 || (bytes[position + 3] & 0xc0) !== 0x80) {
        return false;
      }
      position += 4;
      continue;
    }
    return false;
  }
  return true;
}
