// The public directory of partnerships: every filter of `partnerships(filter:)`,
// held in the URL with the order and the page, so a search can be shared.
import {
  Anchor,
  Badge,
  Box,
  Button,
  CloseButton,
  Group,
  Pagination,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  type OptionsFilter,
} from "@mantine/core";
import { useDebouncedCallback, useDisclosure, useMediaQuery } from "@mantine/hooks";
import { IconAdjustmentsHorizontal, IconSearch } from "@tabler/icons-react";
import { memo, useCallback, useEffect, useMemo, useState } from "react";
import { Link, useLocation, useSearchParams } from "react-router";
import { useQuery } from "urql";

import { apiErrors } from "../../api/errors";
import { useAuth } from "../../auth/AuthProvider";
import { PageTitle } from "../../components/PageTitle";
import { EmptyState, QueryState } from "../../components/QueryState";
import { useTypedEarly } from "../../components/typedEarly";
import { StatusBadge } from "../../components/StatusBadge";
import { formatNumber } from "../../components/format";
import { graphql } from "../../gql";
import type { DirectoryPageQuery } from "../../gql/graphql";
import {
  activeFilterCount,
  ORDERS,
  PAGE_SIZE,
  readDirectoryState,
  toFilter,
  writeDirectoryState,
  type DirectoryState,
} from "./directoryParams";
import {
  CONTINENTS,
  countryName,
  countryOptions,
  FOCUS_REGIONS,
  foldText,
  optionLabel,
  PARTNERSHIP_TYPES,
  PROGRAM_AREAS,
  stateName,
  US_STATES,
  type Option,
} from "./geo/places";
import { MemberSelect } from "./MemberSelect";
import { useMemberName } from "./memberName";
import { cursorKey, knownCursor, rememberCursor, usePageCursor } from "./usePageCursor";

const DirectoryPage = graphql(`
  query DirectoryPage($filter: PartnershipFilter, $first: Int!, $after: String, $orderBy: PartnershipOrder!) {
    partnerships(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          memberId
          memberName
          memberState
          partnerCity
          partnerRegion
          country
          countryName
          type
          status
          signedOn
          establishedYear
        }
      }
    }
  }
`);

const FIRST_ROWS_MARK = "directory:first-rows";

type Row = DirectoryPageQuery["partnerships"]["edges"][number]["node"];

const ORDER_LABELS: Record<string, string> = {
  NAME_ASC: "Partner community, A to Z",
  NAME_DESC: "Partner community, Z to A",
  DATE_ASC: "Oldest first",
  DATE_DESC: "Newest first",
};

const STATUSES: Option[] = ["PROPOSED", "PENDING", "ACTIVE", "DORMANT", "TERMINATED"].map((value) => ({
  value,
  label: value.charAt(0) + value.slice(1).toLowerCase(),
}));

/** Matches typed words against an option's name or code, any accents or case. */
const matchOption: OptionsFilter = ({ options, search }) => {
  const words = foldText(search).split(/\s+/).filter(Boolean);
  if (words.length === 0) return options;
  return options.filter((option) => {
    if (!("value" in option)) return true;
    const text = `${foldText(option.label)} ${option.value.toLowerCase()}`;
    return words.every((word) => text.includes(word));
  });
};

function since(row: Row): string {
  if (row.establishedYear) return String(row.establishedYear);
  if (row.signedOn) return row.signedOn.slice(0, 4);
  return "—";
}

type Patch = Partial<Omit<DirectoryState, "page" | "after">> & { page?: number; after?: string | null };

function useDirectoryState() {
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => readDirectoryState(params), [params]);
  /** Any change but the page's goes back to page 1. */
  const update = useCallback(
    (patch: Patch, options: { replace?: boolean } = {}) => {
      setParams(
        (previous) => {
          const current = readDirectoryState(previous);
          return writeDirectoryState({ ...current, ...patch, page: patch.page ?? 1, after: patch.after ?? null });
        },
        { replace: options.replace, preventScrollReset: true },
      );
    },
    [setParams],
  );
  return { state, update };
}

