/**
 * The review queue: the raw region and category values that were rejected, with their row counts,
 * where a person decides what each means (choose, save), then re-runs to apply the decisions; and
 * the mappings saved so far, with the rows each affected and an undo.
 *
 * - Regions: each raw value can be mapped to a canonical region; saving writes
 *   `lookups/region_map.json` atomically (other entries kept, file kept sorted).
 * - Categories: a variant can be mapped to an existing category (`lookups/category_map.json`, which
 *   the cleaner reads after exact names and before edit distance; see docs/cleaning.md), or added
 *   as a canonical category of its own (`common_categories.json`). Typos of an existing category
 *   within 2 edits never reach this queue: the cleaner fixes them.
 * - Blank values are counted but not listed: there is nothing to map.
 */
import type { Context, Hono } from "hono";
import type { ComponentChildren } from "preact";
import { errorMessage, UserError } from "../../src/io/errors.ts";
import { categoryKey, regionKey } from "../../src/lookups/keys.ts";
import { isUnmappedRegionValue } from "../../src/lookups/lookup_files.ts";
import { suggestCanonical, type Suggestion } from "../../src/lookups/suggest.ts";
import { Island } from "../components/island.tsx";
import { Layout } from "../components/layout.tsx";
import { closestNames } from "../lib/closest_names.ts";
import type { LatestReport } from "../lib/clean_report.ts";
import {
  addCanonicalCategories,
  type MappingChange,
  readReviewLookups,
  type ReviewLookups,
  saveCategoryMappings,
  saveRegionMappings,
  undoMapping,
} from "../lib/lookup_edits.ts";
import { loadOverview } from "../lib/overview.ts";
import { type RejectedIndex, rejectedIndex, type ReviewValue } from "../lib/rejected_index.ts";
import {
  forgetMapping,
  type HistoryEntry,
  readHistory,
  recordMappings,
} from "../lib/review_history.ts";
import { displayPath } from "../lib/workspace.ts";
import { formatCount } from "../shared/format.ts";
import { type DashboardContext, renderPage } from "./_context.ts";
import { rerunBlockedReason } from "./rerun.ts";

/** Values listed per kind; the rest are counted (most rows first, so the big wins come first). */
export const REVIEW_LIMIT = 200;
/** The "Map to" value that adds a category value as a canonical category of its own. */
export const ADD_AS_CATEGORY = "add";
/** The "Map to" prefix of an existing category. */
export const MAP_TO_CATEGORY = "map:";

type Column = "region" | "category";

/** The value a map key currently has for `key` (ignoring the key's spelling), if any. */
function mappedValue(
  map: Record<string, string>,
  key: string,
  keyOf: (raw: string) => string,
): string | undefined {
  if (Object.hasOwn(map, key)) return map[key];
  const spelling = Object.keys(map).find((candidate) => keyOf(candidate) === key);
  return spelling === undefined ? undefined : map[spelling];
}

/** Where a value's rejected rows are listed. */
function rejectedRowsLink(column: Column, raw: string): string {
  const params = new URLSearchParams({ reason: `unknown_${column}` });
  params.append("where", `${column}=${raw}`);
  return `/anomalies?${params}#rejected`;
}

function RawValue({ value, column }: { value: ReviewValue; column: Column }) {
  return (
    <th scope="row" class="raw">
      <a href={rejectedRowsLink(column, value.display)} title="Show its rejected rows">
        <code>{value.display}</code>
      </a>
      {value.spellings > 1 && (
        <span class="muted">
          {` +${value.spellings - 1} spelling${value.spellings > 2 ? "s" : ""}`}
        </span>
      )}
    </th>
  );
}

function Closest(
  { value, names, keyOf, suggestion }: {
    value: ReviewValue;
    names: string[];
    keyOf: (name: string) => string;
    suggestion?: Suggestion;
  },
) {
  if (suggestion) {
    return (
      <span class="hint">
        <span class="tag suggested">suggested</span> {suggestion.canonical}{" "}
        <span class="muted">({suggestion.method})</span>
      </span>
    );
  }
  const closest = closestNames(value.key, names, keyOf);
  if (!closest) return <span class="muted">no close name</span>;
  return (
    <span class="hint">
      {closest.names.length > 1 ? "tie: " : ""}
      {closest.names.join(" / ")}{" "}
      <span class="muted">({closest.distance} edit{closest.distance === 1 ? "" : "s"})</span>
    </span>
  );
}

