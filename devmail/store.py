"""The sink's mailbox: every message kept, one per Message-ID, on disk."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

# Headers only, compat32: the Message-ID without parsing the parts.
_HEADERS = BytesParser(policy=policy.compat32)


def summarize(raw: bytes) -> dict[str, Any]:
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    return {
        "from": str(message.get("From", "")),
        "to": str(message.get("To", "")),
        "subject": str(message.get("Subject", "")),
        "date": str(message.get("Date", "")),
        "kind": str(message.get("X-Notification-Kind", "")),
        "list_unsubscribe": str(message.get("List-Unsubscribe", "")).strip() or None,
        "list_unsubscribe_post": str(message.get("List-Unsubscribe-Post", "")) or None,
        "text": text.get_content() if text is not None else "",
        "html": html.get_content() if html is not None else "",
    }


@dataclass
class Kept:
    seq: int
    message_id: str
    file: str
    mail_from: str
    rcpt_to: list[str]
    received_at: str
    folder: Path
    received: int = 1  # hand-offs of this Message-ID
    _summary: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def summary(self) -> dict[str, Any]:
        """Its headers and parts, read when first asked for: parsing a
        message costs ~3 ms of CPU, more than the rest of taking it."""
        if self._summary is None:
            self._summary = summarize((self.folder / self.file).read_bytes())
        return self._summary

    def entry(self) -> dict[str, Any]:
        """Its line in the index."""
        return {
            "seq": self.seq,
            "message_id": self.message_id,
            "file": self.file,
            "mail_from": self.mail_from,
            "rcpt_to": self.rcpt_to,
            "received_at": self.received_at,
        }


class Mailbox:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.index = self.folder / "index.jsonl"
        self.kept: dict[str, Kept] = {}  # by Message-ID
        self.by_seq: dict[int, Kept] = {}
        self.handoffs = 0
        self._load()

    def _load(self) -> None:
        """The messages kept before a restart (one index line per hand-off)."""
        if not self.index.exists():
            return
        for line in self.index.read_text().splitlines():
            if not line.strip():
                continue
            entry = json.loads(line)
            self.handoffs += 1
            known = self.kept.get(entry["message_id"])
            if known is not None:
                known.received += 1
                continue
            kept = Kept(**entry, folder=self.folder)
            self.kept[kept.message_id] = kept
            self.by_seq[kept.seq] = kept

    def add(self, raw: bytes, mail_from: str, rcpt_to: list[str]) -> Kept:
        headers = _HEADERS.parsebytes(raw, headersonly=True)
        # A message without a Message-ID is kept under one made of its bytes.
        message_id = (
            str(headers.get("Message-ID", "")).strip()
            or f"<sha256-{hashlib.sha256(raw).hexdigest()}@devmail>"
        )
        self.handoffs += 1
        known = self.kept.get(message_id)
        if known is None:
            name = hashlib.sha256(message_id.encode()).hexdigest()[:32] + ".eml"
            (self.folder / name).write_bytes(raw)
            known = Kept(
                seq=len(self.by_seq) + 1,
                message_id=message_id,
                file=name,
                mail_from=mail_from,
                rcpt_to=list(rcpt_to),
                received_at=datetime.now(UTC).isoformat(),
                folder=self.folder,
            )
            self.kept[message_id] = known
            self.by_seq[known.seq] = known
        else:
            known.received += 1
        with self.index.open("a") as log:
            log.write(json.dumps(known.entry()) + "\n")
        return known

    def raw(self, kept: Kept) -> bytes:
        return (self.folder / kept.file).read_bytes()

    def clear(self) -> None:
        for kept in self.kept.values():
            (self.folder / kept.file).unlink(missing_ok=True)
        self.index.unlink(missing_ok=True)
        self.kept.clear()
        self.by_seq.clear()
        self.handoffs = 0
