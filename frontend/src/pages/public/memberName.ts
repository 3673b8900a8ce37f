// A member community's name for the directory's member filter (the member
// directory is public: name, kind and state).
import { useQuery } from "urql";

import { graphql } from "../../gql";

const DirectoryMemberName = graphql(`
  query DirectoryMemberName($id: ID!) {
    member(id: $id) {
      id
      name
      state
    }
  }
`);

export function memberLabel(member: { name: string; state: string }): string {
  return `${member.name}, ${member.state}`;
}

/** "Anchorage, AK" for a member id; null while unknown. */
export function useMemberName(id: string | null): { label: string | null; fetching: boolean } {
  const [result] = useQuery({ query: DirectoryMemberName, variables: { id: id ?? "" }, pause: !id });
  const member = id ? result.data?.member : null;
  return { label: member ? memberLabel(member) : null, fetching: !!id && result.fetching };
}
