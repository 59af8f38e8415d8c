/** "Rows 51–100 of 7,305" with first / previous / next / last links and a page-size choice. */
import { formatCount } from "../shared/format.ts";
import { linkWith } from "./url.ts";

export interface PagerProps {
  path: string;
  params: URLSearchParams;
  /** The page shown, as table_query's `pageOf` cuts it: its number, the page count, its rows. */
  slice: { page: number; pageCount: number; first: number; rows: ArrayLike<unknown> };
  total: number;
  /** The query parameter holding the page number (pages with two tables use two). */
  pageParam?: string;
  /** The fragment to land on, so paging does not jump to the top. */
  anchor?: string;
  /** What the rows are, like "rows" or "rejected rows". */
  noun?: string;
  /** The navigation's name; by default it names the rows, so two pagers on a page differ. */
  label?: string;
}

export function Pager({ slice, ...props }: PagerProps) {
  const { page: current, pageCount, first } = slice;
  const shown = slice.rows.length;
  const param = props.pageParam ?? "page";
  const hash = props.anchor ? `#${props.anchor}` : "";
  const to = (page: number) => linkWith(props.path, props.params, { [param]: page }) + hash;
  const noun = props.noun ?? "rows";
  const PageLink = (
    { page, label, rel, disabled }: {
      page: number;
      label: string;
      rel?: string;
      disabled: boolean;
    },
  ) =>
    disabled
      ? <span class="page-link disabled" aria-disabled="true">{label}</span>
      : <a class="page-link" href={to(page)} rel={rel}>{label}</a>;
  return (
    <nav class="pager" aria-label={props.label ?? (noun === "rows" ? "Pages" : `Pages of ${noun}`)}>
      <span class="pager-count">
        {props.total === 0
          ? `No ${noun}`
          : `${noun.charAt(0).toUpperCase()}${noun.slice(1)} ${formatCount(first + 1)}–${
            formatCount(first + shown)
          } of ${formatCount(props.total)}`}
      </span>
      <span class="pager-links">
        <PageLink page={1} label="« First" disabled={current <= 1} />
        <PageLink page={current - 1} label="‹ Prev" rel="prev" disabled={current <= 1} />
        <span class="page-current">
          Page {formatCount(current)} of {formatCount(pageCount)}
        </span>
        <PageLink
          page={current + 1}
          label="Next ›"
          rel="next"
          disabled={current >= pageCount}
        />
        <PageLink
          page={pageCount}
          label="Last »"
          disabled={current >= pageCount}
        />
      </span>
    </nav>
  );
}
