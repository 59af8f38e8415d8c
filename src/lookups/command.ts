/**
 * The lookup commands (README, docs/lookups.md): `build-category-lookup`, `build-region-lookup`,
 * `build-region-map` and `update-lookups`. The work lives in the `build_*.ts` and
 * `update_lookups.ts` modules; this file turns flags into options and results into summaries.
 */
import { Command, InvalidArgumentError, Option } from "commander";
import { addColumnOptions, type ColumnFlags, columnMappingFrom } from "../cli/column_options.ts";
import { runCommand } from "../cli/errors.ts";
import { prepareWorkspace } from "../io/publish.ts";
import { cutList } from "../io/short_text.ts";
import { addWorkspaceOptions, asOfOption, collectInputs, parseShare } from "../cli/options.ts";
import { formatCount } from "../cli/progress.ts";
import { formatTable, type GlobalFlags, peakRssBytes, printSummary } from "../cli/summary.ts";
import {
  buildCategoryLookup,
  DEFAULT_MIN_SHARE,
  type NameLookupOptions,
  type NameLookupResult,
} from "./build_category_lookup.ts";
import { buildRegionLookup } from "./build_region_lookup.ts";
import { buildRegionMap, type RegionMapResult, type ReviewEntry } from "./build_region_map.ts";
import type { NameShare } from "./infer_canonical_names.ts";
import { contradictionError, lookupsDirProblems } from "./load_lookups.ts";
import type { ReviewSuggestion } from "./review_suggestions.ts";
import { resolveSamplePaths, type SampleCounts } from "./sample_counts.ts";
import {
  parseSuggestionMethod,
  SUGGESTION_METHODS,
  type SuggestionColumn,
  type SuggestionMethod,
} from "./suggest.ts";
import { updateLookups } from "./update_lookups.ts";
import type { ColumnMapping } from "../io/column_roles.ts";

interface BuilderFlags extends ColumnFlags {
  /** `--input`, repeated: samples besides the positional ones. */
  input?: string[];
  out?: string;
  /** `true` when `--accept-suggestions` is given without a list: every method. */
  acceptSuggestions?: SuggestionMethod[] | true;
  minShare: number;
  prune?: boolean;
  asOf?: string;
  dataDir: string;
  lookupsDir: string;
}

/** Lines shown of each review list on a terminal; `--json` always has them all. */
const REVIEW_LINES = 25;

function minShareOption(): Option {
  return new Option(
    "--min-share <share>",
    "smallest share of rows for a canonical name (0.02 or 2%)",
  )
    .argParser(parseShare)
    .default(DEFAULT_MIN_SHARE, "2%");
}

/**
 * The sample arguments: one or more CSVs or directories of them, positional or as `--input`
 * (repeatable, as clean-data takes them), read as one sample.
 */
function addSampleArguments(command: Command): Command {
  return command
    .argument(
      "[sample...]",
      "a sales CSV (.csv or .csv.gz) to learn from, or a directory of them (every *.csv and " +
        "*.csv.gz in name order); several are read as one sample",
    )
    .option("--input <path>", "a sample, as SAMPLE (repeatable, like clean-data's)", collectInputs);
}

/** The samples given (positional, then `--input`), each found as {@linkcode resolveSamplePaths} does. */
function samplePaths(samples: readonly string[], flags: BuilderFlags): Promise<string[]> {
  return resolveSamplePaths([...samples, ...flags.input ?? []], flags.dataDir);
}

const PRUNE_HELP = "drop names in the file that the sample does not support (default: keep them)";

function globalFlags(command: Command): GlobalFlags {
  const { quiet, json } = command.optsWithGlobals();
  return { quiet, json };
}

/** What sets the two name-list builders' commands apart. */
interface NameLookupCommandSpec {
  name: string;
  description: string;
  defaultFile: string;
  noun: string;
  helpText: string;
  build: (options: NameLookupOptions) => Promise<NameLookupResult>;
}

function nameLookupCommand(spec: NameLookupCommandSpec): Command {
  return addColumnOptions(addWorkspaceOptions(
    addSampleArguments(new Command(spec.name).description(spec.description))
      .option("--out <file>", `the file to write (default: <lookups-dir>/${spec.defaultFile})`)
      .addOption(minShareOption())
      .option("--prune", PRUNE_HELP),
  ))
    .addHelpText("after", spec.helpText)
    .action((samples: string[], flags: BuilderFlags, command: Command) =>
      runCommand(async () => {
        const started = performance.now();
        const global = globalFlags(command);
        const result = await spec.build({
          sample: await samplePaths(samples, flags),
          lookupsDir: flags.lookupsDir,
          out: flags.out,
          minShare: flags.minShare,
          prune: flags.prune,
          quiet: global.quiet || global.json,
          columns: await columnMappingFrom(flags),
        });
        const warnings = await lookupsDirProblems(flags.lookupsDir);
        reportNameLookup(spec.name, spec.noun, result, started, global, warnings);
      })
    );
}

