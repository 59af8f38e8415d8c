/**
 * The running server over real HTTP: pages, safety rules (bind address, traversal, escaping,
 * same-origin writes, DNS rebinding), the CSV download against the parquet, and data read fresh
 * from disk on every request.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parquetReadObjects } from "hyparquet";
import { asyncBufferFromFile } from "hyparquet/src/node.js";
import type { DashboardServer } from "../../dashboard/server.ts";
import { parseCsvChunk, recordFields } from "../../src/io/csv_parse.ts";
import {
  type FixtureWorkspace,
  HOSTILE_VALUE,
  serveFixture,
  sharedFixtureWorkspace,
  withFreshDashboard,
} from "./_fixture_workspace.ts";

const SECRET = "TOP-SECRET-d41d8cd9";

async function withServer(
  body: (server: DashboardServer, workspace: FixtureWorkspace) => Promise<void>,
): Promise<void> {
  const workspace = await sharedFixtureWorkspace();
  const server = await serveFixture(workspace);
  try {
    await body(server, workspace);
  } finally {
    await server.shutdown();
  }
}

/** Sends one request exactly as written (no URL normalisation), returns status and body text. */
async function rawRequest(
  port: number,
  target: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; text: string }> {
  const connection = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    const headers = { host: `127.0.0.1:${port}`, connection: "close", ...options.headers };
    const head = `${options.method ?? "GET"} ${target} HTTP/1.1\r\n` +
      Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join("") + "\r\n";
    await connection.write(new TextEncoder().encode(head));
    const chunks: Uint8Array[] = [];
    const buffer = new Uint8Array(64 * 1024);
    for (;;) {
      const read = await connection.read(buffer);
      if (read === null) break;
      chunks.push(buffer.slice(0, read));
    }
    const text = new TextDecoder().decode(
      chunks.reduce((all, chunk) => {
        const joined = new Uint8Array(all.length + chunk.length);
        joined.set(all);
        joined.set(chunk, all.length);
        return joined;
      }, new Uint8Array(0)),
    );
    return { status: Number(text.split(" ")[1]), text };
  } finally {
    try {
      connection.close();
    } catch { /* closed by the server */ }
  }
}

Deno.test("binds 127.0.0.1 by default and serves the three tabs", async () => {
  await withServer(async (server) => {
    assert.equal(server.hostname, "127.0.0.1");
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const root = await fetch(new URL("/explorer", server.url), { redirect: "manual" });
    await root.body?.cancel();
    assert.equal(root.status, 302);
    assert.equal(root.headers.get("location"), "/explorer/daily_sales");
    for (const path of ["/explorer/daily_sales", "/anomalies", "/review"]) {
      const response = await fetch(new URL(path, server.url));
      const html = await response.text();
      assert.equal(response.status, 200, path);
      for (const kpi of ["revenue", "orders", "units", "aov", "rejection-rate"]) {
        assert.match(html, new RegExp(`id="kpi-${kpi}"`), `${path} shows the ${kpi} KPI`);
      }
      assert.match(html, /Data freshness/);
    }
    // Error pages too: the header is on every page.
    const missing = await fetch(new URL("/no/such/page", server.url));
    const missingHtml = await missing.text();
    assert.equal(missing.status, 404);
    assert.match(missingHtml, /id="kpi-revenue"/);
    assert.match(missingHtml, /There is no page at this address/);
  });
});

Deno.test("every response carries a strict CSP and the usual security headers", async () => {
  await withServer(async (server) => {
    const response = await fetch(new URL("/explorer/daily_sales", server.url));
    await response.body?.cancel();
    const csp = response.headers.get("content-security-policy") ?? "";
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /style-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(response.headers.get("x-content-type-options"), "nosniff");
    assert.equal(response.headers.get("x-frame-options"), "DENY");
  });
});

