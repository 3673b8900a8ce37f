"""The gateway's payment status hub fans events out to each payment's listeners."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

from gateway.subscriptions import PaymentStatusHub


@dataclass
class Message:
    body: bytes


def envelope(
    payment_id: str, status: str | None, event_type: str = "payment_status_changed"
) -> Message:
    payload = {"payment_id": payment_id}
    if status is not None:
        payload["new_status"] = status
    return Message(json.dumps({"type": event_type, "payload": payload}).encode())


async def never() -> None:
    """Wait for ever (until cancelled), as the hub's keeper does."""
    await asyncio.Event().wait()


async def connected_hub() -> PaymentStatusHub:
    """A hub that believes it listens: no broker in a unit test."""
    hub = PaymentStatusHub("amqp://unused")
    hub._keeper = asyncio.create_task(never())
    hub._listening.set()
    return hub


async def test_each_listener_gets_its_payments_changes_only() -> None:
    hub = await connected_hub()
    async with hub.listen("p1") as first, hub.listen("p1") as second:
        async with hub.listen("p2") as other:
            await hub._on_message(envelope("p1", "SUCCEEDED"))  # type: ignore[arg-type]
            await hub._on_message(Message(b"not json"))  # type: ignore[arg-type]
            got: list[Any] = [first.get_nowait(), second.get_nowait()]
            assert [g["new_status"] for g in got] == ["SUCCEEDED", "SUCCEEDED"]
            assert other.empty()
        assert hub.subscriber_count == 2
    assert hub.subscriber_count == 0
    await hub._on_message(envelope("p1", "REFUNDED"))  # type: ignore[arg-type]
    await hub.close()


async def test_every_event_that_announces_a_change_is_fanned_out() -> None:
    hub = await connected_hub()
    async with hub.listen("p1") as listener:
        await hub._on_message(envelope("p1", "SUCCEEDED", "payment_succeeded"))  # type: ignore[arg-type]
        await hub._on_message(envelope("p1", "REFUNDED", "payment_refunded"))  # type: ignore[arg-type]
        # Older news without the change it made is not a change to show.
        await hub._on_message(envelope("p1", None, "payment_succeeded"))  # type: ignore[arg-type]
        got = [listener.get_nowait(), listener.get_nowait()]
        assert [g["new_status"] for g in got] == ["SUCCEEDED", "REFUNDED"]
        assert listener.empty()
    await hub.close()
