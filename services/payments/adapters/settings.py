"""Payments settings from the environment, with development defaults."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from common import production
from common.config import env

DEV_API_KEY = "sk_test_devstripe"  # devstripe accepts any sk_test_ key
DEV_WEBHOOK_SECRET = "whsec_dev_secret"


@dataclass(frozen=True)
class StripeSettings:
    api_key: str
    api_base: str | None  # None: real Stripe
    webhook_secret: str
    network_retries: int

    @classmethod
    def from_env(cls) -> StripeSettings:
        return cls(
            api_key=env("STRIPE_API_KEY", DEV_API_KEY),
            api_base=env("STRIPE_API_BASE", "") or None,
            webhook_secret=env("STRIPE_WEBHOOK_SECRET", DEV_WEBHOOK_SECRET),
            network_retries=int(env("STRIPE_NETWORK_RETRIES", "2")),
        )


def checkout_session_ttl() -> timedelta:
    """How long a checkout session stays payable (Stripe: 30 min to 24 h)."""
    return timedelta(minutes=int(env("CHECKOUT_SESSION_MINUTES", "60")))


def members_rpc_timeout() -> float:
    return float(env("PAYMENTS_MEMBERS_TIMEOUT_SECONDS", "5"))


def production_problems() -> list[str | None]:
    """Settings payments refuses to run with in production (common.production)."""
    return [
        production.secret_problem("STRIPE_API_KEY", [DEV_API_KEY]),
        production.secret_problem("STRIPE_WEBHOOK_SECRET", [DEV_WEBHOOK_SECRET]),
    ]