/** The search box: typed text goes to the URL after a pause; the URL's changes come back. */
function SearchBox({ value, onSearch }: { value: string; onSearch: (text: string) => void }) {
  const [text, setText] = useState(value);
  const [written, setWritten] = useState(value);
  const [seen, setSeen] = useState(value);
  if (value !== seen) {
    // The URL changed: from our own write (keep typing), or from elsewhere (show it).
    setSeen(value);
    if (value !== written) {
      setText(value);
      setWritten(value);
    }
  }
  const send = useDebouncedCallback((next: string) => {
    setWritten(next);
    onSearch(next);
  }, 300);
  const input = useTypedEarly(text, (typed) => {
    setText(typed);
    send(typed);
  });
  return (
    <TextInput
      ref={input}
      label="Search"
      description="A partner city or region, or a U.S. member community; accents optional"
      placeholder="e.g. Tromsø, Kyoto, Sacramento"
      leftSection={<IconSearch size={16} aria-hidden />}
      value={text}
      onChange={(event) => {
        setText(event.currentTarget.value);
        send(event.currentTarget.value);
      }}
      onKeyDown={(event) => {
        if (event.key === "Enter") send.flush();
      }}
      rightSection={
        text ? (
          <CloseButton
            aria-label="Clear the text"
            onClick={() => {
              setText("");
              send("");
              send.flush();
            }}
          />
        ) : null
      }
      type="search"
      autoComplete="off"
      styles={{ description: { color: "var(--mantine-color-gray-7)" } }}
    />
  );
}

function ActiveFilters({ state, update }: { state: DirectoryState; update: (patch: Patch) => void }) {
  const member = useMemberName(state.member);
  const chips: { key: string; label: string; clear: Patch }[] = [];
  if (state.search.trim()) chips.push({ key: "search", label: `“${state.search.trim()}”`, clear: { search: "" } });
  if (state.country) chips.push({ key: "country", label: countryName(state.country), clear: { country: null } });
  if (state.continent)
    chips.push({ key: "continent", label: optionLabel(CONTINENTS, state.continent), clear: { continent: null } });
  if (state.focusRegion)
    chips.push({
      key: "focusRegion",
      label: `Focus: ${optionLabel(FOCUS_REGIONS, state.focusRegion)}`,
      clear: { focusRegion: null },
    });
  if (state.state) chips.push({ key: "state", label: stateName(state.state), clear: { state: null } });
  if (state.member) chips.push({ key: "member", label: member.label ?? "One member community", clear: { member: null } });
  if (state.type) chips.push({ key: "type", label: optionLabel(PARTNERSHIP_TYPES, state.type), clear: { type: null } });
  if (state.programArea)
    chips.push({
      key: "programArea",
      label: optionLabel(PROGRAM_AREAS, state.programArea),
      clear: { programArea: null },
    });
  if (state.status) chips.push({ key: "status", label: optionLabel(STATUSES, state.status), clear: { status: null } });
  if (state.recognized !== null)
    chips.push({
      key: "recognized",
      label: state.recognized ? "Recognized" : "Not recognized",
      clear: { recognized: null },
    });
  if (chips.length === 0) return null;
  return (
    <Group gap="xs" aria-label="Active filters" role="group">
      {chips.map((chip) => (
        <Badge
          key={chip.key}
          variant="light"
          c="blue.9"
          size="lg"
          tt="none"
          fw={500}
          rightSection={
            <CloseButton size="xs" aria-label={`Remove filter ${chip.label}`} onClick={() => update(chip.clear)} />
          }
        >
          {chip.label}
        </Badge>
      ))}
      {chips.length > 1 && (
        <Button
          variant="subtle"
          size="compact-sm"
          onClick={() =>
            update({
              search: "",
              country: null,
              continent: null,
              focusRegion: null,
              state: null,
              member: null,
              type: null,
              programArea: null,
              status: null,
              recognized: null,
            })
          }
        >
          Clear all
        </Button>
      )}
    </Group>
  );
}

