import { scaleBand, scaleLinear } from "d3-scale";
import { stack, stackOffsetDiverging, stackOrderNone } from "d3-shape";
import { ChartFigure, type ChartSeries } from "./chart-figure";

/** One bar (a month): its label and a value per series (a channel). Missing series count as 0. */
export interface StackedBar {
  key: string;
  label: string;
  /** A short label under the bar (e.g. "jan"); the full `label` is in the table. */
  shortLabel?: string;
  values: Record<string, number>;
}

export interface StackedBarChartProps {
  /** Unique on the page: the ids of the title, the description and the table derive from it. */
  id: string;
  title: string;
  /** The chart in words (what a screen reader says after the title). */
  description: string;
  bars: StackedBar[];
  series: ChartSeries[];
  /** How a value is written on the axis and in the table (kronor from öre, say). */
  format: (value: number) => string;
  /** The table's words: its caption, the toggle's text, the first column's and the total's headers. */
  table: { caption: string; toggle: string; rowHeader: string; total: string };
  width?: number;
  height?: number;
}

const margin = { top: 12, right: 8, bottom: 28, left: 8 };
/** A rough width of one character of the axis text (12 px sans-serif): the left margin grows with the longest tick. */
const CHAR_WIDTH = 7;

/**
 * A bar per month, stacked by channel, drawn on the server as SVG: d3-scale places the bars and finds
 * round ticks, d3-shape stacks the series. Negative values (a month where refunds exceeded gifts in a
 * channel) stack below the zero line (the diverging offset), so every bar's visible parts add up to
 * the month's net. The same figures are in a table behind a toggle (ChartFigure), so nothing is only
 * in the picture.
 */
export function StackedBarChart({ id, title, description, bars, series, format, table, width = 640, height = 240 }: StackedBarChartProps) {
  const keys = series.map((s) => s.key);
  const rows = bars.map((b) => Object.fromEntries(keys.map((k) => [k, b.values[k] ?? 0])) as Record<string, number>);
  const stacked = stack<Record<string, number>>().keys(keys).order(stackOrderNone).offset(stackOffsetDiverging)(rows);
  const low = Math.min(0, ...stacked.flatMap((layer) => layer.map((p) => p[0])));
  const high = Math.max(0, ...stacked.flatMap((layer) => layer.map((p) => p[1])));
  const y = scaleLinear()
    .domain([low, high === low ? low + 1 : high])
    .nice(4);
  const ticks = y.ticks(4);
  const left = margin.left + CHAR_WIDTH * Math.max(...ticks.map((t) => format(t).length));
  y.range([height - margin.bottom, margin.top]);
  const x = scaleBand<string>()
    .domain(bars.map((b) => b.key))
    .range([left, width - margin.right])
    .padding(0.2);
  const px = (v: number) => Math.round(v * 10) / 10;

  return (
    <ChartFigure
      id={id}
      title={title}
      description={description}
      series={series}
      table={{
        ...table,
        rows: bars.map((b, i) => ({ key: b.key, label: b.label, values: keys.map((k) => rows[i][k]) })),
        format,
      }}
    >
      <svg className="chart-svg" viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-title ${id}-desc`}>
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        <g className="chart-grid">
          {ticks.map((t) => (
            <g key={t}>
              <line x1={left} x2={width - margin.right} y1={px(y(t))} y2={px(y(t))} className={t === 0 ? "chart-zero" : undefined} />
              <text x={left - 6} y={px(y(t))} dy="0.32em" textAnchor="end">
                {format(t)}
              </text>
            </g>
          ))}
        </g>
        <g className="chart-bars">
          {stacked.map((layer, s) => (
            <g key={layer.key} className={`chart-series-${series[s].colour}`} data-series={layer.key}>
              {layer.map((point, i) => {
                const top = Math.max(point[0], point[1]);
                const bottom = Math.min(point[0], point[1]);
                if (top === bottom) return null;
                return (
                  <rect
                    key={bars[i].key}
                    data-bar={bars[i].key}
                    data-value={rows[i][layer.key]}
                    x={px(x(bars[i].key) ?? 0)}
                    width={px(x.bandwidth())}
                    y={px(y(top))}
                    height={px(y(bottom) - y(top))}
                  />
                );
              })}
            </g>
          ))}
        </g>
        <g className="chart-labels">
          {bars.map((b) => (
            <text key={b.key} x={px((x(b.key) ?? 0) + x.bandwidth() / 2)} y={height - margin.bottom + 18} textAnchor="middle">
              {b.shortLabel ?? b.label}
            </text>
          ))}
        </g>
      </svg>
    </ChartFigure>
  );
}
