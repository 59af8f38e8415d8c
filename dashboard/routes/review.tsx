/**
 * The review queue (DESIGN §6): the raw region and category values that were rejected, with their
 * row counts, where a person decides what each means; then a re-run applies the decisions.
 *
 * - Regions: each raw value can be mapped to a canonical region; saving writes
 *   `lookups/region_map.json` atomically (other entries kept, file kept sorted).
 * - Categories: DESIGN §3 has no category map, so a rejected category cannot be mapped onto an
 *   existing one. The one lookup change that accepts it is making it a canonical category of its
 *   own (added to `common_categories.json`, which the builders keep on their next run). Typos of an
 *   existing category within 2 edits never reach this queue: the cleaner fixes them.
 */
import type { Context, Hono } from "hono";
import { UserError } from "../../src/cli/errors.ts";
import { categoryKey, regionKey } from "../../src/lookups/keys.ts";
import { isUnmappedRegionValue } from "../../src/lookups/lookup_files.ts";
import { Island } from "../components/island.tsx";
import { Layout } from "../components/layout.tsx";
import { closestNames } from "../lib/closest_names.ts";
import type { CleanReport } from "../lib/clean_report.ts";
import {
  addCanonicalCategories,
  readReviewLookups,
  type ReviewLookups,
  saveRegionMappings,
} from "../lib/lookup_edits.ts";
import { loadOverview } from "../lib/overview.ts";
import { type RejectedIndex, rejectedIndex, type ReviewValue } from "../lib/rejected_index.ts";
import { displayPath } from "../lib/workspace.ts";
import { formatCount } from "../shared/format.ts";
import { type DashboardContext, renderPage } from "./_context.ts";
import { rerunBlockedReason } from "./rerun.ts";

/** Values listed per kind; the rest are counted (most rows first, so the big wins come first). */
export const REVIEW_LIMIT = 200;

/** The value a map key currently has for `key` (ignoring the key's spelling), if any. */
function mappedRegion(map: Record<string, string>, key: string): string | undefined {
  if (Object.hasOwn(map, key)) return map[key];
  const spelling = Object.keys(map).find((candidate) => regionKey(candidate) === key);
  return spelling === undefined ? undefined : map[spelling];
}

