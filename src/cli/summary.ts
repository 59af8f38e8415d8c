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

/** Renders rows as an aligned plain-text table (for summaries on a terminal). */
export function formatTable(header: string[], rows: (string | number)[][]): string[] {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, column) => Math.max(...cells.map((row) => row[column].length)));
  const numeric = header.map((_, column) =>
    rows.length > 0 && rows.every((row) => typeof row[column] === "number")
  );
  const render = (row: string[]) =>
    row.map((cell, column) =>
      numeric[column] ? cell.padStart(widths[column]) : cell.padEnd(widths[column])
    ).join("  ").trimEnd();
  return [
    render(cells[0]),
    widths.map((width) => "-".repeat(width)).join("  "),
    ...cells.slice(1).map(render),
  ];
}
