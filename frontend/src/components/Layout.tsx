import { Anchor, AppShell, Burger, Button, Group, NavLink, ScrollArea, Text, Title, VisuallyHidden } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { Link, NavLink as RouterNavLink, Outlet, useLocation } from "react-router";

import { signInPath, useAuth } from "../auth/AuthProvider";
import type { Role } from "../auth/session";

export interface NavItem {
  to: string;
  label: string;
  /** Who sees the link; omitted: everyone. */
  roles?: readonly Role[];
  /** Pages under it with no link of their own, for an exact link. */
  also?: readonly string[];
}

const PUBLIC_NAV: NavItem[] = [
  { to: "/", label: "Home" },
  { to: "/directory", label: "Directory" },
  { to: "/statistics", label: "Statistics" },
];

/** Each role's own area; pages register their links here. */
export const ROLE_NAV: NavItem[] = [
  { to: "/member", label: "Our membership", roles: ["member"], also: ["/member/details"] },
  { to: "/member/invoices", label: "Dues and invoices", roles: ["member"] },
  { to: "/member/partnerships", label: "Our partnerships", roles: ["member"] },
  { to: "/member/grants", label: "Grants", roles: ["member"] },
  { to: "/member/notifications", label: "Notifications", roles: ["member"] },
  { to: "/review", label: "Review assignments", roles: ["reviewer"] },
  { to: "/review/notifications", label: "Emails to you", roles: ["reviewer"] },
  { to: "/staff/members", label: "Members", roles: ["staff"] },
  { to: "/staff/dues", label: "Dues", roles: ["staff"] },
  { to: "/staff/payments", label: "Payments", roles: ["staff"] },
  { to: "/staff/partnerships", label: "Partnership queue", roles: ["staff"] },
  { to: "/staff/grants", label: "Grant programmes", roles: ["staff"] },
  { to: "/staff/reviewers", label: "Reviewers", roles: ["staff"] },
  { to: "/staff/notifications", label: "Notifications", roles: ["staff"] },
];

/** Links the router marks current on their own address only (sub-pages have links of their own). */
const EXACT = new Set(["/", "/member", "/review"]);

/** The link of the page shown: the longest that matches ("/review/notifications" over "/review"). */
function isActive(pathname: string, { to, also }: NavItem, items: readonly NavItem[]): boolean {
  if (to === "/" || to === "/member") return pathname === to || !!also?.includes(pathname);
  return (
    isCurrent(pathname, to) && !items.some((other) => other.to.length > to.length && isCurrent(pathname, other.to))
  );
}

function isCurrent(pathname: string, to: string): boolean {
  return to === "/" ? pathname === "/" : pathname === to || pathname.startsWith(`${to}/`);
}

export function Layout() {
  const [opened, { toggle, close }] = useDisclosure();
  const { identity, signIn, signOut } = useAuth();
  const { pathname, search } = useLocation();
  const own = ROLE_NAV.filter((item) => !item.roles || item.roles.includes(identity.role));
  const links = (items: NavItem[]) =>
    items.map((item) => (
      <NavLink
        key={item.to}
        component={RouterNavLink}
        to={item.to}
        end={EXACT.has(item.to)}
        label={item.label}
        active={isActive(pathname, item, items)}
        onClick={close}
      />
    ));

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 240, breakpoint: "sm", collapsed: { mobile: !opened } }}
      padding="md"
    >
      <Anchor href="#main" className="skip-link">
        Skip to content
      </Anchor>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Menu" />
            <Anchor component={Link} to="/" underline="never" c="inherit">
              <Title order={1} size="h4">
                Sister Cities
              </Title>
            </Anchor>
          </Group>
          <Group gap="xs" wrap="nowrap">
            {identity.role === "anonymous" ? (
              // A link too, so that it works before the app has taken a page
              // drawn at build time over.
              <Button
                size="xs"
                component="a"
                href={signInPath(pathname + search)}
                onClick={(event) => {
                  event.preventDefault();
                  signIn();
                }}
              >
                Sign in
              </Button>
            ) : (
              <>
                <Text size="sm" visibleFrom="xs" data-testid="signed-in-as">
                  {identity.role === "staff" ? "Staff" : identity.role === "member" ? "Member" : "Reviewer"}
                </Text>
                <Button size="xs" variant="default" onClick={signOut}>
                  Sign out
                </Button>
              </>
            )}
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main">
        <ScrollArea>
          <nav aria-label="Public">{links(PUBLIC_NAV)}</nav>
          {own.length > 0 && (
            <nav aria-label="Your area">
              <VisuallyHidden>Your area</VisuallyHidden>
              <Text size="xs" c="dimmed" fw={700} tt="uppercase" px="sm" pt="md" pb={4} aria-hidden>
                {identity.role === "staff" ? "Staff console" : identity.role === "member" ? "Member portal" : "Reviewing"}
              </Text>
              {links(own)}
            </nav>
          )}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
