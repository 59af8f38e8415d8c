/**
 * The chart island: draws a {@linkcode ChartSpec} with uPlot on a canvas. The server renders the
 * frame (title, legend placeholder, a no-JavaScript note); the browser draws into it, follows the
 * container's width, and redraws when the system switches between light and dark.
 */
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import type { ChartSpec } from "../shared/chart_spec.ts";
import {
  barLabelLayout,
  selectedRange,
  ticksThatFit,
  type TimeTick,
  timeTicks,
} from "../shared/chart_ticks.ts";
import { formatCompact, formatValue, isoDateFromDays } from "../shared/format.ts";
import { SECONDS_PER_DAY } from "../../src/io/days.ts";

export interface ChartProps {
  spec: ChartSpec;
  /** Canvas height in CSS pixels (of the plot and its axes; upright bar labels add their own). */
  height?: number;
  /**
   * Dragging across a time chart sets the page's `from` and `to` query parameters to the days (or
   * months) selected and loads that URL, so a zoom is a date filter that can be shared.
   */
  zoomToUrl?: boolean;
}

const PALETTE_SIZE = 8;

/** Colours come from CSS custom properties so the chart follows the page's theme. */
function themeColors(element: Element) {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    series: Array.from(
      { length: PALETTE_SIZE },
      (_, index) => read(`--chart-${index + 1}`, "#3b82f6"),
    ),
    axis: read("--text-muted", "#6b7280"),
    grid: read("--grid", "rgba(0,0,0,0.08)"),
    font: `12px ${read("--font-sans", "system-ui, sans-serif")}`,
  };
}

/** Widths of `labels` in CSS pixels, drawn in `font`. */
function measureLabels(labels: string[], font: string): number[] {
  const context = document.createElement("canvas").getContext("2d");
  if (!context) return labels.map((label) => label.length * 7);
  context.font = font;
  return labels.map((label) => context.measureText(label).width);
}

function withAlpha(color: string, alpha: number): string {
  // Hex colours get an alpha suffix; other forms are used as they are.
  return /^#[0-9a-f]{6}$/i.test(color)
    ? color + Math.round(alpha * 255).toString(16).padStart(2, "0")
    : color;
}

