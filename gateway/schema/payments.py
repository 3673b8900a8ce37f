"""The payments domain's part of the schema: add its fields to these types.

Empty types are fine: the root schema merges only types that have fields.
`Subscription` fields are served over graphql-transport-ws at /graphql.
"""

from __future__ import annotations

import strawberry


@strawberry.type
class Query:
    pass


@strawberry.type
class Mutation:
    pass


@strawberry.type
class Subscription:
    pass
