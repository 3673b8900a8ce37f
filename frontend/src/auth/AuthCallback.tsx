import { Alert, Anchor, Center, Loader } from "@mantine/core";
import { useEffect, useState } from "react";
import { Link, useNavigate } from "react-router";

import { loadAuthConfig } from "./config";
import { userManager, type ReturnState } from "./oidc";
import { setToken } from "./session";

/** The OpenID Connect provider sends the user back here with a code. */
export function AuthCallback() {
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    loadAuthConfig()
      .then(async (config) => {
        if (config.mode !== "oidc") throw new Error("this platform does not use an identity provider");
        const user = await (await userManager(config)).signinRedirectCallback();
        setToken(user.access_token);
        const state = user.state as ReturnState | undefined;
        navigate(state?.returnTo?.startsWith("/") ? state.returnTo : "/", { replace: true });
      })
      .catch((exc: unknown) => setError(exc instanceof Error ? exc.message : String(exc)));
  }, [navigate]);
  if (error) {
    return (
      <Alert color="red" m="md" role="alert" title="Sign-in failed">
        {error}. <Anchor component={Link} to="/sign-in">Try again</Anchor>
      </Alert>
    );
  }
  return (
    <Center h="100vh">
      <Loader aria-label="Signing in" />
    </Center>
  );
}
