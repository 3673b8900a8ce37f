// Staff: a fiscal year's dues schedule (an amount per population band and the
// grace days), set until the year has invoices; opening the year invoices
// every member, behind a confirmation that says so.
import { Alert, Badge, Button, Card, Group, NumberInput, Select, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { IconCalendarPlus, IconLock } from "@tabler/icons-react";
import { useState } from "react";
import { useSearchParams } from "react-router";
import { useMutation, useQuery } from "urql";

import { apiErrors, type ApiError } from "../../../../api/errors";
import { formatMoney, formatNumber } from "../../../../components/format";
import { PageTitle } from "../../../../components/PageTitle";
import { QueryState } from "../../../../components/QueryState";
import { RequireRole } from "../../../../components/RequireRole";
import { graphql } from "../../../../gql";
import type { DuesBand, StaffDuesScheduleQuery } from "../../../../gql/graphql";
import { ActionModal } from "../shared/ActionModal";
import { BAND_LABELS, BAND_RANGES, BANDS } from "../shared/labels";
import { OtherErrors } from "../shared/OtherErrors";

const DuesScheduleQuery = graphql(`
  query StaffDuesSchedule($fiscalYear: Int!) {
    duesSchedule(fiscalYear: $fiscalYear) {
      fiscalYear
      currency
      graceDays
      opened
      bands {
        band
        label
        minPopulation
        maxPopulation
        amountCents
      }
    }
  }
`);

const DuesMemberCountsQuery = graphql(`
  query StaffDuesMemberCounts {
    all: members(first: 0) {
      totalCount
    }
    cancelled: members(filter: { status: CANCELLED }, first: 0) {
      totalCount
    }
  }
`);

const SetDuesScheduleMutation = graphql(`
  mutation StaffSetDuesSchedule($fiscalYear: Int!, $bands: [DuesBandInput!]!, $graceDays: Int) {
    setDuesSchedule(fiscalYear: $fiscalYear, bands: $bands, graceDays: $graceDays) {
      fiscalYear
      currency
      graceDays
      opened
      bands {
        band
        label
        minPopulation
        maxPopulation
        amountCents
      }
    }
  }
`);

const OpenDuesYearMutation = graphql(`
  mutation StaffOpenDuesYear($fiscalYear: Int!) {
    openDuesYear(fiscalYear: $fiscalYear) {
      fiscalYear
      issued
    }
  }
`);

type Schedule = NonNullable<StaffDuesScheduleQuery["duesSchedule"]>;

const DEFAULT_GRACE_DAYS = 30;

export function DuesPage() {
  return (
    <RequireRole role="staff">
      <Dues />
    </RequireRole>
  );
}

function Dues() {
  const thisYear = new Date().getFullYear();
  const [params, setParams] = useSearchParams();
  const requested = Number(params.get("year"));
  const year = Number.isInteger(requested) && requested >= 2000 && requested <= 2100 ? requested : thisYear;
  const years = [...new Set([thisYear - 3, thisYear - 2, thisYear - 1, thisYear, thisYear + 1, thisYear + 2, year])].sort((a, b) => a - b);
  const [result, refetch] = useQuery({ query: DuesScheduleQuery, variables: { fiscalYear: year } });

  return (
    <Stack gap="md">
      <PageTitle>Dues</PageTitle>
      <Select
        label="Fiscal year"
        description="A fiscal year is named by the calendar year it ends in"
        data={years.map((y) => ({ value: String(y), label: `FY${y}` }))}
        value={String(year)}
        onChange={(value) => value && setParams({ year: value }, { replace: true })}
        allowDeselect={false}
        maw={260}
      />
      <QueryState result={result} onRetry={() => refetch({ requestPolicy: "network-only" })}>
        {(data) => <YearDues key={year} year={year} schedule={data.duesSchedule ?? null} />}
      </QueryState>
    </Stack>
  );
}

function YearDues({ year, schedule }: { year: number; schedule: Schedule | null }) {
  const [issued, setIssued] = useState<number | null>(null);
  return (
    <Stack gap="md">
      {issued !== null && (
        <Alert color="green" title={`FY${year} is open`} role="status" withCloseButton onClose={() => setIssued(null)}>
          {issued === 0
            ? `No new invoice: every member was already invoiced for FY${year}.`
            : `${formatNumber(issued)} dues ${issued === 1 ? "invoice was" : "invoices were"} issued for FY${year}.`}
        </Alert>
      )}
      {schedule?.opened ? (
        <FrozenSchedule schedule={schedule} />
      ) : (
        <>
          <ScheduleForm year={year} schedule={schedule} />
          {schedule && <OpenYear year={year} schedule={schedule} onOpened={setIssued} />}
        </>
      )}
    </Stack>
  );
}

function FrozenSchedule({ schedule }: { schedule: Schedule }) {
  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h4">
          FY{schedule.fiscalYear} schedule
        </Title>
        <Badge color="gray" variant="light" leftSection={<IconLock size={12} aria-hidden />}>
          Open: invoices issued
        </Badge>
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        Invoices were issued for FY{schedule.fiscalYear} with this schedule, so it can no longer change: a price change
        never rewrites what was billed. Members who join during the year are billed at these amounts.
      </Text>
      <Table.ScrollContainer minWidth={420}>
        <Table striped aria-label={`FY${schedule.fiscalYear} dues by population band`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Population</Table.Th>
              <Table.Th scope="col" ta="right">
                Dues
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {schedule.bands.map((b) => (
              <Table.Tr key={b.band}>
                <Table.Td>{BAND_LABELS[b.band]}</Table.Td>
                <Table.Td ta="right">{formatMoney(b.amountCents, schedule.currency)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Text size="sm" mt="sm">
        Grace period: {schedule.graceDays} days after the due date.
      </Text>
    </Card>
  );
}

interface ScheduleValues {
  amounts: Record<DuesBand, number | string>;
  graceDays: number | string;
}

function valuesOf(schedule: Schedule | null): ScheduleValues {
  const amounts = Object.fromEntries(BANDS.map((band) => [band, ""])) as Record<DuesBand, number | string>;
  for (const b of schedule?.bands ?? []) amounts[b.band] = b.amountCents / 100;
  return { amounts, graceDays: schedule?.graceDays ?? DEFAULT_GRACE_DAYS };
}

/** The API names a band's amount by its place in the list sent (BANDS order). */
function scheduleErrors(errors: ApiError[]): { byField: Record<string, string>; other: ApiError[] } {
  const byField: Record<string, string> = {};
  const other: ApiError[] = [];
  for (const e of errors) {
    const message = e.message.charAt(0).toUpperCase() + e.message.slice(1);
    const band = e.field?.match(/^bands\[(\d+)\]/);
    const place = band ? BANDS[Number(band[1])] : undefined;
    if (e.code === "BAD_USER_INPUT" && place) byField[`amounts.${place}`] = message;
    else if (e.code === "BAD_USER_INPUT" && e.field === "graceDays") byField.graceDays = message;
    else other.push(e);
  }
  return { byField, other };
}

function ScheduleForm({ year, schedule }: { year: number; schedule: Schedule | null }) {
  const [state, setSchedule] = useMutation(SetDuesScheduleMutation);
  const [other, setOther] = useState<ApiError[]>([]);
  const [frozen, setFrozen] = useState<string | null>(null);
  const form = useForm<ScheduleValues>({
    initialValues: valuesOf(schedule),
    validate: {
      amounts: Object.fromEntries(
        BANDS.map((band) => [band, (value: number | string) => (typeof value === "number" && value > 0 ? null : "Enter the amount")]),
      ) as Record<DuesBand, (value: number | string) => string | null>,
      graceDays: (value) =>
        typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 365
          ? null
          : "Enter a number of days from 0 to 365",
    },
  });
  const submit = form.onSubmit(async (values) => {
    setOther([]);
    setFrozen(null);
    const result = await setSchedule({
      fiscalYear: year,
      graceDays: Number(values.graceDays),
      bands: BANDS.map((band) => ({ ...BAND_RANGES[band], amountCents: Math.round(Number(values.amounts[band]) * 100) })),
    });
    if (result.error) {
      const { byField, other: rest } = scheduleErrors(apiErrors(result.error));
      form.setErrors(byField);
      // A CONFLICT here is the year's invoices: the schedule is frozen.
      const conflict = rest.find((e) => e.code === "CONFLICT");
      setFrozen(conflict ? conflict.message.charAt(0).toUpperCase() + conflict.message.slice(1) : null);
      setOther(rest.filter((e) => e.code !== "CONFLICT"));
      return;
    }
    form.resetDirty();
    notifications.show({ color: "green", message: `The FY${year} dues schedule is saved.` });
  });

  return (
    <Card withBorder component="section" aria-labelledby="dues-schedule-title">
      <Title order={3} size="h4" id="dues-schedule-title" mb="xs">
        {schedule ? `FY${year} schedule` : `Set the FY${year} schedule`}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {schedule
          ? `The amounts can change until FY${year} has invoices (once the year is opened, or a member has been billed for it).`
          : `FY${year} has no dues schedule yet. Set the amount for each of the six population bands; members are billed for the year once it is opened, and joiners at once.`}
      </Text>
      <form onSubmit={submit} noValidate aria-labelledby="dues-schedule-title">
        <Stack>
          <OtherErrors errors={other} />
          {frozen && (
            <Alert color="yellow" title={`The FY${year} schedule can no longer change`} role="alert">
              {frozen}. Members already billed for FY{year} keep these amounts.
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
            {BANDS.map((band) => (
              <NumberInput
                key={band}
                label={`${BAND_LABELS[band]} people`}
                prefix="$"
                min={0}
                decimalScale={2}
                thousandSeparator=","
                allowNegative={false}
                required
                {...form.getInputProps(`amounts.${band}`)}
              />
            ))}
          </SimpleGrid>
          <NumberInput
            label="Grace days"
            description="How long after the due date a member stays in good standing"
            min={0}
            max={365}
            allowDecimal={false}
            allowNegative={false}
            maw={260}
            required
            {...form.getInputProps("graceDays")}
          />
          <Group>
            <Button type="submit" loading={state.fetching}>
              Save schedule
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function OpenYear({ year, schedule, onOpened }: { year: number; schedule: Schedule; onOpened: (issued: number) => void }) {
  const [opened, setOpened] = useState(false);
  const [state, openYear] = useMutation(OpenDuesYearMutation);
  const [errors, setErrors] = useState<ApiError[]>([]);
  const [counts] = useQuery({ query: DuesMemberCountsQuery, pause: !opened });
  const billable = counts.data ? counts.data.all.totalCount - counts.data.cancelled.totalCount : null;

  const close = () => {
    setOpened(false);
    setErrors([]);
  };
  const confirm = async () => {
    setErrors([]);
    const result = await openYear({ fiscalYear: year });
    if (result.error || !result.data) {
      setErrors(apiErrors(result.error));
      return;
    }
    const { issued } = result.data.openDuesYear;
    notifications.show({
      color: "green",
      title: `FY${year} is open`,
      message: `${formatNumber(issued)} dues ${issued === 1 ? "invoice" : "invoices"} issued.`,
    });
    onOpened(issued);
    close();
  };

  return (
    <Card withBorder component="section" aria-labelledby="dues-open-title">
      <Title order={3} size="h4" id="dues-open-title" mb="xs">
        Open FY{year}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        Opening the year invoices every member that is not cancelled at this schedule's amounts. Only the current or the
        next fiscal year can be opened.
      </Text>
      <Group>
        <Button onClick={() => setOpened(true)} leftSection={<IconCalendarPlus size={16} aria-hidden />}>
          Open FY{year}
        </Button>
      </Group>
      <ActionModal
        opened={opened}
        onClose={close}
        title={`Open FY${year}?`}
        description={
          <Stack gap="xs">
            <Text size="sm" fw={600}>
              This issues a dues invoice to every member for FY{year}; members already invoiced are not billed twice.
            </Text>
            <Text size="sm">
              Cancelled members are not billed. Each member is billed for its population band at this schedule&apos;s
              amounts (from {formatMoney(Math.min(...schedule.bands.map((b) => b.amountCents)), schedule.currency)} to{" "}
              {formatMoney(Math.max(...schedule.bands.map((b) => b.amountCents)), schedule.currency)}), due on the first
              day of the year or today if that is later, with {schedule.graceDays} days of grace.
            </Text>
            {billable !== null && (
              <Text size="sm">
                There are {formatNumber(billable)} members that are not cancelled.
              </Text>
            )}
            <Text size="sm">The FY{year} schedule can no longer change afterwards.</Text>
          </Stack>
        }
        confirmLabel={`Issue FY${year} invoices`}
        fetching={state.fetching}
        errors={errors}
        onConfirm={() => void confirm()}
      />
    </Card>
  );
}
