/**
 * A tiny RFC 4180 reader for the generation tests, independent of dpd's own CSV code: records end
 * at LF outside quotes, a field starting with `"` is quoted and `""` inside it is one quote.
 * Returns each record's fields and its raw text, so tests can check quoting byte for byte.
 */
export interface CsvRecord {
  fields: string[];
  raw: string;
}

export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let position = 0;
  while (position < text.length) {
    const start = position;
    const fields: string[] = [];
    for (;;) {
      let value = "";
      if (text[position] === '"') {
        position++;
        for (;;) {
          const quote = text.indexOf('"', position);
          if (quote < 0) throw new Error(`unterminated quote in record at offset ${start}`);
          value += text.slice(position, quote);
          if (text[quote + 1] === '"') {
            value += '"';
            position = quote + 2;
          } else {
            position = quote + 1;
            break;
          }
        }
      } else {
        let end = position;
        while (end < text.length && text[end] !== "," && text[end] !== "\n") end++;
        value = text.slice(position, end);
        position = end;
      }
      fields.push(value);
      if (text[position] === ",") {
        position++;
        continue;
      }
      if (text[position] === "\n" || position >= text.length) break;
      throw new Error(`unexpected ${JSON.stringify(text[position])} after a field at ${position}`);
    }
    records.push({ fields, raw: text.slice(start, position) });
    position++; // the LF
  }
  return records;
}

/** RFC 4180 with the minimal quoting docs/generation.md asks for. */
export function formatCsvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