export function buildCategoryLookupCommand(): Command {
  return nameLookupCommand({
    name: "build-category-lookup",
    description:
      "infer the canonical categories from a sample CSV into lookups/common_categories.json",
    defaultFile: "common_categories.json",
    noun: "categories",
    helpText:
      "\nA category is canonical when at least --min-share of the rows hold it (ignoring case and\n" +
      "surrounding spaces); it is written in its most frequent spelling. Names already in the\n" +
      "file keep their spelling and are never dropped unless --prune is given.\n\n" +
      "Example:\n  deno task build-category-lookup data/input/dirty_1m.csv --min-share 2%\n",
    build: buildCategoryLookup,
  });
}

export function buildRegionLookupCommand(): Command {
  return nameLookupCommand({
    name: "build-region-lookup",
    description: "infer the canonical regions from a sample CSV into lookups/common_regions.json",
    defaultFile: "common_regions.json",
    noun: "regions",
    helpText:
      "\nLike build-category-lookup, after folding raw values through <lookups-dir>/region_map.json\n" +
      "(so EU counts toward Europe). Spacing inside a name is ignored too.\n\n" +
      "Example:\n  deno task build-region-lookup data/input/dirty_1m.csv\n",
    build: buildRegionLookup,
  });
}

export function buildRegionMapCommand(): Command {
  return addColumnOptions(addWorkspaceOptions(
    addSampleArguments(
      new Command("build-region-map")
        .description(
          "map every raw region value of a sample to a canonical region (or UNKNOWN for review) " +
            "in lookups/region_map.json",
        ),
    )
      .option("--out <file>", "the file to write (default: <lookups-dir>/region_map.json)"),
  ))
    .addHelpText(
      "after",
      "\nA raw value maps to a region of <lookups-dir>/common_regions.json when equal ignoring case\n" +
        "and spaces, or when exactly one region is nearest within 2 edits; otherwise it is added as\n" +
        '"UNKNOWN" for a person to decide. Entries a person set are never changed or removed.\n\n' +
        "Example:\n  deno task build-region-map data/input/dirty_1m.csv\n",
    )
    .action((samples: string[], flags: BuilderFlags, command: Command) =>
      runCommand(async () => {
        const started = performance.now();
        const global = globalFlags(command);
        const result = await buildRegionMap({
          sample: await samplePaths(samples, flags),
          lookupsDir: flags.lookupsDir,
          out: flags.out,
          quiet: global.quiet || global.json,
          columns: await columnMappingFrom(flags),
        });
        const lines = [
          `build-region-map: ${describeSample(result.sample)}`,
          ...regionMapLines(result),
        ];
        const warnings = await lookupsDirProblems(flags.lookupsDir);
        printSummary(global, {
          command: "build-region-map",
          ...regionMapSummary(result),
          ...sampleSummary(result.sample),
          warnings,
          duration_s: seconds(started),
          peak_rss_bytes: peakRssBytes(),
        }, [...lines, ...warnings.map((warning) => `warning: ${warning}`)]);
      })
    );
}

/** What `update-lookups` asks of its closing dry run. */
export interface SampleDryRunOptions {
  /** The sample, resolved to a path, or to several read as one sample. */
  sample: string | readonly string[];
  lookupsDir: string;
  asOf?: string;
  columns?: ColumnMapping;
  quiet?: boolean;
}

/** The dry run's counts for `--json` and its lines for people. */
export interface SampleDryRunResult {
  summary: Record<string, unknown>;
  lines: string[];
}

/**
 * Cleans the sample with the new lookups without writing anything. The cleaning stage sits above
 * the lookups (it loads them), so this command is given the dry run instead of importing it:
 * main.ts passes the one in src/sample_dry_run.ts.
 */
export type SampleDryRun = (options: SampleDryRunOptions) => Promise<SampleDryRunResult>;

