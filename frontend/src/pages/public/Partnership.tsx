// One partnership, everything the caller may see of it: the U.S. member, the
// partner abroad, status, dates, programme areas, the agreement (staff and the
// member's own users) and its history.
import {
  Anchor,
  Badge,
  Card,
  Group,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Timeline,
  Title,
} from "@mantine/core";
import { IconArrowLeft, IconMapPin, IconBuildingCommunity } from "@tabler/icons-react";
import type { ReactNode } from "react";
import { Link, useLocation, useParams } from "react-router";
import { useQuery } from "urql";

import { PageTitle } from "../../components/PageTitle";
import { QueryState } from "../../components/QueryState";
import { StatusBadge } from "../../components/StatusBadge";
import { formatDate, formatDateTime, humanize } from "../../components/format";
import { graphql } from "../../gql";
import type { PartnershipPageQuery } from "../../gql/graphql";
import { FOCUS_REGIONS, optionLabel, PARTNERSHIP_TYPES, PROGRAM_AREAS, stateName } from "./geo/places";

const PartnershipPage = graphql(`
  query PartnershipPage($id: ID!) {
    partnership(id: $id) {
      id
      memberId
      memberName
      memberState
      partnerCity
      partnerRegion
      country
      countryName
      continent
      continentName
      focusRegions
      type
      status
      programAreas
      recognized
      signedOn
      establishedYear
      createdAt
      updatedAt
      agreement {
        councilResolution
        signedOn
        usSignatory
        partnerSignatory
        documentReference
      }
      member {
        id
        name
        kind
        state
      }
      history {
        action
        fromStatus
        toStatus
        at
        actor
        actorRole
        reason
      }
    }
  }
`);

type Partnership = NonNullable<PartnershipPageQuery["partnership"]>;

const ACTIONS: Record<string, string> = {
  PROPOSED: "Proposed",
  IMPORTED: "Entered in the registry",
  AGREEMENT_RECORDED: "Agreement recorded",
  ACTIVATED: "Verified and activated",
  MARKED_DORMANT: "Marked dormant",
  REACTIVATED: "Reactivated",
  TERMINATED: "Terminated",
  UPDATED: "Details updated",
};

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th scope="row" w="40%" fw={500} c="gray.7">
        {label}
      </Table.Th>
      <Table.Td>{children}</Table.Td>
    </Table.Tr>
  );
}

function Facts({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Table aria-label={label} withRowBorders={false} verticalSpacing={6} horizontalSpacing={0}>
      <Table.Tbody>{children}</Table.Tbody>
    </Table>
  );
}

function Section({ title, icon, children }: { title: string; icon?: ReactNode; children: ReactNode }) {
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-label={title}>
      <Group gap="xs" mb="sm" wrap="nowrap">
        {icon}
        <Title order={3} size="h4">
          {title}
        </Title>
      </Group>
      {children}
    </Card>
  );
}

