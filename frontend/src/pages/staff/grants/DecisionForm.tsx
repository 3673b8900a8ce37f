import {
  ActionIcon,
  Alert,
  Button,
  Card,
  Group,
  Modal,
  NumberInput,
  Radio,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { useForm } from "@mantine/form";
import { randomId, useDisclosure } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { IconPlus, IconTrash } from "@tabler/icons-react";
import { useState } from "react";
import type { CombinedError } from "urql";
import { useMutation } from "urql";

import { apiErrors } from "../../../api/errors";
import { ErrorAlert } from "../../../components/QueryState";
import { formatMoney, humanize } from "../../../components/format";
import { graphql } from "../../../gql";
import type { DecisionInput, InstalmentCondition } from "../../../gql/graphql";
import { CONDITIONS, decisionPath } from "./decision";
import { toCents } from "./programForm";

const Decide = graphql(`
  mutation StaffGrantsDecide($id: ID!, $decision: DecisionInput!) {
    decideApplication(id: $id, decision: $decision) {
      id
      status
      decidedAt
      declineReasons
      decisionLetter
      award {
        id
        amountCents
        currency
        conditions
        awardedAt
        agreementSignedAt
        paidCents
      }
    }
  }
`);


type Num = number | string;

interface DecisionValues {
  outcome: "AWARD" | "DECLINE";
  amount: Num;
  conditions: string;
  instalments: { rowId: string; amount: Num; condition: InstalmentCondition }[];
  reasons: { rowId: string; text: string }[];
}

export interface DecidedApplication {
  id: string;
  title: string;
  applicantName?: string | null;
  amountRequestedCents: number;
  currency: string;
}

const blank = (v: Num) => v === "" || v === null || v === undefined;


/** Award an amount within the budget, or decline with reasons; confirmed before it is sent. */
export function DecisionForm({
  application,
  maxAwardCents,
  remainingCents,
}: {
  application: DecidedApplication;
  maxAwardCents: number;
  remainingCents: number | null;
}) {
  const [{ fetching }, decide] = useMutation(Decide);
  const [error, setError] = useState<CombinedError | null>(null);
  const [confirming, { open, close }] = useDisclosure(false);
  const limitCents = Math.min(maxAwardCents, remainingCents ?? maxAwardCents);
  const money = (cents: number) => formatMoney(cents, application.currency);
  const form = useForm<DecisionValues>({
    initialValues: {
      outcome: "AWARD",
      amount: Math.min(application.amountRequestedCents, Math.max(limitCents, 0)) / 100,
      conditions: "",
      instalments: [],
      reasons: [{ rowId: randomId(), text: "" }],
    },
    validate: {
      amount: (v, values) => {
        if (values.outcome !== "AWARD") return null;
        if (blank(v) || !(Number(v) > 0)) return "Give an amount above zero";
        if (toCents(v) > maxAwardCents) return `At most the maximum award of ${money(maxAwardCents)}`;
        if (remainingCents != null && toCents(v) > remainingCents)
          return `Beyond the programme's remaining budget of ${money(remainingCents)}`;
        return null;
      },
      instalments: {
        amount: (v, values) =>
          values.outcome === "AWARD" && (blank(v) || !(Number(v) > 0)) ? "Give an amount above zero" : null,
      },
      reasons: {
        text: (_v, values, path) =>
          values.outcome === "DECLINE" && path.endsWith(".0.text") && !values.reasons.some((r) => r.text.trim())
            ? "Give at least one reason"
            : null,
      },
      conditions: (v) => (v.length > 5000 ? "At most 5000 characters" : null),
    },
  });
  const values = form.values;
  const plannedCents = values.instalments.reduce((sum, i) => sum + (blank(i.amount) ? 0 : toCents(i.amount)), 0);
  const awardCents = blank(values.amount) ? 0 : toCents(values.amount);
  const planMismatch =
    values.outcome === "AWARD" && values.instalments.length > 0 && plannedCents !== awardCents
      ? `The instalments add up to ${money(plannedCents)}; the award is ${money(awardCents)}.`
      : null;

  const decision = (): DecisionInput =>
    values.outcome === "DECLINE"
      ? { outcome: "DECLINE", reasons: values.reasons.map((r) => r.text.trim()).filter(Boolean) }
      : {
          outcome: "AWARD",
          amountCents: awardCents,
          conditions: values.conditions.trim(),
          instalments: values.instalments.length
            ? values.instalments.map((i) => ({ amountCents: toCents(i.amount), condition: i.condition }))
            : null,
        };

  const send = async () => {
    setError(null);
    const result = await decide({ id: application.id, decision: decision() });
    close();
    if (result.error) {
      const byPath: Record<string, string> = {};
      let unplaced = false;
      for (const e of apiErrors(result.error)) {
        const path = e.code === "BAD_USER_INPUT" && e.field ? decisionPath(e.field) : null;
        if (path === "reasons") byPath["reasons.0.text"] = e.message;
        else if (path) byPath[path] = e.message.charAt(0).toUpperCase() + e.message.slice(1);
        else unplaced = true;
      }
      form.setErrors(byPath);
      if (unplaced) setError(result.error);
      return;
    }
    notifications.show({
      color: "green",
      title: values.outcome === "AWARD" ? "Grant awarded" : "Application declined",
      message:
        values.outcome === "AWARD"
          ? `${money(awardCents)} to ${application.applicantName ?? application.title}. The decision letter is ready.`
          : "The decision letter is ready for the applicant.",
    });
  };

  return (
    <Card withBorder component="section" aria-labelledby="decision-title">
      <form
        onSubmit={form.onSubmit(() => {
          if (!planMismatch) open();
        })}
        noValidate
      >
        <Stack>
          <Title order={3} size="h4" id="decision-title">
            Decision
          </Title>
          {error && <ErrorAlert error={error} />}
          <Radio.Group
            label="Outcome"
            {...form.getInputProps("outcome")}
            onChange={(v) => form.setFieldValue("outcome", v as DecisionValues["outcome"])}
          >
            <Group mt="xs">
              <Radio value="AWARD" label="Award a grant" />
              <Radio value="DECLINE" label="Decline" />
            </Group>
          </Radio.Group>

          {values.outcome === "AWARD" ? (
            <>
              <NumberInput
                label="Amount awarded"
                description={`Requested ${money(application.amountRequestedCents)}. At most ${money(limitCents)} (the maximum award and the remaining budget).`}
                required
                min={0}
                decimalScale={2}
                thousandSeparator=","
                prefix={application.currency === "USD" ? "$" : undefined}
                {...form.getInputProps("amount")}
              />
              <Textarea
                label="Conditions"
                description="Written into the decision letter."
                rows={3}
                maxLength={5000}
                {...form.getInputProps("conditions")}
              />
              <Stack gap="xs">
                <Text fw={500} size="sm">
                  Instalments
                </Text>
                {values.instalments.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    One instalment of the whole amount, once the grant agreement is signed.
                  </Text>
                ) : (
                  values.instalments.map((row, i) => (
                    <Group key={row.rowId} align="flex-start" wrap="wrap" gap="xs">
                      <NumberInput
                        label={`Instalment ${i + 1}: amount`}
                        min={0}
                        decimalScale={2}
                        thousandSeparator=","
                        w={{ base: "100%", xs: 200 }}
                        {...form.getInputProps(`instalments.${i}.amount`)}
                      />
                      <Select
                        label={`Instalment ${i + 1}: paid once`}
                        data={CONDITIONS}
                        allowDeselect={false}
                        w={{ base: "100%", xs: 260 }}
                        {...form.getInputProps(`instalments.${i}.condition`)}
                      />
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        mt={26}
                        aria-label={`Remove instalment ${i + 1}`}
                        onClick={() => form.removeListItem("instalments", i)}
                      >
                        <IconTrash size={16} aria-hidden />
                      </ActionIcon>
                    </Group>
                  ))
                )}
                {(planMismatch || typeof form.errors.instalments === "string") && (
                  <Text c="red" size="sm" role="alert">
                    {planMismatch ?? form.errors.instalments}
                  </Text>
                )}
                <Group>
                  <Button
                    variant="subtle"
                    size="xs"
                    leftSection={<IconPlus size={14} aria-hidden />}
                    onClick={() =>
                      form.insertListItem("instalments", {
                        rowId: randomId(),
                        amount: values.instalments.length === 0 ? values.amount : "",
                        condition: values.instalments.length === 0 ? "AGREEMENT_SIGNED" : "FINAL_REPORT_ACCEPTED",
                      })
                    }
                  >
                    Add an instalment
                  </Button>
                </Group>
              </Stack>
            </>
          ) : (
            <Stack gap="xs">
              <Text fw={500} size="sm">
                Reasons for declining
              </Text>
              {values.reasons.map((row, i) => (
                <Group key={row.rowId} align="flex-start" wrap="nowrap" gap="xs">
                  <TextInput
                    label={`Reason ${i + 1}`}
                    style={{ flex: 1 }}
                    {...form.getInputProps(`reasons.${i}.text`)}
                  />
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    mt={26}
                    disabled={values.reasons.length === 1}
                    aria-label={`Remove reason ${i + 1}`}
                    onClick={() => form.removeListItem("reasons", i)}
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
                  onClick={() => form.insertListItem("reasons", { rowId: randomId(), text: "" })}
                >
                  Add a reason
                </Button>
              </Group>
            </Stack>
          )}
          <Text size="sm" c="dimmed">
            The decision letter is written from this decision; the applicant reads it with the application.
          </Text>
          <Group>
            <Button type="submit" color={values.outcome === "AWARD" ? undefined : "red"} loading={fetching}>
              {values.outcome === "AWARD" ? "Award grant…" : "Decline application…"}
            </Button>
          </Group>
        </Stack>
      </form>
      <Modal
        opened={confirming}
        onClose={close}
        title={values.outcome === "AWARD" ? "Award this grant?" : "Decline this application?"}
        centered
      >
        <Stack>
          {values.outcome === "AWARD" ? (
            <Text size="sm">
              Award <strong>{money(awardCents)}</strong> to{" "}
              <strong>{application.applicantName ?? application.title}</strong>
              {values.instalments.length > 1 ? ` in ${values.instalments.length} instalments` : ""}. The programme's
              remaining budget becomes {money((remainingCents ?? 0) - awardCents)}. A decision cannot be undone.
            </Text>
          ) : (
            <Text size="sm">
              Decline <strong>{application.title}</strong>. A decision cannot be undone.
            </Text>
          )}
          {values.outcome === "AWARD" && values.instalments.length > 0 && (
            <Alert color="blue" variant="light">
              {values.instalments
                .map((row, i) => `${i + 1}. ${money(toCents(row.amount))}, ${humanize(row.condition).toLowerCase()}`)
                .join("; ")}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button color={values.outcome === "AWARD" ? undefined : "red"} loading={fetching} onClick={() => void send()}>
              {values.outcome === "AWARD" ? "Award grant" : "Decline application"}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}
