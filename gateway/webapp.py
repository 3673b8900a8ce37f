"""The web app on the API's origin: its build at /, sign-in settings, GraphiQL.

The app is a client of the public GraphQL API only. It is served here so that
`/`, `/graphql` and `/webhooks/stripe` share an origin (no CORS). Any path that
is not the API's is a page of the app (`/directory?country=JP`): the app's
`index.html` answers it and the app's router draws the page.

`/auth/config` tells the app how people sign in: the organisation's OpenID
Connect provider in production, or, with the development settings only, the
development sign-in page backed by `/auth/dev/token`.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from gateway.auth import issue_token
from gateway.settings import Settings

log = logging.getLogger(__name__)

DEV_TOKEN_HOURS = 12
MAX_TOKEN_REQUEST_BYTES = 4096
ROLES_WITH_ID = {"member": "memberId", "reviewer": "reviewerId"}
NOT_BUILT = (
    "<!doctype html><html lang=en><meta charset=utf-8><title>Sister Cities</title>"
    "<p>The web app and GraphiQL are not built. <code>make run</code> builds "
    "them; or run <code>npm ci &amp;&amp; npm run build</code> in "
    "<code>frontend/</code>.</p>"
)


class HashedAssets(StaticFiles):
    """Vite's assets have content hashes in their names: cache them for good."""

    async def check_config(self) -> None:
        # Before the first build there is no folder: a missing asset is 404,
        # not the error StaticFiles raises for a missing directory.
        if Path(str(self.directory)).is_dir():
            await super().check_config()

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response


class WebApp:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.dist = settings.web_dist

    def routes(self) -> list[BaseRoute]:
        routes: list[BaseRoute] = [
            Route("/auth/config", self.auth_config, methods=["GET"]),
        ]
        if self.settings.dev_login:
            routes.append(Route("/auth/dev/token", self.dev_token, methods=["POST"]))
        assets = HashedAssets(directory=self.dist / "assets", check_dir=False)
        routes += [
            # Compressed here so the first page loads fast without a proxy in front.
            Mount("/assets", app=GZipMiddleware(assets, minimum_size=1024)),
            Route("/{path:path}", self.page, methods=["GET", "HEAD"]),
        ]
        return routes

    def graphiql_html(self) -> str:
        """GraphiQL, built from the npm package with the app: no CDN."""
        page = self.dist / "graphiql.html"
        return page.read_text() if page.is_file() else NOT_BUILT

    async def page(self, request: Request) -> Response:
        path = request.path_params["path"]
        top_level = self.dist / path
        # Files at the build's top level (favicon.svg); everything else is a page.
        if path and "/" not in path and top_level.is_file():
            return FileResponse(top_level)
        index = self.dist / "index.html"
        if not index.is_file():
            return HTMLResponse(NOT_BUILT, status_code=503)
        return FileResponse(index, headers={"Cache-Control": "no-cache"})

    async def auth_config(self, request: Request) -> JSONResponse:
        settings = self.settings
        config: dict[str, Any]
        if settings.jwks_url:
            config = {
                "mode": "oidc",
                "authority": settings.issuer,
                "clientId": settings.auth_client_id,
                "scope": settings.auth_scope,
            }
        elif settings.dev_login:
            config = {"mode": "development", "devTokenUrl": "/auth/dev/token"}
        else:
            config = {"mode": "none"}
        return JSONResponse(config, headers={"Cache-Control": "no-store"})

    async def dev_token(self, request: Request) -> JSONResponse:
        """A development token for the sign-in page: whom to act as is chosen."""
        body = await request.body()
        if len(body) > MAX_TOKEN_REQUEST_BYTES:
            return _bad("body", "the request is too large")
        try:
            wanted = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            return _bad("body", "must be a JSON object")
        if not isinstance(wanted, dict):
            return _bad("body", "must be a JSON object")
        role = wanted.get("role")
        if role not in ("staff", *ROLES_WITH_ID):
            return _bad("role", "must be one of staff, member, reviewer")
        ids: dict[str, str] = {}
        if field := ROLES_WITH_ID.get(role):
            value = wanted.get(field)
            if not isinstance(value, str) or not value.strip() or len(value) > 64:
                return _bad(field, f"a {role} token needs the {role}'s id")
            ids[f"{role}_id"] = value.strip()
        token = issue_token(
            self.settings,
            role,
            sub=f"dev-{role}" + (f"-{next(iter(ids.values()))}" if ids else ""),
            hours=DEV_TOKEN_HOURS,
            **ids,
        )
        log.info("development token issued for %s %s", role, ids or "")
        return JSONResponse({"token": token}, headers={"Cache-Control": "no-store"})


def _bad(field: str, problem: str) -> JSONResponse:
    return JSONResponse(
        {"error": f"{field}: {problem}", "field": field}, status_code=400
    )
