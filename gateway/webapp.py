"""The web app on the API's origin: its build at /, sign-in settings, GraphiQL.

The app is a client of the public GraphQL API only. It is served here so that
`/`, `/graphql` and `/webhooks/stripe` share an origin (no CORS). Any path that
is not the API's is a page of the app (`/directory?country=JP`): the app's
`index.html` answers it and the app's router draws the page.

The public pages that need no sign-in (`/`, `/directory`, `/statistics`) were
drawn at build time too (frontend/scripts/prerender.mjs): their HTML is the page
in its loading state, which the app's script then takes over, so the page
draws before its script has run. With a query string (`/directory?country=JP`)
the page differs from what was drawn, and the plain `index.html` answers.

Each page's HTML names the JavaScript chunks of that page (a
`<meta name="page-modules">`, from the build's manifest). The entry
(frontend/src/boot.ts) fetches them beside the app once the page has shown:
together instead of one after another, and after what the visitor sees. The
build writes each asset compressed too (`.br`, `.gz`); the one the browser
accepts is sent as it is, without compressing per request.

`/auth/config` tells the app how people sign in: the organisation's OpenID
Connect provider in production, or, with the development settings only, the
development sign-in page backed by `/auth/dev/token`.
"""

from __future__ import annotations

import html
import json
import logging
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.datastructures import Headers
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


# The build's manifest (frontend/vite.config.ts `build.manifest`).
MANIFEST = Path(".vite") / "manifest.json"
ENTRY = "index.html"
# Each page's modules in the build's manifest (frontend/src/pages/public/
# routes.tsx): the page, and the lazy parts it loads at once.
PAGE_MODULES: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r""), ("src/pages/public/Home.tsx",)),
    (re.compile(r"directory/?"), ("src/pages/public/Directory.tsx",)),
    (
        re.compile(r"statistics/?"),
        (
            "src/pages/public/Statistics.tsx",
            "src/pages/public/WorldMap.tsx",
            "src/pages/public/StatsCharts.tsx",
        ),
    ),
    (re.compile(r"partnerships/[^/]+/?"), ("src/pages/public/Partnership.tsx",)),
)
# The pages drawn at build time (frontend/scripts/prerender.mjs `PAGES`).
PRERENDERED = {"": "home", "directory": "directory", "statistics": "statistics"}
# Compressed copies the build writes beside an asset, the best first.
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))


class HashedAssets(StaticFiles):
    """Vite's assets have content hashes in their names: cache them for good.

    The build wrote each one compressed as well: the copy the browser accepts
    is sent (Content-Encoding), so no request spends CPU compressing.
    """

    async def check_config(self) -> None:
        # Before the first build there is no folder: a missing asset is 404,
        # not the error StaticFiles raises for a missing directory.
        if Path(str(self.directory)).is_dir():
            await super().check_config()

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await self._compressed(path, scope)
        if response is None:
            response = await super().get_response(path, scope)
        response.headers["Vary"] = "Accept-Encoding"
        if response.status_code == 200:
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response

    async def _compressed(self, path: str, scope: Scope) -> Response | None:
        accepted = _accepted_encodings(Headers(scope=scope).get("accept-encoding", ""))
        for encoding, suffix in ENCODINGS:
            if encoding not in accepted:
                continue
            full, stat = self.lookup_path(path + suffix)
            if stat is None or not full:
                continue
            media_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return FileResponse(
                full,
                stat_result=stat,
                media_type=media_type,
                headers={"Content-Encoding": encoding},
            )
        return None


def _accepted_encodings(header: str) -> set[str]:
    """The codings of an Accept-Encoding header, less those refused with q=0."""
    accepted = set()
    for part in header.split(","):
        name, *params = (item.strip() for item in part.split(";"))
        refused = any(
            p.replace(" ", "").lower() in ("q=0", "q=0.0", "q=0.00", "q=0.000")
            for p in params
        )
        if name and not refused:
            accepted.add(name.lower())
    return accepted


@dataclass(frozen=True)
class Preloads:
    """The page's chunks to preload, from the manifest of one build."""

    built: float  # index.html's mtime: a new build reads the manifest again
    manifest: dict[str, Any]

    def for_page(self, path: str) -> list[str]:
        modules = next(
            (found for pattern, found in PAGE_MODULES if pattern.fullmatch(path)), ()
        )
        # What index.html already loads or preloads is not named again.
        loaded = self._closure([ENTRY])
        chunks = self._closure([m for m in modules if m in self.manifest])
        return [
            "/" + self.manifest[key]["file"]
            for key in sorted(chunks - loaded)
            if str(self.manifest[key].get("file", "")).endswith(".js")
        ]

    def _closure(self, keys: list[str]) -> set[str]:
        seen: set[str] = set()
        todo = list(keys)
        while todo:
            key = todo.pop()
            if key in seen or key not in self.manifest:
                continue
            seen.add(key)
            todo.extend(self.manifest[key].get("imports", []))
        return seen


class WebApp:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.dist = settings.web_dist
        self._preloads: Preloads | None = None

    def routes(self) -> list[BaseRoute]:
        routes: list[BaseRoute] = [
            Route("/auth/config", self.auth_config, methods=["GET"]),
        ]
        if self.settings.dev_login:
            routes.append(Route("/auth/dev/token", self.dev_token, methods=["POST"]))
        assets = HashedAssets(directory=self.dist / "assets", check_dir=False)
        routes += [
            Mount("/assets", app=assets),
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
        page = self._html(index, path, prerendered=not request.url.query)
        if modules := self.preloads(index).for_page(path):
            names = html.escape(" ".join(modules))
            page = page.replace(
                "</head>", f'<meta name="page-modules" content="{names}"></head>', 1
            )
        return HTMLResponse(page, headers={"Cache-Control": "no-cache"})

    def _html(self, index: Path, path: str, *, prerendered: bool) -> str:
        """The page's build-time HTML when there is one, else the app's index."""
        name = PRERENDERED.get(path.rstrip("/")) if prerendered else None
        if name is not None:
            drawn = self.dist / "prerendered" / f"{name}.html"
            try:
                return drawn.read_text()
            except OSError:
                pass  # a build without them: the app draws the page
        return index.read_text()

    def preloads(self, index: Path) -> Preloads:
        built = index.stat().st_mtime
        if self._preloads is None or self._preloads.built != built:
            try:
                manifest = json.loads((self.dist / MANIFEST).read_text())
            except (OSError, ValueError):
                manifest = {}  # a build without a manifest: no preloads
            self._preloads = Preloads(built, manifest)
        return self._preloads

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
