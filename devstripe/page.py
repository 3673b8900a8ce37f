"""The hosted checkout page a developer clicks through, and its pay/fail actions.

``POST /checkout/{id}/pay`` and ``/fail`` are also the test hooks: called with
JSON (or no body) they answer with the session as JSON; called from the page's
forms they redirect like Stripe does, to success_url or cancel_url.
"""

from __future__ import annotations

import html
import json
from typing import Any

from aiohttp import web
from localstripe.errors import UserError
from localstripe.server import json_response

from devstripe import checkout, state
from devstripe.context import DISPATCHER
from devstripe.errors import bad_request

ZERO_DECIMAL = {"bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg",
                "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"}  # fmt: skip


def format_amount(amount: int, currency: str) -> str:
    if currency.lower() in ZERO_DECIMAL:
        return f"{amount} {currency.upper()}"
    return f"{amount / 100:,.2f} {currency.upper()}"


def render(session: checkout.CheckoutSession, notice: str = "") -> str:
    e = html.escape
    rows = "".join(
        f"<tr><td>{e(str(li['description']))}</td><td>{li['quantity']}</td>"
        f"<td>{e(format_amount(li['amount_total'], li['currency']))}</td></tr>"
        for li in session.line_items
    )
    total = e(format_amount(session.amount_total, session.currency))
    if session.status == "open":
        actions = "".join(
            f'<form method="post" action="/checkout/{e(session.id)}/{action}">'
            f'<input type="hidden" name="from_page" value="1">'
            f'<button class="{action}" type="submit">{label}</button></form>'
            for action, label in (("pay", f"Pay {total}"), ("fail", "Fail"))
        )
    else:
        actions = (
            f"<p>This session is <b>{e(session.status)}</b> "
            f"(payment {e(session.payment_status)}).</p>"
        )
    email = e(session.customer_email or "")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>devstripe checkout: {total}</title>
<style>
 body {{ font-family: system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; }}
 table {{ width: 100%; border-collapse: collapse; margin: 1rem 0; }}
 td {{ border-bottom: 1px solid #ddd; padding: .4rem; }}
 form {{ display: inline-block; margin-right: .5rem; }}
 button {{ font-size: 1rem; padding: .5rem 1.2rem; cursor: pointer; }}
 .pay {{ background: #635bff; color: #fff; border: 0; }}
 .note {{ color: #a00; }} .dev {{ color: #888; font-size: .8rem; }}
</style></head><body>
<h1>{e(session.description)}</h1>
<p class="note">{e(notice)}</p>
<table>{rows}<tr><td><b>Total</b></td><td></td><td><b>{total}</b></td></tr></table>
<p>{email}</p>
{actions}
<p class="dev">devstripe test checkout &middot; {e(session.id)}</p>
</body></html>"""


async def show(request: web.Request) -> web.Response:
    try:
        session = checkout.get_session(request.match_info["id"])
    except UserError:
        return web.Response(status=404, text="No such checkout session.")
    if checkout.expire_if_overdue(session, request.app[DISPATCHER]):
        state.save()
    return web.Response(text=render(session), content_type="text/html")


async def _body(request: web.Request) -> dict[str, Any]:
    if not request.can_read_body:
        return {}
    if request.content_type == "application/json":
        try:
            data = json.loads(await request.text() or "{}")
        except json.JSONDecodeError:
            raise bad_request("Body is not valid JSON") from None
        if not isinstance(data, dict):
            raise bad_request("Body must be a JSON object")
        return data
    return dict(await request.post())


def _success_redirect(session: checkout.CheckoutSession) -> str:
    if session.success_url:
        # Stripe's template variable, commonly used to look the session up.
        return session.success_url.replace("{CHECKOUT_SESSION_ID}", session.id)
    return f"/checkout/{session.id}"


async def _act(request: web.Request, action: str) -> web.Response:
    session = checkout.get_session(request.match_info["id"])
    body = await _body(request)
    from_page = bool(body.get("from_page"))
    dispatcher = request.app[DISPATCHER]
    email = body.get("email") or None
    try:
        if action == "pay":
            raw = body.get("amount_total")
            amount = None if raw in (None, "") else int(raw)
            checkout.pay(session, dispatcher, amount_total=amount, email=email)
        else:
            checkout.fail(session, dispatcher, email=email)
    except (UserError, ValueError) as exc:
        if not from_page:
            if isinstance(exc, ValueError):
                raise bad_request("amount_total must be an integer") from None
            raise
        notice = exc.body["error"]["message"] if isinstance(exc, UserError) else ""
        return web.Response(
            status=400, text=render(session, notice), content_type="text/html"
        )
    if from_page:
        target = _success_redirect(session) if action == "pay" else session.cancel_url
        raise web.HTTPSeeOther(target or f"/checkout/{session.id}")
    return json_response(session.to_stripe())


async def pay(request: web.Request) -> web.Response:
    return await _act(request, "pay")


async def fail(request: web.Request) -> web.Response:
    return await _act(request, "fail")


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/checkout/{id}", show)
    router.add_post("/checkout/{id}/pay", pay)
    router.add_post("/checkout/{id}/fail", fail)