function MoreValues({ values }: { values: ReviewValue[] }) {
  if (values.length <= REVIEW_LIMIT) return null;
  const hidden = values.slice(REVIEW_LIMIT);
  return (
    <p class="muted">
      {formatCount(hidden.length)}{" "}
      more values ({formatCount(hidden.reduce((sum, value) => sum + value.rows, 0))}{" "}
      rows) are not listed; they reappear here after a re-run once the values above are settled.
    </p>
  );
}

/** Rows whose value is blank: always rejected, nothing a lookup can map. */
function BlankNote({ values, column }: { values: ReviewValue[]; column: string }) {
  const blank = values.find((value) => value.key === "");
  if (!blank) return null;
  return (
    <p class="muted">
      {formatCount(blank.rows)} rows have a blank{" "}
      {column}: they are always rejected and are not listed, since there is no value to map.
    </p>
  );
}

/** The suggestions of a list of values, by key. */
function suggestionsOf(
  values: ReviewValue[],
  column: Column,
  canonicals: string[],
): Map<string, Suggestion> {
  const found = new Map<string, Suggestion>();
  for (const value of values.slice(0, REVIEW_LIMIT)) {
    const suggestion = suggestCanonical(column, value.display, canonicals);
    if (suggestion) found.set(value.key, suggestion);
  }
  return found;
}

/** What differs between the region queue and the category queue; the rest is one table. */
interface QueueKind {
  column: Column;
  /** The section's id, the form's path below /review/ and the save button's id. */
  plural: "regions" | "categories";
  title: string;
  canonicals: string[];
  map: Record<string, string>;
  keyOf: (raw: string) => string;
  /** Whether the map's entry is a choice already saved (a region left UNKNOWN is not one). */
  isSaved: (current: string) => boolean;
  /**
   * The heading of a column showing the map's entry, or none: the saved choice then shows in
   * place of the closest names.
   */
  mapColumn?: string;
  /** The "Map to" value choosing a canonical name. */
  optionValue: (canonical: string) => string;
  /** The last "Map to" choice, after the canonical names. */
  lastOption: (value: ReviewValue) => { value: string; label: string };
  /** Whether the form posts the value as displayed (a new category keeps its spelling). */
  postsDisplay: boolean;
  saveLabel: string;
}

function regionQueue(lookups: ReviewLookups): QueueKind {
  return {
    column: "region",
    plural: "regions",
    title: "Regions",
    canonicals: lookups.regions,
    map: lookups.regionMap,
    keyOf: regionKey,
    isSaved: (current) => !isUnmappedRegionValue(current),
    mapColumn: "In region_map.json",
    optionValue: (region) => region,
    lastOption: () => ({ value: "UNKNOWN", label: "UNKNOWN (decide later)" }),
    postsDisplay: false,
    saveLabel: "Save region mappings",
  };
}

function categoryQueue(lookups: ReviewLookups): QueueKind {
  return {
    column: "category",
    plural: "categories",
    title: "Categories",
    canonicals: lookups.categories,
    map: lookups.categoryMap,
    keyOf: categoryKey,
    isSaved: (current) => current !== "",
    optionValue: (category) => `${MAP_TO_CATEGORY}${category}`,
    lastOption: (value) => ({
      value: ADD_AS_CATEGORY,
      label: `Add “${value.display}” as a new category`,
    }),
    postsDisplay: true,
    saveLabel: "Save category choices",
  };
}

