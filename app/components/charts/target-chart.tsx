import { scaleLinear } from "d3-scale";

export interface TargetChartProps {
  id: string;
  title: string;
  /** Raised against the target in words, e.g. "42 000 kr of 100 000 kr, 42 %". */
  description: string;
  raised: number;
  /** Positive; a goal without a target gets no chart (the page says the target is missing instead). */
  target: number;
  /** The goal's number (1–5): the fill has the goal's colour. */
  goal?: number;
  width?: number;
  height?: number;
}

/**
 * Raised vs the yearly target as one horizontal bar on the server (SVG): the track is the target,
 * the fill what came in (capped at the track's end; beyond the target it is full and the text says
 * by how much). Nothing below zero is drawn: a net negative period shows an empty track.
 */
export function TargetChart({ id, title, description, raised, target, goal, width = 320, height = 24 }: TargetChartProps) {
  const x = scaleLinear().domain([0, target]).range([0, width]).clamp(true);
  const fill = Math.round(x(Math.max(0, raised)) * 10) / 10;
  return (
    <svg
      id={id}
      className={goal ? `chart-target goal-${goal}` : "chart-target"}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      preserveAspectRatio="none"
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{description}</desc>
      <rect className="chart-target-track" x={0} y={0} width={width} height={height} rx={4} />
      {fill > 0 ? <rect className="chart-target-fill" data-fill={fill} x={0} y={0} width={fill} height={height} rx={4} /> : null}
    </svg>
  );
}