Deno.test("requests never read outside the data directory", async () => {
  await withServer(async (server, workspace) => {
    await Deno.writeTextFile(join(workspace.root, "secret.txt"), SECRET);
    await Deno.writeTextFile(join(workspace.lookupsDir, "secret.json"), JSON.stringify(SECRET));
    const link = join(workspace.dataDir, "rejected", "escape.csv");
    await Deno.symlink(join(workspace.root, "secret.txt"), link);
    try {
      const attempts = [
        "/files/reports/..%2F..%2Fsecret.txt",
        "/files/reports/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/files/reports/%2E%2E%2F%2E%2E%2Fsecret.txt",
        "/files/reports/..%5C..%5Csecret.txt",
        "/files/../../secret.txt",
        "/files/%2e%2e/secret.txt",
        "/files/..%2F..%2Flookups/secret.json",
        "/files/clean/%2Fetc%2Fpasswd",
        "/files/clean//etc/passwd",
        "/files/%2Fetc/passwd",
        "/files/input/dirty_fixture.csv",
        "/files/rejected/escape.csv",
        "/files/reports/.",
        "/files/reports/..",
        "/explorer/..%2F..%2Fsecret.txt",
        "/explorer/%2e%2e%2f%2e%2e%2fsecret/download",
        "/explorer/%2Fetc%2Fpasswd/download",
        "/static/../server.ts",
        "/static/..%2Fserver.ts",
        "/static/%2e%2e/%2e%2e/deno.json",
        "/static//etc/passwd",
        "/anomalies?reason=..%2F..%2Fsecret.txt",
        "/explorer/daily_sales?sort=%2Fetc%2Fpasswd&from=..%2F..",
      ];
      for (const target of attempts) {
        const { status, text } = await rawRequest(server.port, target);
        assert.ok(!text.includes(SECRET), `${target} leaked the secret`);
        assert.ok(!text.includes("root:x:0:0"), `${target} leaked /etc/passwd`);
        assert.ok(!text.includes('"imports"'), `${target} leaked deno.json`);
        if (!target.includes("?")) {
          assert.ok([400, 403, 404].includes(status), `${target}: ${status}`);
        }
      }
      // The same route serves what is inside.
      const inside = await rawRequest(
        server.port,
        "/files/reports/dirty_fixture_clean_report.json",
      );
      assert.equal(inside.status, 200);
      assert.match(inside.text, /"input_rows": 3000/);
    } finally {
      await Deno.remove(link);
    }
  });
});

Deno.test("raw values are shown escaped, never as markup", async () => {
  await withServer(async (server) => {
    // `<` must be escaped in text and attributes; `>` may stay (it cannot open a tag).
    const escaped = /&lt;script(&gt;|>)alert\(1\)&lt;\/script(&gt;|>)/;
    const pages = [
      "/explorer/product_performance?size=250",
      "/anomalies?reason=unknown_region&size=250",
      "/review",
      `/anomalies?reason=${encodeURIComponent(HOSTILE_VALUE)}`,
      `/explorer/${encodeURIComponent(HOSTILE_VALUE)}`,
    ];
    for (const [index, path] of pages.entries()) {
      const response = await fetch(new URL(path, server.url));
      const html = await response.text();
      assert.ok(!html.includes(HOSTILE_VALUE), `${path} contains the raw value`);
      if (index < 4) assert.match(html, escaped, `${path} shows the value escaped`);
    }
  });
});

