"""`Member.partnerships`, resolved by the partnerships service in one batch.

The `Member` type belongs to the members domain (members_types.py) and declares
the field; its resolver delegates here.
"""

from __future__ import annotations

from gateway.context import Info
from gateway.schema.partnerships_loaders import partnerships_by_member
from gateway.schema.partnerships_types import Partnership


async def member_partnerships(info: Info, member_id: str) -> list[Partnership]:
    return await info.context.loader(partnerships_by_member).load(member_id)