export function updateLookupsCommand(dryRun: SampleDryRun): Command {
  return addColumnOptions(addWorkspaceOptions(
    addSampleArguments(
      new Command("update-lookups")
        .description(
          "rebuild all three lookups from a sample CSV, check that they agree, and list what " +
            "awaits review",
        ),
    )
      .addOption(minShareOption())
      .option("--prune", PRUNE_HELP)
      .addOption(asOfOption("the day the dry-run clean checks dates against (default: today)"))
      .addOption(
        new Option(
          "--accept-suggestions [methods]",
          "write the suggested regions into region_map.json over their UNKNOWN entries: all " +
            `methods, or only those listed (comma-separated: ${SUGGESTION_METHODS.join(", ")})`,
        ).argParser(parseAcceptedMethods),
      ),
  ))
    .addHelpText(
      "after",
      "\nRuns build-category-lookup, build-region-lookup and build-region-map over one read of\n" +
        "the sample, then exits 1 if the lookups contradict each other. Prints the region values\n" +
        "left UNKNOWN in region_map.json and the category values clean-data would reject, with\n" +
        "their rows in the sample, so you know what to review first. Then cleans the sample\n" +
        "without writing anything and prints the rejections by reason.\n\n" +
        "Each value awaiting review is shown with a suggestion when the data gives evidence for\n" +
        "one canonical name (methods tried in order: fingerprint, abbreviation, gazetteer,\n" +
        "phonetic; see docs/cleaning.md). Suggestions are never applied unless you pass\n" +
        "--accept-suggestions; category suggestions are reported only (map one in\n" +
        "category_map.json, or correct the value at the source).\n\n" +
        "Examples:\n  deno task update-lookups data/input/dirty_1m.csv\n" +
        "  deno task update-lookups data/input/dirty_1m.csv --accept-suggestions=abbreviation,gazetteer\n",
    )
    .action((samples: string[], flags: BuilderFlags, command: Command) =>
      runCommand(async () => {
        const started = performance.now();
        const global = globalFlags(command);
        // Its checks read the workspace's sample: an interrupted publish is completed first.
        await prepareWorkspace(flags.dataDir);
        const columns = await columnMappingFrom(flags);
        const result = await updateLookups({
          sample: await samplePaths(samples, flags),
          lookupsDir: flags.lookupsDir,
          minShare: flags.minShare,
          prune: flags.prune,
          quiet: global.quiet || global.json,
          columns,
          acceptSuggestions: acceptedMethods(flags),
        });
        // The dry run: the sample cleaned with the new lookups, counted, nothing written.
        const cleaned = result.lookups
          ? await dryRun({
            sample: result.sample.inputs,
            lookupsDir: flags.lookupsDir,
            asOf: flags.asOf,
            columns,
            quiet: global.quiet || global.json,
          })
          : undefined;
        const summary = {
          command: "update-lookups",
          ...sampleSummary(result.sample),
          categories: nameLookupSummary(result.categories),
          regions: nameLookupSummary(result.regions),
          region_map: regionMapSummary(result.regionMap),
          unknown_categories: reviewSummary(result.unknownCategories),
          blank_category_rows: result.blankCategoryRows,
          suggestions: result.suggestions,
          dry_run: cleaned?.summary,
          problems: result.problems,
          duration_s: seconds(started),
          peak_rss_bytes: peakRssBytes(),
        };
        const lines = [
          `update-lookups: ${describeSample(result.sample)}`,
          ...nameLookupLines("categories", result.categories),
          ...nameLookupLines("regions", result.regions),
          ...regionMapLines(result.regionMap, result.suggestions),
          ...suggestionLines(result.regionMap.path, result.suggestions, acceptedMethods(flags)),
          ...unknownCategoryLines(
            result.unknownCategories,
            result.blankCategoryRows,
            result.suggestions,
          ),
          ...(cleaned?.lines ?? []),
        ];
        if (result.problems.length > 0) {
          // The summary first (scripts get the counts), then the error that exits 1.
          printSummary(global, summary, lines);
          throw contradictionError(flags.lookupsDir, result.problems);
        }
        printSummary(global, summary, [...lines, "lookups are consistent"]);
      })
    );
}

function reportNameLookup(
  commandName: string,
  noun: string,
  result: NameLookupResult,
  started: number,
  global: GlobalFlags,
  warnings: string[],
): void {
  printSummary(global, {
    command: commandName,
    ...sampleSummary(result.sample),
    ...nameLookupSummary(result),
    warnings,
    duration_s: seconds(started),
    peak_rss_bytes: peakRssBytes(),
  }, [
    `${commandName}: ${describeSample(result.sample)}`,
    ...nameLookupLines(noun, result),
    ...warnings.map((warning) => `warning: ${warning}`),
  ]);
}

function seconds(started: number): number {
  return Number(((performance.now() - started) / 1000).toFixed(3));
}

function percent(share: number): string {
  return `${(share * 100).toFixed(share < 0.001 ? 3 : share < 0.1 ? 2 : 1)}%`;
}