// Memoized: the filters (eight selects, one of 249 countries) draw again when a
// filter changes, not when results arrive.
const Filters = memo(function Filters({
  state,
  update,
  staffView,
}: {
  state: DirectoryState;
  update: (patch: Patch) => void;
  staffView: boolean;
}) {
  const countries = useMemo(() => countryOptions(), []);
  const common = { clearable: true, comboboxProps: { withinPortal: true, keepMounted: false } } as const;
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, md: 3, lg: 4 }} spacing="sm" verticalSpacing="sm">
      <Select
        {...common}
        label="Country"
        placeholder="Any country"
        searchable
        data={countries}
        filter={matchOption}
        limit={300}
        value={state.country}
        onChange={(country) => update({ country })}
        nothingFoundMessage="No country by that name"
      />
      <Select
        {...common}
        label="Continent"
        placeholder="Any continent"
        data={CONTINENTS as Option[]}
        value={state.continent}
        onChange={(continent) => update({ continent })}
      />
      <Select
        {...common}
        label="Focus region"
        placeholder="Any region"
        data={FOCUS_REGIONS as Option[]}
        value={state.focusRegion}
        onChange={(value) => update({ focusRegion: value as DirectoryState["focusRegion"] })}
      />
      <Select
        {...common}
        label="U.S. state"
        placeholder="Any state"
        searchable
        data={US_STATES as Option[]}
        filter={matchOption}
        value={state.state}
        onChange={(value) => update({ state: value })}
        nothingFoundMessage="No state by that name"
      />
      <MemberSelect value={state.member} onChange={(member) => update({ member })} />
      <Select
        {...common}
        label="Type"
        placeholder="Sister or friendship"
        data={PARTNERSHIP_TYPES as Option[]}
        value={state.type}
        onChange={(value) => update({ type: value as DirectoryState["type"] })}
      />
      <Select
        {...common}
        label="Programme area"
        placeholder="Any area"
        data={PROGRAM_AREAS as Option[]}
        value={state.programArea}
        onChange={(value) => update({ programArea: value as DirectoryState["programArea"] })}
      />
      {staffView && (
        <>
          <Select
            {...common}
            label="Status"
            placeholder="Any status you may see"
            data={STATUSES}
            value={state.status}
            onChange={(value) => update({ status: value as DirectoryState["status"] })}
          />
          <Select
            {...common}
            label="Recognition"
            placeholder="Recognized or not"
            data={[
              { value: "true", label: "Recognized" },
              { value: "false", label: "Not recognized" },
            ]}
            value={state.recognized === null ? null : String(state.recognized)}
            onChange={(value) => update({ recognized: value === null ? null : value === "true" })}
          />
        </>
      )}
      <Select
        label="Sort by"
        data={ORDERS.map((value) => ({ value, label: ORDER_LABELS[value] ?? value }))}
        value={state.order}
        allowDeselect={false}
        onChange={(value) => update({ order: (value ?? "NAME_ASC") as DirectoryState["order"] })}
        comboboxProps={{ withinPortal: true, keepMounted: false }}
      />
    </SimpleGrid>
  );
});

