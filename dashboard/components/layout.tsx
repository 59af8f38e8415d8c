/**
 * The page shell: head (styles, the island bundle), the top bar with tabs, the KPI strip and
 * data freshness, then the page's content. Light and dark follow the system (`color-scheme` and
 * `prefers-color-scheme` in app.css).
 */
import type { ComponentChildren } from "preact";
import type { Overview } from "../lib/overview.ts";
import { formatCompact, formatCount } from "../shared/format.ts";
import { Freshness } from "./freshness.tsx";
import { Island } from "./island.tsx";
import { KpiHeader } from "./kpi_header.tsx";

export type Tab = "explorer" | "anomalies" | "review";

/** Versioned URLs of the static assets (the version changes when a file does). */
export interface Assets {
  appCss: string;
  uplotCss: string;
  clientJs: string;
  favicon: string;
}

export interface LayoutProps {
  title: string;
  /** The current tab; none on an error page. */
  tab?: Tab;
  overview: Overview;
  assets: Assets;
  version: string;
  /** Reload the page every N seconds (a re-run in progress, without JavaScript). */
  refreshSeconds?: number;
  children: ComponentChildren;
}

function Logo() {
  return (
    <svg class="logo" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
      <rect x="2" y="13" width="4.5" height="9" rx="1.2" />
      <rect x="9.75" y="7" width="4.5" height="15" rx="1.2" />
      <rect x="17.5" y="2" width="4.5" height="20" rx="1.2" />
    </svg>
  );
}

/** The document around every page, the error fallback's too: language, viewport, title. */
export function HtmlDocument(
  { title, head, children }: {
    title: string;
    head: ComponentChildren;
    children: ComponentChildren;
  },
) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{`${title} · dpd`}</title>
        {head}
      </head>
      <body>{children}</body>
    </html>
  );
}

/** Seconds between reloads of a page without JavaScript while a re-run rewrites the data. */
const RERUN_REFRESH_SECONDS = 5;

export function Layout(props: LayoutProps) {
  const { overview } = props;
  // What a person can act on: the non-blank values the review queue lists (blank ones cannot be
  // mapped), not every row rejected for an unknown region or category.
  const queue = overview.reviewQueue;
  const reviewBadgeTitle = queue
    ? `${formatCount(queue.values)} raw region and category value${
      queue.values === 1 ? "" : "s"
    } to review (${formatCount(queue.rows)} rejected rows)` +
      (queue.blankRows > 0
        ? `; ${formatCount(queue.blankRows)} rows with a blank value are not counted`
        : "")
    : undefined;
  const rerun = overview.rerun;
  const refreshSeconds = props.refreshSeconds ??
    (rerun?.status === "running" ? RERUN_REFRESH_SECONDS : undefined);
  const tabs: { id: Tab; href: string; label: string; badge?: number; badgeTitle?: string }[] = [
    { id: "explorer", href: "/explorer", label: "Aggregations Explorer" },
    { id: "anomalies", href: "/anomalies", label: "Anomalies & Rejections" },
    {
      id: "review",
      href: "/review",
      label: "Review queue",
      badge: queue?.values,
      badgeTitle: reviewBadgeTitle,
    },
  ];
  return (
    <HtmlDocument
      title={props.title}
      head={
        <>
          {refreshSeconds && <meta http-equiv="refresh" content={String(refreshSeconds)} />}
          <link rel="icon" href={props.assets.favicon} type="image/svg+xml" />
          <link rel="stylesheet" href={props.assets.uplotCss} />
          <link rel="stylesheet" href={props.assets.appCss} />
          <script type="module" src={props.assets.clientJs} />
        </>
      }
    >
      <a class="skip" href="#main">Skip to content</a>
      <header class="topbar">
        <a class="brand" href="/">
          <Logo />
          <span class="brand-name">dpd</span>
          <span class="brand-sub">Data Pipeline Dashboard</span>
        </a>
        <nav class="tabs" aria-label="Sections">
          {tabs.map((tab) => (
            <a
              href={tab.href}
              class="tab"
              aria-current={tab.id === props.tab ? "page" : undefined}
            >
              {tab.label}
              {tab.badge
                ? (
                  <span class="badge" title={tab.badgeTitle}>
                    {formatCompact(tab.badge, "count")}
                  </span>
                )
                : null}
            </a>
          ))}
        </nav>
      </header>
      {rerun && (
        <Island
          name="rerun_banner"
          props={{ initial: rerun, eventsUrl: "/rerun/events", statusUrl: "/rerun/status" }}
          class="rerun-banner-island"
        />
      )}
      <section class="summary" aria-label="Key figures and data freshness">
        <p class="summary-scope">
          All-time figures of the latest clean run; filters on a page do not change them.
        </p>
        <KpiHeader kpis={overview.kpis} />
        <Freshness overview={overview} />
        {overview.reportProblem && (
          <p class="notice error">
            The clean report {overview.reportProblem.path} cannot be read:{" "}
            {overview.reportProblem.problem}
          </p>
        )}
      </section>
      <main id="main">{props.children}</main>
      <footer class="footer">
        dpd {props.version} · every page is read from disk when you load it
      </footer>
    </HtmlDocument>
  );
}
