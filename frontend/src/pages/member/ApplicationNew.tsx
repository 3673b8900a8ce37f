import { Anchor, Stack, Text } from "@mantine/core";
import { Link, useNavigate, useParams } from "react-router";
import { useQuery } from "urql";

import { PageTitle } from "../../components/PageTitle";
import { QueryState } from "../../components/QueryState";
import { graphql } from "../../gql";
import { ApplicationForm } from "./ApplicationForm";
import { useMemberId } from "./shared";

const MemberApplicationNewQuery = graphql(`
  query MemberApplicationNew($programId: ID!, $memberId: ID!) {
    grantProgram(id: $programId) {
      ...MemberProgramFields
    }
    member(id: $memberId) {
      id
      partnerships {
        id
        partnerCity
        countryName
        country
        status
        recognized
      }
    }
  }
`);

export function ApplicationNew() {
  const { programId = "" } = useParams();
  const memberId = useMemberId();
  const navigate = useNavigate();
  const [result, refetch] = useQuery({ query: MemberApplicationNewQuery, variables: { programId, memberId } });

  return (
    <Stack maw={900}>
      <PageTitle>{result.data ? `Apply: ${result.data.grantProgram.name}` : "Apply for a grant"}</PageTitle>
      <QueryState result={result} onRetry={() => refetch({ requestPolicy: "network-only" })}>
        {(data) => (
          <Stack>
            <Text>
              Save a draft at any time and come back to it; submit before the deadline. The title, narrative and a
              budget table covering the amount are needed to submit.
            </Text>
            <ApplicationForm
              program={data.grantProgram}
              partnerships={data.member?.partnerships ?? []}
              application={null}
              onSaved={(saved) => navigate(`/member/grants/applications/${saved.id}`, { replace: true })}
            />
          </Stack>
        )}
      </QueryState>
      <Anchor component={Link} to="/member/grants">
        Back to grants
      </Anchor>
    </Stack>
  );
}
