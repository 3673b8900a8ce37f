import { ActionIcon, Alert, Button, Card, Group, NumberInput, Select, SimpleGrid, Stack, Table, Text, TextInput, Textarea, Title, VisuallyHidden } from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { IconPlus, IconTrash } from "@tabler/icons-react";
import { useState } from "react";
import { useMutation, type CombinedError } from "urql";

import { splitFieldErrors } from "../../api/errors";
import { ErrorAlert } from "../../components/QueryState";
import { formatDateTime, formatMoney } from "../../components/format";
import { graphql } from "../../gql";
import type { MemberApplicationFieldsFragment, MemberProgramFieldsFragment } from "../../gql/graphql";
import { qualifyingPartnerships } from "./eligibility";
import { areaLabel, fromCents, toCents } from "./shared";

const MemberSaveApplication = graphql(`
  mutation MemberSaveApplication($input: ApplicationInput!) {
    saveApplication(input: $input) {
      ...MemberApplicationFields
    }
  }
`);

const MemberSubmitApplication = graphql(`
  mutation MemberSubmitApplication($id: ID!) {
    submitApplication(id: $id) {
      ...MemberApplicationFields
    }
  }
`);

export interface PartnershipChoice {
  id: string;
  partnerCity: string;
  countryName: string;
  country: string;
  status: string;
  recognized: boolean;
}

interface Line {
  item: string;
  amount: number | string;
}

interface Values {
  partnershipId: string | null;
  area: string | null;
  title: string;
  amountRequested: number | string;
  narrative: string;
  budget: Line[];
  attachments: { name: string; ref: string }[];
}

function initialValues(app: MemberApplicationFieldsFragment | null, program: MemberProgramFieldsFragment): Values {
  return {
    partnershipId: app?.partnershipId ?? null,
    area: app?.area ?? (program.areas.length === 1 ? (program.areas[0] ?? null) : null),
    title: app?.title ?? "",
    amountRequested: fromCents(app?.amountRequestedCents),
    narrative: app?.narrative ?? "",
    budget: app?.budget.length
      ? app.budget.map((l) => ({ item: l.item, amount: l.amountCents / 100 }))
      : [{ item: "", amount: "" }],
    attachments: app?.attachments.map((a) => ({ name: a.name, ref: a.ref })) ?? [],
  };
}

/** The API's field (`budget[0].amountCents`) as the form's path (`budget.0.amount`). */
function formPath(field: string): string {
  return field
    .replace(/\[(\d+)\]/g, ".$1")
    .replace(/^amountRequestedCents$/, "amountRequested")
    .replace(/^(budget\.\d+)\.amountCents$/, "$1.amount")
    .replace(/^(attachments\.\d+)$/, "$1.name");
}

function apiFields(values: Values): string[] {
  return [
    "partnershipId",
    "area",
    "title",
    "amountRequestedCents",
    "narrative",
    "budget",
    "attachments",
    ...values.budget.flatMap((_, i) => [`budget[${i}]`, `budget[${i}].item`, `budget[${i}].amountCents`]),
    ...values.attachments.flatMap((_, i) => [`attachments[${i}]`, `attachments[${i}].name`, `attachments[${i}].ref`]),
  ];
}

