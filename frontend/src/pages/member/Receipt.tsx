import { Anchor, Stack } from "@mantine/core";
import { Link, useParams } from "react-router";
import { useQuery } from "urql";

import { PageTitle } from "../../components/PageTitle";
import { QueryState } from "../../components/QueryState";
import { graphql } from "../../gql";
import { ReceiptView } from "./ReceiptView";

const MemberReceiptQuery = graphql(`
  query MemberReceipt($number: String!) {
    receipt(number: $number) {
      ...MemberReceiptFields
    }
  }
`);

export function Receipt() {
  const { number = "" } = useParams();
  const [result, refetch] = useQuery({ query: MemberReceiptQuery, variables: { number } });
  return (
    <Stack maw={720}>
      <PageTitle>{`Receipt ${number}`}</PageTitle>
      <QueryState result={result} onRetry={() => refetch({ requestPolicy: "network-only" })}>
        {({ receipt }) => <ReceiptView receipt={receipt} />}
      </QueryState>
      <Anchor component={Link} to="/member/invoices" className="no-print">
        Back to dues and invoices
      </Anchor>
    </Stack>
  );
}
