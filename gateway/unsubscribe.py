"""`/notifications/unsubscribe?token=...`: the signed link in optional emails.

Works without signing in: the token itself (signed by the notifications
service, which alone holds the key) says which member community and which
kind of message. GET shows a page with one button, since mail scanners
follow links and must not unsubscribe anyone; POST unsubscribes, both from
that button and as RFC 8058's one-click POST that mail clients send
(`List-Unsubscribe=One-Click`).
"""

from __future__ import annotations

import logging
from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse

from common.identity import ANONYMOUS
from gateway.clients import Services
from gateway.errors import ServiceError
from gateway.rpc import RpcClient

log = logging.getLogger(__name__)

PATH = "/notifications/unsubscribe"
WHAT = {
    "PARTNERSHIP_NEWS": "partnership news",
    "GRANT_ROUND_ANNOUNCEMENT": "grant round announcements",
}


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title></head>"
        "<body style='font-family: Arial, sans-serif; max-width: 560px; "
        f"margin: 48px auto;'><h1>{escape(title)}</h1>{body}</body></html>",
        status_code=status,
    )


async def unsubscribe(request: Request) -> HTMLResponse:
    token = request.query_params.get("token", "")
    if request.method == "GET":
        if not token:
            return _page("Unsubscribe", "<p>This link has no token.</p>", 400)
        return _page(
            "Unsubscribe",
            "<p>Stop receiving these optional messages? Invoices, reminders, "
            "receipts and decisions are always sent.</p>"
            f"<form method='post' action='{PATH}?token={escape(token)}'>"
            "<button type='submit'>Unsubscribe</button></form>",
        )
    rpc: RpcClient = request.app.state.rpc
    try:
        anyone = Services.as_caller(rpc, ANONYMOUS)
        done = await anyone.notifications.unsubscribe(token)
    except ServiceError as exc:
        if exc.code == "BAD_USER_INPUT":
            return _page("Unsubscribe", f"<p>{escape(exc.message)}</p>", 400)
        log.warning("unsubscribe failed: %s", exc)
        status = 503 if exc.code == "UNAVAILABLE" else 500
        return _page("Unsubscribe", "<p>Please try again in a few minutes.</p>", status)
    what = WHAT.get(str(done["kind"]), "these messages")
    return _page(
        "Unsubscribed",
        f"<p>Done: this member community no longer receives {escape(what)}. "
        "Its users can turn them on again in the member portal.</p>",
    )
