"""Filters of the payments listings, checked the same way for each."""

from __future__ import annotations

from enum import Enum
from typing import Any

from common.errors import BadInput
from common.identity import Identity
from services.payments.domain.text import check_id


def member_scope(caller: Identity, wanted: dict[str, Any]) -> str | None:
    """The member a listing covers: any for staff, else the caller's own."""
    member_id = wanted.get("member_id")
    if member_id is not None:
        member_id = check_id(member_id, "filter.memberId")
    if not caller.is_staff:
        caller.require_member(member_id or caller.member_id or "")
        member_id = caller.member_id
    return member_id


def status(wanted: dict[str, Any], statuses: type[Enum], noun: str) -> str | None:
    value = wanted.get("status")
    if value is not None and value not in statuses.__members__:
        raise BadInput(f"unknown {noun} status", "filter.status")
    return value
