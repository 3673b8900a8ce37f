import { Alert, Anchor, Stack } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { Link, useNavigate, useParams } from "react-router";
import { useMutation, useQuery } from "urql";

import { PageTitle } from "../../../components/PageTitle";
import { QueryState } from "../../../components/QueryState";
import { RequireRole } from "../../../components/RequireRole";
import { graphql } from "../../../gql";
import { ProgramForm } from "./ProgramForm";
import { programValues } from "./programForm";
import { StaffGrantsProgram } from "./queries";

const UpdateProgram = graphql(`
  mutation StaffGrantsUpdateProgram($id: ID!, $input: GrantProgramInput!) {
    updateGrantProgram(id: $id, input: $input) {
      id
      name
      description
      areas
      opensAt
      closesAt
      budgetCents
      maxAwardCents
      currency
      eligibility {
        goodStandingRequired
        partnershipRequirement
        maxPopulation
        allowedCountries
        coolingOffYears
      }
      rubric {
        key
        name
        maxScore
        weight
        anchors {
          score
          text
        }
      }
      reviewersPerApplication
      blindReview
      disagreementThreshold
      status
      phase
      panel
    }
  }
`);

export function ProgramEdit() {
  return (
    <RequireRole role="staff">
      <EditProgramPage />
    </RequireRole>
  );
}

function EditProgramPage() {
  const { programId = "" } = useParams();
  const navigate = useNavigate();
  const [result, refetch] = useQuery({ query: StaffGrantsProgram, variables: { id: programId } });
  const [, update] = useMutation(UpdateProgram);
  return (
    <Stack maw={960}>
      <Anchor component={Link} to={`/staff/grants/${programId}`} size="sm">
        ← Back to the programme
      </Anchor>
      <QueryState result={result} onRetry={() => refetch({ requestPolicy: "network-only" })}>
        {({ grantProgram: program }) => (
          <>
            <PageTitle>{`Edit ${program.name}`}</PageTitle>
            {program.status !== "DRAFT" ? (
              <Alert color="yellow" title="Published programmes are fixed">
                This programme is published: its definition can no longer change.
              </Alert>
            ) : (
              <ProgramForm
                key={program.id}
                initialValues={programValues(program)}
                submitLabel="Save draft"
                onSave={async (input) => {
                  const saved = await update({ id: program.id, input });
                  if (saved.error) return saved.error;
                  notifications.show({ color: "green", title: "Draft saved", message: program.name });
                  navigate(`/staff/grants/${program.id}`);
                  return undefined;
                }}
              />
            )}
          </>
        )}
      </QueryState>
    </Stack>
  );
}
