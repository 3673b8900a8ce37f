import { Anchor, Badge, Button, Card, Checkbox, Group, List, MultiSelect, NumberInput, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { IconPlus } from "@tabler/icons-react";
import { useEffect, useState } from "react";
import { Link } from "react-router";
import { useMutation, useQuery, type CombinedError } from "urql";

import { splitFieldErrors } from "../../api/errors";
import { PageTitle } from "../../components/PageTitle";
import { ErrorAlert, QueryState } from "../../components/QueryState";
import { formatDateTime, formatNumber } from "../../components/format";
import { graphql } from "../../gql";
import type { MemberPartnerPreferencesQuery, PartnershipProgramArea } from "../../gql/graphql";
import { CONTINENTS, countryOptions, PROGRAM_AREAS } from "../public/geo/places";
import { useMemberId } from "./shared";

const MemberPartnerPreferencesQuery = graphql(`
  query MemberPartnerPreferences($memberId: ID!) {
    partnerPreferences(memberId: $memberId) {
      memberId
      countries
      continents
      programAreas
      populationMin
      populationMax
      updatedAt
    }
  }
`);

const MemberPartnerSuggestionsQuery = graphql(`
  query MemberPartnerSuggestions($memberId: ID!, $first: Int!) {
    partnerSuggestions(memberId: $memberId, first: $first) {
      geonameid
      name
      country
      countryName
      continent
      population
      score
      reasons
      twinnedWith {
        memberName
        state
      }
    }
  }
`);

const MemberSetPartnerPreferences = graphql(`
  mutation MemberSetPartnerPreferences($memberId: ID!, $input: PartnerPreferencesInput!) {
    setPartnerPreferences(memberId: $memberId, input: $input) {
      memberId
      countries
      continents
      programAreas
      populationMin
      populationMax
      updatedAt
    }
  }
`);

export function PartnerMatching() {
  const memberId = useMemberId();
  const [prefs, refetchPrefs] = useQuery({ query: MemberPartnerPreferencesQuery, variables: { memberId } });
  const [suggestions, refetchSuggestions] = useQuery({
    query: MemberPartnerSuggestionsQuery,
    variables: { memberId, first: 12 },
  });

  return (
    <Stack>
      <PageTitle>Find partners</PageTitle>
      <Text>
        Communities abroad that fit what your community seeks, and why. Tell us what you seek to sharpen the
        suggestions.
      </Text>
      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="lg">
        <Card withBorder style={{ alignSelf: "start" }}>
          <Title order={3} size="h4" mb="sm">
            What we seek
          </Title>
          <QueryState result={prefs} onRetry={() => refetchPrefs({ requestPolicy: "network-only" })}>
            {(data) => <PreferencesForm memberId={memberId} saved={data.partnerPreferences} />}
          </QueryState>
        </Card>
        <Stack style={{ gridColumn: "span 2" }} gap="sm">
          <Title order={3} size="h4">
            Suggested partners
          </Title>
          <QueryState
            result={suggestions}
            onRetry={() => refetchSuggestions({ requestPolicy: "network-only" })}
            isEmpty={(data) => data.partnerSuggestions.length === 0}
            empty="No community abroad matches these preferences. Try fewer countries or a wider population range."
          >
            {(data) => (
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                {data.partnerSuggestions.map((s) => {
                  const propose = new URLSearchParams({ city: s.name, country: s.country });
                  return (
                    <Card withBorder key={s.geonameid} component="article" aria-label={`${s.name}, ${s.countryName}`}>
                      <Group justify="space-between" align="flex-start" wrap="nowrap">
                        <div>
                          <Text fw={700}>{s.name}</Text>
                          <Text size="sm" c="gray.7">
                            {s.countryName} · {formatNumber(s.population)} people
                          </Text>
                        </div>
                        <Badge variant="light" title="Match score">
                          {s.score.toFixed(1)}
                        </Badge>
                      </Group>
                      <Text size="sm" fw={500} mt="sm">
                        Why it fits
                      </Text>
                      <List size="sm" spacing={2}>
                        {s.reasons.map((reason) => (
                          <List.Item key={reason}>{reason}</List.Item>
                        ))}
                      </List>
                      {s.twinnedWith.length > 0 && (
                        <Text size="xs" c="gray.7" mt="xs">
                          Twinned with {s.twinnedWith.map((t) => (t.state ? `${t.memberName}, ${t.state}` : t.memberName)).join("; ")}
                        </Text>
                      )}
                      <Button
                        component={Link}
                        to={`/member/partnerships/new?${propose.toString()}`}
                        size="xs"
                        variant="light"
                        mt="sm"
                        leftSection={<IconPlus size={14} aria-hidden />}
                        aria-label={`Propose a partnership with ${s.name}`}
                      >
                        Propose a partnership
                      </Button>
                    </Card>
                  );
                })}
              </SimpleGrid>
            )}
          </QueryState>
          <Anchor component={Link} to="/member/partnerships" size="sm">
            Back to our partnerships
          </Anchor>
        </Stack>
      </SimpleGrid>
    </Stack>
  );
}

type Saved = MemberPartnerPreferencesQuery["partnerPreferences"];

interface Values {
  countries: string[];
  continents: string[];
  programAreas: PartnershipProgramArea[];
  populationMin: number | string;
  populationMax: number | string;
}

function valuesOf(saved: Saved): Values {
  return {
    countries: saved?.countries ?? [],
    continents: saved?.continents ?? [],
    programAreas: saved?.programAreas ?? [],
    populationMin: saved?.populationMin ?? "",
    populationMax: saved?.populationMax ?? "",
  };
}

const FIELDS = ["countries", "continents", "programAreas", "populationMin", "populationMax"] as const;

function PreferencesForm({ memberId, saved }: { memberId: string; saved: Saved }) {
  const [, save] = useMutation(MemberSetPartnerPreferences);
  const [error, setError] = useState<CombinedError | null>(null);
  const [saving, setSaving] = useState(false);
  const form = useForm<Values>({
    initialValues: valuesOf(saved),
    validate: {
      populationMax: (max, values) =>
        max !== "" && values.populationMin !== "" && Number(max) < Number(values.populationMin)
          ? "Must be at least the minimum"
          : null,
    },
  });
  const { setInitialValues, reset } = form;
  useEffect(() => {
    setInitialValues(valuesOf(saved));
    reset();
    // Only when the saved preferences change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [saved?.updatedAt]);

  const submit = form.onSubmit(async (values) => {
    setSaving(true);
    setError(null);
    const result = await save({
      memberId,
      input: {
        countries: values.countries,
        continents: values.continents,
        programAreas: values.programAreas,
        populationMin: values.populationMin === "" ? null : Number(values.populationMin),
        populationMax: values.populationMax === "" ? null : Number(values.populationMax),
      },
    });
    setSaving(false);
    if (result.data) {
      notifications.show({ color: "green", title: "Preferences saved", message: "The suggestions follow them now." });
      return;
    }
    const { byField, other } = splitFieldErrors(result.error, FIELDS);
    form.setErrors(byField);
    if (other.length && result.error) setError(result.error);
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {error && <ErrorAlert error={error} />}
        <MultiSelect
          label="Countries"
          description="Only these countries (leave empty for any)"
          placeholder="Type to search"
          data={countryOptions()}
          searchable
          clearable
          nothingFoundMessage="No country matches"
          {...form.getInputProps("countries")}
        />
        <MultiSelect
          label="Continents"
          description="Only these continents (leave empty for any)"
          data={CONTINENTS}
          clearable
          {...form.getInputProps("continents")}
        />
        <Checkbox.Group label="Programme areas" description="What you would do together" {...form.getInputProps("programAreas")}>
          <Stack gap={6} mt="xs">
            {PROGRAM_AREAS.map((area) => (
              <Checkbox key={area.value} value={area.value} label={area.label} />
            ))}
          </Stack>
        </Checkbox.Group>
        <SimpleGrid cols={2}>
          <NumberInput label="Population from" min={0} thousandSeparator="," allowDecimal={false} {...form.getInputProps("populationMin")} />
          <NumberInput label="Population to" min={0} thousandSeparator="," allowDecimal={false} {...form.getInputProps("populationMax")} />
        </SimpleGrid>
        {saved?.updatedAt && (
          <Text size="xs" c="gray.7">
            Last saved {formatDateTime(saved.updatedAt)}
          </Text>
        )}
        <Button type="submit" loading={saving} w="fit-content">
          Save preferences
        </Button>
      </Stack>
    </form>
  );
}
