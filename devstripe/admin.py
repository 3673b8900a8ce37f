"""Test and operator endpoints: event log, resend, webhook target, health."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from localstripe.server import get_post_data

from devstripe.context import DISPATCHER
from devstripe.errors import bad_request, not_found


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def list_events(request: web.Request) -> web.Response:
    records = request.app[DISPATCHER].events(request.query.get("type"))
    return web.json_response({"data": [r.to_dict() for r in records]})


async def get_event(request: web.Request) -> web.Response:
    event_id = request.match_info["id"]
    record = request.app[DISPATCHER].get(event_id)
    if record is None:
        raise not_found("event", event_id)
    return web.json_response(record.to_dict())


async def resend_event(request: web.Request) -> web.Response:
    """Deliver the identical event again (same id and body, fresh signature).

    ``?wait=true`` answers only after the first attempt, with its outcome.
    """
    dispatcher = request.app[DISPATCHER]
    event_id = request.match_info["id"]
    record = dispatcher.get(event_id)
    if record is None:
        raise not_found("event", event_id)
    wait = request.query.get("wait", "").lower() in ("1", "true", "yes")
    deliveries = await dispatcher.resend(record, wait=wait)
    return web.json_response(
        {"id": record.id, "deliveries": [d.to_dict() for d in deliveries]},
        status=200 if wait else 202,
    )


async def get_webhook_url(request: web.Request) -> web.Response:
    return web.json_response(request.app[DISPATCHER].primary_endpoint())


async def set_webhook_url(request: web.Request) -> web.Response:
    data: dict[str, Any] = dict(await get_post_data(request) or {})
    url = data.get("url")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise bad_request("url must be an http(s) URL", param="url")
    events = data.get("events")
    if isinstance(events, str):
        events = [e.strip() for e in events.split(",") if e.strip()]
    dispatcher = request.app[DISPATCHER]
    dispatcher.set_primary_endpoint(url, data.get("secret") or None, events)
    return web.json_response(dispatcher.primary_endpoint())


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/_devstripe/health", health)
    router.add_get("/_devstripe/events", list_events)
    router.add_get("/_devstripe/events/{id}", get_event)
    router.add_post("/_devstripe/events/{id}/resend", resend_event)
    router.add_get("/_config/webhook_url", get_webhook_url)
    router.add_post("/_config/webhook_url", set_webhook_url)
