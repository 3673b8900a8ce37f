"""The broker-side fast paths (common/fastpaths: py_amqp, nameko) are taken
on a real broker and a real service, not just correct when they are."""

from __future__ import annotations

import json
import uuid
from typing import Any

import amqp
import pytest
from kombu import Connection, Producer

from common import fastpaths
from common.amqp import frames_together, publish_envelope
from common.envelope import Envelope
from common.fastpaths import py_amqp
from tests.support.platform import Platform
from tests.support.wait import wait_until

NAPPER = "napper=tests.integration.foundation.fixture_services:Napper"


@pytest.mark.parametrize(
    ("off", "body"),
    [
        ("", '{"result":0,"error":null}'),
        ("nameko.replies", '{"result": 0, "error": null}'),
    ],
)
def test_a_service_replies_through_the_fast_path_unless_turned_off(
    platform: Platform, amqp_uri: str, off: str, body: str
) -> None:
    """nameko's Responder encodes a reply with kombu (spaces after its
    separators); the fast path with orjson, compact."""
    platform.start(NAPPER, env={"FASTPATHS_OFF": off})
    try:
        with Connection(amqp_uri) as conn:
            channel = conn.default_channel
            reply_to = f"replies-{uuid.uuid4().hex[:8]}"
            channel.queue_declare(reply_to, exclusive=True, auto_delete=True)
            channel.queue_bind(reply_to, "nameko-rpc", routing_key=reply_to)
            channel.basic_publish(
                amqp.Message(
                    json.dumps({"args": [], "kwargs": {}}),
                    content_type="application/json",
                    reply_to=reply_to,
                    correlation_id="c1",
                ),
                exchange="nameko-rpc",
                routing_key="napper.naps_started",
            )
            reply = wait_until(
                lambda: channel.basic_get(reply_to, no_ack=True), message="a reply"
            )
    finally:
        platform.stop("napper")  # its next start sets its environment afresh
    assert json.loads(reply.body) == {"result": 0, "error": None}
    assert reply.body == body  # decoded by amqp (utf-8)


def test_publish_envelope_sends_without_basic_publish(
    amqp_uri: str,
    scratch_queue: tuple[Connection, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    watcher, queue = scratch_queue
    envelope = Envelope(type="tick", producer="fastpaths", payload={}).to_dict()
    exchange = "fastpaths.events"
    watcher.default_channel.exchange_declare(exchange, "topic", durable=True)
    watcher.default_channel.queue_bind(queue, exchange, routing_key="tick")
    public: list[Any] = []
    monkeypatch.setattr(amqp.Channel, "basic_publish", lambda *a, **k: public.append(a))
    before = fastpaths.taken[py_amqp.SEND_METHOD]
    with Connection(amqp_uri) as conn:
        publish_envelope(Producer(conn.default_channel), envelope)
        got = wait_until(
            lambda: watcher.default_channel.basic_get(queue, no_ack=True),
            message="the event",
        )
    assert json.loads(got.body) == envelope
    assert public == []
    assert fastpaths.taken[py_amqp.SEND_METHOD] == before + 1
    watcher.default_channel.exchange_delete(exchange)


def test_frames_together_is_taken_unless_turned_off(
    amqp_uri: str, scratch_queue: tuple[Connection, str]
) -> None:
    watcher, queue = scratch_queue
    before = fastpaths.taken[py_amqp.FRAMES_TOGETHER]
    with Connection(amqp_uri) as conn:
        channel = conn.default_channel
        with frames_together(conn.connection):
            py_amqp.publish(channel, amqp.Message(b"1"), "", queue)
            py_amqp.publish(channel, amqp.Message(b"2"), "", queue)
        assert fastpaths.taken[py_amqp.FRAMES_TOGETHER] == before + 1
        with (
            fastpaths.turned_off(py_amqp.FRAMES_TOGETHER),
            frames_together(conn.connection),
        ):
            py_amqp.publish(channel, amqp.Message(b"3"), "", queue)
        assert fastpaths.taken[py_amqp.FRAMES_TOGETHER] == before + 1

    def depth() -> int:
        return int(watcher.default_channel.queue_declare(queue, passive=True)[1])

    wait_until(lambda: depth() == 3, message="three messages")
