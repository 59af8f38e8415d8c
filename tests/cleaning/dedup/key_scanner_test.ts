/**
 * The census's key scanner yields exactly the claims `ChunkCleaner.scan` yields (the clean pass's
 * own parse), chunk by chunk: same end, line ends, records and encoded keys, on tricky inputs.
 */
import { SALES_CSV_COLUMNS } from "../../../src/io/sales_columns.ts";
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  ChunkCleaner,
  CLEANER_ROLES,
  type CleanerSetup,
} from "../../../src/cleaning/chunk_cleaner.ts";
import { cleanConfig } from "../../../src/cleaning/config.ts";
import { KeyScanner } from "../../../src/cleaning/dedup/key_scanner.ts";
import { loadLookups } from "../../../src/lookups/load_lookups.ts";
import { CR, LF } from "../../../src/io/csv_parse.ts";
import { PROJECT_ROOT } from "../../_dpd.ts";

const lookups = await loadLookups(join(PROJECT_ROOT, "lookups"));
const HEADER: string[] = [...SALES_CSV_COLUMNS];

function setupFor(options: { dedupKey?: string[]; lineEnd?: number; maxRecordBytes?: number }) {
  const position = (role: string) => HEADER.indexOf(role);
  return {
    fieldCount: HEADER.length,
    lineEnd: options.lineEnd ?? LF,
    maxRecordBytes: options.maxRecordBytes ?? 1 << 20,
    columnPositions: CLEANER_ROLES.map(position),
    dedupKey: (options.dedupKey ?? ["order_id"]).map(position),
    extraColumns: [],
    encodeParquet: false,
    config: cleanConfig(lookups, { asOf: "2026-11-28" }),
  } satisfies CleanerSetup;
}

const row = (id: string, name: string, rest = "Books,1,2.00,0,Asia,2026-01-02,a@b.co,2.00") =>
  `${id},${name},${rest}`;

const TRICKY = [
  row("ORD-000000001", "Pen"),
  row("  ORD-000000001 ", "Pen"), // the same generator ID, trimmed
  row("ORD-0000001", "Pen"), // not the generator's shape
  row("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", '"Mug, Blue"'),
  row("0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0", '"Mug ""Big"""'), // escaped quote in the name
  row('"say ""hi"""', "Mug"), // escaped quote in the ID
  row("X-1", '"two\nlines"'), // a line break inside quotes
  row("", "Pen"), // blank ID: no claim
  row("   ", "Pen"),
  row("X-2", "  "), // blank name: no claim
  row("X-3", '""'),
  "X-4,Pen,Books", // too few fields
  row("X-5", "Pen") + ",extra", // too many
  row('"X-6"x', "Pen"), // text after a closing quote
  row("X-7", "Pen", 'Books,1,2.00,0,"As""ia",2026-01-02,,1'), // escaped quote elsewhere
  row("Ünï-8", "Pen"), // non-ASCII
  row("X-9", "Pen", "Books,1,2.00,0,Asia,2026-01-02,\xff,1"), // invalid UTF-8 below
  "",
  "",
  row("X-10", "Pen\r"),
  row('a"b', "Pen"), // a quote inside an unquoted field is data
  row("X-11", "Pen", "Books,1,2.00,0,Asia,2026-01-02,,"),
  row("X-12", "Pen") + " ".repeat(300), // past a small record limit
  row("X-13", "Pen"),
];

/**
 * Rows whose fields after the name (the part the scanner reads four bytes at a time) hold a byte
 * ≥ 0x80, valid or not, or one comma too many or too few: each group starts with a row of another
 * length, so these bytes fall at every offset within a 4-byte word.
 */
const TAILS = [0, 1, 2, 3].flatMap((shift) => [
  row("P-" + "0".repeat(shift), "Pad"),
  row("T-1", "Pen", "Books,1,2.00,0,Asia,2026-01-02,\xff@b.co,2.00"),
  row("T-2", "Pen", "Books,1,2.00,0,Asia,2026-01-02,a\xff@b.co,2.00"),
  row("T-3", "Pen", "Books,1,2.00,0,Asia,2026-01-02,ab\xff@b.co,2.00"),
  row("T-4", "Pen", "Books,1,2.00,0,Asia,2026-01-02,abc\xff@b.co,2.00"),
  row("T-5", "Pen", "Books,1,2.00,0,Asia,2026-01-02,é@b.co,2.00"),
  row("T-6", "Pen", "Books,1,2.00,0,Asia,2026-01-02,a@b,co,2.00"),
  row("T-7", "Pen", "Books,1,2.00,0,Asia,2026-01-02,a@b.co"),
]);

