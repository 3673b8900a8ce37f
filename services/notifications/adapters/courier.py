"""The courier: renders a delivery from its templates and hands it to SMTP."""

from __future__ import annotations

from services.notifications.adapters.mailer import Mailer, SendFailed, compose
from services.notifications.adapters.settings import Settings
from services.notifications.adapters.templates import Renderer, RenderError
from services.notifications.domain.delivery import Delivery
from services.notifications.domain.kinds import is_optional
from services.notifications.domain.unsubscribe import make_token
from services.notifications.service_layer.shared import Undeliverable

UNSUBSCRIBE_PATH = "/notifications/unsubscribe"


class SmtpCourier:
    def __init__(self, settings: Settings, mailer: Mailer | None = None) -> None:
        self.settings = settings
        self.mailer = mailer or Mailer(settings.smtp)
        self.renderer = Renderer(
            settings.templates, settings.org_name, settings.app_base_url
        )

    def unsubscribe_url(self, delivery: Delivery) -> str | None:
        """Optional kinds sent to a member carry a signed link (no sign-in)."""
        if not (is_optional(delivery.kind) and delivery.member_id):
            return None
        token = make_token(
            self.settings.unsubscribe_key, delivery.member_id, delivery.kind
        )
        return f"{self.settings.app_base_url}{UNSUBSCRIBE_PATH}?token={token}"

    def deliver(self, delivery: Delivery) -> str:
        link = self.unsubscribe_url(delivery)
        try:
            rendered = self.renderer.render(
                delivery.kind,
                delivery.locale,
                {**delivery.context, "unsubscribe_url": link},
            )
        except RenderError as exc:
            raise Undeliverable(str(exc), permanent=True) from None
        message = compose(
            sender=self.settings.sender,
            recipient=delivery.recipient,
            subject=rendered.subject,
            text=rendered.text,
            html=rendered.html,
            message_id=delivery.message_id,
            date=delivery.created_at,
            kind=delivery.kind.value,
            unsubscribe_url=link,
        )
        try:
            self.mailer.send(message)
        except SendFailed as exc:
            raise Undeliverable(str(exc), permanent=exc.permanent) from None
        return rendered.subject
