"""The sink's mailbox: every message kept, one per Message-ID, on disk."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any


@dataclass
class Kept:
    seq: int
    message_id: str
    file: str
    mail_from: str
    rcpt_to: list[str]
    received_at: str
    received: int = 1  # hand-offs of this Message-ID
    summary: dict[str, Any] = field(default_factory=dict)


def summarize(raw: bytes) -> dict[str, Any]:
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    return {
        "message_id": str(message.get("Message-ID", "")).strip(),
        "from": str(message.get("From", "")),
        "to": str(message.get("To", "")),
        "subject": str(message.get("Subject", "")),
        "date": str(message.get("Date", "")),
        "kind": str(message.get("X-Notification-Kind", "")),
        "list_unsubscribe": str(message.get("List-Unsubscribe", "")) or None,
        "list_unsubscribe_post": str(message.get("List-Unsubscribe-Post", "")) or None,
        "text": text.get_content() if text is not None else "",
        "html": html.get_content() if html is not None else "",
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
            raw = (self.folder / entry["file"]).read_bytes()
            kept = Kept(**{**entry, "received": 1, "summary": summarize(raw)})
            self.kept[kept.message_id] = kept
            self.by_seq[kept.seq] = kept

    def add(self, raw: bytes, mail_from: str, rcpt_to: list[str]) -> Kept:
        summary = summarize(raw)
        # A message without a Message-ID is kept under one made of its bytes.
        message_id = (
            summary["message_id"]
            or f"<sha256-{hashlib.sha256(raw).hexdigest()}@devmail>"
        )
        self.handoffs += 1
        known = self.kept.get(message_id)
        if known is None:
            seq = len(self.by_seq) + 1
            name = hashlib.sha256(message_id.encode()).hexdigest()[:32] + ".eml"
            (self.folder / name).write_bytes(raw)
            known = Kept(
                seq=seq,
                message_id=message_id,
                file=name,
                mail_from=mail_from,
                rcpt_to=list(rcpt_to),
                received_at=datetime.now(UTC).isoformat(),
                summary=summary,
            )
            self.kept[message_id] = known
            self.by_seq[seq] = known
        else:
            known.received += 1
        entry = asdict(known)
        del entry["received"], entry["summary"]
        with self.index.open("a") as log:
            log.write(json.dumps(entry) + "\n")
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
