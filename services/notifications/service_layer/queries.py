"""Reading notifications, sending a parked one again, and preferences."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from common.errors import BadInput, Forbidden
from common.identity import Identity
from contracts.notifications import NotificationView, PreferencesView, UnsubscribedView
from contracts.page import Page, decode_time_cursor, encode_time_cursor, page_of
from contracts.rpc import Json
from services.notifications.adapters.repository import Filter
from services.notifications.domain.delivery import DeliveryStatus
from services.notifications.domain.kinds import Kind
from services.notifications.domain.preferences import parse_opt_out
from services.notifications.domain.unsubscribe import read_token
from services.notifications.service_layer import views
from services.notifications.service_layer.shared import found
from services.notifications.service_layer.unit_of_work import UowFactory

MAX_PAGE = 100


def list_notifications(
    uow_factory: UowFactory,
    caller: Identity,
    filter: Json | None,
    first: int | None,
    after: str | None,
) -> Page[NotificationView]:
    """Newest first. Staff see all; a member's users their community's; a
    reviewer their own."""
    wanted = _filters(filter or {}, _own(caller))
    size = _first(first)
    with uow_factory() as uow:
        uow.read_only()
        page, total, more = uow.deliveries.page(wanted, size, _cursor(after))
        attempts = uow.deliveries.attempts_of(x.id for x in page)
    return page_of(
        [views.notification(x, attempts[x.id]) for x in page],
        [encode_time_cursor(x.created_at, x.id) for x in page],
        total,
        has_next=more,
        has_previous=after is not None,
    )


def get_notification(
    uow_factory: UowFactory, caller: Identity, id: str
) -> NotificationView:
    with uow_factory() as uow:
        x = found(uow.deliveries.get(str(id)), "notification")
        _may_see(caller, x.member_id, x.reviewer_id)
        return views.notification(x, uow.deliveries.attempts_of([x.id])[x.id])


def resend_notification(
    uow_factory: UowFactory, caller: Identity, id: str
) -> NotificationView:
    """Staff: a parked notification goes out again (the same Message-ID)."""
    caller.require_staff()
    with uow_factory() as uow:
        x = found(uow.deliveries.get(str(id), lock=True), "notification")
        x.resend(uow.clock.now())
        uow.deliveries.save(x)
        uow.commit()
        return views.notification(x, uow.deliveries.attempts_of([x.id])[x.id])


def get_preferences(
    uow_factory: UowFactory, caller: Identity, member_id: str
) -> PreferencesView:
    _member_id(member_id, "member_id")
    caller.require_member(str(member_id))
    with uow_factory() as uow:
        return views.preferences(uow.preferences.of([str(member_id)])[str(member_id)])


def set_preferences(
    uow_factory: UowFactory, caller: Identity, member_id: str, opted_out: Any
) -> PreferencesView:
    """Staff or the member's users: the optional kinds it does not want."""
    _member_id(member_id, "member_id")
    caller.require_member(str(member_id))
    kinds = parse_opt_out(opted_out)
    with uow_factory() as uow:
        prefs = uow.preferences.of([str(member_id)])[str(member_id)]
        changed = type(prefs)(prefs.member_id, kinds)
        uow.preferences.save(changed, uow.clock.now())
        uow.commit()
        return views.preferences(changed)


def unsubscribe(uow_factory: UowFactory, key: bytes, token: Any) -> UnsubscribedView:
    """Anyone holding a signed link: its member stops getting its kind."""
    wanted = read_token(key, token)
    with uow_factory() as uow:
        prefs = uow.preferences.of([wanted.member_id])[wanted.member_id]
        uow.preferences.save(prefs.without(wanted.kind), uow.clock.now())
        uow.commit()
    return {"member_id": wanted.member_id, "kind": wanted.kind}


# --- helpers -------------------------------------------------------------------


def _may_see(caller: Identity, member_id: str | None, reviewer_id: str | None) -> None:
    caller.require_authenticated()
    if caller.is_staff:
        return
    if caller.role == "member" and member_id and caller.member_id == member_id:
        return
    if caller.role == "reviewer" and reviewer_id and caller.reviewer_id == reviewer_id:
        return
    raise Forbidden("this notification was sent to someone else")


def _own(caller: Identity) -> Json:
    """What the caller may see: everything (staff), or its own."""
    caller.require_authenticated()
    if caller.is_staff:
        return {}
    if caller.role == "member" and caller.member_id:
        return {"member_id": caller.member_id}
    if caller.role == "reviewer" and caller.reviewer_id:
        return {"reviewer_id": caller.reviewer_id}
    raise Forbidden("only staff, members and reviewers have notifications")


def _filters(f: Json, own: Json) -> Filter:
    if not isinstance(f, dict):
        raise BadInput("must be an object", "filter")
    recipient = f.get("recipient")
    if recipient is not None and (
        not isinstance(recipient, str)
        or len(recipient) > 254
        or not recipient.isprintable()
    ):
        raise BadInput("an email address of at most 254 characters", "recipient")
    member_id = f.get("member_id")
    if member_id:
        _member_id(member_id, "member_id")
    if own.get("member_id") and member_id and str(member_id) != own["member_id"]:
        raise Forbidden("you may see only your own community's notifications")
    start, end = f.get("from"), f.get("to")
    return Filter(
        member_id=own.get("member_id") or (str(member_id) if member_id else None),
        reviewer_id=own.get("reviewer_id"),
        recipient=recipient.strip() if recipient else None,
        kind=_enum(Kind, f["kind"], "kind") if f.get("kind") else None,
        status=_enum(DeliveryStatus, f["status"], "status")
        if f.get("status")
        else None,
        created_from=_day(start, "from") if start else None,
        created_before=_day(end, "to") + timedelta(days=1) if end else None,
    )


def _member_id(value: Any, field: str) -> None:
    # What cannot be an id never reaches a query (PostgreSQL refuses a NUL).
    if not isinstance(value, str) or len(value) > 100 or not value.isprintable():
        raise BadInput(f"{str(value)[:60]!r} is not a member id", field)


def _enum(cls: Any, value: Any, field: str) -> Any:
    try:
        return cls(str(value))
    except ValueError:
        names = ", ".join(m.value for m in cls)
        raise BadInput(f"{value!r} is not one of {names}", field) from None


def _day(value: Any, field: str) -> datetime:
    try:
        return datetime.combine(date.fromisoformat(str(value)), time(), UTC)
    except ValueError:
        raise BadInput(f"{value!r} is not a date such as 2027-01-31", field) from None


def _first(first: int | None) -> int:
    if first is None:
        return 20
    if isinstance(first, bool) or not isinstance(first, int) or first < 0:
        raise BadInput("must be a whole number from 0", "first")
    if first > MAX_PAGE:
        raise BadInput(f"at most {MAX_PAGE} per page", "first")
    return first


def _cursor(after: str | None) -> tuple[datetime, str] | None:
    return None if after is None else decode_time_cursor(after)