function ResultsTable({ rows, busy, from }: { rows: Row[]; busy: boolean; from: string }) {
  return (
    <Table.ScrollContainer minWidth={820} type="native">
      <Table
        striped
        highlightOnHover
        verticalSpacing="xs"
        aria-label="Partnerships"
        aria-busy={busy}
        style={{ opacity: busy ? 0.6 : 1, transition: "opacity 120ms" }}
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">U.S. community</Table.Th>
            <Table.Th scope="col">State</Table.Th>
            <Table.Th scope="col">Partner community</Table.Th>
            <Table.Th scope="col">Country</Table.Th>
            <Table.Th scope="col">Type</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
            <Table.Th scope="col">Since</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.id}>
              <Table.Td>{row.memberName ?? "—"}</Table.Td>
              <Table.Td>
                <abbr title={stateName(row.memberState)} style={{ textDecoration: "none" }}>
                  {row.memberState ?? "—"}
                </abbr>
              </Table.Td>
              <Table.Td>
                <Anchor
                  component={Link}
                  to={`/partnerships/${encodeURIComponent(row.id)}`}
                  state={{ directory: from }}
                  fw={600}
                  size="sm"
                >
                  {row.partnerCity}
                </Anchor>
                {row.partnerRegion && (
                  <Text size="xs" c="gray.7">
                    {row.partnerRegion}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{row.countryName}</Table.Td>
              <Table.Td>{optionLabel(PARTNERSHIP_TYPES, row.type)}</Table.Td>
              <Table.Td>
                <StatusBadge status={row.status} />
              </Table.Td>
              <Table.Td>{since(row)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** On a phone: one card per partnership instead of a wide table. */
function ResultsList({ rows, busy, from }: { rows: Row[]; busy: boolean; from: string }) {
  return (
    <Stack
      gap="xs"
      component="ul"
      aria-label="Partnerships"
      aria-busy={busy}
      p={0}
      m={0}
      style={{ listStyle: "none", opacity: busy ? 0.6 : 1 }}
    >
      {rows.map((row) => (
        <Paper key={row.id} withBorder radius="md" p="sm" component="li">
          <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
            <div>
              <Anchor
                component={Link}
                to={`/partnerships/${encodeURIComponent(row.id)}`}
                state={{ directory: from }}
                fw={600}
              >
                {row.partnerCity}
              </Anchor>
              <Text size="sm" c="gray.7">
                {[row.partnerRegion, row.countryName].filter(Boolean).join(", ")}
              </Text>
            </div>
            <StatusBadge status={row.status} />
          </Group>
          <Text size="sm" mt={6}>
            with {row.memberName ?? "—"}, {stateName(row.memberState)}
          </Text>
          <Text size="xs" c="gray.7">
            {optionLabel(PARTNERSHIP_TYPES, row.type)}
            {since(row) !== "—" ? ` · since ${since(row)}` : ""}
          </Text>
        </Paper>
      ))}
    </Stack>
  );
}

export function Directory() {
  const { state, update } = useDirectoryState();
  const location = useLocation();
  const { identity } = useAuth();
  const staffView = identity.role === "staff" || identity.role === "member";
  // Known at the first render, so the app's taking over of the drawn page is not
  // followed by a second render of the whole page; the drawn page (loading) has
  // nothing that depends on it.
  const phone = useMediaQuery("(max-width: 48em)", undefined, { getInitialValueInEffect: false });
  const [filtersOpen, { toggle: toggleFilters }] = useDisclosure(false);
  const filter = useMemo(() => toFilter(state), [state]);

  const cursor = usePageCursor(filter, state.order, state.page, PAGE_SIZE, state.after);
  const [result, reexecute] = useQuery({
    query: DirectoryPage,
    variables: { filter, orderBy: state.order, first: PAGE_SIZE, after: cursor.after ?? null },
    pause: cursor.after === undefined,
  });

  // A page past the end (a stale link): show the last page there is.
  const lastPage = cursor.lastPage;
  useEffect(() => {
    if (lastPage !== null) update({ page: lastPage }, { replace: true });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lastPage]);

  // A page found by looking up its cursor: the URL keeps the cursor, so a reload is one query.
  const found = cursor.after;
  useEffect(() => {
    if (found && found !== state.after && state.page > 1) {
      update({ page: state.page, after: found }, { replace: true });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [found]);

  const connection = result.data?.partnerships;
  const key = cursorKey(filter, state.order);
  // The data shown answers the URL's page (not the previous one, kept while the next loads).
  const current = cursor.after !== undefined && (!result.fetching || !!result.stale);
  // A cursor in the URL the API refuses, or past the end now: find the page again.
  const staleCursor =
    state.after !== null &&
    (apiErrors(result.error).some((e) => e.code === "BAD_USER_INPUT" && e.field === "after") ||
      (current && connection !== undefined && connection.edges.length === 0 && connection.totalCount > 0));
  useEffect(() => {
    if (staleCursor) update({ page: state.page, after: null }, { replace: true });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [staleCursor]);

  // What this page teaches: where the next one starts.
  useEffect(() => {
    if (!connection || !current || cursor.after === undefined) return;
    const { hasNextPage, endCursor } = connection.pageInfo;
    if (hasNextPage && endCursor) rememberCursor(key, state.page * PAGE_SIZE, endCursor);
  }, [connection, current, key, state.page, cursor.after]);

  // For bench/bench_webapp.py: when a visitor first sees partnerships.
  const hasRows = current && (connection?.edges.length ?? 0) > 0;
  useEffect(() => {
    if (hasRows && performance.getEntriesByName(FIRST_ROWS_MARK).length === 0) {
      performance.mark(FIRST_ROWS_MARK);
    }
  }, [hasRows]);

  const retry = () => {
    if (cursor.error) cursor.retry();
    else reexecute({ requestPolicy: "network-only" });
  };
  const shown = {
    data: result.data,
    fetching: result.fetching || cursor.fetching,
    error: staleCursor ? undefined : (cursor.error ?? result.error),
  };
  const filtersCount = activeFilterCount(state) - (state.search.trim() ? 1 : 0);

  return (
    <Stack gap="md">
      <div>
        <PageTitle>Partnership directory</PageTitle>
        <Text c="gray.7" mt={-8}>
          U.S. member communities and their sister and friendship cities around the world.
        </Text>
      </div>

      <Paper withBorder p="md" radius="md" component="section" aria-label="Find partnerships">
        <Stack gap="sm">
          <SearchBox value={state.search} onSearch={(search) => update({ search }, { replace: true })} />
          {/* Phone or not by CSS, not by script: the page drawn at build time
              (no screen size known) is then already right on a phone. */}
          <Button
            hiddenFrom="sm"
            variant="default"
            leftSection={<IconAdjustmentsHorizontal size={16} aria-hidden />}
            onClick={toggleFilters}
            aria-expanded={filtersOpen}
            aria-controls="directory-filters"
          >
            {filtersOpen ? "Hide filters" : filtersCount > 0 ? `Filters (${filtersCount})` : "Filters"}
          </Button>
          <Box id="directory-filters" visibleFrom={filtersOpen ? undefined : "sm"}>
            <Filters state={state} update={update} staffView={staffView} />
          </Box>
          <ActiveFilters state={state} update={update} />
        </Stack>
      </Paper>

      <QueryState result={shown} onRetry={retry}>
        {(data) => {
          const { totalCount, edges } = data.partnerships;
          const pages = Math.max(1, Math.ceil(totalCount / PAGE_SIZE));
          const first = (state.page - 1) * PAGE_SIZE + 1;
          const last = first + edges.length - 1;
          const busy = shown.fetching && !current;
          return (
            <Stack gap="sm">
              <Group justify="space-between" align="baseline" wrap="wrap" aria-live="polite">
                <Text size="lg" fw={600}>
                  {busy ? (
                    "Searching…"
                  ) : (
                    <>
                      <span data-testid="directory-total" data-total={totalCount}>
                        {formatNumber(totalCount)}
                      </span>{" "}
                      {totalCount === 1 ? "partnership" : "partnerships"}
                    </>
                  )}
                </Text>
                {edges.length > 0 && !busy && (
                  <Text size="sm" c="gray.7">
                    Showing {formatNumber(first)}–{formatNumber(last)}
                    {pages > 1 ? `, page ${state.page} of ${formatNumber(pages)}` : ""}
                  </Text>
                )}
              </Group>
              {totalCount === 0 && !busy ? (
                <EmptyState>
                  <Stack gap={4} align="center" component="span">
                    <Text fw={600} component="span">
                      No partnership matches.
                    </Text>
                    <Text component="span" size="sm">
                      Try fewer words or remove a filter.
                    </Text>
                  </Stack>
                </EmptyState>
              ) : phone ? (
                <ResultsList rows={edges.map((edge) => edge.node)} busy={busy} from={location.search} />
              ) : (
                <ResultsTable rows={edges.map((edge) => edge.node)} busy={busy} from={location.search} />
              )}
              {pages > 1 && (
                <Box component="nav" aria-label="Pages of results">
                  <Pagination
                    total={pages}
                    value={Math.min(state.page, pages)}
                    onChange={(page) => update({ page, after: knownCursor(key, (page - 1) * PAGE_SIZE) })}
                    siblings={phone ? 0 : 1}
                    boundaries={1}
                    size={phone ? "sm" : "md"}
                    getControlProps={(control) => ({
                      "aria-label": control === "previous" ? "Previous page" : control === "next" ? "Next page" : control,
                    })}
                    getItemProps={(page) => ({ "aria-label": `Page ${page}` })}
                  />
                </Box>
              )}
            </Stack>
          );
        }}
      </QueryState>
    </Stack>
  );
}