function Hint(
  { key_, names, keyOf }: { key_: string; names: string[]; keyOf: (name: string) => string },
) {
  const closest = closestNames(key_, names, keyOf);
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

/** Rows whose value is blank: always rejected, nothing a lookup can map (DESIGN §3). */
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

function RegionQueue({ values: all, lookups }: { values: ReviewValue[]; lookups: ReviewLookups }) {
  const values = all.filter((value) => value.key !== "");
  return (
    <section class="panel" id="regions" aria-labelledby="regions-title">
      <h2 id="regions-title">Regions</h2>
      <p class="muted">
        Raw values rejected as{" "}
        <code>unknown_region</code>. Choose the canonical region each one means; saving writes{" "}
        <code>region_map.json</code>{" "}
        (keys are stored lower-cased and trimmed, your other entries are kept). Leave a value as it
        is when you cannot tell.
      </p>
      {values.length === 0
        ? <p class="notice ok">No region values are waiting for review.</p>
        : (
          <form method="post" action="/review/regions">
            <div class="table-wrap">
              <table class="data review">
                <thead>
                  <tr>
                    <th scope="col">Raw value</th>
                    <th scope="col" class="num">Rows</th>
                    <th scope="col">In region_map.json</th>
                    <th scope="col">Closest region</th>
                    <th scope="col">Map to</th>
                  </tr>
                </thead>
                <tbody>
                  {values.slice(0, REVIEW_LIMIT).map((value) => {
                    const current = mappedRegion(lookups.regionMap, value.key);
                    const pending = current !== undefined && !isUnmappedRegionValue(current);
                    return (
                      <tr>
                        <th scope="row" class="raw">
                          <code>{value.display}</code>
                          {value.spellings > 1 && (
                            <span class="muted">
                              +{value.spellings - 1} spelling{value.spellings > 2 ? "s" : ""}
                            </span>
                          )}
                        </th>
                        <td class="num">{formatCount(value.rows)}</td>
                        <td>
                          {current === undefined
                            ? <span class="muted">not listed</span>
                            : pending
                            ? <span class="tag ok" title="Saved; re-run to apply">→ {current}</span>
                            : <span class="tag">UNKNOWN</span>}
                        </td>
                        <td>
                          <Hint key_={value.key} names={lookups.regions} keyOf={regionKey} />
                        </td>
                        <td>
                          <input type="hidden" name="raw" value={value.key} />
                          <select name="region" aria-label={`Region for ${value.display}`}>
                            <option value="">— leave as is —</option>
                            {lookups.regions.map((region) => (
                              <option value={region} selected={pending && region === current}>
                                {region}
                              </option>
                            ))}
                            <option value="UNKNOWN">UNKNOWN (decide later)</option>
                          </select>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            <MoreValues values={values} />
            <BlankNote values={all} column="region" />
            <div class="form-actions">
              <button type="submit" class="button primary" id="save-regions">
                Save region mappings
              </button>
            </div>
          </form>
        )}
    </section>
  );
}

function CategoryQueue(
  { values: all, lookups }: { values: ReviewValue[]; lookups: ReviewLookups },
) {
  const values = all.filter((value) => value.key !== "");
  return (
    <section class="panel" id="categories" aria-labelledby="categories-title">
      <h2 id="categories-title">Categories</h2>
      <div class="explain">
        <p>
          Raw values rejected as{" "}
          <code>unknown_category</code>: each is more than 2 edits from every canonical category
          (closer typos are corrected automatically). The lookups have no category map (DESIGN §3),
          so a value cannot be pointed at an existing category here.
        </p>
        <p>
          If a value is a real category of its own, tick it to add it to{" "}
          <code>common_categories.json</code>; its rows are accepted on the next re-run, and close
          misspellings of it are corrected to it from then on. Otherwise leave it: those rows stay
          rejected, which is usually right for junk.
        </p>
      </div>
      {values.length === 0
        ? <p class="notice ok">No category values are waiting for review.</p>
        : (
          <form method="post" action="/review/categories">
            <div class="table-wrap">
              <table class="data review">
                <thead>
                  <tr>
                    <th scope="col">Raw value</th>
                    <th scope="col" class="num">Rows</th>
                    <th scope="col">Closest category</th>
                    <th scope="col">Add as canonical</th>
                  </tr>
                </thead>
                <tbody>
                  {values.slice(0, REVIEW_LIMIT).map((value) => (
                    <tr>
                      <th scope="row" class="raw">
                        <code>{value.display}</code>
                      </th>
                      <td class="num">{formatCount(value.rows)}</td>
                      <td>
                        <Hint key_={value.key} names={lookups.categories} keyOf={categoryKey} />
                      </td>
                      <td>
                        <label class="check">
                          <input type="checkbox" name="add" value={value.display} />
                          <span class="visually-hidden">Add {value.display}</span>
                        </label>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <MoreValues values={values} />
            <BlankNote values={all} column="category" />
            <div class="form-actions">
              <button type="submit" class="button">Add ticked values as categories</button>
            </div>
          </form>
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
  if (saved === "regions") {
    return {
      kind: "ok",
      text: changed > 0
        ? `Saved ${changed} mapping${changed === 1 ? "" : "s"} to ${
          displayPath(lookupsDir)
        }/region_map.json. Re-run to apply them.`
        : "Nothing changed: every value was left as it was.",
    };
  }
  if (saved === "categories") {
    return {
      kind: "ok",
      text: changed > 0
        ? `Added ${changed} categor${changed === 1 ? "y" : "ies"} to ${
          displayPath(lookupsDir)
        }/common_categories.json. Re-run to apply.`
        : "Nothing changed: no new category was ticked.",
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
  const report: CleanReport | undefined = overview.report;
  flash ??= flashFrom(new URL(c.req.url).searchParams, context.workspace.lookupsDir);
  let index: RejectedIndex | undefined;
  let indexProblem: string | undefined;
  if (report) {
    try {
      index = await rejectedIndex(report.rejectedCsvPath, report.columns);
    } catch (error) {
      indexProblem = error instanceof Deno.errors.NotFound
        ? "The rejected rows were not saved, so the raw values cannot be listed; re-run clean-data without --no-save-rejected."
        : `The rejected rows cannot be read: ${
          error instanceof Error ? error.message : String(error)
        }`;
    }
  }
  let lookups: ReviewLookups | undefined;
  let lookupsProblem: string | undefined;
  try {
    lookups = await readReviewLookups(context.workspace.lookupsDir);
  } catch (error) {
    lookupsProblem = error instanceof Error ? error.message : String(error);
  }
  const snapshot = context.rerun.snapshot;
  const blocked = await rerunBlockedReason(overview.report);
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
          Values the lookups could not place. Decide what they mean, save, then re-run cleaning and
          aggregations to see the effect. Lookups:{" "}
          <code>{displayPath(context.workspace.lookupsDir)}/</code>
        </p>
      </div>
      {flash && <p class={`notice ${flash.kind}`} role="status">{flash.text}</p>}
      <section class="panel rerun-panel" id="rerun" aria-labelledby="rerun-title">
        <h2 id="rerun-title">Apply</h2>
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
      {!report && (
        <p class="notice">
          No clean run yet: run <code>deno task pipeline</code> first.
        </p>
      )}
      {indexProblem && <p class="notice">{indexProblem}</p>}
      {lookupsProblem && <p class="notice error">The lookups cannot be read: {lookupsProblem}</p>}
      {index && lookups && (
        <>
          <RegionQueue values={index.reviewRegions} lookups={lookups} />
          <CategoryQueue values={index.reviewCategories} lookups={lookups} />
        </>
      )}
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

export function mountReview(app: Hono, context: DashboardContext): void {
  app.get("/review", (c) => reviewPage(c, context));

  app.post("/review/regions", async (c) => {
    const form = await readForm(c);
    if (!form) return notAForm(c, context);
    const raws = form.getAll("raw").map(String);
    const regions = form.getAll("region").map(String);
    if (raws.length !== regions.length) {
      return reviewPage(c, context, {
        kind: "error",
        text: "The form was incomplete; nothing saved.",
      }, 400);
    }
    const mappings = raws
      .map((raw, index) => ({ raw, region: regions[index] }))
      .filter((mapping) => mapping.region !== "");
    try {
      const { changed } = await saveRegionMappings(context.workspace.lookupsDir, mappings);
      return c.redirect(`/review?saved=regions&changed=${changed}`, 303);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      return reviewPage(c, context, { kind: "error", text: error.message }, 400);
    }
  });

  app.post("/review/categories", async (c) => {
    const form = await readForm(c);
    if (!form) return notAForm(c, context);
    const names = form.getAll("add").map(String);
    try {
      const { changed } = await addCanonicalCategories(context.workspace.lookupsDir, names);
      return c.redirect(`/review?saved=categories&changed=${changed}`, 303);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      return reviewPage(c, context, { kind: "error", text: error.message }, 400);
    }
  });
}