export function ApplicationForm({
  program,
  partnerships,
  application,
  onSaved,
}: {
  program: MemberProgramFieldsFragment;
  partnerships: readonly PartnershipChoice[];
  /** Null: a new application. */
  application: MemberApplicationFieldsFragment | null;
  /** After a save or a submission, with the application as it is now. */
  onSaved: (application: MemberApplicationFieldsFragment, submitted: boolean) => void;
}) {
  const [, save] = useMutation(MemberSaveApplication);
  const [, submitApp] = useMutation(MemberSubmitApplication);
  const [error, setError] = useState<CombinedError | null>(null);
  const [busy, setBusy] = useState<"save" | "submit" | null>(null);
  const form = useForm<Values>({
    initialValues: initialValues(application, program),
    validate: {
      partnershipId: (v) => (v ? null : "Choose the partnership this application is for"),
      area: (v) => (v ? null : "Choose a programme area"),
      amountRequested: (v) =>
        v === "" || Number(v) <= 0
          ? "Give the amount you ask for"
          : toCents(v) > program.maxAwardCents
            ? `At most ${formatMoney(program.maxAwardCents, program.currency)}`
            : null,
    },
  });

  const eligible = qualifyingPartnerships(program.eligibility, partnerships);
  const options = partnerships
    .filter((p) => p.status !== "TERMINATED")
    .map((p) => ({
      value: p.id,
      label: `${p.partnerCity}, ${p.countryName}${eligible.includes(p) ? "" : ` (${p.status.toLowerCase()}: may not qualify)`}`,
    }));
  const budgetTotal = form.values.budget.reduce((sum, l) => sum + toCents(l.amount), 0);
  const requested = toCents(form.values.amountRequested);
  const open = program.phase === "OPEN";

  const showErrors = (failed: CombinedError | undefined) => {
    if (!failed) return;
    const { byField, other } = splitFieldErrors(failed, apiFields(form.values));
    form.setErrors(Object.fromEntries(Object.entries(byField).map(([field, message]) => [formPath(field), message])));
    if (other.length) setError(failed);
  };

  const saveDraft = async (values: Values): Promise<MemberApplicationFieldsFragment | null> => {
    const result = await save({
      input: {
        id: application?.id ?? null,
        programId: program.id,
        partnershipId: values.partnershipId ?? "",
        area: values.area ?? "",
        title: values.title.trim(),
        amountRequestedCents: toCents(values.amountRequested),
        narrative: values.narrative.trim(),
        budget: values.budget
          .filter((l) => l.item.trim() || l.amount !== "")
          .map((l) => ({ item: l.item.trim(), amountCents: toCents(l.amount) })),
        attachments: values.attachments
          .filter((a) => a.name.trim() || a.ref.trim())
          .map((a) => ({ name: a.name.trim(), ref: a.ref.trim() })),
      },
    });
    showErrors(result.error);
    return result.data?.saveApplication ?? null;
  };

  const onSave = form.onSubmit(async (values) => {
    setBusy("save");
    setError(null);
    const saved = await saveDraft(values);
    setBusy(null);
    if (saved) {
      notifications.show({ color: "green", title: "Draft saved", message: `Saved at ${formatDateTime(saved.updatedAt)}.` });
      form.resetDirty();
      onSaved(saved, false);
    }
  });

  const onSubmitApplication = form.onSubmit(async (values) => {
    setBusy("submit");
    setError(null);
    const saved = await saveDraft(values);
    if (!saved) {
      setBusy(null);
      return;
    }
    const result = await submitApp({ id: saved.id });
    setBusy(null);
    const submitted = result.data?.submitApplication;
    if (!submitted) {
      showErrors(result.error);
      onSaved(saved, false);
      return;
    }
    notifications.show(
      submitted.status === "INELIGIBLE"
        ? { color: "orange", title: "Submitted, not eligible", message: "See the reasons on the application." }
        : { color: "green", title: "Application submitted", message: "Reviewers will score it after the deadline." },
    );
    form.resetDirty();
    onSaved(submitted, true);
  });

  return (
    <form onSubmit={onSave} noValidate aria-label="Grant application">
      <Stack>
        {error && <ErrorAlert error={error} />}
        {!open && (
          <Alert color="yellow" role="status">
            {program.phase === "UPCOMING"
              ? `The programme opens for submissions on ${formatDateTime(program.opensAt)}; you can prepare a draft now.`
              : `Submissions closed on ${formatDateTime(program.closesAt)}.`}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label="Partnership"
            description="The partnership the project is for"
            placeholder={options.length ? "Choose a partnership" : "Your community has no partnership"}
            data={options}
            required
            searchable
            {...form.getInputProps("partnershipId")}
          />
          <Select
            label="Programme area"
            data={program.areas.map((a) => ({ value: a, label: areaLabel(a) }))}
            required
            {...form.getInputProps("area")}
          />
        </SimpleGrid>
        <TextInput label="Project title" description="Needed to submit" {...form.getInputProps("title")} />
        <NumberInput
          label="Amount requested (USD)"
          description={`At most ${formatMoney(program.maxAwardCents, program.currency)}`}
          required
          min={0}
          decimalScale={2}
          thousandSeparator=","
          prefix="$"
          {...form.getInputProps("amountRequested")}
        />
        <Textarea
          label="Narrative"
          description="What the project does, who takes part, what it leaves behind. Needed to submit."
          rows={8}
          {...form.getInputProps("narrative")}
        />

        <Card withBorder>
          <Title order={3} size="h5" mb="xs" id="budget-title">
            Budget
          </Title>
          <Text size="sm" c="gray.7" mb="sm">
            The lines must add up to at least the amount requested (your own share may come on top).
          </Text>
          {typeof form.errors.budget === "string" && (
            <Text c="red.8" size="sm" mb="xs" role="alert">
              {form.errors.budget}
            </Text>
          )}
          <Table.ScrollContainer minWidth={480}>
            <Table aria-labelledby="budget-title">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Item</Table.Th>
                  <Table.Th w={180}>Amount (USD)</Table.Th>
                  <Table.Th w={50}>
                    <VisuallyHidden>Remove</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {form.values.budget.map((_, i) => (
                  <Table.Tr key={i}>
                    <Table.Td>
                      <TextInput aria-label={`Budget line ${i + 1}: item`} {...form.getInputProps(`budget.${i}.item`)} />
                    </Table.Td>
                    <Table.Td>
                      <NumberInput
                        aria-label={`Budget line ${i + 1}: amount`}
                        min={0}
                        decimalScale={2}
                        thousandSeparator=","
                        prefix="$"
                        {...form.getInputProps(`budget.${i}.amount`)}
                      />
                    </Table.Td>
                    <Table.Td>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={`Remove budget line ${i + 1}`}
                        onClick={() => form.removeListItem("budget", i)}
                      >
                        <IconTrash size={16} aria-hidden />
                      </ActionIcon>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
              <Table.Tfoot>
                <Table.Tr>
                  <Table.Th>Total</Table.Th>
                  <Table.Th data-testid="budget-total">{formatMoney(budgetTotal, program.currency)}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Tfoot>
            </Table>
          </Table.ScrollContainer>
          {requested > 0 && budgetTotal < requested && (
            <Text size="sm" c="orange.9" mt="xs">
              The budget covers {formatMoney(budgetTotal, program.currency)} of the{" "}
              {formatMoney(requested, program.currency)} requested.
            </Text>
          )}
          <Button
            variant="light"
            size="xs"
            mt="sm"
            w="fit-content"
            leftSection={<IconPlus size={14} aria-hidden />}
            onClick={() => form.insertListItem("budget", { item: "", amount: "" })}
          >
            Add a budget line
          </Button>
        </Card>

        <Card withBorder>
          <Title order={3} size="h5" mb="xs">
            Attachments
          </Title>
          <Text size="sm" c="gray.7" mb="sm">
            Documents by reference: a name and where to find it (a link or a file number).
          </Text>
          <Stack gap="xs">
            {form.values.attachments.map((_, i) => (
              <Group key={i} align="flex-end" wrap="nowrap">
                <TextInput label={`Attachment ${i + 1}: name`} style={{ flex: 1 }} {...form.getInputProps(`attachments.${i}.name`)} />
                <TextInput label={`Attachment ${i + 1}: reference`} style={{ flex: 2 }} {...form.getInputProps(`attachments.${i}.ref`)} />
                <ActionIcon
                  variant="subtle"
                  color="red"
                  mb={6}
                  aria-label={`Remove attachment ${i + 1}`}
                  onClick={() => form.removeListItem("attachments", i)}
                >
                  <IconTrash size={16} aria-hidden />
                </ActionIcon>
              </Group>
            ))}
          </Stack>
          <Button
            variant="light"
            size="xs"
            mt="sm"
            w="fit-content"
            leftSection={<IconPlus size={14} aria-hidden />}
            onClick={() => form.insertListItem("attachments", { name: "", ref: "" })}
          >
            Add an attachment
          </Button>
        </Card>

        <Group>
          <Button type="submit" variant="default" loading={busy === "save"} disabled={busy === "submit"}>
            Save draft
          </Button>
          <Button
            type="button"
            loading={busy === "submit"}
            disabled={!open || busy === "save"}
            onClick={() => onSubmitApplication()}
          >
            Submit application
          </Button>
          <Text size="sm" c="gray.7">
            Deadline: {formatDateTime(program.closesAt)}
          </Text>
        </Group>
      </Stack>
    </form>
  );
}