function describeSample(sample: SampleCounts): string {
  const malformed = sample.malformedRows > 0
    ? ` (${formatCount(sample.malformedRows)} malformed ${
      sample.malformedRows === 1 ? "row" : "rows"
    } skipped)`
    : "";
  const files = sample.files.length > 1 ? ` (${sample.files.length} files)` : "";
  return `read ${formatCount(sample.rows)} rows of ${sample.path}${files} in ${
    sample.seconds.toFixed(1)
  }s${malformed}`;
}

function sampleSummary(sample: SampleCounts): Record<string, unknown> {
  return {
    sample: sample.path,
    sample_files: sample.files,
    rows: sample.rows,
    malformed_rows: sample.malformedRows,
    sample_read_s: Number(sample.seconds.toFixed(3)),
  };
}

function shares(entries: NameShare[]): { name: string; rows: number; share: number }[] {
  return entries.map(({ name, rows, share }) => ({ name, rows, share: Number(share.toFixed(6)) }));
}

function nameLookupSummary(result: NameLookupResult): Record<string, unknown> {
  return {
    output: result.path,
    written: result.written,
    min_share: result.minShare,
    names: result.names,
    added: shares(result.added),
    unsupported: shares(result.unsupported),
    pruned: result.pruned,
    blank_rows: result.blankRows,
  };
}

function nameLookupLines(noun: string, result: NameLookupResult): string[] {
  const state = result.written ? "written" : "unchanged";
  const lines = [
    `  ${result.path}: ${result.names.length} ${noun} (${state}): ${cutList(result.names)}`,
  ];
  for (const entry of result.added) {
    lines.push(`    added ${JSON.stringify(entry.name)}: ${percent(entry.share)} of rows`);
  }
  const pruned = result.pruned;
  for (const entry of result.unsupported) {
    lines.push(
      `    ${pruned ? "pruned" : "kept"} ${JSON.stringify(entry.name)}: only ${
        percent(entry.share)
      } of rows in this sample, below ${percent(result.minShare)}` +
        (pruned ? "" : " (a person's entry is never dropped; edit the file or use --prune)"),
    );
  }
  return lines;
}

function regionMapSummary(result: RegionMapResult): Record<string, unknown> {
  return {
    output: result.path,
    written: result.written,
    entries: Object.keys(result.map).length,
    mapped: result.changes.filter((change) => change.value !== "UNKNOWN").map((change) => ({
      value: change.key,
      region: change.value,
      how: change.match.kind,
      ...(change.match.kind === "distance" ? { distance: change.match.distance } : {}),
    })),
    ties: result.ties.map((tie) => ({
      value: tie.key,
      regions: tie.match.kind === "tie" ? tie.match.regions : [],
    })),
    unknown_regions: reviewSummary(result.unknownQueue),
    blank_region_rows: result.blankRows,
  };
}

function regionMapLines(result: RegionMapResult, suggestions?: ReviewSuggestion[]): string[] {
  const added = result.changes.filter((change) => !change.resolvedExisting).length;
  const state = result.written ? "written" : "unchanged";
  const lines = [
    `  ${result.path}: ${Object.keys(result.map).length} entries, ${added} new (${state})`,
  ];
  for (const change of result.changes) {
    if (change.match.kind !== "distance") continue;
    lines.push(
      `    mapped ${JSON.stringify(change.key)} → ${JSON.stringify(change.value)} ` +
        `(${change.match.distance} edit${change.match.distance === 1 ? "" : "s"} away; check it)`,
    );
  }
  for (const tie of result.ties) {
    if (tie.match.kind !== "tie") continue;
    lines.push(
      `    left ${JSON.stringify(tie.key)} UNKNOWN: as near to ${
        tie.match.regions.map((region) => JSON.stringify(region)).join(" as to ")
      }`,
    );
  }
  const queue = result.unknownQueue.filter((entry) => entry.rows > 0);
  if (queue.length > 0) {
    lines.push(`  region values awaiting review (UNKNOWN in ${result.path}), most rows first:`);
    lines.push(...reviewTable(queue, suggestions && suggestionsOf("region", suggestions)));
  }
  const absent = result.unknownQueue.length - queue.length;
  if (absent > 0) lines.push(`    and ${absent} UNKNOWN entries not seen in this sample`);
  if (result.blankRows > 0) {
    lines.push(`  blank regions: ${formatCount(result.blankRows)} rows (always unknown)`);
  }
  return lines;
}

