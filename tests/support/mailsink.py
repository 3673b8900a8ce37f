"""The development SMTP sink (`python -m devmail`) as a test's process."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import httpx

from tests.support.platform import Process, free_port
from tests.support.wait import wait_until


class MailSink:
    """One devmail process on free ports; its mailbox outlives restarts."""

    def __init__(
        self, workdir: Path, env: dict[str, str], args: tuple[str, ...] = ()
    ) -> None:
        self.smtp_port, self.http_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.http_port}"
        folder = workdir / f"devmail-{self.smtp_port}"
        argv = [
            sys.executable,
            "-m",
            "devmail",
            "--smtp-port",
            str(self.smtp_port),
            "--http-port",
            str(self.http_port),
            "--folder",
            str(folder),
            *args,
        ]
        self.process = Process(f"devmail-{self.smtp_port}", argv, env, workdir)

    @property
    def smtp_url(self) -> str:
        return f"smtp://127.0.0.1:{self.smtp_port}/?tls=off"

    def start(self) -> MailSink:
        self.process.start()

        def up() -> bool:
            if not self.process.running:
                raise AssertionError(f"devmail exited:\n{self.process.log_tail()}")
            return httpx.get(f"{self.url}/api/stats", timeout=2).status_code == 200

        wait_until(up, timeout=20, interval=0.1, message="devmail up")
        return self

    def stop(self) -> None:
        self.process.stop()

    def stats(self) -> dict[str, int]:
        found: dict[str, int] = httpx.get(f"{self.url}/api/stats", timeout=10).json()
        return found

    def messages(
        self, to: str | None = None, kind: str | None = None
    ) -> list[dict[str, Any]]:
        params = {k: v for k, v in (("to", to), ("kind", kind)) if v}
        found: list[dict[str, Any]] = httpx.get(
            f"{self.url}/api/messages", params=params, timeout=30
        ).json()
        return found

    def wait_for(
        self,
        count: int,
        to: str | None = None,
        kind: str | None = None,
        timeout: float = 30,
    ) -> list[dict[str, Any]]:
        """At least `count` messages (to `to`, of `kind`); all of them."""

        def enough() -> list[dict[str, Any]]:
            found = self.messages(to, kind)
            return found if len(found) >= count else []

        return wait_until(
            enough,
            timeout=timeout,
            interval=0.2,
            message=f"{count} message(s) to {to or 'anyone'} of {kind or 'any kind'}",
        )
