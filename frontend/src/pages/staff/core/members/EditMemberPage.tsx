// Staff: change a member's details; only the fields changed are sent.
import { Anchor, Breadcrumbs, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { Link, useNavigate, useParams } from "react-router";
import { useMutation, useQuery } from "urql";

import { PageTitle } from "../../../../components/PageTitle";
import { QueryState } from "../../../../components/QueryState";
import { RequireRole } from "../../../../components/RequireRole";
import { graphql } from "../../../../gql";
import type { StaffMemberFieldsFragment } from "../../../../gql/graphql";
import { MemberForm } from "./MemberForm";
import { memberChanges, type MemberValues } from "./memberValues";

const EditMemberQuery = graphql(`
  query StaffEditMember($id: ID!) {
    member(id: $id) {
      ...StaffMemberFields
    }
  }
`);

const UpdateMemberMutation = graphql(`
  mutation StaffUpdateMember($id: ID!, $input: UpdateMemberInput!) {
    updateMember(id: $id, input: $input) {
      ...StaffMemberFields
    }
  }
`);

export function EditMemberPage() {
  return (
    <RequireRole role="staff">
      <EditMember />
    </RequireRole>
  );
}

function valuesOf(member: StaffMemberFieldsFragment): MemberValues {
  return {
    name: member.name,
    kind: member.kind,
    state: member.state,
    population: member.population ?? "",
    contactEmail: member.contactEmail ?? "",
    website: member.website ?? "",
    duesBand: member.population == null ? (member.duesBand ?? null) : null,
  };
}

function EditMember() {
  const { id = "" } = useParams();
  const navigate = useNavigate();
  const [result, refetch] = useQuery({ query: EditMemberQuery, variables: { id } });
  const [, update] = useMutation(UpdateMemberMutation);
  const member = result.data?.member;

  return (
    <Stack gap="md">
      <Breadcrumbs>
        <Anchor component={Link} to="/staff/members">
          Members
        </Anchor>
        {member ? (
          <Anchor component={Link} to={`/staff/members/${member.id}`}>
            {member.name}
          </Anchor>
        ) : (
          <Text size="sm">Member</Text>
        )}
        <Text size="sm">Edit</Text>
      </Breadcrumbs>
      <PageTitle>{member ? `Edit ${member.name}` : "Edit member"}</PageTitle>
      <QueryState
        result={result}
        onRetry={() => refetch({ requestPolicy: "network-only" })}
        isEmpty={(data) => !data.member}
        empty="There is no member with this id."
      >
        {(data) => {
          if (!data.member) return null;
          const before = valuesOf(data.member);
          const submit = async (values: MemberValues) => {
            const input = memberChanges(before, values);
            if (Object.keys(input).length === 0) {
              navigate(`/staff/members/${id}`);
              return undefined;
            }
            const outcome = await update({ id, input });
            if (outcome.error) return outcome.error;
            notifications.show({ color: "green", message: `${values.name.trim()} is saved.` });
            navigate(`/staff/members/${id}`);
            return undefined;
          };
          return (
            <>
              <Text size="sm" c="dimmed" maw={720}>
                A change of population or dues band applies to invoices issued from now on, never to existing ones.
              </Text>
              <MemberForm
                key={data.member.id}
                initialValues={before}
                submitLabel="Save changes"
                onSubmit={submit}
                onCancel={() => navigate(`/staff/members/${id}`)}
              />
            </>
          );
        }}
      </QueryState>
    </Stack>
  );
}
