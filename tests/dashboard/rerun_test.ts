/**
 * The review loop over HTTP with the real stages: map a rejected raw region, re-run cleaning and
 * aggregations (one at a time: a second start is 409), follow progress over server-sent events,
 * and see that region's rows accepted.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { RerunSnapshot } from "../../dashboard/shared/rerun_status.ts";
import { UNMAPPED_REGION, withFreshDashboard } from "./_fixture_workspace.ts";

/** Reads server-sent `snapshot` events until the run is over; returns them all. */
async function followEvents(url: string): Promise<RerunSnapshot[]> {
  const response = await fetch(url, { headers: { accept: "text/event-stream" } });
  assert.equal(response.headers.get("content-type"), "text/event-stream");
  const snapshots: RerunSnapshot[] = [];
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of response.body!) {
    text += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = text.indexOf("\n\n")) >= 0) {
      const event = text.slice(0, end);
      text = text.slice(end + 2);
      const data = event.split("\n").filter((line) => line.startsWith("data: "))
        .map((line) => line.slice(6)).join("\n");
      if (event.includes("event: snapshot")) snapshots.push(JSON.parse(data));
    }
  }
  return snapshots;
}

function unknownRegionRows(report: { reasons: Record<string, number> }): number {
  return report.reasons.unknown_region;
}

