/** A plain page for 404s and errors, styled like the rest, without the data header. */
import type { Assets } from "./layout.tsx";

export function ErrorPage(
  { status, title, detail, assets }: {
    status: number;
    title: string;
    detail: string;
    assets: Assets;
  },
) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{`${title} · dpd`}</title>
        <link rel="stylesheet" href={assets.appCss} />
      </head>
      <body>
        <main class="error-page">
          <p class="error-status">{status}</p>
          <h1>{title}</h1>
          <p>{detail}</p>
          <p>
            <a class="button" href="/explorer">Back to the dashboard</a>
          </p>
        </main>
      </body>
    </html>
  );
}
