"""GraphQL inputs of the members domain, and how they go on the wire."""

from __future__ import annotations

import dataclasses
import re
from enum import Enum
from typing import Any

import strawberry

from gateway.schema.members_types import DuesBand, MemberKind, MembershipStatus


def wire(value: Any) -> Any:
    """An input as the service's JSON: snake_case keys, unset fields left out."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: wire(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if getattr(value, f.name) is not strawberry.UNSET
        }
    if isinstance(value, list):
        return [wire(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    return value


def camel(field: str) -> str:
    """The service's snake_case field name as the client wrote it."""
    return re.sub(r"_([a-z])", lambda m: m.group(1).upper(), field)


@strawberry.input
class RegisterMemberInput:
    name: str
    kind: MemberKind
    state: str = strawberry.field(description="USPS code, e.g. NY.")
    population: int | None = strawberry.field(
        default=None, description="Required for a city."
    )
    contact_email: str
    dues_band: DuesBand | None = strawberry.field(
        default=None,
        description="Only when the population is unknown: the band to bill.",
    )


@strawberry.input(description="Only the fields given change; null clears.")
class UpdateMemberInput:
    name: str | None = strawberry.UNSET
    kind: MemberKind | None = strawberry.UNSET
    state: str | None = strawberry.UNSET
    population: int | None = strawberry.UNSET
    contact_email: str | None = strawberry.UNSET
    dues_band: DuesBand | None = strawberry.UNSET


@strawberry.input
class MemberFilter:
    state: str | None = strawberry.UNSET
    kind: MemberKind | None = strawberry.UNSET
    status: MembershipStatus | None = strawberry.field(
        default=strawberry.UNSET, description="Staff and reviewers only."
    )
    search: str | None = strawberry.field(
        default=strawberry.UNSET, description="Part of the name, any case."
    )


@strawberry.input
class DuesBandInput:
    min_population: int
    max_population: int | None = None
    amount_cents: int