Deno.test("mapping a region and adding a category, then re-running, accepts their rows", async () => {
  await withFreshDashboard(2_000, async (server, workspace) => {
    const origin = new URL(server.url).origin;
    const reportPath = join(workspace.dataDir, "reports", "dirty_fixture_clean_report.json");
    const before = JSON.parse(await Deno.readTextFile(reportPath));
    const reviewBefore = await (await fetch(new URL("/review", server.url))).text();
    assert.ok(reviewBefore.includes(UNMAPPED_REGION));

    const saved = await fetch(new URL("/review/regions", server.url), {
      method: "POST",
      headers: { origin, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams([
        ["raw", UNMAPPED_REGION.toLowerCase()],
        ["region", "North America"],
        ["raw", "atlantis"],
        ["region", ""], // left as is
      ]),
      redirect: "manual",
    });
    await saved.body?.cancel();
    assert.equal(saved.status, 303);
    assert.equal(saved.headers.get("location"), "/review?saved=regions&changed=1");
    const map = JSON.parse(await Deno.readTextFile(join(workspace.lookupsDir, "region_map.json")));
    assert.equal(map["nrth amrca"], "North America");
    assert.equal(map["atlantis"], undefined);
    // A rejected category becomes a canonical one of its own.
    const added = await fetch(new URL("/review/categories", server.url), {
      method: "POST",
      headers: { origin, "content-type": "application/x-www-form-urlencoded" },
      // "Map to" → "Add as a new category" for Gadgets.
      body: new URLSearchParams([["raw", "gadgets"], ["display", "Gadgets"], ["category", "add"]]),
      redirect: "manual",
    });
    await added.body?.cancel();
    assert.equal(added.headers.get("location"), "/review?saved=categories&changed=1");
    const categories = JSON.parse(
      await Deno.readTextFile(join(workspace.lookupsDir, "common_categories.json")),
    );
    assert.ok(categories.includes("Gadgets"));

    const start = () =>
      fetch(new URL("/rerun", server.url), {
        method: "POST",
        headers: { origin, accept: "application/json" },
      });
    const first = await start();
    const started = await first.json() as RerunSnapshot;
    assert.equal(first.status, 202);
    assert.equal(started.status, "running");
    const second = await start();
    assert.equal(second.status, 409);
    assert.equal((await second.json() as RerunSnapshot).id, started.id);

    const snapshots = await followEvents(new URL("/rerun/events", server.url).href);
    const last = snapshots.at(-1)!;
    assert.equal(last.status, "done", last.error);
    assert.ok(snapshots.every((snapshot) => snapshot.id === started.id));
    const fractions = snapshots.map((snapshot) => snapshot.fraction ?? 0);
    assert.ok(fractions.every((value, index) => index === 0 || value >= fractions[index - 1]));
    assert.equal(last.fraction, 1);

    const after = JSON.parse(await Deno.readTextFile(reportPath));
    assert.equal(last.after?.rejectedRows, after.rejected_rows);
    assert.equal(last.before?.rejectedRows, before.rejected_rows);
    const mappedRows = before.reasons.unknown_region - after.reasons.unknown_region;
    assert.ok(mappedRows > 0, "unknown_region went down");
    assert.ok(before.reasons.unknown_category > 0);
    assert.equal(after.reasons.unknown_category, 0);
    assert.equal(
      after.clean_rows,
      before.clean_rows + mappedRows + before.reasons.unknown_category,
    );
    assert.equal(unknownRegionRows(after), last.after!.reasons.unknown_region);
    // The as-of date of the original run was kept.
    assert.equal(after.as_of, before.as_of);

    // The pages show the new numbers at once: the value left the review queue.
    const reviewAfter = await (await fetch(new URL("/review", server.url))).text();
    const queues = reviewAfter.slice(0, reviewAfter.indexOf('id="mappings"'));
    assert.ok(!queues.includes(`<code>${UNMAPPED_REGION}</code>`));
    assert.ok(!queues.includes("<code>Gadgets</code>"));
    // The saved mapping is listed with the rows it affected, now applied.
    const mappings = reviewAfter.slice(reviewAfter.indexOf('id="mappings"'));
    const listed = mappings.match(
      new RegExp(`<code>${UNMAPPED_REGION}</code>.*?→ North America.*?>(\\d+)<.*?applied`, "s"),
    );
    assert.ok(listed, "the mapping is listed as applied");
    assert.equal(
      Number(listed[1]),
      before.reasons.unknown_region - after.reasons.unknown_region,
      "its rows affected are the rows the re-run accepted",
    );
    const explorer = await (await fetch(new URL("/explorer/monthly_category_sales", server.url)))
      .text();
    assert.match(explorer, /<input type="checkbox" name="category" value="Gadgets"\/>Gadgets/);
    const status = await (await fetch(new URL("/rerun/status", server.url))).json();
    assert.equal(status.status, "done");
    // Once finished, the events stream reports the final state and ends.
    const replay = await followEvents(new URL("/rerun/events", server.url).href);
    assert.deepEqual(replay.map((snapshot) => snapshot.status), ["done"]);
  });
});

Deno.test("a re-run that cannot start says why", async () => {
  await withFreshDashboard(200, async (server, workspace) => {
    await Deno.remove(workspace.input);
    const response = await fetch(new URL("/rerun", server.url), {
      method: "POST",
      headers: { origin: new URL(server.url).origin, accept: "application/json" },
    });
    assert.equal(response.status, 400);
    assert.match((await response.json()).error, /no longer exists/);
    const review = await (await fetch(new URL("/review", server.url))).text();
    assert.match(review, /no longer exists, so it cannot be cleaned again/);
  });
});

Deno.test("without JavaScript a re-run lands on a page that refreshes itself until done", async () => {
  await withFreshDashboard(200, async (server) => {
    const started = await fetch(new URL("/rerun", server.url), {
      method: "POST",
      headers: { origin: new URL(server.url).origin },
      redirect: "manual",
    });
    await started.body?.cancel();
    assert.equal(started.status, 303);
    // A refresh of a URL with a #fragment is an in-page jump in browsers: it never reloads.
    assert.equal(started.headers.get("location"), "/review");
    const running = await (await fetch(new URL("/review", server.url))).text();
    if (server.context.rerun.snapshot.status === "running") {
      assert.match(running, /<meta http-equiv="refresh"/);
    }
    await server.context.rerun.settled();
  });
});
