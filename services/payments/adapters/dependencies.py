"""nameko dependency giving workers the Stripe adapters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nameko.extensions import DependencyProvider

from services.payments.adapters.settings import StripeSettings
from services.payments.adapters.stripe_client import StripeProvider
from services.payments.adapters.stripe_webhooks import StripeWebhookVerifier


@dataclass(frozen=True)
class Outside:
    provider: StripeProvider
    verifier: StripeWebhookVerifier


class OutsideWorld(DependencyProvider):
    def setup(self) -> None:
        settings = StripeSettings.from_env()
        self.outside = Outside(
            provider=StripeProvider(settings),
            verifier=StripeWebhookVerifier(settings.webhook_secret),
        )

    def get_dependency(self, worker_ctx: Any) -> Outside:
        return self.outside
