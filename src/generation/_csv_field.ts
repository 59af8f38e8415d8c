/**
 * RFC 4180 field encoding as DESIGN §2 fixes it: quoted only when the value holds a comma, a double
 * quote or a line break, with inner quotes doubled.
 */
export function encodeCsvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
