// The network's statistics: a world map shaded by partnerships per country (with
// a table as its text alternative), the continents, the U.S. states, the focus
// regions and growth over the years. Map and charts load lazily.
import {
  Anchor,
  Button,
  Card,
  Group,
  Progress,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Tabs,
  Text,
  Title,
} from "@mantine/core";
import { lazy, Suspense, useState, type ReactNode } from "react";
import { Link } from "react-router";
import { useQuery } from "urql";

import { PageTitle } from "../../components/PageTitle";
import { QueryState } from "../../components/QueryState";
import { formatNumber } from "../../components/format";
import { graphql } from "../../gql";
import type { StatisticsPageQuery } from "../../gql/graphql";
import { stateName } from "./geo/places";

const WorldMap = lazy(async () => ({ default: (await import("./WorldMap")).WorldMap }));
const ContinentChart = lazy(async () => ({ default: (await import("./StatsCharts")).ContinentChart }));
const StateChart = lazy(async () => ({ default: (await import("./StatsCharts")).StateChart }));
const GrowthChart = lazy(async () => ({ default: (await import("./StatsCharts")).GrowthChart }));

const StatisticsPage = graphql(`
  query StatisticsPage {
    partnershipStats {
      total
      withKnownYear
      byCountry {
        code
        name
        count
      }
      byContinent {
        code
        name
        count
      }
      byState {
        code
        name
        count
      }
      focusRegions {
        region
        name
        countries
        count
        share
      }
      growthByYear {
        year
        count
        cumulative
      }
    }
  }
`);

type Stats = StatisticsPageQuery["partnershipStats"];
type Count = Stats["byCountry"][number];

const TOP_COUNTRIES = 15;
const TOP_STATES = 20;

function percent(part: number, total: number): string {
  if (total === 0) return "0%";
  const value = (part / total) * 100;
  return `${value < 1 ? value.toFixed(1) : Math.round(value)}%`;
}

function Panel({ title, children, id }: { title: string; children: ReactNode; id: string }) {
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby={id}>
      <Title order={3} size="h4" id={id} mb="md">
        {title}
      </Title>
      {children}
    </Card>
  );
}

function Figure({ label, value }: { label: string; value: number }) {
  return (
    <Card withBorder radius="md" padding="md">
      <Text fz={28} fw={700} lh={1.1}>
        {formatNumber(value)}
      </Text>
      <Text size="sm" c="gray.7">
        {label}
      </Text>
    </Card>
  );
}

