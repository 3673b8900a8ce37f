"""The ASGI app: GraphQL at /graphql, /healthz, /readyz, /metrics, the Stripe
webhook, the web app."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

from cross_web import HTTPException
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import ASGIApp
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.schema import BaseSchema
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.unset import UnsetType

from common import config, correlation
from common.errors import DomainError
from common.fastpaths.strawberry import DocumentCache
from common.heap import freeze_startup_heap
from common.plain_json import dumps_plain
from gateway import observability, subscriptions, unsubscribe, webhooks
from gateway.auth import Authenticator
from gateway.context import Context
from gateway.errors import ServiceError
from gateway.guards import BodySizeLimit, SecurityHeaders, content_security_policy
from gateway.limits import Limits
from gateway.middleware import CorrelationMiddleware
from gateway.ratelimit import RateLimit, buckets
from gateway.rpc import RpcClient
from gateway.schema import DOMAINS, build_schema
from gateway.settings import Settings
from gateway.webapp import WebApp

log = logging.getLogger(__name__)

BODY_SHAPE = 'the body must be a JSON object: {"query": "...", "variables": {...}}'


class GraphQLView(GraphQL[Context, None]):
    def __init__(
        self,
        schema: BaseSchema,
        rpc: RpcClient,
        auth: Authenticator,
        graphiql_html: Callable[[], str],
        graphiql: bool = True,
        allowed_origins: tuple[str, ...] = (),
    ):
        super().__init__(
            schema,
            graphql_ide="graphiql" if graphiql else None,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            # WebSocket handshakes from other origins: only these.
            allowed_origins=allowed_origins,
        )
        self.rpc = rpc
        self.auth = auth
        self.graphiql_html = graphiql_html

    async def render_graphql_ide(self, request: Request) -> Response:
        # The platform's own build of GraphiQL, not strawberry's CDN page.
        return HTMLResponse(self.graphiql_html())

    def parse_json(self, data: str | bytes) -> Any:
        # strawberry answers 500 to a body that is JSON but not an object
        # (`null`, `1`, `"x"`) or not UTF-8 inside: a 400 that says why. A
        # query string's `variables` (text) are strawberry's to check.
        try:
            parsed = super().parse_json(data)
        except UnicodeDecodeError:
            raise HTTPException(400, "the body is not UTF-8") from None
        if isinstance(data, bytes) and not isinstance(parsed, dict | list):
            raise HTTPException(400, BODY_SHAPE)
        return parsed

    def encode_json(self, data: object) -> str:
        # orjson (`common.plain_json`): a directory page's response in ~8 us
        # instead of ~80 us. A str, as json's: a WebSocket message stays a text
        # frame. Anything but plain JSON values is json's, as before.
        if (body := dumps_plain(data)) is not None:
            return body.decode()
        encoded = super().encode_json(data)
        return encoded if isinstance(encoded, str) else encoded.decode()

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        context = Context(
            request=request,
            response=response,
            client=self.rpc,
            correlation_id=correlation.current() or correlation.new_id(),
        )
        await self._authenticate(context, request.headers.get("authorization"))
        return context

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object]:
        # Browsers cannot set headers on a WebSocket: the token may come in
        # the connection_init payload instead, as {"Authorization": "Bearer ..."}.
        params = context.connection_params or {}
        header = params.get("Authorization") or params.get("authorization")
        if isinstance(header, str):
            await self._authenticate(context, header)
        if context.auth_error is not None:
            raise ConnectionRejectionError({"code": "UNAUTHENTICATED"})
        return UnsetType()  # UNSET itself (a singleton), as its class: UNSET is untyped

    async def _authenticate(self, context: Context, header: str | None) -> None:
        try:
            context.identity = await self.auth.identity(header)
            context.auth_error = None
        except (DomainError, ServiceError) as exc:
            context.auth_error = exc


class Gateway(Starlette):
    """The app, with the security headers outside even Starlette's error
    handler: a 500 carries them too."""

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeaders(super().build_middleware_stack(), self.state.csp)


def cors(settings: Settings) -> list[Middleware]:
    """Cross-origin calls from the configured origins only (none by default:
    the web app is served from the API's own origin)."""
    if not settings.cors_origins:
        return []
    return [
        Middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "X-Correlation-ID"],
            expose_headers=["X-Correlation-ID"],
            max_age=600,
        )
    ]


def identity_provider(settings: Settings) -> tuple[str, ...]:
    """The origin the web app signs in with (OpenID Connect), if any."""
    if not (settings.jwks_url and settings.issuer):
        return ()
    parts = urlsplit(settings.issuer)
    return (f"{parts.scheme}://{parts.netloc}",) if parts.netloc else ()


def limits_of(settings: Settings) -> Limits:
    return Limits(
        max_depth=settings.max_depth,
        max_aliases=settings.max_aliases,
        max_tokens=settings.max_tokens,
        max_cost=settings.max_cost,
        max_cost_anonymous=settings.max_cost_anonymous,
    )


async def healthz(request: Request) -> JSONResponse:
    rpc: RpcClient = request.app.state.rpc
    return JSONResponse(
        {
            "status": "UP",
            "broker": "UP" if rpc.connected else "DOWN",
            "version": config.version(),
        }
    )


def create_app(
    settings: Settings | None = None, domains: tuple[ModuleType, ...] = DOMAINS
) -> Starlette:
    settings = settings or Settings.from_env()
    rpc = RpcClient(settings.amqp_uri, timeout=settings.rpc_timeout)
    schema = build_schema(
        limits_of(settings),
        domains,
        introspection=settings.introspection,
        cache=DocumentCache(settings.document_cache_bytes),
        spending=buckets(settings.cost_limit_per_minute, settings.cost_limit_burst),
    )
    web = WebApp(settings)
    auth = Authenticator(settings)
    view = GraphQLView(
        schema,
        rpc,
        auth,
        web.graphiql_html,
        settings.graphiql,
        settings.cors_origins,
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await rpc.start()
        # Serve even without a broker: calls answer UNAVAILABLE until it is up.
        if not await rpc.wait_ready(rpc.connect_timeout):
            log.warning("starting without a broker; still trying to connect")
        freeze_startup_heap()
        yield
        await subscriptions.hub.close()
        await rpc.close()

    app = Gateway(
        routes=[
            Route("/graphql", view, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", view),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", observability.readyz, methods=["GET"]),
            Route("/metrics", observability.metrics_page, methods=["GET"]),
            Route("/webhooks/stripe", webhooks.stripe, methods=["POST"]),
            Route(unsubscribe.PATH, unsubscribe.unsubscribe, methods=["GET", "POST"]),
            *web.routes(),  # last: every other GET is a page of the app
        ],
        middleware=[
            Middleware(CorrelationMiddleware),
            *cors(settings),
            Middleware(
                BodySizeLimit,
                limits={
                    "/graphql": settings.max_graphql_bytes,
                    "/webhooks/stripe": settings.max_webhook_bytes,
                },
                default=settings.max_graphql_bytes,
            ),
            Middleware(
                RateLimit,
                auth=auth,
                requests=buckets(
                    settings.rate_limit_per_minute, settings.rate_limit_burst
                ),
                failures=buckets(
                    settings.failure_limit_per_minute, settings.failure_limit_burst
                ),
            ),
        ],
        lifespan=lifespan,
    )
    app.state.rpc = rpc
    app.state.csp = content_security_policy(identity_provider(settings))
    return app