/** A POST form saving every suggestion at once (works without JavaScript). */
function AcceptSuggestions(
  { kind, values, suggestions }: {
    kind: QueueKind;
    values: ReviewValue[];
    suggestions: Map<string, Suggestion>;
  },
) {
  const accepted = values.filter((value) => suggestions.has(value.key));
  if (accepted.length === 0) return null;
  return (
    <form
      method="post"
      action={`/review/${kind.plural}`}
      class="accept-suggestions"
      id={`accept-${kind.column}`}
    >
      {accepted.map((value) => (
        <>
          <input type="hidden" name="raw" value={value.key} />
          <input
            type="hidden"
            name={kind.column}
            value={kind.optionValue(suggestions.get(value.key)!.canonical)}
          />
        </>
      ))}
      <button type="submit" class="button">
        Accept all {formatCount(accepted.length)} suggestion{accepted.length === 1 ? "" : "s"}
      </button>
    </form>
  );
}

/** One raw value's row: its rows, what is saved for it, the closest names and the choice. */
function QueueRow(
  { kind, value, suggestions }: {
    kind: QueueKind;
    value: ReviewValue;
    suggestions: Map<string, Suggestion>;
  },
) {
  const current = mappedValue(kind.map, value.key, kind.keyOf);
  const pending = current !== undefined && kind.isSaved(current);
  const suggestion = pending ? undefined : suggestions.get(value.key);
  const chosen = pending ? current : suggestion?.canonical;
  const saved = <span class="tag ok" title="Saved; re-run to apply">→ {current}</span>;
  const last = kind.lastOption(value);
  const label = `${kind.column[0].toUpperCase()}${kind.column.slice(1)}`;
  return (
    <tr>
      <RawValue value={value} column={kind.column} />
      <td class="num" data-label="Rows">{formatCount(value.rows)}</td>
      {kind.mapColumn && (
        <td data-label={kind.mapColumn}>
          {current === undefined
            ? <span class="muted">not listed</span>
            : pending
            ? saved
            : <span class="tag">UNKNOWN</span>}
        </td>
      )}
      <td data-label="Closest">
        {pending && !kind.mapColumn ? saved : (
          <Closest
            value={value}
            names={kind.canonicals}
            keyOf={kind.keyOf}
            suggestion={suggestions.get(value.key)}
          />
        )}
      </td>
      <td data-label="Map to">
        <input type="hidden" name="raw" value={value.key} />
        {kind.postsDisplay && <input type="hidden" name="display" value={value.display} />}
        <select
          name={kind.column}
          aria-label={`${label} for ${value.display}`}
          class={suggestion ? "suggested" : undefined}
          data-suggested={suggestion?.canonical}
        >
          <option value="">— leave as is —</option>
          {kind.canonicals.map((canonical) => (
            <option value={kind.optionValue(canonical)} selected={canonical === chosen}>
              {canonical}
              {suggestion && canonical === suggestion.canonical
                ? ` (suggested: ${suggestion.method})`
                : ""}
            </option>
          ))}
          <option value={last.value}>{last.label}</option>
        </select>
      </td>
    </tr>
  );
}

/** One queue (regions or categories): its values, at most REVIEW_LIMIT, in one form. */
function ReviewQueue(
  { kind, values: all, suggestions, children }: {
    kind: QueueKind;
    values: ReviewValue[];
    suggestions: Map<string, Suggestion>;
    /** What the values are and what saving does. */
    children: ComponentChildren;
  },
) {
  const values = all.filter((value) => value.key !== "");
  const listed = values.slice(0, REVIEW_LIMIT);
  return (
    <section class="panel" id={kind.plural} aria-labelledby={`${kind.plural}-title`}>
      <h2 id={`${kind.plural}-title`}>{kind.title}</h2>
      {children}
      {values.length === 0
        ? <p class="notice ok">No {kind.column} values are waiting for review.</p>
        : (
          <>
            <form method="post" action={`/review/${kind.plural}`} class="review-form">
              <div class="table-wrap review-wrap">
                <table class="data review">
                  <thead>
                    <tr>
                      <th scope="col">Raw value</th>
                      <th scope="col" class="num">Rows</th>
                      {kind.mapColumn && <th scope="col">{kind.mapColumn}</th>}
                      <th scope="col">Closest</th>
                      <th scope="col">Map to</th>
                    </tr>
                  </thead>
                  <tbody>
                    {listed.map((value) => (
                      <QueueRow kind={kind} value={value} suggestions={suggestions} />
                    ))}
                  </tbody>
                </table>
              </div>
              <MoreValues values={values} />
              <BlankNote values={all} column={kind.column} />
              <div class="form-actions">
                <button type="submit" class="button primary" id={`save-${kind.plural}`}>
                  {kind.saveLabel}
                </button>
              </div>
            </form>
            <AcceptSuggestions kind={kind} values={listed} suggestions={suggestions} />
          </>
        )}
      {values.length === 0 && <BlankNote values={all} column={kind.column} />}
    </section>
  );
}

