import { Anchor, Stack } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { useMutation } from "urql";

import { PageTitle } from "../../../components/PageTitle";
import { RequireRole } from "../../../components/RequireRole";
import { graphql } from "../../../gql";
import { ProgramForm } from "./ProgramForm";
import { emptyProgram } from "./programForm";

const CreateProgram = graphql(`
  mutation StaffGrantsCreateProgram($input: GrantProgramInput!) {
    createGrantProgram(input: $input) {
      id
      name
      phase
    }
  }
`);

export function ProgramNew() {
  return (
    <RequireRole role="staff">
      <NewProgramPage />
    </RequireRole>
  );
}

function NewProgramPage() {
  const navigate = useNavigate();
  const [, create] = useMutation(CreateProgram);
  const [initialValues] = useState(() => emptyProgram());
  return (
    <Stack maw={960}>
      <Anchor component={Link} to="/staff/grants" size="sm">
        ← Grant programmes
      </Anchor>
      <PageTitle>New grant programme</PageTitle>
      <ProgramForm
        initialValues={initialValues}
        submitLabel="Create draft"
        onSave={async (input) => {
          const result = await create({ input });
          if (result.error || !result.data) return result.error;
          notifications.show({
            color: "green",
            title: "Draft created",
            message: `${result.data.createGrantProgram.name} is a draft: publish it before it opens.`,
          });
          navigate(`/staff/grants/${result.data.createGrantProgram.id}`);
          return undefined;
        }}
      />
    </Stack>
  );
}
