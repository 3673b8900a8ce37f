import { Button, Checkbox, Group, Radio, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { useMutation, type CombinedError } from "urql";

import { splitFieldErrors } from "../../api/errors";
import { PageTitle } from "../../components/PageTitle";
import { ErrorAlert } from "../../components/QueryState";
import { graphql } from "../../gql";
import type { PartnershipProgramArea, PartnershipType } from "../../gql/graphql";
import { countryOptions, PROGRAM_AREAS } from "../public/geo/places";
import { useMemberId } from "./shared";

const MemberProposePartnership = graphql(`
  mutation MemberProposePartnership($input: ProposePartnershipInput!) {
    proposePartnership(input: $input) {
      id
      partnerCity
      country
      countryName
      status
      type
      programAreas
    }
  }
`);

interface Values {
  partnerCity: string;
  partnerRegion: string;
  country: string | null;
  type: PartnershipType;
  programAreas: PartnershipProgramArea[];
  reason: string;
}

const FIELDS = ["partnerCity", "partnerRegion", "country", "type", "programAreas", "reason"] as const;

export function PartnershipNew() {
  const memberId = useMemberId();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [, propose] = useMutation(MemberProposePartnership);
  const [error, setError] = useState<CombinedError | null>(null);
  const [saving, setSaving] = useState(false);

  const suggestedCountry = params.get("country")?.toUpperCase() ?? null;
  const form = useForm<Values>({
    initialValues: {
      partnerCity: params.get("city") ?? "",
      partnerRegion: params.get("region") ?? "",
      country: suggestedCountry && countryOptions().some((c) => c.value === suggestedCountry) ? suggestedCountry : null,
      type: "FRIENDSHIP",
      programAreas: [],
      reason: "",
    },
    validate: {
      partnerCity: (v) => (v.trim() ? null : "Name the partner community"),
      country: (v) => (v ? null : "Choose the partner's country"),
    },
  });

  const submit = form.onSubmit(async (values) => {
    setSaving(true);
    setError(null);
    const result = await propose({
      input: {
        memberId,
        partnerCity: values.partnerCity.trim(),
        partnerRegion: values.partnerRegion.trim() || null,
        country: values.country ?? "",
        type: values.type,
        programAreas: values.programAreas,
        reason: values.reason.trim() || null,
      },
    });
    setSaving(false);
    const created = result.data?.proposePartnership;
    if (created) {
      notifications.show({
        color: "green",
        title: "Partnership proposed",
        message: `${created.partnerCity}, ${created.countryName} is proposed. Record the agreement once it is signed.`,
      });
      navigate(`/member/partnerships/${created.id}`);
      return;
    }
    const { byField, other } = splitFieldErrors(result.error, FIELDS);
    form.setErrors(byField);
    if (other.length && result.error) setError(result.error);
  });

  return (
    <Stack maw={760}>
      <PageTitle>Propose a partnership</PageTitle>
      <Text>
        Propose a partnership with a community abroad. It starts as proposed; once both councils have signed, record the
        agreement and staff verify it.
      </Text>
      {error && <ErrorAlert error={error} />}
      <form onSubmit={submit} noValidate>
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label="Partner community"
              description="The city, town or region abroad"
              required
              {...form.getInputProps("partnerCity")}
            />
            <TextInput
              label="Region or province"
              description="Optional: where it is in its country"
              {...form.getInputProps("partnerRegion")}
            />
          </SimpleGrid>
          <Select
            label="Country"
            placeholder="Type to search"
            required
            searchable
            data={countryOptions()}
            nothingFoundMessage="No country matches"
            {...form.getInputProps("country")}
          />
          <Radio.Group
            label="Type of partnership"
            description="A friendship is the usual stepping stone to a sister-city partnership."
            required
            {...form.getInputProps("type")}
          >
            <Group mt="xs">
              <Radio value="FRIENDSHIP" label="Friendship city" />
              <Radio value="SISTER" label="Sister city" />
            </Group>
          </Radio.Group>
          <Checkbox.Group
            label="Programme areas"
            description="What the communities mean to do together"
            {...form.getInputProps("programAreas")}
          >
            <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs" spacing="xs">
              {PROGRAM_AREAS.map((area) => (
                <Checkbox key={area.value} value={area.value} label={area.label} />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          <Textarea
            label="Why this partner"
            description="Optional: ties, shared interests, who is behind the proposal"
            rows={3}
            {...form.getInputProps("reason")}
          />
          <Group>
            <Button type="submit" loading={saving}>
              Propose partnership
            </Button>
            <Button component={Link} to="/member/partnerships" variant="default">
              Cancel
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
