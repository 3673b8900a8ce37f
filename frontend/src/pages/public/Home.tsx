// The front page: the network's headline numbers, live from the API, a search
// that opens the directory, and the way to the statistics.
import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  TextInput,
  ThemeIcon,
  Title,
} from "@mantine/core";
import { IconBuildingCommunity, IconChartBar, IconLink, IconSearch, IconWorld } from "@tabler/icons-react";
import { useState, type ReactNode } from "react";
import { Link, useNavigate } from "react-router";
import { useQuery } from "urql";

import { PageTitle } from "../../components/PageTitle";
import { ErrorAlert } from "../../components/QueryState";
import { formatNumber } from "../../components/format";
import { useTypedEarly } from "../../components/typedEarly";
import { graphql } from "../../gql";

// Two queries: each number shows even when the other service is not answering.
const HomeMembers = graphql(`
  query HomeMembers {
    members(first: 1) {
      totalCount
    }
  }
`);

const HomePartnerships = graphql(`
  query HomePartnerships {
    partnershipStats {
      total
      byCountry {
        code
        name
        count
      }
      byState {
        code
      }
    }
  }
`);

function Figure({
  label,
  value,
  icon,
  testId,
  loading,
}: {
  label: string;
  value: number | undefined;
  icon: ReactNode;
  testId: string;
  loading: boolean;
}) {
  return (
    <Card withBorder radius="md" padding="lg" px={{ base: "xs", sm: "lg" }}>
      <Group gap="md" wrap="nowrap" align="center" justify="center">
        <ThemeIcon size={48} radius="md" variant="light" aria-hidden visibleFrom="md">
          {icon}
        </ThemeIcon>
        <div>
          {value !== undefined ? (
            <Text fz={{ base: 24, sm: 32 }} fw={700} lh={1.1} data-testid={testId} data-value={value}>
              {formatNumber(value)}
            </Text>
          ) : loading ? (
            <Skeleton height={34} width={90} mb={4} aria-label={`Loading ${label}`} />
          ) : (
            <Text fz={{ base: 24, sm: 32 }} fw={700} lh={1.1} c="gray.7" aria-label={`${label}: not available`}>
              —
            </Text>
          )}
          <Text c="gray.7" fz={{ base: "xs", sm: "sm" }}>
            {label}
          </Text>
        </div>
      </Group>
    </Card>
  );
}

export function Home() {
  const navigate = useNavigate();
  const [search, setSearch] = useState("");
  const input = useTypedEarly(search, setSearch);
  const [members, reexecuteMembers] = useQuery({ query: HomeMembers });
  const [stats, reexecuteStats] = useQuery({ query: HomePartnerships });
  const statsData = stats.data?.partnershipStats;
  const error = members.error ?? stats.error;
  const retry = () => {
    if (members.error) reexecuteMembers({ requestPolicy: "network-only" });
    if (stats.error) reexecuteStats({ requestPolicy: "network-only" });
  };
  const topCountries = statsData?.byCountry.slice(0, 8) ?? [];

  return (
    <Stack gap="xl" maw={1100}>
      <Paper
        radius="lg"
        p={{ base: "lg", sm: "xl" }}
        style={{
          background:
            "linear-gradient(135deg, var(--mantine-color-blue-9) 0%, var(--mantine-color-blue-8) 60%, var(--mantine-color-indigo-8) 100%)",
          color: "var(--mantine-color-white)",
        }}
      >
        <Stack gap="md">
          <PageTitle>Sister Cities</PageTitle>
          <Text fz={{ base: "md", sm: "lg" }} maw={640} mt={-12}>
            The national network of U.S. communities twinned with cities, towns and regions around the world, for
            friendship, culture, education and trade.
          </Text>
          {/* Before the app has taken the page over, the form goes to the
              directory by itself. */}
          <form
            role="search"
            action="/directory"
            method="get"
            onSubmit={(event) => {
              event.preventDefault();
              const text = search.trim();
              navigate(text ? `/directory?${new URLSearchParams({ search: text }).toString()}` : "/directory");
            }}
          >
            <Group gap="xs" align="flex-end" wrap="nowrap" maw={640}>
              <TextInput
                ref={input}
                name="search"
                label="Search the directory"
                placeholder="A city, region or member community"
                leftSection={<IconSearch size={16} aria-hidden />}
                value={search}
                onChange={(event) => setSearch(event.currentTarget.value)}
                style={{ flex: 1 }}
                size="md"
                styles={{ label: { color: "var(--mantine-color-white)" } }}
                type="search"
              />
              <Button type="submit" size="md" variant="white">
                Search
              </Button>
            </Group>
          </form>
        </Stack>
      </Paper>

      {error && <ErrorAlert error={error} onRetry={retry} />}

      <section aria-label="The network in numbers">
        <SimpleGrid cols={3} spacing={{ base: "xs", sm: "md" }}>
          <Figure
            label="Member communities"
            value={members.data?.members.totalCount}
            icon={<IconBuildingCommunity size={26} />}
            testId="home-members"
            loading={members.fetching}
          />
          <Figure
            label="Partnerships"
            value={statsData?.total}
            icon={<IconLink size={26} />}
            testId="home-partnerships"
            loading={stats.fetching}
          />
          <Figure
            label="Countries"
            value={statsData?.byCountry.length}
            icon={<IconWorld size={26} />}
            testId="home-countries"
            loading={stats.fetching}
          />
        </SimpleGrid>
        {statsData && (
          <Text size="sm" c="gray.7" mt="xs">
            Recognized partnerships: active, with the U.S. member in good standing. Members in{" "}
            {formatNumber(statsData.byState.length)} states and territories take part.
          </Text>
        )}
      </section>

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="home-countries-title">
          <Title order={3} size="h4" id="home-countries-title" mb="sm">
            Where our partners are
          </Title>
          {topCountries.length > 0 ? (
            <Group gap="xs">
              {topCountries.map((country) => (
                <Badge
                  key={country.code}
                  component={Link}
                  to={`/directory?country=${country.code}`}
                  variant="light"
                  c="blue.9"
                  size="lg"
                  tt="none"
                  fw={500}
                  style={{ cursor: "pointer" }}
                  aria-label={`${country.name}: ${country.count} partnerships`}
                >
                  {country.name} · {formatNumber(country.count)}
                </Badge>
              ))}
            </Group>
          ) : (
            <Skeleton height={60} visible={stats.fetching} />
          )}
          <Anchor component={Link} to="/directory" size="sm" mt="md" display="block">
            Browse all partnerships
          </Anchor>
        </Card>

        <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="home-stats-title">
          <Title order={3} size="h4" id="home-stats-title" mb="sm">
            The network at a glance
          </Title>
          <Text size="sm" mb="md">
            A world map of partnerships by country, the continents and U.S. states with the most partnerships,
            and our focus regions: Africa, Southeast Asia, East Asia and Latin America.
          </Text>
          <Group>
            <Button
              component={Link}
              to="/statistics"
              variant="light"
              leftSection={<IconChartBar size={16} aria-hidden />}
            >
              See the statistics
            </Button>
          </Group>
        </Card>
      </SimpleGrid>
    </Stack>
  );
}