function buildOptions(
  spec: ChartSpec,
  width: number,
  height: number,
  element: Element,
  zoomToUrl: boolean,
): uPlot.Options {
  const colors = themeColors(element);
  const formatY = (value: number | null) => value === null ? "—" : formatValue(value, spec.format);
  const axisBase = {
    stroke: colors.axis,
    font: colors.font,
    grid: { stroke: colors.grid, width: 1 },
    ticks: { stroke: colors.grid, width: 1 },
  };
  // Sums and counts read honestly only against a zero baseline.
  const yScale: uPlot.Scale = {
    range: (_plot, min, max) => {
      const low = Math.min(0, min ?? 0);
      const high = Math.max(low + 1e-9, max ?? 1);
      return uPlot.rangeNum(low, high, 0.1, true);
    },
  };
  const yAxis: uPlot.Axis = {
    ...axisBase,
    size: 64,
    values: (_plot, splits) => splits.map((value) => formatCompact(value, spec.format)),
  };
  if (spec.kind === "bars") {
    const labels = spec.labels ?? [];
    // Whole labels, level when each fits its bar, else upright with the axis as tall as the longest.
    const layout = barLabelLayout(measureLabels(labels, colors.font), width - 80);
    return {
      width,
      height: height + layout.axisSize - 40,
      padding: [12, 12, 0, 4],
      scales: { x: { time: false, range: [-0.5, labels.length - 0.5] }, y: yScale },
      cursor: { points: { show: false }, drag: { x: false, y: false } },
      legend: { show: true },
      series: [
        { label: spec.xLabel, value: (_plot, index) => labels[index] ?? "" },
        ...spec.series.map((series, index) => ({
          label: series.label,
          fill: withAlpha(colors.series[index % PALETTE_SIZE], 0.85),
          stroke: colors.series[index % PALETTE_SIZE],
          width: 0,
          paths: uPlot.paths.bars!({ size: [0.7, 56], align: 0 }),
          points: { show: false },
          value: (_plot: uPlot, value: number | null) => formatY(value),
        })),
      ],
      axes: [
        {
          ...axisBase,
          grid: { show: false },
          rotate: layout.rotate,
          size: layout.axisSize,
          splits: () => labels.map((_, index) => index),
          values: (_plot, splits) => splits.map((index) => labels[index] ?? ""),
        },
        yAxis,
      ],
    };
  }
  const monthly = spec.timeUnit === "month";
  const unit = monthly ? "month" : "day";
  // The ticks of the last layout, so each label goes with the split it was made for.
  let ticks: TimeTick[] = [];
  return {
    width,
    height,
    // Room on the right for the last label, centred on its tick.
    padding: [12, 28, 0, 4],
    tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), "Etc/UTC"),
    scales: { x: { time: true }, y: yScale },
    cursor: { drag: { x: true, y: false, setScale: !zoomToUrl } },
    hooks: zoomToUrl
      ? {
        setSelect: [(plot: uPlot) => {
          const { left, width: selected } = plot.select;
          if (selected < 4) return;
          const range = selectedRange(
            plot.posToVal(left, "x"),
            plot.posToVal(left + selected, "x"),
            unit,
          );
          const url = new URL(location.href);
          url.searchParams.set("from", range.from);
          url.searchParams.set("to", range.to);
          url.searchParams.delete("page");
          location.assign(url.href);
        }],
      }
      : {},
    legend: { show: true, live: true },
    series: [
      {
        label: spec.xLabel,
        value: (_plot, seconds) =>
          seconds === null
            ? "—"
            : monthly
            ? isoDateFromDays(seconds / SECONDS_PER_DAY).slice(0, 7)
            : isoDateFromDays(seconds / SECONDS_PER_DAY),
      },
      ...spec.series.map((series, index) => ({
        label: series.label,
        stroke: colors.series[index % PALETTE_SIZE],
        width: 1.75,
        fill: spec.series.length === 1 ? withAlpha(colors.series[0], 0.12) : undefined,
        points: { show: false },
        spanGaps: false,
        value: (_plot: uPlot, value: number | null) => formatY(value),
      })),
    ],
    axes: [
      {
        ...axisBase,
        size: 40,
        splits: (plot, _axis, min, max) => {
          ticks = timeTicks(min, max, unit, ticksThatFit(plot.bbox.width / devicePixelRatio));
          return ticks.map((tick) => tick.seconds);
        },
        values: (_plot, splits) =>
          splits.map((seconds) => ticks.find((tick) => tick.seconds === seconds)?.label ?? ""),
      },
      yAxis,
    ],
  };
}

function chartData(spec: ChartSpec): uPlot.AlignedData {
  const x = spec.kind === "bars" ? (spec.labels ?? []).map((_, index) => index) : spec.x ?? [];
  return [x, ...spec.series.map((series) => series.values)] as uPlot.AlignedData;
}

export function Chart({ spec, height = 300, zoomToUrl = false }: ChartProps) {
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    let plot: uPlot | undefined;
    const draw = () => {
      plot?.destroy();
      const width = Math.max(280, Math.floor(element.clientWidth));
      plot = new uPlot(
        buildOptions(spec, width, height, element, zoomToUrl),
        chartData(spec),
        element,
      );
      element.dataset.drawn = "true";
    };
    draw();
    const resize = new ResizeObserver(() => {
      const width = Math.max(280, Math.floor(element.clientWidth));
      // Bars re-measure their labels for the new width; lines only resize.
      if (plot && Math.abs(plot.width - width) > 1) {
        if (spec.kind === "bars") draw();
        else plot.setSize({ width, height: plot.height });
      }
    });
    resize.observe(element);
    const scheme = matchMedia("(prefers-color-scheme: dark)");
    scheme.addEventListener("change", draw);
    return () => {
      resize.disconnect();
      scheme.removeEventListener("change", draw);
      plot?.destroy();
    };
  }, [spec, height, zoomToUrl]);

  return (
    <figure class="chart">
      <figcaption class="chart-title">
        {spec.title}
        {spec.note && <span class="chart-note">{spec.note}</span>}
      </figcaption>
      {/* Empty on the server: uPlot owns its children; CSS shows a note while it is empty. */}
      <div
        class="chart-canvas"
        ref={container}
        role="img"
        aria-label={spec.title}
      />
      {zoomToUrl && spec.kind === "line" && (
        <p class="chart-hint">Drag across the chart to show only those dates.</p>
      )}
    </figure>
  );
}
