// The statistics page's charts (@mantine/charts, recharts underneath): loaded
// lazily, so no other page pulls the chart code.
import "@mantine/charts/styles.css";

import { AreaChart, BarChart } from "@mantine/charts";

import { formatNumber } from "../../components/format";

export interface Bar {
  name: string;
  count: number;
}

const SERIES = [{ name: "count", label: "Partnerships", color: "blue.7" }];

export function ContinentChart({ data }: { data: readonly Bar[] }) {
  return <HorizontalBars data={data} labelWidth={110} />;
}

export function StateChart({ data }: { data: readonly Bar[] }) {
  return <HorizontalBars data={data} labelWidth={120} />;
}

function HorizontalBars({ data, labelWidth }: { data: readonly Bar[]; labelWidth: number }) {
  return (
    <BarChart
      h={Math.max(200, data.length * 26 + 40)}
      data={[...data]}
      dataKey="name"
      series={SERIES}
      orientation="vertical"
      valueFormatter={formatNumber}
      yAxisProps={{ width: labelWidth, interval: 0 }}
      tickLine="none"
      gridAxis="x"
      withBarValueLabel
      maxBarWidth={18}
      barChartProps={{ margin: { right: 36 } }}
      // recharts animates in JavaScript, frame by frame: long tasks for nothing.
      barProps={{ isAnimationActive: false }}
    />
  );
}

export function GrowthChart({ data }: { data: readonly { year: number; cumulative: number }[] }) {
  return (
    <AreaChart
      h={220}
      data={data.map((d) => ({ year: d.year, cumulative: d.cumulative }))}
      xAxisProps={{ type: "number", domain: ["dataMin", "dataMax"], allowDecimals: false }}
      dataKey="year"
      series={[{ name: "cumulative", label: "Partnerships established by then", color: "teal.7" }]}
      curveType="stepAfter"
      valueFormatter={formatNumber}
      tickLine="y"
      gridAxis="y"
      withDots={false}
      areaProps={{ isAnimationActive: false }}
    />
  );
}
