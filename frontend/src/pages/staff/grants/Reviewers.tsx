import { Badge, Button, Card, Group, Select, SimpleGrid, Stack, Switch, Table, Text, TextInput, Title, VisuallyHidden } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useDebouncedValue } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import type { CombinedError } from "urql";
import { useMutation, useQuery } from "urql";

import { splitFieldErrors } from "../../../api/errors";
import { PageTitle } from "../../../components/PageTitle";
import { ErrorAlert, QueryState } from "../../../components/QueryState";
import { RequireRole } from "../../../components/RequireRole";
import { graphql } from "../../../gql";
import { StaffGrantsReviewers } from "./queries";

const Register = graphql(`
  mutation StaffGrantsRegisterReviewer($input: RegisterReviewerInput!) {
    registerReviewer(input: $input) {
      reviewerId
      name
      homeMemberId
      homeMemberName
      active
    }
  }
`);

const MemberSearch = graphql(`
  query StaffGrantsReviewerHomes($search: String, $first: Int!) {
    members(filter: { search: $search }, first: $first) {
      edges {
        node {
          id
          name
          state
        }
      }
    }
  }
`);

interface ReviewerValues {
  reviewerId: string;
  name: string;
  homeMemberId: string | null;
  active: boolean;
}

const FIELDS = ["reviewerId", "name", "homeMemberId", "active"];

export function Reviewers() {
  return (
    <RequireRole role="staff">
      <ReviewersPage />
    </RequireRole>
  );
}

function ReviewersPage() {
  const [result, refetch] = useQuery({ query: StaffGrantsReviewers });
  const [editing, setEditing] = useState<ReviewerValues & { homeLabel: string | null } | null>(null);
  return (
    <Stack>
      <PageTitle>Reviewers</PageTitle>
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
        <section aria-labelledby="roster-title">
          <Title order={3} size="h4" id="roster-title" mb="xs">
            Roster
          </Title>
          <QueryState
            result={result}
            onRetry={() => refetch({ requestPolicy: "network-only" })}
            isEmpty={(d) => d.reviewers.length === 0}
            empty="No reviewer is registered yet."
          >
            {(data) => (
              <Table.ScrollContainer minWidth={520}>
                <Table striped captionSide="top">
                  <Table.Caption>{data.reviewers.length} reviewers</Table.Caption>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Name</Table.Th>
                      <Table.Th>Reviewer id</Table.Th>
                      <Table.Th>Home community</Table.Th>
                      <Table.Th>Status</Table.Th>
                      <Table.Th>
                        <VisuallyHidden>Actions</VisuallyHidden>
                      </Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.reviewers.map((r) => (
                      <Table.Tr key={r.reviewerId}>
                        <Table.Td>{r.name}</Table.Td>
                        <Table.Td>
                          <Text size="sm" ff="monospace">
                            {r.reviewerId}
                          </Text>
                        </Table.Td>
                        <Table.Td>{r.homeMemberName ?? r.homeMemberId}</Table.Td>
                        <Table.Td>
                          <Badge color={r.active ? "green" : "gray"} variant="light">
                            {r.active ? "Active" : "Inactive"}
                          </Badge>
                        </Table.Td>
                        <Table.Td>
                          <Button
                            size="xs"
                            variant="subtle"
                            aria-label={`Edit ${r.name}`}
                            onClick={() =>
                              setEditing({
                                reviewerId: r.reviewerId,
                                name: r.name,
                                homeMemberId: r.homeMemberId,
                                active: r.active,
                                homeLabel: r.homeMemberName ?? null,
                              })
                            }
                          >
                            Edit
                          </Button>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </QueryState>
        </section>
        <RegisterForm
          key={editing?.reviewerId ?? "new"}
          editing={editing}
          onDone={() => setEditing(null)}
        />
      </SimpleGrid>
    </Stack>
  );
}

function RegisterForm({
  editing,
  onDone,
}: {
  editing: (ReviewerValues & { homeLabel: string | null }) | null;
  onDone: () => void;
}) {
  const [{ fetching }, register] = useMutation(Register);
  const [error, setError] = useState<CombinedError | null>(null);
  const [search, setSearch] = useState(editing?.homeLabel ?? "");
  const [debounced] = useDebouncedValue(search, 250);
  const [members] = useQuery({ query: MemberSearch, variables: { search: debounced || null, first: 30 } });
  const form = useForm<ReviewerValues>({
    initialValues: editing ?? { reviewerId: "", name: "", homeMemberId: null, active: true },
    validate: {
      reviewerId: (v) => (!v.trim() ? "Give the reviewer's id (their sign-in's reviewer id)" : null),
      name: (v) => (!v.trim() ? "Give the reviewer's name" : null),
      homeMemberId: (v) => (!v ? "Choose the reviewer's home member community" : null),
    },
  });
  const options = (members.data?.members.edges ?? []).map(({ node }) => ({
    value: node.id,
    label: node.state ? `${node.name}, ${node.state}` : node.name,
  }));
  if (editing?.homeMemberId && !options.some((o) => o.value === editing.homeMemberId)) {
    options.unshift({ value: editing.homeMemberId, label: editing.homeLabel ?? editing.homeMemberId });
  }

  const onSubmit = form.onSubmit(async (values) => {
    setError(null);
    const result = await register({
      input: {
        reviewerId: values.reviewerId.trim(),
        name: values.name.trim(),
        homeMemberId: values.homeMemberId ?? "",
        active: values.active,
      },
    });
    if (result.error) {
      const { byField, other } = splitFieldErrors(result.error, FIELDS);
      form.setErrors(byField);
      if (other.length) setError(result.error);
      return;
    }
    notifications.show({
      color: "green",
      title: editing ? "Reviewer updated" : "Reviewer registered",
      message: `${values.name.trim()} (${values.reviewerId.trim()})`,
    });
    form.reset();
    setSearch("");
    onDone();
  });

  return (
    <Card withBorder component="section" aria-labelledby="register-title">
      <form onSubmit={onSubmit} noValidate>
        <Stack>
          <Title order={3} size="h4" id="register-title">
            {editing ? `Edit ${editing.name}` : "Register a reviewer"}
          </Title>
          <Text size="sm" c="dimmed">
            A reviewer's home community keeps them off its own applications and those of its partners (conflicts of
            interest are enforced at assignment).
          </Text>
          {error && <ErrorAlert error={error} />}
          <TextInput
            label="Reviewer id"
            description="The reviewer id their sign-in carries"
            required
            disabled={Boolean(editing)}
            {...form.getInputProps("reviewerId")}
          />
          <TextInput label="Name" required {...form.getInputProps("name")} />
          <Select
            label="Home member community"
            placeholder="Type a community's name"
            required
            searchable
            searchValue={search}
            onSearchChange={setSearch}
            data={options}
            filter={({ options: o }) => o}
            nothingFoundMessage={members.fetching ? "Searching…" : "No member matches"}
            {...form.getInputProps("homeMemberId")}
          />
          <Switch label="Active (can be assigned)" {...form.getInputProps("active", { type: "checkbox" })} />
          <Group>
            <Button type="submit" loading={fetching}>
              {editing ? "Save reviewer" : "Register reviewer"}
            </Button>
            {editing && (
              <Button variant="default" onClick={onDone}>
                Cancel
              </Button>
            )}
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
