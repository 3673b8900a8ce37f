// Staff: register a new member community; it is billed at once.
import { Anchor, Breadcrumbs, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { Link, useNavigate } from "react-router";
import { useMutation } from "urql";

import { formatMoney } from "../../../../components/format";
import { PageTitle } from "../../../../components/PageTitle";
import { RequireRole } from "../../../../components/RequireRole";
import { graphql } from "../../../../gql";
import { MemberForm } from "./MemberForm";
import { EMPTY_MEMBER, populationOf, type MemberValues } from "./memberValues";

const RegisterMemberMutation = graphql(`
  mutation StaffRegisterMember($input: RegisterMemberInput!) {
    registerMember(input: $input) {
      id
      name
      status
      currentInvoice {
        id
        fiscalYear
        amountCents
        currency
      }
    }
  }
`);

export function RegisterMemberPage() {
  return (
    <RequireRole role="staff">
      <RegisterMember />
    </RequireRole>
  );
}

function RegisterMember() {
  const navigate = useNavigate();
  const [, register] = useMutation(RegisterMemberMutation);

  const submit = async (values: MemberValues) => {
    const population = populationOf(values);
    const result = await register({
      input: {
        name: values.name.trim(),
        kind: values.kind ?? "CITY",
        state: values.state ?? "",
        population,
        contactEmail: values.contactEmail.trim(),
        website: values.website.trim() || null,
        duesBand: population == null ? values.duesBand : null,
      },
    });
    const member = result.data?.registerMember;
    if (result.error || !member) return result.error;
    const invoice = member.currentInvoice;
    notifications.show({
      color: "green",
      title: `${member.name} is registered`,
      message: invoice
        ? `Its dues invoice for FY${invoice.fiscalYear} (${formatMoney(invoice.amountCents, invoice.currency)}) was issued.`
        : "Its dues invoice is issued once this year's dues schedule is set.",
    });
    navigate(`/staff/members/${member.id}`);
    return undefined;
  };

  return (
    <Stack gap="md">
      <Breadcrumbs>
        <Anchor component={Link} to="/staff/members">
          Members
        </Anchor>
        <Text size="sm">Register</Text>
      </Breadcrumbs>
      <PageTitle>Register a member</PageTitle>
      <Text size="sm" c="dimmed" maw={720}>
        A U.S. city, county or state joins. It is billed at once: this fiscal year's dues invoice is issued as soon as
        it is registered (and next year's, if that year is open already).
      </Text>
      <MemberForm initialValues={EMPTY_MEMBER} submitLabel="Register member" onSubmit={submit} onCancel={() => navigate("/staff/members")} />
    </Stack>
  );
}
