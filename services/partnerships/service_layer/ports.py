"""What the use cases need from the outside world, as small protocols."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from services.partnerships.domain.matching import Place


class MemberSource(Protocol):
    """The members service, asked only on the write path (never to read)."""

    def get_members(self, member_ids: list[str]) -> list[dict[str, Any] | None]: ...


class Gazetteer(Protocol):
    def __call__(self) -> Sequence[Place]: ...
