"""Members use cases: each handler is one unit of work."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from services.members.adapters.uow import MembersUnitOfWork

    UowFactory = Callable[[], MembersUnitOfWork]
