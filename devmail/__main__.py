"""``python -m devmail``: the SMTP sink and its page, in the foreground.

    python -m devmail [--smtp-port 8025] [--http-port 8426] [--folder DIR]
                      [--tls-cert F --tls-key F] [--auth USER:PASSWORD]

With a certificate, clients must STARTTLS; with --auth they must log in
(how tests check the service's TLS and authentication).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import ssl
from pathlib import Path
from typing import Any

from aiohttp import web
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

from common import config
from common.production import refuse_in_production
from devmail.pages import build_app
from devmail.store import Mailbox

log = logging.getLogger("devmail")


class Sink:
    """aiosmtpd's handler: every message goes into the mailbox."""

    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        kept = self.mailbox.add(
            envelope.original_content or envelope.content,
            envelope.mail_from,
            envelope.rcpt_tos,
        )
        return f"250 kept as {kept.seq}"


def authenticator(user: str, password: str) -> Any:
    def check(
        server: Any, session: Any, envelope: Any, mechanism: str, auth: Any
    ) -> AuthResult:
        ok = isinstance(auth, LoginPassword) and (
            auth.login.decode(),
            auth.password.decode(),
        ) == (user, password)
        return AuthResult(success=ok, handled=False)  # failed: 535 is sent

    return check


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m devmail")
    parser.add_argument("--host", default=config.env("DEVMAIL_HOST", "127.0.0.1"))
    parser.add_argument(
        "--smtp-port", type=int, default=int(config.env("DEVMAIL_SMTP_PORT", "8025"))
    )
    parser.add_argument(
        "--http-port", type=int, default=int(config.env("DEVMAIL_HTTP_PORT", "8426"))
    )
    parser.add_argument(
        "--folder",
        type=Path,
        default=Path(config.env("DEVMAIL_DIR", str(config.data_dir() / "devmail"))),
    )
    parser.add_argument("--tls-cert", type=Path)
    parser.add_argument("--tls-key", type=Path)
    parser.add_argument("--auth", help="USER:PASSWORD clients must log in with")
    return parser.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    mailbox = Mailbox(args.folder)
    tls = None
    if args.tls_cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(args.tls_cert, args.tls_key)
    options: dict[str, Any] = {"tls_context": tls, "require_starttls": tls is not None}
    if args.auth:
        user, _, password = args.auth.partition(":")
        options |= {
            "authenticator": authenticator(user, password),
            "auth_required": True,
            "auth_require_tls": tls is not None,
        }
    loop = asyncio.get_running_loop()
    smtp = await loop.create_server(
        lambda: SMTP(Sink(mailbox), hostname="devmail", **options),
        host=args.host,
        port=args.smtp_port,
    )
    runner = web.AppRunner(build_app(mailbox))
    await runner.setup()
    await web.TCPSite(runner, args.host, args.http_port).start()
    log.info(
        "devmail: SMTP on %s:%d, messages at http://%s:%d/ (%d kept in %s)",
        args.host,
        args.smtp_port,
        args.host,
        args.http_port,
        len(mailbox.kept),
        args.folder,
    )
    try:
        await asyncio.Event().wait()
    finally:
        smtp.close()
        await runner.cleanup()


def main(argv: list[str] | None = None) -> None:
    refuse_in_production("devmail")  # a development sink: never in production
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd per command
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(parse(argv)))


if __name__ == "__main__":
    main()
