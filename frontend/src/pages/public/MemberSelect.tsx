// A member community, found by name as the user types (the member directory
// is public: name, kind and state).
import { Select } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useMemo, useState } from "react";
import { useQuery } from "urql";

import { graphql } from "../../gql";
import { memberLabel, useMemberName } from "./memberName";

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

export function MemberSelect({
  value,
  onChange,
}: {
  value: string | null;
  onChange: (memberId: string | null) => void;
}) {
  const [search, setSearch] = useState("");
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const chosen = useMemberName(value);
  const chosenLabel = chosen.label;
  const typing = debounced.length >= 2 && debounced !== chosenLabel;
  const [found] = useQuery({ query: DirectoryMemberSearch, variables: { search: debounced }, pause: !typing });

  const data = useMemo(() => {
    const options = new Map<string, string>();
    if (value && chosenLabel) options.set(value, chosenLabel);
    else if (value) options.set(value, chosen.fetching ? "Loading…" : "Unknown member");
    if (typing) for (const { node } of found.data?.members.edges ?? []) options.set(node.id, memberLabel(node));
    return [...options].map(([id, text]) => ({ value: id, label: text }));
  }, [value, chosenLabel, chosen.fetching, typing, found.data]);

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
