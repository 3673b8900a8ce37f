import { MantineProvider } from "@mantine/core";
import { render, screen } from "@testing-library/react";

import { ContinentChart, GrowthChart } from "./StatsCharts";

const wrap = (element: React.ReactElement) => render(<MantineProvider>{element}</MantineProvider>);

describe("StatsCharts", () => {
  it("draws one bar per continent, named by a summary", () => {
    wrap(
      <ContinentChart
        data={[
          { name: "Europe", count: 1472 },
          { name: "Asia", count: 1277 },
        ]}
      />,
    );
    const chart = screen.getByRole("img", { name: /by continent, 2 bars; most: Europe 1,472, Asia 1,277/ });
    const bars = chart.querySelectorAll("rect");
    expect(bars).toHaveLength(2);
    // The longer bar is the larger count.
    expect(Number(bars[0]!.getAttribute("width"))).toBeGreaterThan(Number(bars[1]!.getAttribute("width")));
    expect(chart).toHaveTextContent("Europe");
  });

  it("draws growth as a step area from the first year to the last", () => {
    wrap(
      <GrowthChart
        data={[
          { year: 1957, cumulative: 3 },
          { year: 2012, cumulative: 29 },
        ]}
      />,
    );
    const chart = screen.getByRole("img", { name: /3 by 1957, 29 by 2012/ });
    expect(chart.querySelectorAll("path")).toHaveLength(2);
  });
});
