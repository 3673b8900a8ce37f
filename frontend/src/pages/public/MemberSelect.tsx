// A member community, found by name as the user types (the member directory
// is public: name, kind and state).
import { Select } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useMemo, useState } from "react";
import { useQuery } from "urql";

import { graphql } from "../../gql";

const DirectoryMemberSearch = graphql(`
  query DirectoryMemberSearch($search: String!) {
    members(filter: { search: $search }, first: 20) {
      edges {
        node {
          id
          name
          state
        }
      }
    }
  }
`);

const DirectoryMemberName = graphql(`
  query DirectoryMemberName($id: ID!) {
    member(id: $id) {
      id
      name
      state
    }
  }
`);

function label(member: { name: string; state: string }): string {
  return `${member.name}, ${member.state}`;
}

export function MemberSelect({
  value,
  onChange,
}: {
  value: string | null;
  onChange: (memberId: string | null) => void;
}) {
  const [search, setSearch] = useState("");
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const [chosen] = useQuery({ query: DirectoryMemberName, variables: { id: value ?? "" }, pause: !value });
  const chosenMember = value ? chosen.data?.member : null;
  const chosenLabel = chosenMember ? label(chosenMember) : null;
  const typing = debounced.length >= 2 && debounced !== chosenLabel;
  const [found] = useQuery({ query: DirectoryMemberSearch, variables: { search: debounced }, pause: !typing });

  const data = useMemo(() => {
    const options = new Map<string, string>();
    if (value && chosenMember) options.set(value, label(chosenMember));
    else if (value) options.set(value, chosen.fetching ? "Loading…" : "Unknown member");
    if (typing) for (const { node } of found.data?.members.edges ?? []) options.set(node.id, label(node));
    return [...options].map(([id, text]) => ({ value: id, label: text }));
  }, [value, chosenMember, chosen.fetching, typing, found.data]);

  return (
    <Select
      label="Member community"
      placeholder="Type a name"
      searchable
      clearable
      data={data}
      value={value}
      onChange={(id) => onChange(id)}
      searchValue={search}
      onSearchChange={setSearch}
      // The API already matched the name; show what it found.
      filter={({ options }) => options}
      nothingFoundMessage={
        debounced.length < 2 ? "Type at least two letters" : found.fetching ? "Searching…" : "No member found"
      }
      comboboxProps={{ withinPortal: true, keepMounted: false }}
    />
  );
}