Deno.test("state changes need a same-origin POST", async () => {
  await withServer(async (server, workspace) => {
    const mapPath = join(workspace.lookupsDir, "region_map.json");
    const before = await Deno.readTextFile(mapPath);
    const form = "raw=nrth+amrca&region=North+America";
    const refused: Record<string, string>[] = [
      {},
      { origin: "http://evil.example" },
      { origin: "null" },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site", origin: "http://sub.127.0.0.1" },
      { "sec-fetch-site": "same-origin", origin: "http://evil.example" },
    ];
    for (const path of ["/review/regions", "/review/categories", "/rerun"]) {
      for (const headers of refused) {
        const response = await fetch(new URL(path, server.url), {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
          body: form,
          redirect: "manual",
        });
        await response.body?.cancel();
        assert.equal(response.status, 403, `${path} with ${JSON.stringify(headers)}`);
      }
      // JSON bodies are not exempt.
      const json = await fetch(new URL(path, server.url), {
        method: "POST",
        headers: { "content-type": "application/json", origin: "http://evil.example" },
        body: "{}",
      });
      await json.body?.cancel();
      assert.equal(json.status, 403);
    }
    assert.equal(await Deno.readTextFile(mapPath), before);
    // From the page's own origin the same request goes through (nothing ticked: nothing changes).
    const allowed = await fetch(new URL("/review/categories", server.url), {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: new URL(server.url).origin,
      },
      body: "",
      redirect: "manual",
    });
    await allowed.body?.cancel();
    assert.equal(allowed.status, 303);
    assert.equal(allowed.headers.get("location"), "/review?saved=categories&changed=0");
    // Same origin but not a form (JSON, no body): a 400 saying so, not a 500.
    for (const path of ["/review/regions", "/review/categories"]) {
      for (const body of [{ type: "application/json", text: "{}" }, { type: "", text: "" }]) {
        const response = await fetch(new URL(path, server.url), {
          method: "POST",
          headers: { origin: new URL(server.url).origin, "content-type": body.type },
          body: body.text,
        });
        assert.equal(response.status, 400, `${path} ${body.type || "no type"}`);
        assert.match(await response.text(), /did not carry the review form/);
      }
    }
    assert.equal(await Deno.readTextFile(mapPath), before);
  });
});

Deno.test("a foreign Host is refused while bound to loopback (DNS rebinding)", async () => {
  await withServer(async (server) => {
    for (const host of ["evil.example", "evil.example:80", "127.0.0.1.evil.example"]) {
      const { status } = await rawRequest(server.port, "/explorer/daily_sales", {
        headers: { host },
      });
      assert.equal(status, 403, host);
    }
    for (const host of [`localhost:${server.port}`, `127.0.0.1:${server.port}`]) {
      const { status } = await rawRequest(server.port, "/explorer/daily_sales", {
        headers: { host },
      });
      assert.equal(status, 200, host);
    }
  });
});

/** A parquet's rows as hyparquet reads them, in CSV form (dates as YYYY-MM-DD). */
async function parquetRows(path: string): Promise<{ columns: string[]; rows: string[][] }> {
  const rows = await parquetReadObjects({ file: await asyncBufferFromFile(path) });
  const columns = Object.keys(rows[0] ?? {});
  return {
    columns,
    rows: rows.map((row) =>
      columns.map((name) => {
        const value = row[name];
        if (value === null || value === undefined) return "";
        if (value instanceof Date) return value.toISOString().slice(0, 10);
        return String(typeof value === "bigint" ? Number(value) : value);
      })
    ),
  };
}

Deno.test("the CSV download of every table equals the parquet's rows", async () => {
  await withServer(async (server, workspace) => {
    const directory = join(workspace.dataDir, "aggregations");
    let tables = 0;
    for await (const entry of Deno.readDir(directory)) {
      if (!entry.name.endsWith(".parquet")) continue;
      tables++;
      const name = entry.name.slice(0, -".parquet".length);
      const response = await fetch(new URL(`/explorer/${name}/download`, server.url));
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("content-type"), "text/csv; charset=utf-8");
      assert.match(response.headers.get("content-disposition") ?? "", new RegExp(`${name}\\.csv`));
      const bytes = new Uint8Array(await response.arrayBuffer());
      const header = parseCsvChunk(bytes, 0, bytes.length, {
        fieldCount: 0,
        firstLine: 1,
        final: true,
        maxRecords: 1,
      });
      const body = parseCsvChunk(bytes, header.consumed, bytes.length, {
        fieldCount: header.fieldCount,
        firstLine: header.nextLine,
        final: true,
      });
      const csvRows = Array.from({ length: body.count }, (_, record) => recordFields(body, record));
      const expected = await parquetRows(join(directory, entry.name));
      assert.deepEqual(recordFields(header, 0), expected.columns, name);
      assert.deepEqual(csvRows, expected.rows, name);
    }
    assert.equal(tables, 8);
  });
});

