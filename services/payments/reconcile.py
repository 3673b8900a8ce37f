"""Compare the payments ledger with Stripe for a date range; change nothing.

    python -m services.payments.reconcile --from 2026-03-01 --to 2026-03-31 [--json]

Dates are UTC days, both included. Reads `PAYMENTS_DATABASE_URL` and Stripe
(`STRIPE_API_KEY`, `STRIPE_API_BASE`). Exit status: 0 when both sides agree,
1 when differences were found, 2 on bad arguments.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, date, datetime, time, timedelta

from common import config
from common.db import make_engine, make_session_factory
from services.payments.adapters import orm
from services.payments.adapters.settings import StripeSettings
from services.payments.adapters.stripe_client import StripeProvider
from services.payments.domain.reconciliation import Difference
from services.payments.service_layer.reconciliation import reconcile
from services.payments.service_layer.unit_of_work import PaymentsUnitOfWork


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {text!r}") from None


def _table(differences: list[Difference]) -> str:
    header = ("kind", "payment", "payment intent", "ledger", "stripe")
    rows = [
        (
            d.kind.value,
            d.payment_id or "-",
            d.payment_intent_id or "-",
            d.ledger,
            d.stripe,
        )
        for d in differences
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m services.payments.reconcile", description=__doc__
    )
    parser.add_argument("--from", dest="start", type=_day, required=True)
    parser.add_argument("--to", dest="end", type=_day, required=True)
    parser.add_argument("--json", action="store_true", help="machine-readable")
    args = parser.parse_args(argv)
    if args.end < args.start:
        parser.error("--to is before --from")
    start = datetime.combine(args.start, time(), UTC)
    end = datetime.combine(args.end + timedelta(days=1), time(), UTC)

    engine = make_engine(config.database_url("payments"))
    sessions = make_session_factory(engine)

    def uow() -> PaymentsUnitOfWork:
        return PaymentsUnitOfWork(
            sessions, "payments", orm.outbox, orm.processed_events
        )

    differences = reconcile(uow, StripeProvider(StripeSettings.from_env()), start, end)
    engine.dispose()
    if args.json:
        print(
            json.dumps(
                {
                    "from": args.start.isoformat(),
                    "to": args.end.isoformat(),
                    "differences": [d.to_dict() for d in differences],
                },
                indent=2,
            )
        )
    elif differences:
        print(f"{len(differences)} difference(s) from {args.start} to {args.end}:")
        print(_table(differences))
    else:
        print(f"ledger and Stripe agree from {args.start} to {args.end}")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
