"""The gateway's broker addresses: one URL, or one per node separated by `;`."""

from __future__ import annotations

from gateway import broker

NODES = "amqp://u:secret@rabbit-0:5672/v;amqp://u:secret@rabbit-1:5673/v"


def test_addresses_in_turn_without_credentials_in_messages() -> None:
    assert [broker.address(NODES, n).port for n in range(3)] == [5672, 5673, 5672]
    assert "secret" not in broker.safe(NODES)
