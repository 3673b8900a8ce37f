"""Notifications settings from the environment, with development defaults."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from common import production
from common.config import env
from common.errors import BadInput
from services.notifications.domain.delivery import RetryPolicy
from services.notifications.domain.digest import parse_recipients

# `make run` starts the development sink (devmail) here when SMTP_URL is unset.
DEV_SMTP_URL = "smtp://127.0.0.1:8025/?tls=off"
DEV_UNSUBSCRIBE_KEY = "dev-only-unsubscribe-key-change-me-in-production"
DEV_APP_BASE_URL = "http://127.0.0.1:8000"
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
TLS_MODES = ("starttls", "ssl", "off")


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    username: str | None
    password: str | None
    tls: str  # starttls (smtp://, the default) | ssl (smtps://) | off (?tls=off)
    timeout: float
    ca_file: str | None  # a CA bundle to trust instead of the system's

    @classmethod
    def from_url(
        cls, url: str, timeout: float = 20.0, ca_file: str | None = None
    ) -> SmtpSettings:
        """`smtp://user:password@host:587` (STARTTLS, then AUTH),
        `smtps://...:465` (TLS from the start), `smtp://host:25/?tls=off`
        (no TLS and no AUTH: a local development sink only)."""
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError(
                "SMTP_URL must look like smtp://user:password@host:587 or smtps://..."
            )
        query = parse_qs(parts.query)
        tls = query.get("tls", ["ssl" if parts.scheme == "smtps" else "starttls"])[0]
        if tls not in TLS_MODES:
            raise ValueError(f"SMTP_URL: tls must be one of {', '.join(TLS_MODES)}")
        if tls == "off" and parts.username:
            raise ValueError("SMTP_URL: a password is never sent without TLS")
        return cls(
            host=parts.hostname,
            port=parts.port or (465 if tls == "ssl" else 587),
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            tls=tls,
            timeout=timeout,
            ca_file=ca_file,
        )


@dataclass(frozen=True)
class Settings:
    smtp: SmtpSettings
    sender: str  # the From header
    org_name: str
    app_base_url: str
    unsubscribe_key: bytes
    templates: Path
    locale: str
    retry: RetryPolicy
    lease: timedelta  # how long a taken delivery is left to its sender
    senders: int  # messages handed to SMTP at once
    members_timeout: float

    @property
    def message_domain(self) -> str:
        """The right-hand side of every Message-ID: the sender's domain."""
        address = parseaddr(self.sender)[1]
        return address.rpartition("@")[2] or "localhost"

    @classmethod
    def from_env(cls) -> Settings:
        org = env("ORG_NAME", "Sister Cities Platform")
        timeout = float(env("NOTIFICATIONS_SMTP_TIMEOUT_SECONDS", "20"))
        return cls(
            smtp=SmtpSettings.from_url(
                env("SMTP_URL", DEV_SMTP_URL),
                timeout,
                env("SMTP_CA_FILE", "") or None,
            ),
            sender=env("NOTIFICATIONS_FROM", f"{org} <notifications@localhost>"),
            org_name=org,
            app_base_url=env("APP_BASE_URL", DEV_APP_BASE_URL).rstrip("/"),
            unsubscribe_key=env(
                "NOTIFICATIONS_UNSUBSCRIBE_KEY", DEV_UNSUBSCRIBE_KEY
            ).encode(),
            templates=Path(env("NOTIFICATIONS_TEMPLATES", str(TEMPLATES))),
            locale=env("NOTIFICATIONS_LOCALE", "en"),
            retry=RetryPolicy(
                max_attempts=int(env("NOTIFICATIONS_SEND_MAX_ATTEMPTS", "8")),
                base_delay=timedelta(
                    seconds=float(env("NOTIFICATIONS_RETRY_BASE_SECONDS", "5"))
                ),
                max_delay=timedelta(
                    seconds=float(env("NOTIFICATIONS_RETRY_MAX_SECONDS", "1800"))
                ),
            ),
            # Longer than any one hand-off may take (the SMTP timeout bounds it).
            lease=timedelta(
                seconds=max(
                    float(env("NOTIFICATIONS_SEND_LEASE_SECONDS", "60")), 2 * timeout
                )
            ),
            senders=int(env("NOTIFICATIONS_SENDERS", "16")),
            members_timeout=float(env("NOTIFICATIONS_MEMBERS_TIMEOUT_SECONDS", "5")),
        )


def production_problems() -> list[str | None]:
    """What notifications refuses to run with in production (common.production)."""
    problems: list[str | None] = [
        production.secret_problem(
            "NOTIFICATIONS_UNSUBSCRIBE_KEY",
            [DEV_UNSUBSCRIBE_KEY],
            production.MIN_SECRET_LENGTH,
        )
    ]
    url = env("SMTP_URL", "")
    if not url:
        problems.append("SMTP_URL is missing (the development default is the sink)")
    else:
        try:
            smtp = SmtpSettings.from_url(url)
        except ValueError as exc:
            problems.append(str(exc))
        else:
            if smtp.tls == "off":
                problems.append("SMTP_URL has tls=off (the development sink only)")
    base = env("APP_BASE_URL", "")
    if not base or base.rstrip("/") == DEV_APP_BASE_URL:
        problems.append("APP_BASE_URL is missing: links in messages would be local")
    try:
        staff_digest_to()
    except BadInput as exc:
        problems.append(f"STAFF_DIGEST_TO: {exc}")
    return problems


def staff_digest_to() -> list[str]:
    """The staff addresses the daily digest goes to (none: it is not sent)."""
    return parse_recipients(env("STAFF_DIGEST_TO", ""))


def digest_interval_seconds() -> float:
    """How often the daily job looks whether today's digest is recorded."""
    return float(env("NOTIFICATIONS_DIGEST_INTERVAL_SECONDS", "3600"))