function unknownCategoryLines(
  entries: ReviewEntry[],
  blankRows: number,
  suggestions: ReviewSuggestion[],
): string[] {
  const lines: string[] = [];
  if (entries.length > 0) {
    const suggested = suggestionsOf("category", suggestions);
    lines.push("  category values clean-data will reject as unknown_category, most rows first:");
    lines.push(...reviewTable(entries, suggested));
    if (suggested.size > 0) {
      lines.push(
        "    (category suggestions are reported only: map a value in category_map.json, or " +
          "correct it at the source)",
      );
    }
  }
  if (blankRows > 0) lines.push(`  blank categories: ${formatCount(blankRows)} rows`);
  return lines;
}

/** The suggestions of one column by the value they are for. */
function suggestionsOf(
  column: SuggestionColumn,
  suggestions: readonly ReviewSuggestion[],
): Map<string, ReviewSuggestion> {
  return new Map(
    suggestions.filter((suggestion) => suggestion.column === column)
      .map((suggestion) => [suggestion.raw, suggestion]),
  );
}

/** A review list, with a suggestion and its method for each value when `suggestions` is given. */
function reviewTable(
  entries: ReviewEntry[],
  suggestions?: ReadonlyMap<string, ReviewSuggestion>,
): string[] {
  const shown = entries.slice(0, REVIEW_LINES);
  const table = (suggestions
    ? formatTable(
      ["value", "rows", "suggestion", "method"],
      shown.map((entry) => {
        const suggestion = suggestions.get(entry.key);
        return [
          JSON.stringify(entry.key),
          entry.rows,
          suggestion ? JSON.stringify(suggestion.canonical) : "-",
          suggestion?.method ?? "-",
        ];
      }),
    )
    : formatTable(
      ["value", "rows"],
      shown.map((entry) => [JSON.stringify(entry.key), entry.rows]),
    )).map((line) => `    ${line}`);
  if (entries.length > shown.length) {
    table.push(`    … and ${entries.length - shown.length} more (all of them with --json)`);
  }
  return table;
}

function reviewSummary(entries: ReviewEntry[]): { value: string; rows: number }[] {
  return entries.map((entry) => ({ value: entry.key, rows: entry.rows }));
}

/**
 * `--accept-suggestions=METHOD,…`: the listed methods (the bare flag is `true`: all). A value
 * that names no method is refused, which also catches the sample path taken as the flag's value.
 */
function parseAcceptedMethods(value: string): SuggestionMethod[] {
  const methods: SuggestionMethod[] = [];
  for (const word of value.split(",")) {
    const method = parseSuggestionMethod(word);
    if (!method) {
      throw new InvalidArgumentError(
        `"${word.trim()}" is not a suggestion method; use one or more of ` +
          `${SUGGESTION_METHODS.join(", ")}, comma-separated (--accept-suggestions=abbreviation,` +
          "gazetteer), or give the flag after the sample to accept them all",
      );
    }
    if (!methods.includes(method)) methods.push(method);
  }
  return methods;
}

/**
 * What became of the region suggestions: the ones written into the map, or how to write them.
 * (Those still pending show in the review table above.)
 */
function suggestionLines(
  mapPath: string,
  suggestions: readonly ReviewSuggestion[],
  accepting: readonly SuggestionMethod[] | undefined,
): string[] {
  const regions = suggestions.filter((suggestion) => suggestion.column === "region");
  const accepted = regions.filter((suggestion) => suggestion.accepted);
  const lines: string[] = [];
  if (accepted.length > 0) {
    lines.push(`  accepted ${accepted.length} suggestion(s) into ${mapPath}:`);
    lines.push(
      ...formatTable(
        ["value", "rows", "region", "method"],
        accepted.map((suggestion) => [
          JSON.stringify(suggestion.raw),
          suggestion.rows,
          JSON.stringify(suggestion.canonical),
          suggestion.method,
        ]),
      ).map((line) => `    ${line}`),
    );
  }
  const pending = regions.length - accepted.length;
  if (pending > 0) {
    const rows = regions.filter((suggestion) => !suggestion.accepted)
      .reduce((sum, suggestion) => sum + suggestion.rows, 0);
    lines.push(
      accepting
        ? `  ${pending} region suggestion(s) (${formatCount(rows)} rows) by other methods ` +
          "left for review"
        : `  ${pending} region suggestion(s) cover ${formatCount(rows)} rows; nothing is ` +
          "written until you accept them with --accept-suggestions (or =METHOD,… for some methods)",
    );
  }
  return lines;
}

/** The methods whose suggestions `--accept-suggestions` accepts; undefined without the flag. */
function acceptedMethods(flags: BuilderFlags): readonly SuggestionMethod[] | undefined {
  return flags.acceptSuggestions === true ? SUGGESTION_METHODS : flags.acceptSuggestions;
}