function Details({ p }: { p: Partnership }) {
  const memberName = p.member?.name ?? p.memberName ?? "The member community";
  const memberState = p.member?.state ?? p.memberState;
  return (
    <Stack gap="lg">
      <div>
        <PageTitle>{`${memberName} – ${p.partnerCity}`}</PageTitle>
        <Group gap="xs" mt={-8}>
          <Badge variant="outline" color="blue">
            {optionLabel(PARTNERSHIP_TYPES, p.type)}
          </Badge>
          <StatusBadge status={p.status} />
          {p.recognized ? (
            <Badge variant="outline" color="teal.9">
              Recognized
            </Badge>
          ) : (
            <Badge variant="outline" color="gray.8">
              Not recognized
            </Badge>
          )}
        </Group>
        <Text mt="sm" c="gray.7">
          {memberName}
          {memberState ? `, ${stateName(memberState)}` : ""} and {p.partnerCity}
          {p.partnerRegion ? ` (${p.partnerRegion})` : ""}, {p.countryName}
          {p.establishedYear ? `, partners since ${p.establishedYear}` : ""}.
        </Text>
      </div>

      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
        <Section title="U.S. member community" icon={<IconBuildingCommunity size={20} aria-hidden />}>
          <Facts label="U.S. member community">
            <Fact label="Name">{memberName}</Fact>
            {p.member && <Fact label="Kind">{humanize(p.member.kind)}</Fact>}
            <Fact label="State">{stateName(memberState)}</Fact>
          </Facts>
          <Anchor component={Link} to={`/directory?member=${encodeURIComponent(p.memberId)}`} size="sm" mt="sm">
            All partnerships of {memberName}
          </Anchor>
        </Section>
        <Section title="Partner community" icon={<IconMapPin size={20} aria-hidden />}>
          <Facts label="Partner community">
            <Fact label="Name">{p.partnerCity}</Fact>
            {p.partnerRegion && <Fact label="Region">{p.partnerRegion}</Fact>}
            <Fact label="Country">{p.countryName}</Fact>
            <Fact label="Continent">{p.continentName}</Fact>
            {p.focusRegions.length > 0 && (
              <Fact label="Focus region">
                {p.focusRegions.map((region, i) => (
                  <span key={region}>
                    {i > 0 && ", "}
                    <Anchor component={Link} to={`/directory?focusRegion=${region}`}>
                      {optionLabel(FOCUS_REGIONS, region)}
                    </Anchor>
                  </span>
                ))}
              </Fact>
            )}
          </Facts>
          <Anchor component={Link} to={`/directory?country=${p.country}`} size="sm" mt="sm">
            All partnerships with {p.countryName}
          </Anchor>
        </Section>
      </SimpleGrid>

      <Section title="The partnership">
        <Facts label="The partnership">
          <Fact label="Type">{optionLabel(PARTNERSHIP_TYPES, p.type)}</Fact>
          <Fact label="Status">
            <StatusBadge status={p.status} />
          </Fact>
          <Fact label="Established">{p.establishedYear ?? "Not known"}</Fact>
          <Fact label="Latest signing">{p.signedOn ? formatDate(p.signedOn) : "Not recorded"}</Fact>
          <Fact label="Programme areas">
            {p.programAreas.length > 0 ? (
              <Group gap={6}>
                {p.programAreas.map((area) => (
                  <Badge key={area} variant="light" c="blue.9" tt="none" fw={500}>
                    {optionLabel(PROGRAM_AREAS, area)}
                  </Badge>
                ))}
              </Group>
            ) : (
              "None recorded"
            )}
          </Fact>
          <Fact label="In the registry since">{formatDate(p.createdAt)}</Fact>
          <Fact label="Last changed">{formatDate(p.updatedAt)}</Fact>
        </Facts>
      </Section>

      {p.agreement && (
        <Section title="Agreement">
          <Facts label="Agreement">
            <Fact label="Council resolution">{p.agreement.councilResolution}</Fact>
            <Fact label="Signed on">{formatDate(p.agreement.signedOn)}</Fact>
            <Fact label="U.S. signatory">{p.agreement.usSignatory}</Fact>
            <Fact label="Partner signatory">{p.agreement.partnerSignatory}</Fact>
            <Fact label="Document on file">{p.agreement.documentReference}</Fact>
          </Facts>
        </Section>
      )}

      <Section title="History">
        {p.history.length === 0 ? (
          <Text c="gray.7">No change recorded.</Text>
        ) : (
          <Timeline bulletSize={14} lineWidth={2} active={p.history.length - 1} aria-label="History">
            {p.history.map((change, i) => (
              <Timeline.Item key={`${change.at}-${i}`} title={ACTIONS[change.action] ?? humanize(change.action)}>
                <Text size="sm" c="gray.7">
                  {formatDateTime(change.at)}
                  {change.fromStatus && change.fromStatus !== change.toStatus
                    ? ` · ${humanize(change.fromStatus)} → ${humanize(change.toStatus)}`
                    : ` · ${humanize(change.toStatus)}`}
                  {change.actor ? ` · by ${change.actor} (${change.actorRole})` : ""}
                </Text>
                {change.reason && change.reason !== "imported" && <Text size="sm">{change.reason}</Text>}
              </Timeline.Item>
            ))}
          </Timeline>
        )}
      </Section>
    </Stack>
  );
}

export function Partnership() {
  const { id = "" } = useParams();
  const location = useLocation();
  const from = (location.state as { directory?: string } | null)?.directory ?? "";
  const [result, reexecute] = useQuery({ query: PartnershipPage, variables: { id } });

  return (
    <Stack gap="md">
      <Anchor component={Link} to={`/directory${from}`} size="sm">
        <Group gap={4} component="span">
          <IconArrowLeft size={16} aria-hidden />
          Back to the directory
        </Group>
      </Anchor>
      <QueryState result={result} onRetry={() => reexecute({ requestPolicy: "network-only" })}>
        {(data) =>
          data.partnership ? (
            <Details p={data.partnership} />
          ) : (
            <Stack gap="xs">
              <PageTitle>Partnership not found</PageTitle>
              <Text>
                There is no partnership at this address, or it is not public. Find it in the{" "}
                <Anchor component={Link} to="/directory">
                  directory
                </Anchor>
                .
              </Text>
            </Stack>
          )
        }
      </QueryState>
    </Stack>
  );
}
