"""The sink's page (development only): the messages kept, and each one.

GET    /                     the list, newest first
GET    /messages/{seq}       one message: headers, plain text, HTML
GET    /messages/{seq}.eml   its bytes
GET    /api/messages         JSON: every message (filters: to, kind)
GET    /api/stats            JSON: {"messages": n, "handoffs": n}
DELETE /api/messages         forget them all
"""

from __future__ import annotations

from html import escape
from typing import Any

from aiohttp import web

from devmail.store import Kept, Mailbox

STYLE = (
    "body{font-family:Arial,sans-serif;margin:24px;color:#1a1b1e}"
    "table{border-collapse:collapse;width:100%}"
    "td,th{text-align:left;padding:4px 8px;border-bottom:1px solid #ddd;"
    "vertical-align:top}"
    "pre{white-space:pre-wrap;background:#f6f6f6;padding:12px}"
    "iframe{width:100%;height:480px;border:1px solid #ddd}"
)


def _page(title: str, body: str) -> web.Response:
    return web.Response(
        text=f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f"<body>{body}</body></html>",
        content_type="text/html",
    )


def _json(kept: Kept) -> dict[str, Any]:
    return {
        "seq": kept.seq,
        "message_id": kept.message_id,
        "mail_from": kept.mail_from,
        "rcpt_to": kept.rcpt_to,
        "received_at": kept.received_at,
        "received": kept.received,
        **kept.summary,
    }


def build_app(mailbox: Mailbox) -> web.Application:
    routes = web.RouteTableDef()

    def found(request: web.Request) -> Kept:
        try:
            return mailbox.by_seq[int(request.match_info["seq"])]
        except (KeyError, ValueError):
            raise web.HTTPNotFound(text="no such message") from None

    @routes.get("/")
    async def index(request: web.Request) -> web.Response:
        rows = "".join(
            f"<tr><td>{k.seq}</td><td>{escape(k.received_at[:19])}</td>"
            f"<td>{escape(k.summary['to'])}</td>"
            f"<td><a href='/messages/{k.seq}'>{escape(k.summary['subject'])}</a></td>"
            f"<td>{escape(k.summary['kind'])}</td><td>{k.received}</td></tr>"
            for k in sorted(mailbox.by_seq.values(), key=lambda k: -k.seq)
        )
        return _page(
            "devmail",
            f"<h1>devmail: {len(mailbox.kept)} messages</h1>"
            "<p>Development only: every message the platform sent.</p>"
            "<table><tr><th>#</th><th>received (UTC)</th><th>to</th>"
            "<th>subject</th><th>kind</th><th>hand-offs</th></tr>"
            f"{rows}</table>",
        )

    @routes.get(r"/messages/{seq:\d+}")
    async def message(request: web.Request) -> web.Response:
        k = found(request)
        s = k.summary
        headers = "".join(
            f"<tr><th>{escape(name)}</th><td>{escape(str(value))}</td></tr>"
            for name, value in (
                ("From", s["from"]),
                ("To", s["to"]),
                ("Subject", s["subject"]),
                ("Date", s["date"]),
                ("Message-ID", k.message_id),
                ("List-Unsubscribe", s["list_unsubscribe"] or ""),
                ("Hand-offs", k.received),
            )
        )
        return _page(
            s["subject"],
            f"<p><a href='/'>All messages</a> &middot; "
            f"<a href='/messages/{k.seq}.eml'>raw</a></p>"
            f"<h1>{escape(s['subject'])}</h1><table>{headers}</table>"
            f'<h2>HTML</h2><iframe sandbox srcdoc="{escape(s["html"])}"></iframe>'
            f"<h2>Plain text</h2><pre>{escape(s['text'])}</pre>",
        )

    @routes.get(r"/messages/{seq:\d+}.eml")
    async def raw(request: web.Request) -> web.Response:
        return web.Response(body=mailbox.raw(found(request)), content_type="text/plain")

    @routes.get("/api/messages")
    async def api_list(request: web.Request) -> web.Response:
        to = request.query.get("to", "").lower()
        kind = request.query.get("kind", "")
        found_ = [
            _json(k)
            for k in mailbox.by_seq.values()
            if (not to or any(to == r.lower() for r in k.rcpt_to))
            and (not kind or k.summary["kind"] == kind)
        ]
        return web.json_response(found_)

    @routes.get("/api/stats")
    async def stats(request: web.Request) -> web.Response:
        return web.json_response(
            {"messages": len(mailbox.kept), "handoffs": mailbox.handoffs}
        )

    @routes.delete("/api/messages")
    async def clear(request: web.Request) -> web.Response:
        mailbox.clear()
        return web.json_response({"messages": 0})

    app = web.Application()
    app.add_routes(routes)
    return app