Deno.test("filters in the URL select rows; sorting and paging are links", async () => {
  await withServer(async (server) => {
    const page = async (query: string) =>
      await (await fetch(new URL(`/explorer/daily_sales${query}`, server.url))).text();
    const all = await page("");
    const march = await page("?from=2023-03-01&to=2023-03-31&size=100");
    const total = Number(/Rows 1–\d+ of ([\d,]+)/.exec(all)![1].replace(/,/g, ""));
    const inMarch = Number(/Rows 1–\d+ of ([\d,]+)/.exec(march)![1].replace(/,/g, ""));
    assert.ok(inMarch > 0 && inMarch <= 31 && inMarch < total);
    const dates = [...march.matchAll(/<td>(\d{4}-\d{2}-\d{2})<\/td>/g)].map((match) => match[1]);
    assert.equal(dates.length, inMarch);
    assert.ok(dates.every((date) => date.startsWith("2023-03-")));
    // The filter form is a GET form (works without JavaScript) and keeps the values.
    assert.match(march, /<form method="get" action="\/explorer\/daily_sales"/);
    assert.match(march, /name="from" value="2023-03-01"/);
    // Sort links keep the filters.
    assert.match(
      march,
      /href="\/explorer\/daily_sales\?from=2023-03-01&amp;to=2023-03-31&amp;size=100&amp;sort=revenue&amp;dir=desc#rows"/,
    );
    // The CSV link carries the same filters.
    assert.match(
      march,
      /href="\/explorer\/daily_sales\/download\?from=2023-03-01&amp;to=2023-03-31"/,
    );
  });
});

Deno.test("a new aggregation file is listed on the next request, without a restart", async () => {
  await withServer(async (server, workspace) => {
    const directory = join(workspace.dataDir, "aggregations");
    const extra = join(directory, "zz_extra_metric.parquet");
    const before = await (await fetch(new URL("/explorer/daily_sales", server.url))).text();
    assert.ok(!before.includes("Zz extra metric"));
    await Deno.copyFile(join(directory, "discount_bands.parquet"), extra);
    try {
      const after = await (await fetch(new URL("/explorer/daily_sales", server.url))).text();
      assert.ok(after.includes("Zz extra metric"));
      const opened = await fetch(new URL("/explorer/zz_extra_metric", server.url));
      assert.equal(opened.status, 200);
      assert.match(await opened.text(), /band/);
    } finally {
      await Deno.remove(extra);
    }
    const gone = await fetch(new URL("/explorer/zz_extra_metric", server.url));
    await gone.body?.cancel();
    assert.equal(gone.status, 404);
  });
});

Deno.test("an oversized form is refused before it is read", async () => {
  await withServer(async (server) => {
    const response = await fetch(new URL("/review/regions", server.url), {
      method: "POST",
      headers: {
        origin: new URL(server.url).origin,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "raw=" + "x".repeat(2 << 20) + "&region=Asia",
    });
    await response.body?.cancel();
    assert.equal(response.status, 413);
  });
});

Deno.test("freshness warns when the tables do not match the latest clean run", async () => {
  await withFreshDashboard(300, async (server, workspace) => {
    const page = async () =>
      await (await fetch(new URL("/explorer/daily_sales", server.url))).text();
    assert.doesNotMatch(await page(), /warning/);
    // A newer clean run that the aggregations were not rebuilt from.
    const reportPath = join(workspace.dataDir, "reports", "dirty_fixture_clean_report.json");
    const report = JSON.parse(await Deno.readTextFile(reportPath));
    report.clean_rows += 7;
    report.rejected_rows -= 7;
    await Deno.writeTextFile(`${reportPath}.tmp`, JSON.stringify(report));
    await Deno.rename(`${reportPath}.tmp`, reportPath);
    const html = await page();
    assert.match(html, /1 warning/);
    assert.match(html, /they do not match; run build-aggregations/);
  });
});