function bytesOf(text: string): Uint8Array {
  // \xff stays one invalid byte; everything else is UTF-8.
  const parts = text.split("\xff").map((part) => new TextEncoder().encode(part));
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0) + parts.length - 1);
  let at = 0;
  parts.forEach((part, index) => {
    if (index > 0) out[at++] = 0xff;
    out.set(part, at);
    at += part.length;
  });
  return out;
}

/**
 * Both scanners over `bytes[0, cut)` for every cut (a block the census reads ends anywhere), and over
 * all of `bytes` as the final block: the same answers. Returns the claims of the final scan.
 */
function assertSameClaims(setup: CleanerSetup, bytes: Uint8Array): number {
  const cleaner = new ChunkCleaner(setup);
  const scanner = new KeyScanner(setup, cleaner);
  let claims = 0;
  for (let end = 0; end <= bytes.length + 1; end++) {
    const final = end > bytes.length;
    if (final) end = bytes.length;
    const expected = cleaner.scan(0, bytes, 0, end, final, undefined, { claimsOnly: true });
    const actual = scanner.scan(bytes, 0, end, final);
    const label = `cut ${end}, final ${final}`;
    assert.equal(actual.consumed, expected.consumed, label);
    assert.equal(actual.lineFeeds, expected.lineFeeds, label);
    assert.equal(actual.records, expected.records, label);
    assert.deepEqual(actual.claimKeys.ends, expected.claimKeys!.ends, label);
    assert.deepEqual(actual.claimKeys.bytes, expected.claimKeys!.bytes, label);
    if (final) claims = actual.claimKeys.ends.length;
    if (final) break;
  }
  return claims;
}

/** Rows whose last field is quoted: the record ends right after a closing quote. */
const QUOTED_LAST = [
  row("Q-1", "Pen", 'Books,1,2.00,0,Asia,2026-01-02,a@b.co,"2.00"'),
  row("Q-2", "Pen", 'Books,1,2.00,0,Asia,2026-01-02,a@b.co,"2,00"'),
  row("Q-1", "Pen", 'Books,1,2.00,0,Asia,2026-01-02,a@b.co,""'),
];

const cases: { name: string; text: string; setup: CleanerSetup }[] = [
  { name: "LF", text: TRICKY.join("\n") + "\n", setup: setupFor({}) },
  { name: "blank lines first, LF", text: "\n\n" + TRICKY.join("\n") + "\n", setup: setupFor({}) },
  {
    name: "blank lines first, CR LF",
    text: "\r\n\r\n" + TRICKY.join("\r\n") + "\r\n",
    setup: setupFor({}),
  },
  { name: "a quoted last field, LF", text: QUOTED_LAST.join("\n") + "\n", setup: setupFor({}) },
  {
    name: "a quoted last field, CR LF",
    text: QUOTED_LAST.join("\r\n") + "\r\n",
    setup: setupFor({}),
  },
  { name: "CR LF", text: TRICKY.join("\r\n") + "\r\n", setup: setupFor({}) },
  { name: "LF, no final line end", text: TRICKY.join("\n"), setup: setupFor({}) },
  {
    name: "CR only (an LF is data)",
    text: TRICKY.join("\r") + "\r",
    setup: setupFor({ lineEnd: CR }),
  },
  {
    name: "a small record limit",
    text: TRICKY.join("\n") + "\n",
    setup: setupFor({ maxRecordBytes: 120 }),
  },
  {
    name: "a composite key",
    text: TRICKY.join("\r\n") + "\r\n",
    setup: setupFor({ dedupKey: ["order_id", "region"] }),
  },
  {
    name: "another single column as the key",
    text: TRICKY.join("\n") + "\n",
    setup: setupFor({ dedupKey: ["product_name"] }),
  },
  { name: "no dedup key", text: TRICKY.join("\n") + "\n", setup: setupFor({ dedupKey: [] }) },
  { name: "the fields after the name", text: TAILS.join("\n") + "\n", setup: setupFor({}) },
  {
    name: "the fields after the name, CR LF",
    text: TAILS.join("\r\n") + "\r\n",
    setup: setupFor({}),
  },
  {
    name: "an unterminated quote at the end",
    text: TRICKY.slice(0, 4).join("\n") + "\n" + row("X-20", '"open') + "\n",
    setup: setupFor({}),
  },
];

for (const { name, text, setup } of cases) {
  Deno.test(`key scanner: the clean pass's claims, at every chunk cut: ${name}`, () => {
    const claims = assertSameClaims(setup, bytesOf(text));
    assert.ok(setup.dedupKey.length === 0 ? claims === 0 : claims >= 3, `${claims} claims`);
  });
}
