"""Compose localstripe's API and our additions into one aiohttp application."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from aiohttp import web
from aiohttp.typedefs import Handler
from localstripe import server as ls_server

from devstripe import admin, api, checkout, page, refunds, state
from devstripe.config import Settings
from devstripe.context import DISPATCHER, SETTINGS
from devstripe.idempotency import IdempotencyCache, idempotency_middleware
from devstripe.listing import list_payment_intents
from devstripe.webhooks import Dispatcher

log = logging.getLogger(__name__)

# localstripe routes we serve ourselves (see refunds.py and listing.py).
_REPLACED = {("POST", "/v1/refunds"), ("GET", "/v1/payment_intents")}


@web.middleware
async def api_auth(request: web.Request, handler: Handler) -> web.StreamResponse:
    """localstripe's secret-key check, but only for the Stripe API itself:
    the checkout page, its buttons and the test endpoints are key-less."""
    if request.path.startswith("/v1/"):
        return await ls_server.auth_middleware(request, handler)
    return await handler(request)


async def _payment_intents(request: web.Request) -> web.Response:
    return ls_server.json_response(list_payment_intents(request.query))


def _mount_localstripe(router: web.UrlDispatcher) -> None:
    """Reuse localstripe's handlers as a library (its app is never run)."""
    for route in ls_server.app.router.routes():
        path = route.resource.canonical if route.resource else None
        if path is None or (route.method, path) in _REPLACED:
            continue
        router.add_route(route.method, path, route.handler)


async def _sweep_expired(dispatcher: Dispatcher, interval: float) -> None:
    # So checkout.session.expired fires on time even if nobody polls.
    while True:
        await asyncio.sleep(interval)
        try:
            if checkout.expire_overdue(dispatcher):
                state.save()
        except Exception:  # keep sweeping whatever one session did
            log.exception("expiry sweep failed")


async def _background(app: web.Application) -> AsyncIterator[None]:
    dispatcher = app[DISPATCHER]
    sweeper = asyncio.create_task(
        _sweep_expired(dispatcher, app[SETTINGS].expiry_sweep_interval)
    )
    yield
    sweeper.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await sweeper
    await dispatcher.close()


def build_app(settings: Settings) -> web.Application:
    state.configure_persistence(settings.state_file, from_scratch=settings.from_scratch)
    dispatcher = Dispatcher(settings)
    dispatcher.install()

    app = web.Application(
        middlewares=[
            ls_server.error_middleware,  # UserError -> Stripe-shaped JSON error
            api_auth,
            idempotency_middleware(IdempotencyCache()),
            ls_server.save_store_middleware,  # persist after each write
        ]
    )
    app[SETTINGS] = settings
    app[DISPATCHER] = dispatcher
    app.on_response_prepare.append(ls_server.add_cors_headers)
    app.cleanup_ctx.append(_background)

    # Ours first: the router picks the first matching route.
    api.add_routes(app.router)
    page.add_routes(app.router)
    admin.add_routes(app.router)
    app.router.add_post("/v1/refunds", refunds.create_refund)
    app.router.add_get("/v1/payment_intents", _payment_intents)
    _mount_localstripe(app.router)
    return app