/** One saved mapping as the page lists it. */
interface MappingRow {
  column: Column;
  key: string;
  display: string;
  value: string;
  previous?: string;
  /** Rows it affected, when known. */
  rows?: number;
  savedAt?: string;
  /** Still rejected: saved, waiting for a re-run. */
  waiting: boolean;
}

/**
 * The mappings in effect: those saved here (newest first, with their rows and time), then the
 * other entries of the two maps (set by hand or by the builders). Entries that only restate a
 * canonical name (`"africa": "Africa"`) are left out: there is nothing to undo.
 */
function mappingRows(
  history: HistoryEntry[],
  lookups: ReviewLookups,
  index: RejectedIndex | undefined,
): MappingRow[] {
  const waitingRows = new Map<string, number>();
  for (const value of index?.reviewRegions ?? []) {
    waitingRows.set(`region\n${value.key}`, value.rows);
  }
  for (const value of index?.reviewCategories ?? []) {
    waitingRows.set(`category\n${value.key}`, value.rows);
  }
  const maps: Record<Column, { map: Record<string, string>; keyOf: (raw: string) => string }> = {
    region: { map: lookups.regionMap, keyOf: regionKey },
    category: { map: lookups.categoryMap, keyOf: categoryKey },
  };
  const rows: MappingRow[] = [];
  const listed = new Set<string>();
  for (const entry of history) {
    const { map, keyOf } = maps[entry.column];
    if (mappedValue(map, entry.key, keyOf) !== entry.value) continue; // changed since, or undone
    listed.add(`${entry.column}\n${entry.key}`);
    rows.push({ ...entry, waiting: waitingRows.has(`${entry.column}\n${entry.key}`) });
  }
  for (const column of ["region", "category"] as const) {
    const { map, keyOf } = maps[column];
    for (const [raw, value] of Object.entries(map).sort(([a], [b]) => a < b ? -1 : 1)) {
      const key = keyOf(raw);
      if (listed.has(`${column}\n${key}`) || keyOf(value) === key) continue;
      if (column === "region" && isUnmappedRegionValue(value)) continue;
      listed.add(`${column}\n${key}`);
      const waiting = waitingRows.get(`${column}\n${key}`);
      rows.push({
        column,
        key,
        display: raw,
        value,
        rows: waiting,
        waiting: waiting !== undefined,
      });
    }
  }
  return rows;
}

