import { Alert, Anchor, Badge, Button, Card, Group, List, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { IconCircleCheck, IconAlertTriangle } from "@tabler/icons-react";
import { Link } from "react-router";
import { useQuery } from "urql";

import { PageTitle } from "../../components/PageTitle";
import { EmptyState, QueryState } from "../../components/QueryState";
import { StatusBadge } from "../../components/StatusBadge";
import { formatDate, formatDateTime, formatMoney } from "../../components/format";
import { graphql } from "../../gql";
import type { MemberGrantsQuery } from "../../gql/graphql";
import { eligibilityReasons } from "./eligibility";
import { areaLabel, useMemberId } from "./shared";

const MemberGrantsQueryDoc = graphql(`
  query MemberGrants($memberId: ID!) {
    open: grantPrograms(status: OPEN) {
      ...MemberProgramFields
    }
    upcoming: grantPrograms(status: UPCOMING) {
      ...MemberProgramFields
    }
    member(id: $memberId) {
      id
      status
      goodStanding
      population
      partnerships {
        id
        status
        recognized
        country
      }
    }
    applications(filter: { memberId: $memberId }, first: 100) {
      totalCount
      edges {
        node {
          id
          programId
          title
          status
          amountRequestedCents
          currency
          submittedAt
          decidedAt
          updatedAt
          program {
            id
            name
          }
          award {
            id
            awardedAt
          }
        }
      }
    }
  }
`);

const LIVE = new Set(["DRAFT", "SUBMITTED", "INELIGIBLE", "IN_REVIEW", "AWARDED"]);

type Data = MemberGrantsQuery;
type Program = Data["open"][number];

export function Grants() {
  const memberId = useMemberId();
  const [result, refetch] = useQuery({ query: MemberGrantsQueryDoc, variables: { memberId } });

  return (
    <Stack>
      <PageTitle>Grants</PageTitle>
      <QueryState result={result} onRetry={() => refetch({ requestPolicy: "network-only" })}>
        {(data) => {
          const applications = data.applications.edges.map((e) => e.node);
          const lastAward = applications
            .map((a) => a.award?.awardedAt)
            .filter((d): d is string => !!d)
            .sort()
            .at(-1);
          return (
            <Stack gap="xl">
              <section aria-labelledby="open-programmes">
                <Title order={3} id="open-programmes" mb="sm">
                  Open grant programmes
                </Title>
                {data.open.length === 0 ? (
                  <EmptyState>No grant programme is open for applications right now.</EmptyState>
                ) : (
                  <SimpleGrid cols={{ base: 1, md: 2 }}>
                    {data.open.map((program) => (
                      <ProgramCard
                        key={program.id}
                        program={program}
                        data={data}
                        lastAward={lastAward}
                        live={applications.find((a) => a.programId === program.id && LIVE.has(a.status))}
                      />
                    ))}
                  </SimpleGrid>
                )}
                {data.upcoming.length > 0 && (
                  <Text size="sm" mt="sm">
                    Opening soon:{" "}
                    {data.upcoming.map((p, i) => (
                      <span key={p.id}>
                        {i > 0 && "; "}
                        {p.name} (opens {formatDate(p.opensAt)})
                      </span>
                    ))}
                  </Text>
                )}
              </section>

              <section aria-labelledby="our-applications">
                <Title order={3} id="our-applications" mb="sm">
                  Our applications
                </Title>
                {applications.length === 0 ? (
                  <EmptyState>Your community has not applied for a grant yet.</EmptyState>
                ) : (
                  <Table.ScrollContainer minWidth={760}>
                    <Table striped highlightOnHover aria-label="Our grant applications">
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th>Application</Table.Th>
                          <Table.Th>Programme</Table.Th>
                          <Table.Th>Status</Table.Th>
                          <Table.Th ta="right">Requested</Table.Th>
                          <Table.Th>Submitted</Table.Th>
                          <Table.Th>Decision</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {applications.map((a) => (
                          <Table.Tr key={a.id}>
                            <Table.Td>
                              <Anchor component={Link} to={`/member/grants/applications/${a.id}`}>
                                {a.title || "Untitled draft"}
                              </Anchor>
                            </Table.Td>
                            <Table.Td>{a.program?.name ?? "—"}</Table.Td>
                            <Table.Td>
                              <StatusBadge status={a.status} />
                            </Table.Td>
                            <Table.Td ta="right">{formatMoney(a.amountRequestedCents, a.currency)}</Table.Td>
                            <Table.Td>{formatDate(a.submittedAt)}</Table.Td>
                            <Table.Td>
                              {a.award ? (
                                <Anchor component={Link} to={`/member/grants/awards/${a.award.id}`}>
                                  Awarded {formatDate(a.award.awardedAt)}
                                </Anchor>
                              ) : a.status === "DECLINED" ? (
                                `Declined ${formatDate(a.decidedAt)}`
                              ) : (
                                "—"
                              )}
                            </Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </Table.ScrollContainer>
                )}
              </section>
            </Stack>
          );
        }}
      </QueryState>
    </Stack>
  );
}

function ProgramCard({
  program,
  data,
  lastAward,
  live,
}: {
  program: Program;
  data: Data;
  lastAward: string | undefined;
  live: Data["applications"]["edges"][number]["node"] | undefined;
}) {
  const community = {
    status: data.member?.status,
    goodStanding: data.member?.goodStanding,
    population: data.member?.population,
    partnerships: data.member?.partnerships ?? [],
  };
  const reasons = eligibilityReasons(program.eligibility, community, lastAward);
  return (
    <Card withBorder component="article" aria-labelledby={`programme-${program.id}`}>
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Title order={4} id={`programme-${program.id}`}>
            {program.name}
          </Title>
          {reasons.length === 0 ? (
            <Badge color="green" variant="light" leftSection={<IconCircleCheck size={12} aria-hidden />}>
              Eligible
            </Badge>
          ) : (
            <Badge color="orange" variant="light" leftSection={<IconAlertTriangle size={12} aria-hidden />}>
              Not eligible yet
            </Badge>
          )}
        </Group>
        {program.description && <Text size="sm">{program.description}</Text>}
        <Text size="sm">
          Areas: {program.areas.map(areaLabel).join(", ")} · up to {formatMoney(program.maxAwardCents, program.currency)}
        </Text>
        <Text size="sm" fw={500}>
          Deadline: {formatDateTime(program.closesAt)}
        </Text>
        {reasons.length > 0 ? (
          <Alert color="orange" variant="light" p="xs" title="What stands in the way">
            <List size="sm" spacing={2}>
              {reasons.map((r) => (
                <List.Item key={r}>{r}</List.Item>
              ))}
            </List>
          </Alert>
        ) : (
          <Text size="sm" c="gray.7">
            Your community meets the programme's rules as far as we can tell; they are checked again when you
            submit.
          </Text>
        )}
        <Group mt="xs">
          {live ? (
            <Button component={Link} to={`/member/grants/applications/${live.id}`} variant="light">
              {live.status === "DRAFT" || live.status === "INELIGIBLE" ? "Continue our application" : "View our application"}
            </Button>
          ) : (
            <Button component={Link} to={`/member/grants/programmes/${program.id}/apply`}>
              Apply
            </Button>
          )}
        </Group>
      </Stack>
    </Card>
  );
}
