/**
 * The rejected rows as a table: line and reason first (where and why), then the fields as read,
 * with the field the row failed on marked. A `malformed_row` has no fields: its raw line is shown
 * in full, wrapped, in a "raw line" column of its own. Headers are sort links (no JavaScript
 * needed); every value is rendered as text, which the renderer escapes.
 */
import { failingColumns, type RejectedQuery } from "../lib/rejected_query.ts";
import { formatCount } from "../shared/format.ts";
import { linkWith } from "./url.ts";

export const RAW_LINE_LABEL = "raw line";

export interface RejectedTableProps {
  header: readonly string[];
  rows: readonly string[][];
  query: RejectedQuery;
  /** The page's parameters, for sort links that keep the filters. */
  params: URLSearchParams;
  path: string;
  anchor: string;
  empty: string;
}

interface Column {
  /** Header column, or -1 for the raw line. */
  index: number;
  label: string;
  numeric: boolean;
  sortable: boolean;
}

export function RejectedTable(props: RejectedTableProps) {
  const { header, rows, query } = props;
  const reasonColumn = header.lastIndexOf("rejection_reason");
  const lineColumn = header.lastIndexOf("source_line");
  const isMalformed = (row: readonly string[]) => row[reasonColumn] === "malformed_row";
  const onlyMalformed = query.reason === "malformed_row";
  const anyMalformed = onlyMalformed || rows.some(isMalformed);
  const fields = header.map((_, column) => column)
    .filter((column) => column !== lineColumn && column !== reasonColumn);
  const columns: Column[] = [
    ...[lineColumn, reasonColumn].filter((column) => column >= 0).map((index) => ({
      index,
      label: header[index],
      numeric: index === lineColumn,
      sortable: true,
    })),
    ...(anyMalformed
      ? [{ index: -1, label: RAW_LINE_LABEL, numeric: false, sortable: false }]
      : []),
    // A malformed row has no fields: a view of only those shows its raw line alone.
    ...(onlyMalformed
      ? []
      : fields.map((index) => ({ index, label: header[index], numeric: false, sortable: true }))),
  ];
  const sortLink = (column: string, direction: "asc" | "desc") =>
    linkWith(props.path, props.params, { sort: column, dir: direction, page: undefined }) +
    `#${props.anchor}`;
  return (
    <div class="table-wrap rejected-wrap">
      <table class="data rejected">
        <thead>
          <tr>
            {columns.map((column) => {
              const name = header[column.index];
              const active = column.sortable && query.sort === name;
              const next = active ? (query.direction === "asc" ? "desc" : "asc") : "asc";
              return (
                <th
                  scope="col"
                  class={column.numeric ? "num" : column.index < 0 ? "raw-line" : undefined}
                  aria-sort={active
                    ? (query.direction === "asc" ? "ascending" : "descending")
                    : undefined}
                >
                  {column.sortable
                    ? (
                      <a href={sortLink(name, next)} class={`sort${active ? " active" : ""}`}>
                        {column.label}
                        <span class="sort-icon" aria-hidden="true">
                          {active ? (query.direction === "asc" ? "▲" : "▼") : "↕"}
                        </span>
                      </a>
                    )
                    : column.label}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td class="empty" colSpan={columns.length}>{props.empty}</td>
            </tr>
          )}
          {rows.map((row) => {
            const malformed = isMalformed(row);
            const failing = failingColumns(header, row[reasonColumn] ?? "");
            return (
              <tr>
                {columns.map((column) => {
                  if (column.index < 0) {
                    return (
                      <td key="raw" class="raw-line">
                        {malformed && <span class="raw-text">{row[0]}</span>}
                      </td>
                    );
                  }
                  // A malformed row's first field is its raw line, shown in that column instead.
                  const value = malformed && column.index === 0 ? "" : row[column.index] ?? "";
                  if (column.index === lineColumn) {
                    return <td key="line" class="num">{formatCount(Number(value))}</td>;
                  }
                  const fails = failing.has(column.index);
                  const classes = [
                    column.index === reasonColumn ? "reason" : undefined,
                    value.trim() === "" ? "missing" : undefined,
                    fails ? "failing" : undefined,
                  ].filter(Boolean).join(" ");
                  return (
                    <td
                      class={classes || undefined}
                      title={fails ? `${row[reasonColumn]}: this field failed the rule` : undefined}
                    >
                      {value === "" && fails ? "(blank)" : value}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