function CountTable({
  label,
  rows,
  total,
  nameHeader,
  link,
}: {
  label: string;
  rows: readonly Count[];
  total: number;
  nameHeader: string;
  link?: (row: Count) => string;
}) {
  return (
    <Table.ScrollContainer minWidth={320} type="native">
      <Table striped verticalSpacing={6}>
        <caption style={{ captionSide: "top", textAlign: "left", paddingBottom: 4 }}>
          <Text size="sm" c="gray.7" component="span">
            {label}
          </Text>
        </caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col" w={48}>
              #
            </Table.Th>
            <Table.Th scope="col">{nameHeader}</Table.Th>
            <Table.Th scope="col" ta="right">
              Partnerships
            </Table.Th>
            <Table.Th scope="col" ta="right">
              Share
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row, i) => (
            <Table.Tr key={row.code}>
              <Table.Td c="gray.7">{i + 1}</Table.Td>
              <Table.Td>
                {link ? (
                  <Anchor component={Link} to={link(row)}>
                    {row.name}
                  </Anchor>
                ) : (
                  row.name
                )}
              </Table.Td>
              <Table.Td ta="right">{formatNumber(row.count)}</Table.Td>
              <Table.Td ta="right">{percent(row.count, total)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function ChartOrTable({ chart, table, label }: { chart: ReactNode; table: ReactNode; label: string }) {
  return (
    <Tabs defaultValue="chart" keepMounted={false}>
      <Tabs.List aria-label={label} mb="sm">
        <Tabs.Tab value="chart">Chart</Tabs.Tab>
        <Tabs.Tab value="table">Table</Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="chart">
        <Suspense fallback={<Skeleton h={240} />}>{chart}</Suspense>
      </Tabs.Panel>
      <Tabs.Panel value="table">{table}</Tabs.Panel>
    </Tabs>
  );
}

function Countries({ stats }: { stats: Stats }) {
  const [all, setAll] = useState(false);
  const rows = all ? stats.byCountry : stats.byCountry.slice(0, TOP_COUNTRIES);
  return (
    <Panel title="Partnerships around the world" id="stats-world">
      <Suspense fallback={<Skeleton h={{ base: 200, sm: 420 }} aria-label="Loading the map" />}>
        <WorldMap counts={stats.byCountry} />
      </Suspense>
      <Title order={4} size="h5" mt="lg" mb="xs" id="stats-countries">
        {all ? "All countries" : `The ${TOP_COUNTRIES} countries with the most partnerships`}
      </Title>
      <CountTable
        label={`Partnerships by country: ${all ? "all" : `top ${Math.min(TOP_COUNTRIES, stats.byCountry.length)} of`} ${formatNumber(stats.byCountry.length)} countries`}
        rows={rows}
        total={stats.total}
        nameHeader="Country"
        link={(row) => `/directory?country=${row.code}`}
      />
      {stats.byCountry.length > TOP_COUNTRIES && (
        <Button variant="subtle" mt="xs" onClick={() => setAll((v) => !v)} aria-expanded={all}>
          {all ? `Show the top ${TOP_COUNTRIES} only` : `Show all ${formatNumber(stats.byCountry.length)} countries`}
        </Button>
      )}
    </Panel>
  );
}

function FocusRegions({ stats }: { stats: Stats }) {
  return (
    <Panel title="Focus regions" id="stats-focus">
      <Text size="sm" c="gray.7" mb="md">
        The regions where the national network grows on purpose.
      </Text>
      <Stack gap="md">
        {stats.focusRegions.map((region) => {
          const inRegion = stats.byCountry.filter((c) => region.countries.includes(c.code));
          const leaders = inRegion.slice(0, 3).map((c) => c.name);
          return (
            <div key={region.region}>
              <Group justify="space-between" wrap="nowrap" mb={4}>
                <Anchor component={Link} to={`/directory?focusRegion=${region.region}`} fw={600}>
                  {region.name}
                </Anchor>
                <Text size="sm">
                  {formatNumber(region.count)} · {percent(region.count, stats.total)}
                </Text>
              </Group>
              <Progress
                value={region.share * 100}
                size="md"
                aria-label={`${region.name}: ${percent(region.count, stats.total)} of all partnerships`}
              />
              <Text size="xs" c="gray.7" mt={4}>
                {inRegion.length} of {region.countries.length} countries
                {leaders.length > 0 ? `; most with ${leaders.join(", ")}` : ""}
              </Text>
            </div>
          );
        })}
      </Stack>
    </Panel>
  );
}

function Details({ stats }: { stats: Stats }) {
  const states = stats.byState.map((s) => ({ ...s, name: stateName(s.code) }));
  return (
    <Stack gap="lg">
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md">
        <Figure label="Partnerships" value={stats.total} />
        <Figure label="Countries" value={stats.byCountry.length} />
        <Figure label="Continents" value={stats.byContinent.length} />
        <Figure label="U.S. states and territories" value={stats.byState.length} />
      </SimpleGrid>

      <Countries stats={stats} />

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Panel title="By continent" id="stats-continents">
          <ChartOrTable
            label="Partnerships by continent: chart or table"
            chart={<ContinentChart data={stats.byContinent} />}
            table={
              <CountTable
                label="Partnerships by continent"
                rows={stats.byContinent}
                total={stats.total}
                nameHeader="Continent"
                link={(row) => `/directory?continent=${row.code}`}
              />
            }
          />
        </Panel>
        <FocusRegions stats={stats} />
      </SimpleGrid>

      <Panel title="By U.S. state" id="stats-states">
        <ChartOrTable
          label="Partnerships by U.S. state: chart or table"
          chart={
            <>
              <Text size="sm" c="gray.7" mb="xs">
                The {Math.min(TOP_STATES, states.length)} states with the most partnerships; the table lists all{" "}
                {states.length}.
              </Text>
              <StateChart data={states.slice(0, TOP_STATES)} />
            </>
          }
          table={
            <CountTable
              label="Partnerships by U.S. state"
              rows={states}
              total={stats.total}
              nameHeader="State"
              link={(row) => `/directory?state=${row.code}`}
            />
          }
        />
      </Panel>

      {stats.growthByYear.length > 1 && (
        <Panel title="Growth over the years" id="stats-growth">
          <Text size="sm" c="gray.7" mb="sm">
            Partnerships established by each year, for the {formatNumber(stats.withKnownYear)} of{" "}
            {formatNumber(stats.total)} whose year is known.
          </Text>
          <ChartOrTable
            label="Growth over the years: chart or table"
            chart={<GrowthChart data={stats.growthByYear} />}
            table={
              <Table.ScrollContainer minWidth={300} type="native">
                <Table striped verticalSpacing={6} aria-label="Partnerships established by year">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">Year</Table.Th>
                      <Table.Th scope="col" ta="right">
                        Established
                      </Table.Th>
                      <Table.Th scope="col" ta="right">
                        By then
                      </Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {stats.growthByYear.map((row) => (
                      <Table.Tr key={row.year}>
                        <Table.Td>{row.year}</Table.Td>
                        <Table.Td ta="right">{formatNumber(row.count)}</Table.Td>
                        <Table.Td ta="right">{formatNumber(row.cumulative)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            }
          />
        </Panel>
      )}
    </Stack>
  );
}

export function Statistics() {
  const [result, reexecute] = useQuery({ query: StatisticsPage });
  return (
    <Stack gap="md">
      <div>
        <PageTitle>Statistics</PageTitle>
        <Text c="gray.7" mt={-8}>
          The recognized partnerships of the network: active, with the U.S. member in good standing.
        </Text>
      </div>
      <QueryState
        result={result}
        onRetry={() => reexecute({ requestPolicy: "network-only" })}
        isEmpty={(data) => data.partnershipStats.total === 0}
        empty="No recognized partnership yet."
      >
        {(data) => <Details stats={data.partnershipStats} />}
      </QueryState>
    </Stack>
  );
}
