import "@mantine/dates/styles.css";

import {
  ActionIcon,
  Alert,
  Button,
  Card,
  Checkbox,
  Fieldset,
  Group,
  MultiSelect,
  NumberInput,
  Radio,
  SimpleGrid,
  Stack,
  Switch,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { MaskedDateInput } from "@mantine/dates";
import { useForm } from "@mantine/form";
import { IconPlus, IconTrash } from "@tabler/icons-react";
import { useState } from "react";
import type { CombinedError } from "urql";
import { useQuery } from "urql";

import { apiErrors } from "../../../api/errors";
import { ErrorAlert } from "../../../components/QueryState";
import { graphql } from "../../../gql";
import type { GrantPartnershipRequirement, GrantProgramInput } from "../../../gql/graphql";
import {
  AREA_LABELS,
  formPath,
  keyFromName,
  newAnchor,
  newCriterion,
  PROGRAM_AREAS,
  programValidation,
  REQUIREMENT_LABELS,
  toProgramInput,
  type ProgramFormValues,
} from "./programForm";

const ProgramFormReviewers = graphql(`
  query StaffGrantsProgramFormReviewers {
    reviewers {
      reviewerId
      name
      homeMemberName
      active
    }
  }
`);

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function share(values: ProgramFormValues, index: number): string {
  const weights = values.rubric.map((c) => Number(c.weight) || 0);
  const sum = weights.reduce((a, b) => a + b, 0);
  const mine = weights[index] ?? 0;
  return sum > 0 && mine > 0 ? `${((mine / sum) * 100).toFixed(1).replace(/\.0$/, "")}% of the total` : "";
}

/** Move the keyboard to the first field the form marks. */
function focusFirst(paths: string[]) {
  for (const path of paths) {
    const field = document.querySelector<HTMLElement>(`[data-path="${path}"]`);
    if (field) {
      field.focus();
      return;
    }
  }
}

const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * A whole programme definition: created as a draft, replaced while it is one.
 * `onSave` sends the input and returns the API's error, if any; BAD_USER_INPUT
 * errors are shown next to their field, others above the form.
 */
export function ProgramForm({
  initialValues,
  submitLabel,
  onSave,
}: {
  initialValues: ProgramFormValues;
  submitLabel: string;
  onSave: (input: GrantProgramInput) => Promise<CombinedError | undefined>;
}) {
  const [error, setError] = useState<CombinedError | null>(null);
  const [saving, setSaving] = useState(false);
  const [reviewers] = useQuery({ query: ProgramFormReviewers });
  const form = useForm<ProgramFormValues>({ initialValues, validate: programValidation });

  const onSubmit = form.onSubmit(async (values) => {
    setError(null);
    setSaving(true);
    const failure = await onSave(toProgramInput(values));
    setSaving(false);
    if (!failure) return;
    const byPath: Record<string, string> = {};
    let unplaced = false;
    for (const e of apiErrors(failure)) {
      const path = e.code === "BAD_USER_INPUT" && e.field ? formPath(e.field) : null;
      if (path) byPath[path] = sentence(e.message);
      else unplaced = true;
    }
    form.setErrors(byPath);
    if (unplaced) setError(failure);
    focusFirst(Object.keys(byPath));
  }, (errors) => focusFirst(Object.keys(errors)));

  const reviewerOptions = (reviewers.data?.reviewers ?? []).map((r) => ({
    value: r.reviewerId,
    label: `${r.name}${r.homeMemberName ? ` (${r.homeMemberName})` : ""}${r.active ? "" : " — inactive"}`,
  }));
  // A panel may name a reviewer the roster no longer lists: keep it choosable.
  for (const id of form.values.panel) {
    if (!reviewerOptions.some((o) => o.value === id)) reviewerOptions.push({ value: id, label: id });
  }

  const dateProps = (prefix: string) => ({
    withTime: true,
    fieldsOrder: ["year", "month", "day"] as ("year" | "month" | "day")[],
    dateSeparator: "-",
    dayInputLabel: `${prefix}: day`,
    monthInputLabel: `${prefix}: month`,
    yearInputLabel: `${prefix}: year`,
    hoursInputLabel: `${prefix}: hours`,
    minutesInputLabel: `${prefix}: minutes`,
  });

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="lg">
        {error && <ErrorAlert error={error} />}
        {Object.keys(form.errors).length > 0 && (
          <Alert color="red" role="alert" title="Please check the programme">
            Some fields need attention: each is marked below.
          </Alert>
        )}

        <Fieldset legend="About the programme">
          <Stack>
            <TextInput label="Programme name" required maxLength={200} {...form.getInputProps("name")} />
            <Textarea label="Description" rows={4} maxLength={5000} {...form.getInputProps("description")} />
            <Checkbox.Group label="Programme areas" required {...form.getInputProps("areas")}>
              <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs" spacing="xs">
                {PROGRAM_AREAS.map((area) => (
                  <Checkbox key={area} value={area} label={AREA_LABELS[area]} />
                ))}
              </SimpleGrid>
            </Checkbox.Group>
          </Stack>
        </Fieldset>

        <Fieldset legend="Dates">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <MaskedDateInput
              label="Opens at"
              description={`Your local time (${timeZone}). Publish before this time.`}
              required
              {...dateProps("Opens at")}
              {...form.getInputProps("opensAt")}
            />
            <MaskedDateInput
              label="Closes at"
              description="The deadline for submissions."
              required
              {...dateProps("Closes at")}
              {...form.getInputProps("closesAt")}
            />
          </SimpleGrid>
        </Fieldset>

        <Fieldset legend="Budget">
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput
              label="Currency"
              description="ISO 4217 code"
              required
              maxLength={3}
              {...form.getInputProps("currency")}
              onChange={(e) => form.setFieldValue("currency", e.currentTarget.value.toUpperCase())}
            />
            <NumberInput
              label="Total budget"
              description={`In ${form.values.currency || "the currency"}`}
              required
              min={0}
              decimalScale={2}
              thousandSeparator=","
              {...form.getInputProps("budget")}
            />
            <NumberInput
              label="Maximum award"
              description="No award may be larger"
              required
              min={0}
              decimalScale={2}
              thousandSeparator=","
              {...form.getInputProps("maxAward")}
            />
          </SimpleGrid>
        </Fieldset>

        <Fieldset legend="Eligibility">
          <Stack>
            <Switch
              label="The applicant must be in good standing"
              {...form.getInputProps("eligibility.goodStandingRequired", { type: "checkbox" })}
            />
            <Radio.Group
              label="Partnership applied for"
              {...form.getInputProps("eligibility.partnershipRequirement")}
              onChange={(v) =>
                form.setFieldValue("eligibility.partnershipRequirement", v as GrantPartnershipRequirement)
              }
            >
              <Stack gap="xs" mt="xs">
                {(Object.keys(REQUIREMENT_LABELS) as GrantPartnershipRequirement[]).map((r) => (
                  <Radio key={r} value={r} label={REQUIREMENT_LABELS[r]} />
                ))}
              </Stack>
            </Radio.Group>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <NumberInput
                label="Maximum population"
                description="Leave empty for no limit"
                min={1}
                allowDecimal={false}
                thousandSeparator=","
                {...form.getInputProps("eligibility.maxPopulation")}
              />
              <NumberInput
                label="Cooling-off years"
                description="Past grantees wait this long (0: no wait)"
                min={0}
                allowDecimal={false}
                {...form.getInputProps("eligibility.coolingOffYears")}
              />
            </SimpleGrid>
            <TagsInput
              label="Partner countries allowed"
              description="Two-letter ISO codes, e.g. JP, MX; press Enter after each. Leave empty for any country."
              splitChars={[",", " "]}
              clearable
              {...form.getInputProps("eligibility.allowedCountries")}
              onChange={(v) =>
                form.setFieldValue(
                  "eligibility.allowedCountries",
                  v.map((c) => c.trim().toUpperCase()),
                )
              }
            />
          </Stack>
        </Fieldset>

        <Fieldset legend="Rubric">
          <Stack>
            <Text size="sm" c="dimmed">
              Reviewers score each criterion with a whole number from 0 to its maximum. A review's total is out of
              100, each criterion counting by its weight.
            </Text>
            {form.errors.rubric && (
              <Text c="red" size="sm" role="alert">
                {form.errors.rubric}
              </Text>
            )}
            {form.values.rubric.map((criterion, index) => (
              <Card
                withBorder
                key={criterion.rowId}
                component="fieldset"
                aria-label={`Criterion ${index + 1}`}
                data-testid={`criterion-row-${index}`}
              >
                <Group justify="space-between" mb="xs">
                  <Title order={4} size="h5">
                    Criterion {index + 1}
                    {criterion.name ? `: ${criterion.name}` : ""}
                  </Title>
                  <Button
                    variant="subtle"
                    color="red"
                    size="xs"
                    leftSection={<IconTrash size={14} aria-hidden />}
                    disabled={form.values.rubric.length === 1}
                    onClick={() => form.removeListItem("rubric", index)}
                    aria-label={`Remove criterion ${index + 1}`}
                  >
                    Remove
                  </Button>
                </Group>
                <SimpleGrid cols={{ base: 1, sm: 2 }}>
                  <TextInput
                    label="Criterion name"
                    description="As reviewers read it"
                    required
                    maxLength={200}
                    {...form.getInputProps(`rubric.${index}.name`)}
                    onBlur={() => {
                      if (!criterion.key.trim() && criterion.name.trim()) {
                        form.setFieldValue(`rubric.${index}.key`, keyFromName(criterion.name));
                      }
                    }}
                  />
                  <TextInput
                    label="Key"
                    description="A short identifier, e.g. impact"
                    required
                    maxLength={40}
                    {...form.getInputProps(`rubric.${index}.key`)}
                  />
                  <NumberInput
                    label="Maximum score"
                    description="From 1 to 100"
                    required
                    min={1}
                    max={100}
                    allowDecimal={false}
                    clampBehavior="none"
                    {...form.getInputProps(`rubric.${index}.maxScore`)}
                  />
                  <NumberInput
                    label="Weight"
                    description={share(form.values, index)}
                    required
                    min={0}
                    decimalScale={2}
                    step={0.5}
                    {...form.getInputProps(`rubric.${index}.weight`)}
                  />
                </SimpleGrid>
                <Stack gap="xs" mt="sm">
                  <Text size="sm" fw={500}>
                    Score levels (optional)
                  </Text>
                  {typeof form.errors[`rubric.${index}.anchors`] === "string" && (
                    <Text c="red" size="sm" role="alert">
                      {form.errors[`rubric.${index}.anchors`]}
                    </Text>
                  )}
                  {criterion.anchors.map((anchor, a) => (
                    <Group key={anchor.rowId} align="flex-start" wrap="nowrap" gap="xs">
                      <NumberInput
                        label="Score"
                        w={90}
                        min={0}
                        allowDecimal={false}
                        clampBehavior="none"
                        {...form.getInputProps(`rubric.${index}.anchors.${a}.score`)}
                      />
                      <TextInput
                        label="What this score means"
                        style={{ flex: 1 }}
                        maxLength={500}
                        {...form.getInputProps(`rubric.${index}.anchors.${a}.text`)}
                      />
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        mt={26}
                        aria-label={`Remove score level ${a + 1} of criterion ${index + 1}`}
                        onClick={() => form.removeListItem(`rubric.${index}.anchors`, a)}
                      >
                        <IconTrash size={16} aria-hidden />
                      </ActionIcon>
                    </Group>
                  ))}
                  <Group>
                    <Button
                      variant="subtle"
                      size="xs"
                      leftSection={<IconPlus size={14} aria-hidden />}
                      onClick={() => form.insertListItem(`rubric.${index}.anchors`, newAnchor())}
                      aria-label={`Add a score level to criterion ${index + 1}`}
                    >
                      Add a score level
                    </Button>
                  </Group>
                </Stack>
              </Card>
            ))}
            <Group>
              <Button
                variant="light"
                leftSection={<IconPlus size={16} aria-hidden />}
                onClick={() => form.insertListItem("rubric", newCriterion())}
              >
                Add criterion
              </Button>
            </Group>
          </Stack>
        </Fieldset>

        <Fieldset legend="Review">
          <Stack>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <NumberInput
                label="Reviewers per application"
                description="From 1 to 10"
                required
                min={1}
                max={10}
                allowDecimal={false}
                clampBehavior="none"
                {...form.getInputProps("reviewersPerApplication")}
              />
              <NumberInput
                label="Disagreement threshold"
                description="Points out of 100: a wider spread between reviewers is flagged"
                required
                min={0}
                max={100}
                decimalScale={1}
                clampBehavior="none"
                {...form.getInputProps("disagreementThreshold")}
              />
            </SimpleGrid>
            <Switch
              label="Blind review"
              description="Reviewers do not see the applicant, its partnership or the partner city"
              {...form.getInputProps("blindReview", { type: "checkbox" })}
            />
            <MultiSelect
              label="Review panel"
              description="Only these reviewers are assigned. Leave empty: every active reviewer."
              data={reviewerOptions}
              searchable
              clearable
              nothingFoundMessage={reviewers.fetching ? "Loading reviewers…" : "No reviewer matches"}
              {...form.getInputProps("panel")}
            />
            {reviewers.error && <ErrorAlert error={reviewers.error} />}
          </Stack>
        </Fieldset>

        <Group>
          <Button type="submit" loading={saving}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
