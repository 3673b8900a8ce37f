"""The envelope every event travels in."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Envelope:
    type: str
    producer: str
    payload: dict[str, Any]
    schema_version: int = 1
    correlation_id: str | None = None
    event_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    occurred_at: str = field(default_factory=lambda: utcnow().isoformat())
    # The W3C trace context of the span that wrote it (`common.tracing`);
    # the relay sends it as headers. Absent when tracing is off.
    trace_context: dict[str, str] | None = None

    def to_dict(self) -> dict[str, Any]:
        # Shallow on purpose: asdict's deep copy of each payload was a third of
        # the time of a batch job; the payload is serialized right after.
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        if self.trace_context is None:
            del data["trace_context"]  # the envelope as before tracing
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Envelope:
        try:
            return cls(
                type=data["type"],
                producer=data["producer"],
                payload=dict(data["payload"]),
                schema_version=int(data.get("schema_version", 1)),
                correlation_id=data.get("correlation_id"),
                event_id=str(data["event_id"]),
                occurred_at=str(data["occurred_at"]),
                trace_context=data.get("trace_context") or None,
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"not an event envelope: missing {exc}") from exc
