// The workflow moves staff make on a partnership, each behind a confirmation
// modal asking for what the mutation needs (the agreement, a reason, the
// re-signing date): PROPOSED -> PENDING -> ACTIVE <-> DORMANT, and TERMINATED.
import "@mantine/dates/styles.css";

import { Anchor, Button, Group, SimpleGrid, Stack, Text, TextInput, Textarea } from "@mantine/core";
import { DatePickerInput } from "@mantine/dates";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import dayjs from "dayjs";
import { useState } from "react";
import { useNavigate } from "react-router";
import { useMutation } from "urql";

import type { ApiError } from "../../../../api/errors";
import { formatDate } from "../../../../components/format";
import { graphql } from "../../../../gql";
import type { PartnershipStatus, StaffPartnershipFieldsFragment } from "../../../../gql/graphql";
import { ActionModal } from "../shared/ActionModal";
import { formErrors } from "../shared/formErrors";
import { memberLabel, partnerName } from "./names";

const RecordAgreementMutation = graphql(`
  mutation StaffRecordAgreement($id: ID!, $input: AgreementInput!) {
    recordAgreement(id: $id, input: $input) {
      ...StaffPartnershipFields
    }
  }
`);

const ActivatePartnershipMutation = graphql(`
  mutation StaffActivatePartnership($id: ID!) {
    activatePartnership(id: $id) {
      ...StaffPartnershipFields
    }
  }
`);

const MarkDormantMutation = graphql(`
  mutation StaffMarkPartnershipDormant($id: ID!, $reason: String!) {
    markPartnershipDormant(id: $id, reason: $reason) {
      ...StaffPartnershipFields
    }
  }
`);

const ReactivateMutation = graphql(`
  mutation StaffReactivatePartnership($id: ID!, $signedOn: Date!) {
    reactivatePartnership(id: $id, signedOn: $signedOn) {
      ...StaffPartnershipFields
    }
  }
`);

const TerminateMutation = graphql(`
  mutation StaffTerminatePartnership($id: ID!, $reason: String!) {
    terminatePartnership(id: $id, reason: $reason) {
      ...StaffPartnershipFields
    }
  }
`);

export type PartnershipAction = "agreement" | "activate" | "dormant" | "reactivate" | "terminate";

const ACTIONS: Record<PartnershipStatus, PartnershipAction[]> = {
  PROPOSED: ["agreement", "terminate"],
  PENDING: ["activate", "terminate"],
  ACTIVE: ["dormant", "terminate"],
  DORMANT: ["reactivate", "terminate"],
  TERMINATED: [],
};

const LABELS: Record<PartnershipAction, string> = {
  agreement: "Record agreement",
  activate: "Activate",
  dormant: "Mark dormant",
  reactivate: "Reactivate",
  terminate: "Terminate",
};

interface ActionsProps {
  partnership: StaffPartnershipFieldsFragment;
  size?: "xs" | "sm";
}

/** The buttons for what can happen next, and their modals. */
export function PartnershipActions({ partnership, size = "sm" }: ActionsProps) {
  const [action, setAction] = useState<PartnershipAction | null>(null);
  const actions = ACTIONS[partnership.status];
  if (actions.length === 0) return null;
  const who = `${memberLabel(partnership)} and ${partnerName(partnership)}`;
  return (
    <>
      <Group gap="xs" wrap="wrap">
        {actions.map((a) => (
          <Button
            key={a}
            size={size}
            variant={a === "terminate" ? "subtle" : a === "dormant" ? "light" : "filled"}
            color={a === "terminate" ? "red" : a === "dormant" ? "orange" : undefined}
            onClick={() => setAction(a)}
            aria-label={`${LABELS[a]}: ${who}`}
          >
            {LABELS[a]}
          </Button>
        ))}
      </Group>
      {action === "agreement" && <AgreementModal partnership={partnership} who={who} onClose={() => setAction(null)} />}
      {action === "activate" && <ActivateModal partnership={partnership} who={who} onClose={() => setAction(null)} />}
      {(action === "dormant" || action === "terminate") && (
        <ReasonModal partnership={partnership} who={who} action={action} onClose={() => setAction(null)} />
      )}
      {action === "reactivate" && <ReactivateModal partnership={partnership} who={who} onClose={() => setAction(null)} />}
    </>
  );
}

interface ModalProps {
  partnership: StaffPartnershipFieldsFragment;
  who: string;
  onClose: () => void;
}

