// The fields of a member community, for registering one and for editing it.
// The API's BAD_USER_INPUT errors are shown next to their field.
import { Button, Group, NumberInput, Select, SimpleGrid, Stack, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useState } from "react";
import type { CombinedError } from "urql";

import type { ApiError } from "../../../../api/errors";
import { ContactInputs } from "../../../../components/ContactInputs";
import { emailError, websiteError } from "../../../../components/validate";
import { formErrors } from "../shared/formErrors";
import { OtherErrors } from "../shared/OtherErrors";
import { BAND_OPTIONS, KIND_OPTIONS } from "../shared/labels";
import { STATE_OPTIONS } from "../shared/usStates";
import { MEMBER_FIELDS, populationOf, type MemberValues } from "./memberValues";

interface MemberFormProps {
  initialValues: MemberValues;
  submitLabel: string;
  /** Sends the values; resolves to the API's error, if any. */
  onSubmit: (values: MemberValues) => Promise<CombinedError | undefined>;
  onCancel?: () => void;
}

export function MemberForm({ initialValues, submitLabel, onSubmit, onCancel }: MemberFormProps) {
  const [other, setOther] = useState<ApiError[]>([]);
  const [sending, setSending] = useState(false);
  const form = useForm<MemberValues>({
    initialValues,
    validate: {
      name: (value) => (value.trim() ? null : "Enter the community's name"),
      kind: (value) => (value ? null : "Choose the kind of community"),
      state: (value) => (value ? null : "Choose the state"),
      population: (value, values) => {
        if (value === "" || value == null) return values.kind === "CITY" ? "A city's population is required" : null;
        return Number.isInteger(value) && Number(value) > 0 ? null : "Enter a whole number above zero";
      },
      contactEmail: emailError,
      website: websiteError,
      duesBand: (value, values) =>
        populationOf(values) == null && !value ? "Choose the band to bill, since the population is unknown" : null,
    },
  });
  const populationKnown = populationOf(form.values) != null;

  const submit = form.onSubmit(async (values) => {
    setOther([]);
    setSending(true);
    const error = await onSubmit(values);
    setSending(false);
    if (error) {
      const { byField, other: rest } = formErrors(error, MEMBER_FIELDS);
      form.setErrors(byField);
      setOther(rest);
    }
  });

  return (
    <form onSubmit={submit} noValidate aria-label={submitLabel}>
      <Stack maw={720}>
        <OtherErrors errors={other} />
        <TextInput label="Name" description="As the community calls itself, e.g. St. Paul" required {...form.getInputProps("name")} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select label="Kind" data={KIND_OPTIONS} required allowDeselect={false} {...form.getInputProps("kind")} />
          <Select
            label="State"
            placeholder="Choose a state"
            data={STATE_OPTIONS}
            searchable
            required
            nothingFoundMessage="No such state"
            {...form.getInputProps("state")}
          />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NumberInput
            label="Population"
            description={form.values.kind === "CITY" ? "Required for a city" : "Leave empty if unknown"}
            required={form.values.kind === "CITY"}
            min={1}
            allowDecimal={false}
            allowNegative={false}
            thousandSeparator=","
            {...form.getInputProps("population")}
          />
          <Select
            label="Dues band"
            description={
              populationKnown ? "Follows the population" : "Only when the population is unknown: the band to bill"
            }
            placeholder={populationKnown ? "From the population" : "Choose a band"}
            data={BAND_OPTIONS}
            disabled={populationKnown}
            clearable
            {...form.getInputProps("duesBand")}
            value={populationKnown ? null : form.values.duesBand}
          />
        </SimpleGrid>
        <ContactInputs form={form} />
        <Group>
          <Button type="submit" loading={sending}>
            {submitLabel}
          </Button>
          {onCancel && (
            <Button variant="default" onClick={onCancel} disabled={sending}>
              Cancel
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}
