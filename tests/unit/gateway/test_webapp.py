"""The web app on the API's origin (gateway/webapp.py): pages, assets, sign-in."""

from __future__ import annotations

import dataclasses
import gzip
import json
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from gateway.auth import Authenticator
from gateway.settings import Settings
from gateway.webapp import WebApp

SECRET = "webapp-tests-secret-0123456789abcdef"
INDEX = "<!doctype html><head></head><div id=root></div><!-- the app -->"
SCRIPT = "console.log(1);" * 200
# A build's manifest as Vite writes it: the entry, a page and the chunks they share.
MANIFEST = {
    "index.html": {"file": "assets/app-1a2b3c.js", "imports": ["_vendor.js"]},
    "_vendor.js": {"file": "assets/vendor-9f9f.js"},
    "_table.js": {"file": "assets/Table-4d4d.js", "imports": ["index.html"]},
    "src/pages/public/Directory.tsx": {
        "file": "assets/Directory-5e5e.js",
        "imports": ["index.html", "_vendor.js", "_table.js"],
        "css": ["assets/Directory-5e5e.css"],
    },
}


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text(INDEX)
    (tmp_path / "graphiql.html").write_text("<title>GraphiQL</title>")
    (tmp_path / "favicon.svg").write_text("<svg/>")
    (tmp_path / "assets" / "app-1a2b3c.js").write_text(SCRIPT)
    # The build's compressed copy, as vite.config.ts writes it.
    (tmp_path / "assets" / "app-1a2b3c.js.gz").write_bytes(
        gzip.compress(SCRIPT.encode())
    )
    (tmp_path / ".vite").mkdir()
    (tmp_path / ".vite" / "manifest.json").write_text(json.dumps(MANIFEST))
    return tmp_path


