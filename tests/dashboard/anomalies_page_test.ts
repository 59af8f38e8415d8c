/**
 * The Anomalies & Rejections page and the review badge over HTTP, on the shared fixture workspace:
 * what a reader sees for malformed rows and zero quantities, the reasons in rule order, the
 * no-JavaScript filter form's redirect to a clean URL, the CSV download's headers, and a badge
 * that counts what the review queue can act on.
 */
import assert from "node:assert/strict";
import { serveFixture, sharedFixtureWorkspace } from "./_fixture_workspace.ts";
import { REJECTION_REASONS } from "../../src/cleaning/rules/reasons.ts";

async function withServer(body: (url: (path: string) => URL) => Promise<void>): Promise<void> {
  const server = await serveFixture(await sharedFixtureWorkspace());
  try {
    await body((path) => new URL(path, server.url));
  } finally {
    await server.shutdown();
  }
}

Deno.test("the anomalies page: malformed raw lines in full, reasons in rule order, honest help", async () => {
  await withServer(async (url) => {
    const html = await (await fetch(url("/anomalies?reason=malformed_row"))).text();
    // The fixture's malformed rows are `ORD-…,<product>,broken row`: the whole line, in its column.
    const cells = [...html.matchAll(/<td class="raw-line"><span class="raw-text">([^<]*)<\/span>/g)]
      .map((match) => match[1]);
    assert.ok(cells.length > 0);
    assert.ok(cells.every((cell) => /^ORD-\d{7},[^,]+,broken row$/.test(cell)), cells[0]);
    assert.match(html, /<th scope="col" class="raw-line">raw line<\/th>/);
    assert.doesNotMatch(html, /class="[^"]*clip/);
    assert.match(html, /zero_quantity<\/a>|zero_quantity<\/span>/);
    assert.match(html, /quantity is 0 or negative \(a negative quantity counts as 0\)/);
    // The reason choices follow rule order.
    const select = html.slice(html.indexOf('<select name="reason">'));
    const listed = [...select.slice(0, select.indexOf("</select>")).matchAll(/value="(\w+)"/g)]
      .map((match) => match[1]);
    assert.ok(listed.length > 3);
    const order = listed.map((reason) => (REJECTION_REASONS as readonly string[]).indexOf(reason));
    assert.deepEqual(order, [...order].sort((a, b) => a - b));
    assert.ok(order.every((at) => at >= 0));
  });
});

Deno.test("the filter form's fields become a clean URL; the download is a named attachment", async () => {
  await withServer(async (url) => {
    const redirect = await fetch(url("/anomalies?wcol=region&wval=%20Atlantis%20&q=ord&size=50"), {
      redirect: "manual",
    });
    await redirect.body?.cancel();
    assert.equal(redirect.status, 303);
    assert.equal(
      redirect.headers.get("location"),
      "/anomalies?q=ord&where=region%3DAtlantis&size=50#rejected",
    );
    const download = await fetch(url("/anomalies/rejected.csv?reason=unknown_region&q=atlantis"));
    assert.equal(download.headers.get("content-type"), "text/csv; charset=utf-8");
    assert.equal(
      download.headers.get("content-disposition"),
      'attachment; filename="dirty_fixture_rejected_unknown_region_filtered.csv"',
    );
    const lines = (await download.text()).trimEnd().split("\n");
    assert.ok(lines.length > 1 && lines.slice(1).every((line) => line.includes("Atlantis")));
  });
});

Deno.test("the review badge counts the values the queue lists, not blank ones, and says so", async () => {
  await withServer(async (url) => {
    // The review page indexes the rejected rows; a page waits only briefly for the badge's count.
    const review = await (await fetch(url("/review"))).text();
    const html = await (await fetch(url("/anomalies"))).text();
    const badge = html.match(/<span class="badge" title="([^"]*)">([^<]*)<\/span>/);
    assert.ok(badge);
    const listed = [...review.matchAll(/<th scope="row" class="raw"><a [^>]*><code>/g)].length;
    const mappings = [
      ...review.slice(review.indexOf('id="mappings"'))
        .matchAll(/<th scope="row" class="raw"><a [^>]*><code>/g),
    ].length;
    assert.equal(Number(badge[2]), listed - mappings);
    assert.match(
      badge[1],
      /^\d+ raw region and category values to review \([\d,]+ rejected rows\)/,
    );
  });
});
