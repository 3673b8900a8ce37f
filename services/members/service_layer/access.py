"""Who may see what of a member (the service checks it, not only the gateway)."""

from __future__ import annotations

from enum import IntEnum

from common.identity import Identity


class Visibility(IntEnum):
    PUBLIC = 0  # the directory: name, kind, state
    STANDING = 1  # + population, status, good standing (reviewers: eligibility)
    FULL = 2  # everything, dues included: staff and the member's own users


def visibility(caller: Identity, member_id: str) -> Visibility:
    if caller.is_staff or (caller.role == "member" and caller.member_id == member_id):
        return Visibility.FULL
    if caller.role == "reviewer":
        return Visibility.STANDING
    return Visibility.PUBLIC


def sees_everyones_standing(caller: Identity) -> bool:
    return caller.is_staff or caller.role == "reviewer"
