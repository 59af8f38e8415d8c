import assert from "node:assert/strict";
import {
  barLabelLayout,
  selectedRange,
  ticksThatFit,
  timeTicks,
} from "../../dashboard/shared/chart_ticks.ts";

const at = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 1000;
const labels = (ticks: { label: string }[]) => ticks.map((tick) => tick.label);

Deno.test("time ticks: monthly data gets month ticks, never days, on any range", () => {
  const cases: [string, string, string, number, string[]][] = [
    // A monthly table filtered to one quarter: three months, not 6/1, 6/11, ….
    ["monthly, one quarter", "2025-04-01", "2025-06-01", 10, ["Apr 2025", "May", "Jun"]],
    ["monthly, one month", "2025-06-01", "2025-06-01", 10, ["Jun 2025"]],
    // The year is named at the first tick and every January, on the same line.
    ["monthly, across a new year", "2024-11-01", "2025-02-01", 10, [
      "Nov 2024",
      "Dec",
      "Jan 2025",
      "Feb",
    ]],
    ["monthly, two years in 8 labels", "2023-07-01", "2025-06-01", 8, [
      "Jul 2023",
      "Oct",
      "Jan 2024",
      "Apr",
      "Jul",
      "Oct",
      "Jan 2025",
      "Apr",
    ]],
    ["monthly, ten years in 5 labels", "2015-01-01", "2024-12-01", 5, [
      "2016",
      "2018",
      "2020",
      "2022",
      "2024",
    ]],
  ];
  for (const [name, from, to, fit, expected] of cases) {
    const ticks = timeTicks(at(from), at(to), "month", fit);
    assert.deepEqual(labels(ticks), expected, name);
    assert.ok(ticks.length <= fit, name);
    for (const tick of ticks) {
      assert.equal(new Date(tick.seconds * 1000).getUTCDate(), 1, `${name}: a first of month`);
    }
  }
});

Deno.test("time ticks: daily data gets days on short ranges, months on long ones", () => {
  const cases: [string, string, string, number, string[]][] = [
    ["a week", "2025-06-01", "2025-06-05", 10, [
      "Jun 1, 2025",
      "Jun 2",
      "Jun 3",
      "Jun 4",
      "Jun 5",
    ]],
    ["a month in 5 labels", "2025-06-01", "2025-06-30", 5, [
      "Jun 1, 2025",
      "Jun 8",
      "Jun 15",
      "Jun 22",
      "Jun 29",
    ]],
    ["over new year", "2024-12-30", "2025-01-02", 10, [
      "Dec 30, 2024",
      "Dec 31",
      "Jan 1, 2025",
      "Jan 2",
    ]],
    ["half a year", "2025-01-15", "2025-06-20", 10, ["Feb 2025", "Mar", "Apr", "May", "Jun"]],
  ];
  for (const [name, from, to, fit, expected] of cases) {
    assert.deepEqual(labels(timeTicks(at(from), at(to), "day", fit)), expected, name);
  }
  // Scale bounds between midnights (uPlot pads the range): ticks stay on whole days.
  const padded = timeTicks(at("2025-06-01") - 3_600, at("2025-06-03") + 3_600, "day", 10);
  assert.deepEqual(labels(padded), ["Jun 1, 2025", "Jun 2", "Jun 3"]);
  assert.deepEqual(timeTicks(10, 5, "day", 10), []);
});

Deno.test("ticks that fit: one label per 76 px, at least one", () => {
  assert.equal(ticksThatFit(760), 10);
  assert.equal(ticksThatFit(300), 3);
  assert.equal(ticksThatFit(10), 1);
});

Deno.test("bar labels: level when each fits its slot, else upright and never cut", () => {
  assert.deepEqual(barLabelLayout([40, 52, 60], 600), { rotate: 0, axisSize: 40 });
  // Reason names on a phone: invalid_calculated_revenue whole, the axis as tall as it is wide.
  const layout = barLabelLayout([96, 171.4, 120], 300);
  assert.equal(layout.rotate, 90);
  assert.ok(layout.axisSize >= 171.4 + 15, String(layout.axisSize));
  assert.deepEqual(barLabelLayout([], 300), { rotate: 0, axisSize: 40 });
});

Deno.test("a drag selection becomes the date filter of the points inside it", () => {
  const cases: [string, number, number, "day" | "month", { from: string; to: string }][] = [
    ["days", at("2025-06-03") - 100, at("2025-06-09") + 100, "day", {
      from: "2025-06-03",
      to: "2025-06-09",
    }],
    [
      "days, selection between two points",
      at("2025-06-03") + 1_000,
      at("2025-06-03") + 5_000,
      "day",
      { from: "2025-06-03", to: "2025-06-03" },
    ],
    ["months, widened to whole months", at("2025-03-20"), at("2025-06-10"), "month", {
      from: "2025-04-01",
      to: "2025-06-30",
    }],
    ["months, between two points", at("2025-03-05"), at("2025-03-25"), "month", {
      from: "2025-03-01",
      to: "2025-03-31",
    }],
  ];
  for (const [name, from, to, unit, expected] of cases) {
    assert.deepEqual(selectedRange(from, to, unit), expected, name);
  }
});
