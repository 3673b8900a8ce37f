"""AMQP_URI: one broker URL, or one per cluster node separated by `;`."""

from __future__ import annotations

import pytest

from common import amqp, config
from common.production import broker_problems

ONE = "amqp://guest:guest@127.0.0.1:5672/"
NODES = "amqp://u:secret@rabbit-0:5672/v ; amqp://u:secret@rabbit-1:5672/v;"


def test_one_url_is_taken_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AMQP_URI", ONE)
    assert config.amqp_uri() == ONE
    assert config.broker_urls() == [ONE]
    assert config.connect_retries() == 1


def test_several_urls_in_order_without_blanks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AMQP_URI", NODES)
    assert config.broker_urls() == [
        "amqp://u:secret@rabbit-0:5672/v",
        "amqp://u:secret@rabbit-1:5672/v",
    ]
    # What kombu and nameko get: its own `;` convention, no spaces.
    assert config.amqp_uri() == ";".join(config.broker_urls())
    assert config.connect_retries() == 1
    assert config.connect_retries(f"{ONE};{ONE};{ONE}") == 2


def test_no_password_in_messages() -> None:
    assert "secret" not in amqp.safe_uri(NODES)
    assert amqp.safe_uri(NODES).count("rabbit-") == 2


@pytest.mark.parametrize("bad", [" ; ", "rabbit-0:5672", f"{ONE};user:secret@host"])
def test_an_address_that_is_not_a_url_is_named(bad: str) -> None:
    with pytest.raises(ValueError, match="AMQP_URI") as refused:
        config.broker_urls(bad)
    assert "secret" not in str(refused.value)


def test_production_wants_a_password_on_every_address(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AMQP_URI", NODES)
    assert broker_problems() == []
    monkeypatch.setenv("AMQP_URI", f"{NODES};{ONE}")
    assert broker_problems() == ["AMQP_URI has no password or the guest account"]