const today = () => dayjs().format("YYYY-MM-DD");
const required = (what: string) => (value: string | null) => (value && value.trim() ? null : what);

const AGREEMENT_FIELDS = ["councilResolution", "signedOn", "usSignatory", "partnerSignatory", "documentReference"] as const;

function AgreementModal({ partnership, who, onClose }: ModalProps) {
  const [state, record] = useMutation(RecordAgreementMutation);
  const [other, setOther] = useState<ApiError[]>([]);
  const form = useForm({
    initialValues: {
      councilResolution: "",
      signedOn: null as string | null,
      usSignatory: "",
      partnerSignatory: "",
      documentReference: "",
    },
    validate: {
      councilResolution: required("Give the council resolution's reference"),
      signedOn: (value) =>
        !value ? "Give the day it was signed" : value > today() ? "The signing cannot be in the future" : null,
      usSignatory: required("Name the U.S. signatory"),
      partnerSignatory: required("Name the partner's signatory"),
      documentReference: required("Say where the signed agreement is kept"),
    },
  });
  const confirm = form.onSubmit(async (values) => {
    setOther([]);
    const result = await record({
      id: partnership.id,
      input: {
        councilResolution: values.councilResolution.trim(),
        signedOn: values.signedOn ?? "",
        usSignatory: values.usSignatory.trim(),
        partnerSignatory: values.partnerSignatory.trim(),
        documentReference: values.documentReference.trim(),
      },
    });
    if (result.error) {
      const { byField, other: rest } = formErrors(result.error, AGREEMENT_FIELDS);
      form.setErrors(byField);
      setOther(rest);
      return;
    }
    notifications.show({
      color: "green",
      title: "Agreement recorded",
      message: `The partnership of ${who} is pending: activate it once the agreement is verified.`,
    });
    onClose();
  });
  return (
    <ActionModal
      opened
      onClose={onClose}
      title="Record the signed agreement"
      description={`The council resolution and the agreement signed by ${who}. The partnership becomes pending until staff verify it and activate it.`}
      confirmLabel="Record agreement"
      fetching={state.fetching}
      errors={other}
      onConfirm={() => confirm()}
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput label="Council resolution" description="Its reference, e.g. Resolution 2026-14" required data-autofocus {...form.getInputProps("councilResolution")} />
        <DatePickerInput
          label="Signed on"
          placeholder="Pick the day"
          maxDate={today()}
          required
          valueFormat="MMM D, YYYY"
          {...form.getInputProps("signedOn")}
        />
        <TextInput label="U.S. signatory" description="The highest official, e.g. the mayor" required {...form.getInputProps("usSignatory")} />
        <TextInput label="Partner signatory" description="The partner's highest elected official" required {...form.getInputProps("partnerSignatory")} />
      </SimpleGrid>
      <TextInput
        label="Document reference"
        description="Where the signed agreement is kept on file"
        required
        {...form.getInputProps("documentReference")}
      />
    </ActionModal>
  );
}

function ActivateModal({ partnership, who, onClose }: ModalProps) {
  const navigate = useNavigate();
  const [state, activate] = useMutation(ActivatePartnershipMutation);
  const [errors, setErrors] = useState<ApiError[]>([]);
  const goodStanding = partnership.member?.goodStanding;
  const agreement = partnership.agreement;
  const confirm = async () => {
    setErrors([]);
    const result = await activate({ id: partnership.id });
    const done = result.data?.activatePartnership;
    if (result.error || !done) {
      setErrors(formErrors(result.error, []).other);
      return;
    }
    notifications.show({
      color: "green",
      title: "Partnership active",
      // The notification shows outside the router: it navigates with this page's hook.
      message: done.recognized ? (
        <>
          {who} is recognized and shows in the{" "}
          <Anchor
            component="button"
            type="button"
            size="sm"
            onClick={() => navigate(`/directory?search=${encodeURIComponent(done.partnerCity)}`)}
          >
            public directory
          </Anchor>
          .
        </>
      ) : (
        `${who} is active, but not recognized while the member is not in good standing: it joins the public directory once the member is.`
      ),
    });
    onClose();
  };
  return (
    <ActionModal
      opened
      onClose={onClose}
      title="Activate the partnership"
      description={
        <Stack gap="xs">
          <Text size="sm">
            You verified the signed agreement between {who}. The partnership becomes active.
          </Text>
          {agreement && (
            <Text size="sm" c="dimmed">
              Signed {formatDate(agreement.signedOn)} by {agreement.usSignatory} and {agreement.partnerSignatory}; council
              resolution {agreement.councilResolution}; on file at {agreement.documentReference}.
            </Text>
          )}
          <Text size="sm" fw={600}>
            {goodStanding === false
              ? "The member is not in good standing, so the partnership will not be recognized (nor shown in the public directory) until it is."
              : "The member is in good standing: the partnership will be recognized and shown in the public directory."}
          </Text>
        </Stack>
      }
      confirmLabel="Activate"
      fetching={state.fetching}
      errors={errors}
      onConfirm={() => void confirm()}
    />
  );
}

