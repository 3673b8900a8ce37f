"""``/v1/checkout/sessions`` REST endpoints, shaped like Stripe's."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from localstripe.server import get_post_data, json_response, unflatten_data

from devstripe import checkout, state
from devstripe.context import DISPATCHER, SETTINGS
from devstripe.listing import created_filter, list_expand, newest_first, paginate


def _expand(params: dict[str, Any]) -> list[str]:
    expand = params.pop("expand", None) or []
    return [expand] if isinstance(expand, str) else list(expand)


def _session(request: web.Request) -> checkout.CheckoutSession:
    session = checkout.get_session(request.match_info["id"])
    if checkout.expire_if_overdue(session, request.app[DISPATCHER]):
        state.save()  # a GET changed state; persist it like a write would
    return session


async def create_session(request: web.Request) -> web.Response:
    params = dict(await get_post_data(request) or {})
    expand = _expand(params)
    session = checkout.create_session(params, request.app[SETTINGS].base_url)
    return json_response(session.to_stripe(expand))


async def retrieve_session(request: web.Request) -> web.Response:
    expand = _expand(unflatten_data(request.query))
    return json_response(_session(request).to_stripe(expand))


async def update_session(request: web.Request) -> web.Response:
    session = _session(request)
    params = dict(await get_post_data(request) or {})
    expand = _expand(params)
    checkout.update_metadata(session, params)
    return json_response(session.to_stripe(expand))


async def expire_session(request: web.Request) -> web.Response:
    session = _session(request)
    params = dict(await get_post_data(request) or {})
    checkout.expire(session, request.app[DISPATCHER])
    return json_response(session.to_stripe(_expand(params)))


async def list_line_items(request: web.Request) -> web.Response:
    session = _session(request)
    return json_response(session.line_items_list())


async def list_sessions(request: web.Request) -> web.Response:
    params = unflatten_data(request.query)
    dispatcher = request.app[DISPATCHER]
    in_range = created_filter(params.get("created"))
    wanted = {k: params.get(k) for k in ("status", "payment_intent", "customer")}
    if checkout.expire_overdue(dispatcher):
        state.save()
    sessions = []
    for session in checkout.all_sessions():
        if in_range(session.created) and all(
            value is None or getattr(session, name) == value
            for name, value in wanted.items()
        ):
            sessions.append(session)
    expand = list_expand(params)
    return json_response(
        paginate(
            newest_first(sessions, lambda s: s.created),
            params,
            url="/v1/checkout/sessions",
            object_id=lambda s: s.id,
            export=lambda s: s.to_stripe(expand),
        )
    )


def add_routes(router: web.UrlDispatcher) -> None:
    base = "/v1/checkout/sessions"
    router.add_post(base, create_session)
    router.add_get(base, list_sessions)
    router.add_get(base + "/{id}", retrieve_session)
    router.add_post(base + "/{id}", update_session)
    router.add_post(base + "/{id}/expire", expire_session)
    router.add_get(base + "/{id}/line_items", list_line_items)