function MappingTable({ rows }: { rows: MappingRow[] }) {
  return (
    <div class="table-wrap review-wrap">
      <table class="data review mapping-list">
        <thead>
          <tr>
            <th scope="col">Raw value</th>
            <th scope="col">Column</th>
            <th scope="col">Mapped to</th>
            <th scope="col" class="num">Rows affected</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span class="visually-hidden">Undo</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr data-column={row.column} data-key={row.key}>
              <th scope="row" class="raw">
                <a href={rejectedRowsLink(row.column, row.display)}>
                  <code>{row.display}</code>
                </a>
              </th>
              <td data-label="Column">{row.column}</td>
              <td data-label="Mapped to">→ {row.value}</td>
              <td class="num" data-label="Rows affected">
                {row.rows === undefined ? "—" : formatCount(row.rows)}
              </td>
              <td data-label="Status">
                {row.waiting
                  ? <span class="tag">saved, re-run to apply</span>
                  : row.savedAt
                  ? <span class="tag ok">applied</span>
                  : <span class="muted">in effect</span>}
                {row.savedAt && (
                  <span class="muted small">
                    {` saved ${row.savedAt.slice(0, 16).replace("T", " ")} UTC`}
                  </span>
                )}
              </td>
              <td>
                <form method="post" action="/review/undo">
                  <input type="hidden" name="column" value={row.column} />
                  <input type="hidden" name="raw" value={row.key} />
                  {row.previous !== undefined && (
                    <input type="hidden" name="previous" value={row.previous} />
                  )}
                  <button
                    type="submit"
                    class="button small"
                    aria-label={`Undo ${row.display} → ${row.value}`}
                  >
                    Undo
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function MappingsSection({ rows }: { rows: MappingRow[] }) {
  const saved = rows.filter((row) => row.savedAt !== undefined);
  const others = rows.filter((row) => row.savedAt === undefined);
  return (
    <section class="panel" id="mappings" aria-labelledby="mappings-title">
      <h2 id="mappings-title">Saved mappings</h2>
      <p class="muted">
        Raw values mapped to a canonical name, newest first, with the rejected rows each one
        affected when it was saved. Undo puts a region back to UNKNOWN (or to what it was before)
        and removes a category mapping; re-run to apply.
      </p>
      {saved.length === 0
        ? <p class="muted">Nothing saved from this page yet.</p>
        : <MappingTable rows={saved} />}
      {others.length > 0 && (
        <details class="other-mappings">
          <summary>
            {formatCount(others.length)} other mapping{others.length === 1 ? "" : "s"}{" "}
            in the lookup files (set by hand or by update-lookups)
          </summary>
          <MappingTable rows={others} />
        </details>
      )}
    </section>
  );
}

interface Flash {
  kind: "ok" | "error";
  text: string;
}

function flashFrom(params: URLSearchParams, lookupsDir: string): Flash | undefined {
  const changed = Number(params.get("changed") ?? 0);
  const saved = params.get("saved");
  const where = displayPath(lookupsDir);
  if (saved === "regions") {
    return {
      kind: "ok",
      text: changed > 0
        ? `Saved ${changed} mapping${
          changed === 1 ? "" : "s"
        } to ${where}/region_map.json. Re-run to apply them.`
        : "Nothing changed: every value was left as it was.",
    };
  }
  if (saved === "categories") {
    return {
      kind: "ok",
      text: changed > 0
        ? `Saved ${changed} category choice${
          changed === 1 ? "" : "s"
        } to ${where}/. Re-run to apply them.`
        : "Nothing changed: every value was left as it was.",
    };
  }
  if (params.has("undone")) {
    return {
      kind: "ok",
      text: changed > 0
        ? `Undid the mapping of “${params.get("undone")}”. Re-run to apply.`
        : `“${params.get("undone")}” had no mapping to undo.`,
    };
  }
  return undefined;
}

async function reviewPage(
  c: Context,
  context: DashboardContext,
  flash?: Flash,
  status: 200 | 400 = 200,
) {
  const overview = await loadOverview(context.workspace);
  const report: LatestReport | undefined = overview.report;
  flash ??= flashFrom(new URL(c.req.url).searchParams, context.workspace.lookupsDir);
  let index: RejectedIndex | undefined;
  let indexProblem: string | undefined;
  if (report) {
    try {
      index = await rejectedIndex(report.rejectedCsvPaths, report.columns);
    } catch (error) {
      indexProblem = error instanceof Deno.errors.NotFound
        ? "The rejected rows were not saved, so the raw values cannot be listed; re-run clean-data without --no-save-rejected."
        : `The rejected rows cannot be read: ${errorMessage(error)}`;
    }
  }
  let lookups: ReviewLookups | undefined;
  let lookupsProblem: string | undefined;
  try {
    lookups = await readReviewLookups(context.workspace.lookupsDir);
  } catch (error) {
    lookupsProblem = errorMessage(error);
  }
  const history = await readHistory(context.workspace.dataDir);
  const snapshot = context.rerun.snapshot;
  const blocked = await rerunBlockedReason(overview.report);
  const regionSuggestions = index && lookups
    ? suggestionsOf(index.reviewRegions, "region", lookups.regions)
    : new Map();
  const categorySuggestions = index && lookups
    ? suggestionsOf(index.reviewCategories, "category", lookups.categories)
    : new Map();
  return renderPage(
    c,
    <Layout
      title="Review queue"
      tab="review"
      overview={overview}
      assets={context.assets}
      version={context.version}
      refreshSeconds={snapshot.status === "running" ? 2 : undefined}
    >
      <div class="page-head">
        <h1>Review queue</h1>
        <p class="muted">
          Values the lookups could not place. Lookups:{" "}
          <code>{displayPath(context.workspace.lookupsDir)}/</code>
        </p>
        <ol class="review-steps">
          <li>Choose what each value means (or leave it).</li>
          <li>Save each list.</li>
          <li>
            <a href="#rerun">Re-run</a>{" "}
            cleaning and aggregations to apply the saved choices everywhere.
          </li>
        </ol>
      </div>
      {flash && <p class={`notice ${flash.kind}`} role="status">{flash.text}</p>}
      {!report && (
        <p class="notice">
          No clean run yet: run <code>deno task pipeline</code> first.
        </p>
      )}
      {indexProblem && <p class="notice">{indexProblem}</p>}
      {lookupsProblem && <p class="notice error">The lookups cannot be read: {lookupsProblem}</p>}
      {index && lookups && (
        <>
          <Island name="unsaved_guard" props={{ forms: "form.review-form" }} />
          <ReviewQueue
            kind={regionQueue(lookups)}
            values={index.reviewRegions}
            suggestions={regionSuggestions}
          >
            <p class="muted">
              Raw values rejected as{" "}
              <code>unknown_region</code>. Choose the canonical region each one means; saving writes
              {" "}
              <code>region_map.json</code>{" "}
              (keys are stored lower-cased and trimmed, your other entries are kept). Leave a value
              as it is when you cannot tell. A suggested region is chosen for you and marked; check
              it before saving.
            </p>
          </ReviewQueue>
          <ReviewQueue
            kind={categoryQueue(lookups)}
            values={index.reviewCategories}
            suggestions={categorySuggestions}
          >
            <div class="explain">
              <p>
                Raw values rejected as{" "}
                <code>unknown_category</code>: each is more than 2 edits from every canonical
                category (closer typos are corrected automatically). Map a variant to the category
                it means (saved in{" "}
                <code>category_map.json</code>), or add a value that is a real category of its own
                to{" "}
                <code>common_categories.json</code>. Leave junk as it is: those rows stay rejected.
              </p>
            </div>
          </ReviewQueue>
        </>
      )}
      <section class="panel rerun-panel" id="rerun" aria-labelledby="rerun-title">
        <h2 id="rerun-title">Re-run to apply</h2>
        <Island
          name="rerun_panel"
          props={{
            initial: snapshot,
            blockedReason: blocked,
            actionUrl: "/rerun",
            eventsUrl: "/rerun/events",
          }}
        />
      </section>
      {lookups && <MappingsSection rows={mappingRows(history, lookups, index)} />}
    </Layout>,
    status,
  );
}

/** The posted form, or undefined when the body is not a form (JSON, nothing, garbage). */
async function readForm(c: Context): Promise<FormData | undefined> {
  try {
    return await c.req.formData();
  } catch {
    return undefined;
  }
}

function notAForm(c: Context, context: DashboardContext) {
  return reviewPage(c, context, {
    kind: "error",
    text: "The request did not carry the review form (a form post); nothing saved.",
  }, 400);
}

function incomplete(c: Context, context: DashboardContext) {
  return reviewPage(
    c,
    context,
    { kind: "error", text: "The form was incomplete; nothing saved." },
    400,
  );
}

/** History entries for saved changes, with the rows each value had in the rejected file. */
async function historyEntries(
  context: DashboardContext,
  column: Column,
  changes: MappingChange[],
): Promise<HistoryEntry[]> {
  const { report } = await loadOverview(context.workspace);
  let values: ReviewValue[] = [];
  try {
    if (report) {
      const index = await rejectedIndex(report.rejectedCsvPaths, report.columns);
      values = column === "region" ? index.reviewRegions : index.reviewCategories;
    }
  } catch { /* no rejected file: rows unknown (0) */ }
  const keyOf = column === "region" ? regionKey : categoryKey;
  const savedAt = new Date().toISOString();
  return changes.map((change) => {
    const value = values.find((candidate) => candidate.key === keyOf(change.key));
    return {
      column,
      key: keyOf(change.key),
      display: value?.display ?? change.key,
      value: change.value,
      previous: change.previous,
      rows: value?.rows ?? 0,
      savedAt,
    };
  });
}

/**
 * A handler for one of the page's forms: a body that is not a form is refused, and a UserError
 * (a lookup file that cannot be written, a choice the lookups refuse) is shown on the page.
 */
function formPost(
  context: DashboardContext,
  handle: (c: Context, form: FormData) => Promise<Response>,
): (c: Context) => Promise<Response> {
  return async (c) => {
    const form = await readForm(c);
    if (!form) return notAForm(c, context);
    try {
      return await handle(c, form);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      return reviewPage(c, context, { kind: "error", text: error.message }, 400);
    }
  };
}

export function mountReview(app: Hono, context: DashboardContext): void {
  app.get("/review", (c) => reviewPage(c, context));

  app.post(
    "/review/regions",
    formPost(context, async (c, form) => {
      const raws = form.getAll("raw").map(String);
      const regions = form.getAll("region").map(String);
      if (raws.length !== regions.length) return incomplete(c, context);
      const mappings = raws
        .map((raw, index) => ({ raw, region: regions[index] }))
        .filter((mapping) => mapping.region !== "");
      const { changed, changes } = await saveRegionMappings(context.workspace.lookupsDir, mappings);
      await recordMappings(
        context.workspace.dataDir,
        await historyEntries(
          context,
          "region",
          (changes ?? []).filter((change) => !isUnmappedRegionValue(change.value)),
        ),
      );
      return c.redirect(`/review?saved=regions&changed=${changed}`, 303);
    }),
  );

  app.post(
    "/review/categories",
    formPost(context, async (c, form) => {
      // One "Map to" choice per raw value: `add` (a new category) or `map:<category>`.
      const added: string[] = [];
      const raws = form.getAll("raw").map(String);
      const choices = form.getAll("category").map(String);
      const displays = form.getAll("display").map(String);
      if (raws.length !== choices.length) return incomplete(c, context);
      const mappings: { raw: string; category: string }[] = [];
      raws.forEach((raw, at) => {
        const choice = choices[at];
        if (choice === ADD_AS_CATEGORY) added.push(displays[at] ?? raw);
        else if (choice.startsWith(MAP_TO_CATEGORY)) {
          mappings.push({ raw, category: choice.slice(MAP_TO_CATEGORY.length) });
        }
      });
      const lookupsDir = context.workspace.lookupsDir;
      const mapped = await saveCategoryMappings(lookupsDir, mappings);
      const grown = await addCanonicalCategories(lookupsDir, added);
      await recordMappings(
        context.workspace.dataDir,
        await historyEntries(context, "category", mapped.changes ?? []),
      );
      return c.redirect(`/review?saved=categories&changed=${mapped.changed + grown.changed}`, 303);
    }),
  );

  app.post(
    "/review/undo",
    formPost(context, async (c, form) => {
      const column = String(form.get("column") ?? "");
      const raw = String(form.get("raw") ?? "");
      const previous = form.get("previous");
      if ((column !== "region" && column !== "category") || raw === "") {
        return incomplete(c, context);
      }
      const { changed } = await undoMapping(
        context.workspace.lookupsDir,
        column,
        raw,
        previous === null ? undefined : String(previous),
      );
      await forgetMapping(
        context.workspace.dataDir,
        column,
        column === "region" ? regionKey(raw) : categoryKey(raw),
      );
      return c.redirect(`/review?undone=${encodeURIComponent(raw)}&changed=${changed}`, 303);
    }),
  );
}
