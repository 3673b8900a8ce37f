"""`Member.partnerships`, resolved by the partnerships service in one batch.

The `Member` type belongs to the members domain (members_types.py). Until it
declares this field itself (it would delegate to `member_partnerships` below),
we add the field to its strawberry definition here, before the schema is
built; `gateway.schema.partnerships` imports this module for that effect.
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types.base import get_object_definition

from gateway.context import Info
from gateway.schema.members_types import Member
from gateway.schema.partnerships_loaders import partnerships_by_member
from gateway.schema.partnerships_types import Partnership


async def member_partnerships(info: Info, member_id: str) -> list[Partnership]:
    return await info.context.loader(partnerships_by_member).load(member_id)


@strawberry.type
class _MemberPartnerships:
    @strawberry.field(
        description="The member's partnerships the caller may see (one batched "
        "call per page of members)."
    )
    async def partnerships(self, info: Info) -> list[Partnership]:
        member: Any = self  # at run time, the Member being resolved
        return await member_partnerships(info, str(member.id))


def _attach() -> None:
    fields = get_object_definition(Member, strict=True).fields
    if not any(f.python_name == "partnerships" for f in fields):
        ours = get_object_definition(_MemberPartnerships, strict=True).fields[0]
        fields.append(ours)


_attach()
