"""The notifications domain's part of the schema: the messages sent, sending
a parked one again, and a member's choice of optional messages.

Every rule and permission is enforced by the notifications service; these
resolvers translate.
"""

from __future__ import annotations

import strawberry

from common.errors import BadInput
from gateway.clients import NotificationsClient
from gateway.context import Info
from gateway.schema.decorators import field, mutation
from gateway.schema.notifications.types import (
    Notification,
    NotificationFilter,
    NotificationKind,
    NotificationPreferences,
    StaffDigest,
)
from gateway.schema.pagination import Connection


def notifications(info: Info) -> NotificationsClient:
    """The notifications service, as the caller."""
    return info.context.services.notifications


def _member(info: Info, member_id: strawberry.ID | None) -> str:
    """The member named, else the caller's own community."""
    found = member_id or info.context.identity.member_id
    if not found:
        raise BadInput("name the member community", "memberId")
    return str(found)


@strawberry.type
class Query:
    @field(
        description="Messages sent, newest first. Staff see all; a member's "
        "users their community's; a reviewer its own."
    )
    async def notifications(
        self,
        info: Info,
        filter: NotificationFilter | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Notification]:
        wanted = filter.wire() if filter else None
        return Connection.of(
            await notifications(info).list_notifications(wanted, first, after),
            Notification.of,
        )

    @field(description="Staff, or the message's own recipient.")
    async def notification(self, info: Info, id: strawberry.ID) -> Notification:
        return Notification.of(await notifications(info).get_notification(str(id)))

    @field(
        description="Staff or the member's users; memberId defaults to the "
        "caller's own community."
    )
    async def notification_preferences(
        self, info: Info, member_id: strawberry.ID | None = None
    ) -> NotificationPreferences:
        found = await notifications(info).get_notification_preferences(
            _member(info, member_id)
        )
        return NotificationPreferences.of(found)

    @field(
        description="Staff: what waits for them now (the daily digest's "
        "counts), gathered from every service; UNAVAILABLE if one of them "
        "does not answer."
    )
    async def staff_digest(self, info: Info) -> StaffDigest:
        return StaffDigest.of(await notifications(info).staff_digest())


@strawberry.type
class Mutation:
    @mutation(
        description="Staff: a PARKED message goes out again, with the same Message-ID."
    )
    async def resend_notification(self, info: Info, id: strawberry.ID) -> Notification:
        return Notification.of(await notifications(info).resend_notification(str(id)))

    @mutation(
        description="Staff or the member's users: the optional kinds the "
        "community does not want (all others are always sent); memberId "
        "defaults to the caller's own community."
    )
    async def set_notification_preferences(
        self,
        info: Info,
        opted_out: list[NotificationKind],
        member_id: strawberry.ID | None = None,
    ) -> NotificationPreferences:
        found = await notifications(info).set_notification_preferences(
            _member(info, member_id), [k.value for k in opted_out]
        )
        return NotificationPreferences.of(found)
