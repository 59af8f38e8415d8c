/**
 * Pages for 404s and errors: inside the usual layout (KPI header and freshness) when the workspace
 * can be read, else a plain page styled like the rest.
 */
import { type Assets, HtmlDocument } from "./layout.tsx";

/** The error itself: status, what happened, the way back (inside the page's one `main`). */
export function ErrorContent({ status, title, detail }: {
  status: number;
  title: string;
  detail: string;
}) {
  return (
    <section class="error-page" aria-labelledby="error-title">
      <p class="error-status">{status}</p>
      <h1 id="error-title">{title}</h1>
      <p>{detail}</p>
      <p>
        <a class="button" href="/explorer">Back to the dashboard</a>
      </p>
    </section>
  );
}

/** The fallback when even the header cannot be drawn (the workspace itself is unreadable). */
export function ErrorPage(
  { status, title, detail, assets }: {
    status: number;
    title: string;
    detail: string;
    assets: Assets;
  },
) {
  return (
    <HtmlDocument title={title} head={<link rel="stylesheet" href={assets.appCss} />}>
      <main id="main">
        <ErrorContent status={status} title={title} detail={detail} />
      </main>
    </HtmlDocument>
  );
}
