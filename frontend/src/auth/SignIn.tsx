import { Alert, Button, Card, Loader, Select, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useEffect, useMemo, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { useQuery } from "urql";

import { ErrorAlert } from "../components/QueryState";
import { PageTitle } from "../components/PageTitle";
import { graphql } from "../gql";
import { useAuth } from "./AuthProvider";
import { fetchDevToken, loadAuthConfig, type AuthConfig, type DevTokenRequest } from "./config";
import { userManager } from "./oidc";
import { setToken } from "./session";

const SignInMembers = graphql(`
  query SignInMembers($search: String, $first: Int!) {
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

const SignInReviewers = graphql(`
  query SignInReviewers {
    reviewers {
      reviewerId
      name
      homeMemberName
    }
  }
`);

/** Where to go after signing in: only a path of this app, never another site. */
export function safeReturnPath(next: string | null): string | null {
  return next && next.startsWith("/") && !next.startsWith("//") ? next : null;
}

const HOME: Record<DevTokenRequest["role"], string> = { staff: "/staff/members", member: "/member", reviewer: "/review" };

export function SignIn() {
  const [params] = useSearchParams();
  const [config, setConfig] = useState<AuthConfig | null>(null);
  const [configError, setConfigError] = useState(false);
  const expired = params.get("reason") === "expired";
  const next = safeReturnPath(params.get("next"));

  useEffect(() => {
    loadAuthConfig().then(setConfig, () => setConfigError(true));
  }, []);

  return (
    <Stack maw={720}>
      <PageTitle>Sign in</PageTitle>
      {expired && (
        <Alert color="yellow" role="status" title="Your session has ended">
          Please sign in again; you will come back to the page you were on.
        </Alert>
      )}
      {configError && <Alert color="red" role="alert">Sign-in is not available right now. Reload to try again.</Alert>}
      {!config && !configError && <Loader size="sm" aria-label="Loading" />}
      {config?.mode === "oidc" && (
        <Button
          onClick={() => void userManager(config).then((manager) => manager.signinRedirect({ state: { returnTo: next ?? "/" } }))}
          w="fit-content"
        >
          Sign in with your organisation account
        </Button>
      )}
      {config?.mode === "development" && <DevSignIn url={config.devTokenUrl} next={next} />}
    </Stack>
  );
}

function DevSignIn({ url, next }: { url: string; next: string | null }) {
  const navigate = useNavigate();
  const { identity } = useAuth();
  const [error, setError] = useState<string | null>(null);
  const [search, setSearch] = useState("");
  const [debounced] = useDebouncedValue(search, 250);
  const [memberId, setMemberId] = useState<string | null>(null);
  const [reviewerId, setReviewerId] = useState<string | null>(null);
  const [staffToken, setStaffToken] = useState<string | null>(null);
  const [members] = useQuery({ query: SignInMembers, variables: { search: debounced || null, first: 50 } });
  // Listing reviewers is for staff: the development page asks as staff.
  // A context object made anew on each render would restart the query each time.
  const context = useMemo(
    () => ({
      fetchOptions: { headers: { authorization: `Bearer ${staffToken ?? ""}` } },
      requestPolicy: "network-only" as const,
    }),
    [staffToken],
  );
  const [reviewers] = useQuery({ query: SignInReviewers, pause: !staffToken, context });

  useEffect(() => {
    fetchDevToken(url, { role: "staff" }).then(setStaffToken, () => setStaffToken(null));
  }, [url]);

  const act = async (request: DevTokenRequest) => {
    setError(null);
    try {
      setToken(await fetchDevToken(url, request));
      navigate(next ?? HOME[request.role], { replace: true });
    } catch (exc) {
      setError(exc instanceof Error ? exc.message : String(exc));
    }
  };

  const memberOptions =
    members.data?.members.edges.map(({ node }) => ({
      value: node.id,
      label: node.state ? `${node.name}, ${node.state}` : node.name,
    })) ?? [];
  const reviewerOptions = reviewers.data?.reviewers.map((r) => ({
    value: r.reviewerId,
    label: r.homeMemberName ? `${r.name} (${r.homeMemberName})` : r.name,
  })) ?? [];

  return (
    <Stack>
      <Alert color="blue" role="note" title="Development sign-in">
        This platform runs with its development settings: choose whom to act as. In production, people sign in
        with the organisation's account instead, and this page does not exist.
      </Alert>
      {identity.role !== "anonymous" && <Text size="sm">You are signed in as {identity.role}; choosing again switches.</Text>}
      {error && <Alert color="red" role="alert">{error}</Alert>}
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Card withBorder>
          <Title order={3} size="h5" mb="xs">Staff</Title>
          <Text size="sm" mb="md">The organisation's staff: members, dues, payments, partnerships, grants.</Text>
          <Button onClick={() => void act({ role: "staff" })}>Sign in as staff</Button>
        </Card>
        <Card withBorder>
          <Title order={3} size="h5" mb="xs">Member community</Title>
          <Select
            label="Member"
            placeholder="Type a community's name"
            searchable
            searchValue={search}
            onSearchChange={setSearch}
            data={memberOptions}
            value={memberId}
            onChange={setMemberId}
            nothingFoundMessage={members.fetching ? "Searching…" : "No member matches"}
            filter={({ options }) => options}
            mb="md"
          />
          {members.error && <ErrorAlert error={members.error} />}
          <Button disabled={!memberId} onClick={() => memberId && void act({ role: "member", memberId })}>
            Sign in as this member
          </Button>
        </Card>
        <Card withBorder>
          <Title order={3} size="h5" mb="xs">Reviewer</Title>
          <Select
            label="Reviewer"
            placeholder={reviewerOptions.length ? "Choose a reviewer" : "No reviewers yet"}
            data={reviewerOptions}
            value={reviewerId}
            onChange={setReviewerId}
            searchable
            mb="md"
          />
          <Button disabled={!reviewerId} onClick={() => reviewerId && void act({ role: "reviewer", reviewerId })}>
            Sign in as this reviewer
          </Button>
        </Card>
      </SimpleGrid>
    </Stack>
  );
}
