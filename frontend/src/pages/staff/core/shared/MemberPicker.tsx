// Choose a member community by typing part of its name.
import { Select } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useState } from "react";
import { useQuery } from "urql";

import { graphql } from "../../../../gql";

const MemberPickerSearch = graphql(`
  query StaffMemberPickerSearch($search: String, $first: Int!) {
    members(filter: { search: $search }, first: $first) {
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

const MemberPickerChosen = graphql(`
  query StaffMemberPickerChosen($id: ID!) {
    member(id: $id) {
      id
      name
      state
    }
  }
`);

interface MemberPickerProps {
  label: string;
  value: string | null;
  onChange: (memberId: string | null) => void;
  placeholder?: string;
}

export function MemberPicker({ label, value, onChange, placeholder = "Type part of a name" }: MemberPickerProps) {
  const [search, setSearch] = useState("");
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const [found] = useQuery({
    query: MemberPickerSearch,
    variables: { search: debounced || null, first: 20 },
    pause: !debounced,
  });
  const [chosen] = useQuery({ query: MemberPickerChosen, variables: { id: value ?? "" }, pause: !value });

  const options = new Map<string, string>();
  const current = chosen.data?.member;
  if (value && current) options.set(current.id, `${current.name}, ${current.state}`);
  for (const { node } of found.data?.members.edges ?? []) options.set(node.id, `${node.name}, ${node.state}`);

  return (
    <Select
      label={label}
      placeholder={placeholder}
      searchable
      clearable
      data={[...options].map(([id, name]) => ({ value: id, label: name }))}
      value={value}
      onChange={onChange}
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: all }) => all}
      nothingFoundMessage={!debounced ? "Type a name" : found.fetching ? "Searching…" : "No member matches"}
    />
  );
}
