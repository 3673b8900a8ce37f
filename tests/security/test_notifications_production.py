"""Production mode for email: notifications refuses to start without a real
mail server (or with TLS off), with the development unsubscribe key or a
short one, or without the web app's public address; the development SMTP
sink never runs in production."""

from __future__ import annotations

import sys

import pytest

from services.notifications.adapters.settings import DEV_UNSUBSCRIBE_KEY
from tests.security.test_production_mode import (  # noqa: F401 - fixtures
    REFUSED,
    SERVICE,
    STRONG,
    production_broker,
    production_env,
    run,
    without,
)

GOOD = {
    "SMTP_URL": "smtp://notifications:pw@mail.example.org:587",
    "NOTIFICATIONS_UNSUBSCRIBE_KEY": STRONG,
    "APP_BASE_URL": "https://platform.example.org",
}


@pytest.mark.parametrize(
    ("spoil", "named"),
    [
        ({"SMTP_URL": None}, "SMTP_URL is missing"),
        ({"SMTP_URL": "smtp://127.0.0.1:8025/?tls=off"}, "SMTP_URL has tls=off"),
        ({"SMTP_URL": "http://mail.example.org"}, "SMTP_URL must look like"),
        (
            {"NOTIFICATIONS_UNSUBSCRIBE_KEY": DEV_UNSUBSCRIBE_KEY},
            "NOTIFICATIONS_UNSUBSCRIBE_KEY is a development value",
        ),
        (
            {"NOTIFICATIONS_UNSUBSCRIBE_KEY": "short"},
            "NOTIFICATIONS_UNSUBSCRIBE_KEY is shorter",
        ),
        ({"NOTIFICATIONS_UNSUBSCRIBE_KEY": None}, "NOTIFICATIONS_UNSUBSCRIBE_KEY"),
        ({"APP_BASE_URL": None}, "APP_BASE_URL is missing"),
        ({"NOTIFICATIONS_DATABASE_URL": None}, "NOTIFICATIONS_DATABASE_URL"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_notifications_refuses_naming_the_setting(
    production_env: dict[str, str],  # noqa: F811
    spoil: dict[str, str | None],
    named: str,
) -> None:
    env = without({**production_env, **GOOD}, *spoil)
    env.update({k: v for k, v in spoil.items() if v is not None})
    status, output = run([*SERVICE, "notifications"], env)
    assert status == REFUSED, output
    assert named in output


def test_good_mail_settings_raise_no_complaint(
    production_env: dict[str, str],  # noqa: F811
) -> None:
    env = {**production_env, **GOOD, "SMTP_URL": "smtps://u:p@mail.example.org"}
    env.pop("NOTIFICATIONS_DATABASE_URL", None)  # the one problem left
    status, output = run([*SERVICE, "notifications"], env)
    assert status == REFUSED
    assert "NOTIFICATIONS_DATABASE_URL" in output
    for setting in ("SMTP_URL", "NOTIFICATIONS_UNSUBSCRIBE_KEY", "APP_BASE_URL"):
        assert setting not in output, output


def test_the_mail_sink_never_runs_in_production(
    production_env: dict[str, str],  # noqa: F811
) -> None:
    status, output = run([sys.executable, "-m", "devmail"], production_env)
    assert status == REFUSED, output
    assert "development only" in output
