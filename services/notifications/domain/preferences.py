"""A member's choice of optional messages (invoices, reminders, receipts and
decisions are always sent)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from common.errors import BadInput
from services.notifications.domain.kinds import OPTIONAL, Kind


@dataclass(frozen=True)
class Preferences:
    member_id: str
    opted_out: frozenset[Kind] = field(default_factory=frozenset)

    def wants(self, kind: Kind) -> bool:
        return kind not in OPTIONAL or kind not in self.opted_out

    def without(self, kind: Kind) -> Preferences:
        """These preferences with one optional kind turned off (unsubscribe)."""
        return Preferences(self.member_id, self.opted_out | {check_optional(kind)})


def check_optional(kind: Kind, field_name: str = "kind") -> Kind:
    if kind not in OPTIONAL:
        raise BadInput(
            f"{kind.value} is always sent; only "
            f"{', '.join(sorted(k.value for k in OPTIONAL))} can be turned off",
            field_name,
        )
    return kind


def parse_opt_out(values: object, field_name: str = "optedOut") -> frozenset[Kind]:
    """The kinds a member turns off, each checked: known and optional."""
    if not isinstance(values, list | tuple):
        raise BadInput("give a list of notification kinds", field_name)
    kinds: set[Kind] = set()
    for value in values:
        try:
            kind = Kind(str(value))
        except ValueError:
            raise BadInput(
                f"{value!r} is not a notification kind", field_name
            ) from None
        kinds.add(check_optional(kind, field_name))
    return frozenset(kinds)


def sorted_kinds(kinds: Iterable[Kind]) -> list[str]:
    return sorted(k.value for k in kinds)