def settings(dist: Path, **changes: object) -> Settings:
    base = dataclasses.replace(
        Settings.from_env(),
        jwt_secret=SECRET,
        jwks_url=None,
        issuer=None,
        audience=None,
        web_dist=dist,
        dev_login=True,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def client(settings: Settings) -> TestClient:
    return TestClient(Starlette(routes=WebApp(settings).routes()))


def test_deep_links_load_the_app(dist: Path) -> None:
    web = client(settings(dist))
    for path in ("/", "/member/invoices/x/paid", "/statistics"):
        response = web.get(path)
        assert response.status_code == 200, path
        assert response.text == INDEX  # no chunk of these pages in the manifest
        assert response.headers["cache-control"] == "no-cache"
    assert web.get("/directory?country=JP").text.startswith(
        '<!doctype html><head><meta name="page-modules"'
    )


def test_a_page_names_its_chunks_not_the_entrys(dist: Path) -> None:
    page = client(settings(dist)).get("/directory?country=JP").text
    assert page == (
        "<!doctype html><head>"
        '<meta name="page-modules" '
        'content="/assets/Table-4d4d.js /assets/Directory-5e5e.js">'
        "</head><div id=root></div><!-- the app -->"
    )


def test_public_pages_are_sent_as_drawn_at_build_time(dist: Path) -> None:
    (dist / "prerendered").mkdir()
    for name in ("home", "directory", "statistics"):
        (dist / "prerendered" / f"{name}.html").write_text(
            f"<!doctype html><head></head><div id=root data-prerendered>{name}</div>"
        )
    web = client(settings(dist))
    assert web.get("/").text.endswith(">home</div>")
    assert web.get("/statistics/").text.endswith(">statistics</div>")
    directory = web.get("/directory")
    assert directory.headers["cache-control"] == "no-cache"
    assert directory.text == (
        "<!doctype html><head>"
        '<meta name="page-modules" '
        'content="/assets/Table-4d4d.js /assets/Directory-5e5e.js">'
        "</head><div id=root data-prerendered>directory</div>"
    )
    # Filters in the address draw another page than the one drawn: the app draws it.
    assert web.get("/directory?country=JP").text.endswith("<!-- the app -->")
    assert web.get("/member").text == INDEX


def test_a_new_build_is_read_again(dist: Path) -> None:
    web = client(settings(dist))
    assert "Directory-5e5e.js" in web.get("/directory").text
    (dist / ".vite" / "manifest.json").write_text("{}")
    (dist / "index.html").write_text(INDEX + " ")
    assert web.get("/directory").text == INDEX + " "


def test_assets_are_cached_for_good_and_sent_as_built(dist: Path) -> None:
    web = client(settings(dist))
    response = web.get("/assets/app-1a2b3c.js", headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert "immutable" in response.headers["cache-control"]
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["vary"] == "Accept-Encoding"
    compressed = (dist / "assets" / "app-1a2b3c.js.gz").stat().st_size
    assert response.headers["content-length"] == str(compressed)
    assert response.text == SCRIPT  # decoded by the client
    # Brotli is preferred, but this build has no .br copy: gzip it is.
    response = web.get("/assets/app-1a2b3c.js", headers={"accept-encoding": "br, gzip"})
    assert response.headers["content-encoding"] == "gzip"
    for refused in ("identity", "gzip;q=0", ""):
        response = web.get(
            "/assets/app-1a2b3c.js", headers={"accept-encoding": refused}
        )
        assert "content-encoding" not in response.headers, refused
        assert response.content == SCRIPT.encode()
        assert "immutable" in response.headers["cache-control"]
    assert web.get("/assets/missing.js").status_code == 404
    assert web.get("/favicon.svg").text == "<svg/>"


def test_an_unbuilt_app_says_how_to_build_it(tmp_path: Path) -> None:
    response = client(settings(tmp_path / "nothing")).get("/directory")
    assert response.status_code == 503
    assert "make run" in response.text
    assert "https://" not in WebApp(settings(tmp_path)).graphiql_html()
    assert client(settings(tmp_path / "nothing")).get("/assets/a.js").status_code == 404


def test_graphiql_is_the_platform_build(dist: Path) -> None:
    assert WebApp(settings(dist)).graphiql_html() == "<title>GraphiQL</title>"


async def test_development_sign_in_issues_verified_tokens(dist: Path) -> None:
    config = settings(dist)
    web = client(config)
    assert web.get("/auth/config").json() == {
        "mode": "development",
        "devTokenUrl": "/auth/dev/token",
    }
    auth = Authenticator(config)
    staff = web.post("/auth/dev/token", json={"role": "staff"}).json()["token"]
    assert (await auth.identity(f"Bearer {staff}")).role == "staff"
    member = web.post("/auth/dev/token", json={"role": "member", "memberId": "m-7"})
    identity = await auth.identity(f"Bearer {member.json()['token']}")
    assert (identity.role, identity.member_id) == ("member", "m-7")
    reviewer = web.post(
        "/auth/dev/token", json={"role": "reviewer", "reviewerId": "r-1"}
    )
    identity = await auth.identity(f"Bearer {reviewer.json()['token']}")
    assert (identity.role, identity.reviewer_id) == ("reviewer", "r-1")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"role": "member"}, "memberId"),
        ({"role": "reviewer", "reviewerId": " "}, "reviewerId"),
        ({"role": "admin"}, "role"),
        ([1, 2], "body"),
    ],
)
def test_a_bad_token_request_names_the_field(
    dist: Path, body: object, field: str
) -> None:
    response = client(settings(dist)).post("/auth/dev/token", json=body)
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert "token" not in response.json()


def test_not_json_is_refused(dist: Path) -> None:
    response = client(settings(dist)).post("/auth/dev/token", content=b"\xff{")
    assert response.status_code == 400


def test_no_development_tokens_with_an_issuer(dist: Path) -> None:
    production = settings(
        dist,
        jwks_url="https://id.example/jwks",
        issuer="https://id.example",
        auth_client_id="web",
        dev_login=False,
    )
    web = client(production)
    assert web.get("/auth/config").json() == {
        "mode": "oidc",
        "authority": "https://id.example",
        "clientId": "web",
        "scope": production.auth_scope,
    }
    # The path is a page of the app now, never a token.
    response = web.post("/auth/dev/token", json={"role": "staff"})
    assert response.status_code == 405
    assert "token" not in response.text


def test_settings_turn_development_sign_in_off_with_an_issuer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AUTH_JWKS_URL", "https://id.example/jwks")
    assert not Settings.from_env().dev_login
    monkeypatch.delenv("AUTH_JWKS_URL")
    assert Settings.from_env().dev_login
    monkeypatch.setenv("AUTH_DEV_LOGIN", "off")
    assert not Settings.from_env().dev_login
