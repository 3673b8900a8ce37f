// The statistics page's charts, drawn as SVG with visx (d3 scales and shapes
// as React components: a fraction of recharts' weight, no animation frames).
// Loaded lazily, so no other page pulls the chart code. Each chart is an image
// with a summary as its name; the table beside it (the "Table" tab) is its
// text alternative.
import { useElementSize } from "@mantine/hooks";
import { curveStepAfter } from "@visx/curve";
import { Group } from "@visx/group";
import { scaleBand, scaleLinear } from "@visx/scale";
import { AreaClosed, Bar as BarShape, LinePath } from "@visx/shape";

import { formatNumber } from "../../components/format";

export interface Bar {
  name: string;
  count: number;
}

const BAR_COLOR = "var(--mantine-color-blue-7)";
const AREA_COLOR = "var(--mantine-color-teal-7)";
const GRID_COLOR = "var(--mantine-color-gray-3)";
const TEXT_COLOR = "var(--mantine-color-gray-8)";
const ROW_HEIGHT = 26;
/** Before the first measure (and in tests, which have no layout). */
const FALLBACK_WIDTH = 560;

const LABEL = { fill: TEXT_COLOR, fontSize: 12, fontFamily: "inherit" } as const;

/** Tick labels along the bottom, with the axis line. */
function BottomTicks({ ticks, at, top, width, format }: {
  ticks: readonly number[];
  at: (tick: number) => number;
  top: number;
  width: number;
  format: (tick: number) => string;
}) {
  return (
    <g transform={`translate(0, ${top})`} aria-hidden>
      <line x1={0} x2={width} stroke={GRID_COLOR} />
      {ticks.map((tick) => (
        <text key={tick} x={at(tick)} y={18} textAnchor="middle" {...LABEL}>
          {format(tick)}
        </text>
      ))}
    </g>
  );
}

export function ContinentChart({ data }: { data: readonly Bar[] }) {
  return <HorizontalBars data={data} labelWidth={110} what="continent" />;
}

export function StateChart({ data }: { data: readonly Bar[] }) {
  return <HorizontalBars data={data} labelWidth={120} what="U.S. state" />;
}

function summary(data: readonly Bar[], what: string): string {
  const top = data
    .slice(0, 3)
    .map((d) => `${d.name} ${formatNumber(d.count)}`)
    .join(", ");
  return `Bar chart of partnerships by ${what}, ${data.length} bars${top ? `; most: ${top}` : ""}.`;
}

function HorizontalBars({ data, labelWidth, what }: { data: readonly Bar[]; labelWidth: number; what: string }) {
  const { ref, width: measured } = useElementSize();
  const width = measured || FALLBACK_WIDTH;
  const margin = { top: 4, right: 44, bottom: 28, left: labelWidth };
  const height = Math.max(200, data.length * ROW_HEIGHT + margin.top + margin.bottom);
  const innerWidth = Math.max(10, width - margin.left - margin.right);
  const innerHeight = height - margin.top - margin.bottom;
  const max = Math.max(1, ...data.map((d) => d.count));
  const x = scaleLinear<number>({ domain: [0, max], range: [0, innerWidth], nice: true });
  const y = scaleBand<string>({ domain: data.map((d) => d.name), range: [0, innerHeight], padding: 0.3 });
  const barHeight = Math.min(18, y.bandwidth());
  const ticks = Math.max(2, Math.floor(innerWidth / 90));

  return (
    <div ref={ref} style={{ width: "100%" }}>
      <svg width={width} height={height} role="img" aria-label={summary(data, what)} style={{ display: "block" }}>
        <Group left={margin.left} top={margin.top}>
          {x.ticks(ticks).map((tick) => (
            <line key={tick} x1={x(tick)} x2={x(tick)} y1={0} y2={innerHeight} stroke={GRID_COLOR} strokeDasharray="4 4" />
          ))}
          {data.map((d) => {
            const top = (y(d.name) ?? 0) + (y.bandwidth() - barHeight) / 2;
            const length = x(d.count);
            return (
              <g key={d.name}>
                <BarShape x={0} y={top} width={length} height={barHeight} fill={BAR_COLOR} rx={2} />
                <text x={length + 6} y={top + barHeight / 2} dy="0.35em" {...LABEL}>
                  {formatNumber(d.count)}
                </text>
              </g>
            );
          })}
          {data.map((d) => (
            <text key={d.name} x={-6} y={(y(d.name) ?? 0) + y.bandwidth() / 2} dy="0.35em" textAnchor="end" {...LABEL}>
              {d.name}
            </text>
          ))}
          <BottomTicks ticks={x.ticks(ticks)} at={x} top={innerHeight} width={innerWidth} format={formatNumber} />
        </Group>
      </svg>
    </div>
  );
}

interface Year {
  year: number;
  cumulative: number;
}

export function GrowthChart({ data }: { data: readonly Year[] }) {
  const { ref, width: measured } = useElementSize();
  const width = measured || FALLBACK_WIDTH;
  const height = 220;
  const margin = { top: 8, right: 16, bottom: 28, left: 56 };
  const innerWidth = Math.max(10, width - margin.left - margin.right);
  const innerHeight = height - margin.top - margin.bottom;
  const years = data.map((d) => d.year);
  const x = scaleLinear<number>({ domain: [Math.min(...years), Math.max(...years)], range: [0, innerWidth] });
  const y = scaleLinear<number>({
    domain: [0, Math.max(1, ...data.map((d) => d.cumulative))],
    range: [innerHeight, 0],
    nice: true,
  });
  const first = data[0];
  const last = data[data.length - 1];
  const label =
    first && last
      ? `Step chart of partnerships established by each year: ${formatNumber(first.cumulative)} by ${first.year}, ` +
        `${formatNumber(last.cumulative)} by ${last.year}.`
      : "Step chart of partnerships established by each year.";

  return (
    <div ref={ref} style={{ width: "100%" }}>
      <svg width={width} height={height} role="img" aria-label={label} style={{ display: "block" }}>
        <Group left={margin.left} top={margin.top}>
          {y.ticks(4).map((tick) => (
            <line key={tick} x1={0} x2={innerWidth} y1={y(tick)} y2={y(tick)} stroke={GRID_COLOR} strokeDasharray="4 4" />
          ))}
          <AreaClosed<Year>
            data={[...data]}
            x={(d) => x(d.year)}
            y={(d) => y(d.cumulative)}
            yScale={y}
            curve={curveStepAfter}
            fill={AREA_COLOR}
            fillOpacity={0.2}
          />
          <LinePath<Year>
            data={[...data]}
            x={(d) => x(d.year)}
            y={(d) => y(d.cumulative)}
            curve={curveStepAfter}
            stroke={AREA_COLOR}
            strokeWidth={2}
          />
          {y.ticks(4).map((tick) => (
            <text key={tick} x={-6} y={y(tick)} dy="0.35em" textAnchor="end" {...LABEL}>
              {formatNumber(tick)}
            </text>
          ))}
          <BottomTicks
            ticks={x.ticks(Math.max(2, Math.floor(innerWidth / 70))).filter(Number.isInteger)}
            at={x}
            top={innerHeight}
            width={innerWidth}
            format={String}
          />
        </Group>
      </svg>
    </div>
  );
}
