/**
 * The end of every command: a human summary on stderr, or with `--json` one object on stdout that
 * scripts (and `deno task bench`) parse.
 */

/** Peak resident memory of this process, workers included (they are threads), in bytes. */
export function peakRssBytes(): number {
  try {
    const status = Deno.readTextFileSync("/proc/self/status");
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    if (match) return Number(match[1]) * 1024;
  } catch {
    // Not Linux: fall back to the current figure, the best that is portable.
  }
  return Deno.memoryUsage().rss;
}

export interface GlobalFlags {
  quiet?: boolean;
  json?: boolean;
}

/**
 * Prints a command's result. `lines` are for people (stderr unless quiet); `summary` is the
 * machine-readable object printed alone on stdout with `--json`.
 */
export function printSummary(
  flags: GlobalFlags,
  summary: Record<string, unknown>,
  lines: string[],
): void {
  if (flags.json) {
    console.log(JSON.stringify(summary));
    return;
  }
  if (!flags.quiet) { for (const line of lines) console.error(line); }
}

/** A terminal's width: summaries are read in the default 80 columns. */
export const TERMINAL_COLUMNS = 80;

const COUNT = new Intl.NumberFormat("en-US", { maximumFractionDigits: 20 });

/**
 * Splits `text` into lines of at most `width` characters: at each line break it holds, then after a
 * path separator, comma or space where it can (so a path wraps between its directories), anywhere
 * else when it must.
 */
export function wrapCell(text: string, width: number): string[] {
  if (text.includes("\n")) return text.split("\n").flatMap((line) => wrapCell(line, width));
  const lines: string[] = [];
  let rest = text;
  while (rest.length > width) {
    const head = rest.slice(0, width);
    const breakAt = Math.max(head.lastIndexOf("/"), head.lastIndexOf(","), head.lastIndexOf(" "));
    const cut = breakAt > 0 ? breakAt + 1 : width;
    lines.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  lines.push(rest);
  return lines;
}

/**
 * Renders rows as an aligned plain-text table (for summaries on a terminal). Numbers get thousands
 * separators and align right. A cell may hold line breaks. When the table is wider than `maxWidth`,
 * the widest text column is narrowed and its cells wrap onto continuation lines (a row's other
 * cells stay on its first line).
 */
export function formatTable(
  header: string[],
  rows: (string | number)[][],
  maxWidth = TERMINAL_COLUMNS,
): string[] {
  const cells = [
    header,
    ...rows.map((row) => row.map((cell) => typeof cell === "number" ? COUNT.format(cell) : cell)),
  ];
  // A cell may hold several lines (one output per line): its width is its longest line.
  const widths = header.map((_, column) =>
    Math.max(...cells.map((row) => Math.max(...row[column].split("\n").map((line) => line.length))))
  );
  // A column of numbers stays one (right-aligned) where a row has "-" for "not applicable".
  const numeric = header.map((_, column) =>
    rows.some((row) => typeof row[column] === "number") &&
    rows.every((row) => typeof row[column] === "number" || row[column] === "-")
  );
  const gap = 2;
  const total = () => widths.reduce((sum, width) => sum + width, 0) + gap * (widths.length - 1);
  let wrapped = -1;
  if (total() > maxWidth) {
    let widest = -1;
    widths.forEach((width, column) => {
      if (!numeric[column] && (widest < 0 || width > widths[widest])) widest = column;
    });
    if (widest >= 0) {
      const room = maxWidth - (total() - widths[widest]);
      widths[widest] = Math.max(header[widest].length, 12, room);
      wrapped = widest;
    }
  }
  const render = (row: string[]) => {
    const parts = row.map((cell, column) =>
      column === wrapped ? wrapCell(cell, widths[column]) : cell.split("\n")
    );
    const height = Math.max(...parts.map((lines) => lines.length));
    return Array.from({ length: height }, (_, line) =>
      parts.map((lines, column) => {
        const cell = lines[line] ?? "";
        return numeric[column] ? cell.padStart(widths[column]) : cell.padEnd(widths[column]);
      }).join(" ".repeat(gap)).trimEnd());
  };
  return [
    ...render(cells[0]),
    widths.map((width) => "-".repeat(width)).join(" ".repeat(gap)),
    ...cells.slice(1).flatMap(render),
  ];
}
