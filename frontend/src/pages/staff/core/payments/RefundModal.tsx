// Refund a payment through Stripe: all that is left, or part of it, with a
// reason; the amount is checked before anything is sent.
import { NumberInput, SegmentedControl, Stack, Text, Textarea } from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { useMutation } from "urql";

import type { ApiError } from "../../../../api/errors";
import { formatMoney } from "../../../../components/format";
import { graphql } from "../../../../gql";
import { ActionModal } from "../shared/ActionModal";
import { formErrors } from "../shared/formErrors";
import { REASON_MAX, refundAmountError, toCents, type RefundValues } from "./refund";

const RefundPaymentMutation = graphql(`
  mutation StaffRefundPayment($paymentId: ID!, $reason: String!, $amountCents: Int) {
    refundPayment(paymentId: $paymentId, reason: $reason, amountCents: $amountCents) {
      refund {
        id
        amountCents
        currency
        status
        failure
      }
      payment {
        ...StaffPaymentFields
      }
    }
  }
`);

interface RefundModalProps {
  opened: boolean;
  onClose: () => void;
  paymentId: string;
  memberName: string;
  /** What can still be refunded, in cents. */
  leftCents: number;
  currency: string;
}

export function RefundModal({ opened, onClose, paymentId, memberName, leftCents, currency }: RefundModalProps) {
  const [state, refund] = useMutation(RefundPaymentMutation);
  const [other, setOther] = useState<ApiError[]>([]);
  const money = (cents: number) => formatMoney(cents, currency);
  const form = useForm<RefundValues>({
    initialValues: { mode: "full", amount: "", reason: "" },
    validateInputOnChange: ["amount"],
    validate: {
      amount: (value, values) => (values.mode === "partial" ? refundAmountError(value, leftCents, money) : null),
      reason: (value) =>
        !value.trim()
          ? "Say why the payment is refunded"
          : value.trim().length > REASON_MAX
            ? `At most ${REASON_MAX} characters`
            : null,
    },
  });
  const partial = form.values.mode === "partial";
  const cents = partial ? toCents(form.values.amount) : leftCents;
  const valid = cents !== null && cents >= 1 && cents <= leftCents;

  const close = () => {
    form.reset();
    setOther([]);
    onClose();
  };
  const confirm = form.onSubmit(async (values) => {
    setOther([]);
    const amountCents = values.mode === "partial" ? toCents(values.amount) : null;
    const result = await refund({ paymentId, reason: values.reason.trim(), amountCents });
    if (result.error || !result.data) {
      const { byField, other: rest } = formErrors(result.error, ["amountCents", "reason"]);
      form.setErrors({ amount: byField.amountCents, reason: byField.reason });
      setOther(rest);
      return;
    }
    const { refund: done } = result.data.refundPayment;
    notifications.show({
      color: done.status === "FAILED" ? "red" : "green",
      title: done.status === "FAILED" ? "Stripe refused the refund" : "Refund requested",
      message:
        done.status === "FAILED"
          ? (done.failure ?? "Stripe gave no reason.")
          : `${money(done.amountCents)} is being refunded to ${memberName}.`,
    });
    close();
  });

  return (
    <ActionModal
      opened={opened}
      onClose={close}
      title={`Refund ${memberName}`}
      description={`The money goes back through Stripe to the card that paid. ${money(leftCents)} can still be refunded. A full refund leaves the dues invoice unpaid again; a partial one leaves it paid.`}
      confirmLabel={valid ? `Refund ${money(cents)}` : "Refund"}
      confirmColor="red"
      fetching={state.fetching}
      errors={other}
      onConfirm={() => confirm()}
    >
      <Stack gap="sm">
        <div>
          <Text size="sm" fw={500} id="refund-kind" mb={4}>
            How much
          </Text>
          <SegmentedControl
            aria-labelledby="refund-kind"
            data={[
              { value: "full", label: `All that is left (${money(leftCents)})` },
              { value: "partial", label: "Part of it" },
            ]}
            {...form.getInputProps("mode")}
          />
        </div>
        {partial && (
          <NumberInput
            label="Amount to refund"
            description={`From ${money(1)} to ${money(leftCents)}`}
            prefix={currency.toUpperCase() === "USD" ? "$" : undefined}
            decimalScale={2}
            thousandSeparator=","
            allowNegative={false}
            required
            data-autofocus
            {...form.getInputProps("amount")}
          />
        )}
        <Textarea
          label="Reason"
          description="Kept with the refund and sent to Stripe"
          required
          rows={3}
          maxLength={REASON_MAX}
          {...form.getInputProps("reason")}
        />
      </Stack>
    </ActionModal>
  );
}
