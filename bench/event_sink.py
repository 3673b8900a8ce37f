"""The consumer side of the events benchmark: an idempotent retrying handler
that records each event in its own transaction, as real handlers do."""

from __future__ import annotations

from typing import Any

from nameko.rpc import rpc
from sqlalchemy import Column, Integer, MetaData, String, Table, insert

from common.db import infrastructure_tables
from common.envelope import Envelope
from common.nameko_ext.events import event_handler
from common.nameko_ext.storage import Storage

metadata = MetaData()
infrastructure_tables(metadata)
ticks = Table(
    "ticks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", String(36), nullable=False),
)


class Sink:
    name = "sink"
    uow = Storage("sink", metadata, relay=False)

    @event_handler("benchsrc", "tick")
    def on_tick(self, body: dict[str, Any]) -> None:
        envelope = Envelope.from_dict(body)
        with self.uow() as uow:
            if uow.claim("sink.on_tick", envelope):
                uow.session.execute(insert(ticks).values(event_id=envelope.event_id))
                uow.commit()

    @rpc
    def health(self) -> dict[str, str]:
        return {"service": self.name, "status": "UP", "version": "bench"}
