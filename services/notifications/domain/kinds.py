"""The kinds of message the platform sends, and which a member may turn off."""

from __future__ import annotations

from contracts.notifications import NotificationKind as Kind

# A member's users may turn these off; every other kind is always sent.
OPTIONAL: frozenset[Kind] = frozenset(
    {Kind.PARTNERSHIP_NEWS, Kind.GRANT_ROUND_ANNOUNCEMENT}
)


def is_optional(kind: Kind) -> bool:
    return kind in OPTIONAL
