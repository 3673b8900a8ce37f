"""Small helpers every notifications use case shares."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from common.errors import NotFound
from services.notifications.domain.delivery import Delivery
from services.notifications.domain.notices import Contact


class Directory(Protocol):
    """Where member communities' messages go (members, over RPC)."""

    def contacts(self, member_ids: list[str]) -> dict[str, Contact]: ...


class Undeliverable(Exception):
    """A delivery was not handed over. `permanent`: no retry can help (a
    template that fails, an address refused for good)."""

    def __init__(self, error: str, permanent: bool = False) -> None:
        super().__init__(error)
        self.error = error
        self.permanent = permanent


class Courier(Protocol):
    """Renders a delivery and hands it to the mail server; its subject."""

    def deliver(self, delivery: Delivery) -> str: ...


@dataclass(frozen=True)
class Addressing:
    """What every new delivery is stamped with."""

    message_domain: str  # the right-hand side of its Message-ID
    locale: str


def found(value: Any, what: str, field: str = "id") -> Any:
    if value is None:
        raise NotFound(f"no such {what}", field)
    return value
