/**
 * Data freshness: when each input and output was last written, as a one-line summary that opens
 * into a table, plus warnings when a stage's output predates its inputs.
 */
import { formatAge } from "../shared/format.ts";
import type { Overview } from "../lib/overview.ts";
import { displayPath } from "../lib/workspace.ts";
import { shardProgressText } from "../lib/clean_report.ts";

function Time({ ms, now }: { ms: number; now: number }) {
  const iso = new Date(ms).toISOString();
  return (
    <time dateTime={iso} title={iso.replace("T", " ").slice(0, 19) + " UTC"}>
      {formatAge(ms, now)}
    </time>
  );
}

export function Freshness({ overview }: { overview: Overview }) {
  const { freshness, nowMs, warnings, report } = overview;
  const clean = freshness.find((item) => item.label === "Clean data");
  const aggregations = freshness.find((item) => item.label === "Aggregations");
  return (
    <details class={`freshness${warnings.length > 0 ? " has-warnings" : ""}`}>
      <summary>
        <span class="freshness-title">Data freshness</span>
        {report && (
          <span class="freshness-part">
            dataset <strong>{report.stem}</strong>
          </span>
        )}
        {report?.shards && <span class="freshness-part">{shardProgressText(report.shards)}</span>}
        {clean?.modifiedMs !== undefined && (
          <span class="freshness-part">
            cleaned <Time ms={clean.modifiedMs} now={nowMs} />
          </span>
        )}
        {aggregations?.modifiedMs !== undefined && (
          <span class="freshness-part">
            aggregated <Time ms={aggregations.modifiedMs} now={nowMs} />
          </span>
        )}
        {warnings.length > 0 && (
          <span class="freshness-warning-count">
            {warnings.length} warning{warnings.length === 1 ? "" : "s"}
          </span>
        )}
      </summary>
      {warnings.length > 0 && (
        <ul class="warnings">
          {warnings.map((warning) => <li key={warning}>{warning}</li>)}
        </ul>
      )}
      <table class="freshness-table">
        <thead>
          <tr>
            <th scope="col">Input or output</th>
            <th scope="col">Last written</th>
            <th scope="col">Path</th>
            <th scope="col">Notes</th>
          </tr>
        </thead>
        <tbody>
          {freshness.map((item) => (
            <tr key={item.label}>
              <th scope="row">{item.label}</th>
              <td>
                {item.modifiedMs === undefined
                  ? <span class="missing">missing</span>
                  : <Time ms={item.modifiedMs} now={nowMs} />}
              </td>
              <td class="path">
                {item.path === undefined
                  ? "—"
                  : item.href
                  ? <a href={item.href} download>{displayPath(item.path)}</a>
                  : displayPath(item.path)}
              </td>
              <td>{item.detail ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
