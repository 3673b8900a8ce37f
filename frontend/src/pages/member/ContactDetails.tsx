// The member's own users keep their community's name, contact email and
// website current (the API lets them change only these); only what changed
// is sent, and the API's BAD_USER_INPUT goes next to its field.
import { Anchor, Breadcrumbs, Button, Group, Stack, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { useMutation, useQuery, type CombinedError } from "urql";

import { splitFieldErrors } from "../../api/errors";
import { ContactInputs } from "../../components/ContactInputs";
import { PageTitle } from "../../components/PageTitle";
import { ErrorAlert, QueryState } from "../../components/QueryState";
import { emailError, websiteError } from "../../components/validate";
import { graphql } from "../../gql";
import { CONTACT_FIELDS, contactChanges, type ContactValues } from "./contactValues";
import { useMemberId } from "./shared";

const MemberContactDetails = graphql(`
  query MemberContactDetails($id: ID!) {
    member(id: $id) {
      id
      name
      contactEmail
      website
    }
  }
`);

const MemberUpdateContactDetails = graphql(`
  mutation MemberUpdateContactDetails($id: ID!, $input: UpdateMemberInput!) {
    updateMember(id: $id, input: $input) {
      id
      name
      contactEmail
      website
    }
  }
`);

export function ContactDetails() {
  const memberId = useMemberId();
  const [result, refetch] = useQuery({ query: MemberContactDetails, variables: { id: memberId } });
  return (
    <Stack maw={720}>
      <Breadcrumbs>
        <Anchor component={Link} to="/member">
          Our membership
        </Anchor>
        <Text size="sm">Contact details</Text>
      </Breadcrumbs>
      <PageTitle>Contact details</PageTitle>
      <QueryState
        result={result}
        onRetry={() => refetch({ requestPolicy: "network-only" })}
        isEmpty={(data) => !data.member}
        empty="We could not find your member community."
      >
        {({ member }) =>
          member && (
            <DetailsForm
              key={member.id}
              memberId={member.id}
              before={{ name: member.name, contactEmail: member.contactEmail ?? "", website: member.website ?? "" }}
            />
          )
        }
      </QueryState>
    </Stack>
  );
}

function DetailsForm({ memberId, before }: { memberId: string; before: ContactValues }) {
  const navigate = useNavigate();
  const [, update] = useMutation(MemberUpdateContactDetails);
  const [error, setError] = useState<CombinedError | null>(null);
  const [saving, setSaving] = useState(false);
  const form = useForm<ContactValues>({
    initialValues: before,
    validate: {
      name: (value) => (value.trim() ? null : "Enter the community's name"),
      contactEmail: emailError,
      website: websiteError,
    },
  });

  const submit = form.onSubmit(async (values) => {
    const input = contactChanges(before, values);
    if (Object.keys(input).length === 0) {
      navigate("/member");
      return;
    }
    setSaving(true);
    setError(null);
    const outcome = await update({ id: memberId, input });
    setSaving(false);
    if (outcome.data?.updateMember) {
      notifications.show({ color: "green", message: "Your contact details are saved." });
      navigate("/member");
      return;
    }
    const { byField, other } = splitFieldErrors(outcome.error, CONTACT_FIELDS);
    form.setErrors(byField);
    if (other.length && outcome.error) setError(outcome.error);
  });

  return (
    <form onSubmit={submit} noValidate aria-label="Contact details">
      <Stack>
        <Text>
          Staff keep the rest of your record (kind, state, population and dues band): write to them if it is wrong.
        </Text>
        {error && <ErrorAlert error={error} />}
        <TextInput label="Name" description="As the community calls itself" required {...form.getInputProps("name")} />
        <ContactInputs form={form} />
        <Group>
          <Button type="submit" loading={saving}>
            Save
          </Button>
          <Button variant="default" component={Link} to="/member" disabled={saving}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