function ReasonModal({ partnership, who, action, onClose }: ModalProps & { action: "dormant" | "terminate" }) {
  const [dormantState, markDormant] = useMutation(MarkDormantMutation);
  const [terminateState, terminate] = useMutation(TerminateMutation);
  const [other, setOther] = useState<ApiError[]>([]);
  const form = useForm({
    initialValues: { reason: "" },
    validate: {
      reason: required(action === "terminate" ? "Give the reason, as received in writing" : "Give the reason"),
    },
  });
  const dormant = action === "dormant";
  const confirm = form.onSubmit(async ({ reason }) => {
    setOther([]);
    const variables = { id: partnership.id, reason: reason.trim() };
    const result = dormant ? await markDormant(variables) : await terminate(variables);
    if (result.error) {
      const { byField, other: rest } = formErrors(result.error, ["reason"]);
      form.setErrors(byField);
      setOther(rest);
      return;
    }
    notifications.show({
      color: "green",
      message: dormant ? `The partnership of ${who} is dormant.` : `The partnership of ${who} is terminated.`,
    });
    onClose();
  });
  return (
    <ActionModal
      opened
      onClose={onClose}
      title={dormant ? "Mark the partnership dormant" : "Terminate the partnership"}
      description={
        dormant
          ? `The partnership of ${who} is no longer active: it leaves the public directory until staff reactivate it with a new signing.`
          : `The partnership of ${who} ends for good (withdrawing a proposal is a termination too). It leaves the public directory; the two communities may propose a new partnership later.`
      }
      confirmLabel={dormant ? "Mark dormant" : "Terminate"}
      confirmColor={dormant ? "orange" : "red"}
      fetching={dormantState.fetching || terminateState.fetching}
      errors={other}
      onConfirm={() => confirm()}
    >
      <Textarea
        label="Reason"
        description={dormant ? "Kept in the partnership's history" : "As received in writing; kept in the history"}
        required
        rows={3}
        data-autofocus
        {...form.getInputProps("reason")}
      />
    </ActionModal>
  );
}

function ReactivateModal({ partnership, who, onClose }: ModalProps) {
  const [state, reactivate] = useMutation(ReactivateMutation);
  const [other, setOther] = useState<ApiError[]>([]);
  const last = partnership.signedOn;
  const form = useForm({
    initialValues: { signedOn: null as string | null },
    validate: {
      signedOn: (value) =>
        !value
          ? "Give the day the agreement was signed again"
          : value > today()
            ? "The signing cannot be in the future"
            : last && value < last
              ? `It cannot be before the last signing (${formatDate(last)})`
              : null,
    },
  });
  const confirm = form.onSubmit(async ({ signedOn }) => {
    setOther([]);
    const result = await reactivate({ id: partnership.id, signedOn: signedOn ?? "" });
    if (result.error) {
      const { byField, other: rest } = formErrors(result.error, ["signedOn"]);
      form.setErrors(byField);
      setOther(rest);
      return;
    }
    notifications.show({ color: "green", message: `The partnership of ${who} is active again.` });
    onClose();
  });
  return (
    <ActionModal
      opened
      onClose={onClose}
      title="Reactivate the partnership"
      description={`The partnership of ${who} was signed again and becomes active; it is recognized (and shown in the public directory) while the member is in good standing.`}
      confirmLabel="Reactivate"
      fetching={state.fetching}
      errors={other}
      onConfirm={() => confirm()}
    >
      <DatePickerInput
        label="Signed again on"
        description={last ? `Not before the last signing, ${formatDate(last)}` : "Not in the future"}
        placeholder="Pick the day"
        minDate={last ?? undefined}
        maxDate={today()}
        required
        valueFormat="MMM D, YYYY"
        {...form.getInputProps("signedOn")}
      />
    </ActionModal>
  );
}
