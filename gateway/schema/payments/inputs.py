"""GraphQL inputs of the payments domain, and how they go on the wire."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry

from gateway.schema.payments.types import DisbursementStatus, PaymentStatus


@strawberry.input
class PaymentFilter:
    member_id: strawberry.ID | None = None
    status: PaymentStatus | None = None
    from_: date | None = strawberry.field(
        default=None, name="from", description="Created on or after (UTC day)."
    )
    to: date | None = strawberry.field(
        default=None, description="Created on or before (UTC day)."
    )
    flagged: bool | None = strawberry.field(
        default=None, description="Only payments held for staff (or only not)."
    )

    def wire(self) -> dict[str, Any]:
        return {
            "member_id": str(self.member_id) if self.member_id else None,
            "status": self.status.value if self.status else None,
            "from": self.from_.isoformat() if self.from_ else None,
            "to": self.to.isoformat() if self.to else None,
            "flagged": self.flagged,
        }


@strawberry.input
class DisbursementFilter:
    member_id: strawberry.ID | None = None
    award_id: strawberry.ID | None = None
    status: DisbursementStatus | None = None

    def wire(self) -> dict[str, Any]:
        return {
            "member_id": str(self.member_id) if self.member_id else None,
            "award_id": str(self.award_id) if self.award_id else None,
            "status": self.status.value if self.status else None,
        }
