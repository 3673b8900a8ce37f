// A member's contact email and website: the same fields, help and checks
// (components/validate.ts) whether staff or the member's own users edit them.
import { TextInput } from "@mantine/core";
import type { UseFormReturnType } from "@mantine/form";

interface Contact {
  contactEmail: string;
  website: string;
}

export function ContactInputs<Values extends Contact>({ form }: { form: UseFormReturnType<Values> }) {
  return (
    <>
      <TextInput
        label="Contact email"
        description="Where invoices, receipts and reminders go"
        type="email"
        required
        {...form.getInputProps("contactEmail")}
      />
      <TextInput
        label="Website"
        type="url"
        placeholder="https://"
        description="Shown in the public directory; leave empty for none"
        {...form.getInputProps("website")}
      />
    </>
  );
}
