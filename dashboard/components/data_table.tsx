/**
 * A server-rendered table: numbers right-aligned in tabular figures, sortable headers as links
 * (so sorting works without JavaScript), long text clipped with the full value on hover. Every value
 * is rendered as text, which the renderer escapes.
 */
import { formatValue, type ValueFormat } from "../shared/format.ts";

export interface TableColumnSpec {
  name: string;
  label?: string;
  format: ValueFormat;
  numeric: boolean;
}

export interface SortState {
  column?: string;
  direction: "asc" | "desc";
  /** The link that sorts by `column` in `direction`. */
  link: (column: string, direction: "asc" | "desc") => string;
}

export interface DataTableProps {
  columns: TableColumnSpec[];
  /** Values in column order. */
  rows: unknown[][];
  sort?: SortState;
  caption?: string;
  empty?: string;
  /** Extra class for a cell, like a reason badge. */
  cellClass?: (column: TableColumnSpec, value: unknown) => string | undefined;
  id?: string;
  /**
   * The name of the table's scroll box, which keyboard users can focus to scroll a wide table
   * sideways (default: the caption, else one made from `id`).
   */
  label?: string;
  /**
   * A footer row: `label` in the first column, then a value per column (undefined leaves a cell
   * blank). It sums every row the filters keep, not just the page shown.
   */
  totals?: { label: string; values: unknown[] };
}

/** Text longer than this is clipped in its cell; the whole value is in the title. */
const CLIP_AT = 48;

function SortHeader({ column, sort }: { column: TableColumnSpec; sort: SortState }) {
  const active = sort.column === column.name;
  // A first click sorts numbers largest first and text A to Z; a second click reverses.
  const next = active
    ? (sort.direction === "asc" ? "desc" : "asc")
    : (column.numeric ? "desc" : "asc");
  return (
    <th
      scope="col"
      class={column.numeric ? "num" : undefined}
      aria-sort={active ? (sort.direction === "asc" ? "ascending" : "descending") : undefined}
    >
      <a href={sort.link(column.name, next)} class={`sort${active ? " active" : ""}`}>
        {column.label ?? column.name}
        <span class="sort-icon" aria-hidden="true">
          {active ? (sort.direction === "asc" ? "▲" : "▼") : "↕"}
        </span>
      </a>
    </th>
  );
}

export function DataTable(props: DataTableProps) {
  return (
    <div
      class="table-wrap"
      id={props.id}
      tabIndex={0}
      role="region"
      aria-label={props.label ?? props.caption ??
        (props.id ? `${props.id.replaceAll(/[-_]/g, " ")} table` : "Table")}
    >
      <table class="data">
        {props.caption && <caption>{props.caption}</caption>}
        <thead>
          <tr>
            {props.columns.map((column) =>
              props.sort
                ? <SortHeader key={column.name} column={column} sort={props.sort} />
                : (
                  <th key={column.name} scope="col" class={column.numeric ? "num" : undefined}>
                    {column.label ?? column.name}
                  </th>
                )
            )}
          </tr>
        </thead>
        <tbody>
          {props.rows.length === 0 && (
            <tr>
              <td class="empty" colSpan={props.columns.length}>{props.empty ?? "No rows."}</td>
            </tr>
          )}
          {props.rows.map((row) => (
            <tr>
              {props.columns.map((column, index) => {
                const value = row[index];
                const text = formatValue(value, column.format);
                const extra = props.cellClass?.(column, value);
                const classes = [
                  column.numeric ? "num" : undefined,
                  value === null || value === undefined || value === "" ? "missing" : undefined,
                  text.length > CLIP_AT ? "clip" : undefined,
                  extra,
                ].filter(Boolean).join(" ");
                return (
                  <td class={classes || undefined} title={text.length > CLIP_AT ? text : undefined}>
                    {text}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
        {props.totals && (
          <tfoot>
            <tr class="totals">
              {props.columns.map((column, index) =>
                index === 0
                  ? <th key={column.name} scope="row">{props.totals!.label}</th>
                  : (
                    <td key={column.name} class={column.numeric ? "num" : undefined}>
                      {props.totals!.values[index] === undefined
                        ? ""
                        : formatValue(props.totals!.values[index], column.format)}
                    </td>
                  )
              )}
            </tr>
          </tfoot>
        )}
      </table>
    </div>
  );
}
