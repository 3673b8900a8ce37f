"""Who is calling: the claims of the caller's token, passed with every call."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from functools import cached_property
from typing import Any, Literal

from common.errors import Forbidden, NotFound, Unauthenticated

Role = Literal["staff", "member", "reviewer", "service", "anonymous"]
ROLES: tuple[str, ...] = ("staff", "member", "reviewer")


@dataclass(frozen=True)
class Identity:
    sub: str | None = None
    role: Role = "anonymous"
    member_id: str | None = None
    reviewer_id: str | None = None

    @property
    def is_staff(self) -> bool:
        # Other services act with staff rights on the platform's behalf.
        return self.role in ("staff", "service")

    @property
    def is_anonymous(self) -> bool:
        return self.role == "anonymous"

    def to_header(self) -> str:
        return self._header

    @cached_property
    def _header(self) -> str:
        # Written once per identity, not once per RPC call (asdict is slow).
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def from_header(cls, raw: str | dict[str, Any] | None) -> Identity:
        if not raw:
            return ANONYMOUS
        data = json.loads(raw) if isinstance(raw, str) else raw
        role = data.get("role", "anonymous")
        if role not in (*ROLES, "service", "anonymous"):
            return ANONYMOUS
        return cls(
            sub=data.get("sub"),
            role=role,
            member_id=data.get("member_id"),
            reviewer_id=data.get("reviewer_id"),
        )

    def require_authenticated(self) -> None:
        if self.is_anonymous:
            raise Unauthenticated("sign in to do this")

    def require_staff(self) -> None:
        self.require_authenticated()
        if not self.is_staff:
            raise Forbidden("only staff may do this")

    def require_member(self, member_id: str) -> None:
        """Staff, or the `member` user of exactly this member community."""
        self.require_authenticated()
        if self.is_staff:
            return
        if self.role != "member" or self.member_id != str(member_id):
            raise Forbidden("you may act only for your own member community")

    def may_see_member(self, member_id: str) -> bool:
        return self.is_staff or (
            self.role == "member" and self.member_id == str(member_id)
        )

    def require_member_sees(self, member_id: str, what: str, field: str = "id") -> None:
        """Staff, or the `member` user of exactly this member community, may
        see a thing of it (an invoice, an award, an application). To anyone
        else it does not exist: `NotFound("no such <what>")`, the answer an
        unknown id gets, so that an id tells nobody what exists."""
        self.require_authenticated()
        if not self.may_see_member(member_id):
            raise NotFound(f"no such {what}", field)

    def require_reviewer(self) -> str:
        self.require_authenticated()
        if self.role != "reviewer" or not self.reviewer_id:
            raise Forbidden("only reviewers may do this")
        return self.reviewer_id


ANONYMOUS = Identity()
SERVICE = Identity(sub="service", role="service")
