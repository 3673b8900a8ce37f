"""The members domain's part of the schema: add its fields to these types.

Empty types are fine: the root schema merges only types that have fields.
"""

from __future__ import annotations

import strawberry


@strawberry.type
class Query:
    pass


@strawberry.type
class Mutation:
    pass
