"""The gateway's settings, read from the environment once per process."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from common import config
from common.config import REPO_ROOT, env

# Long enough for HS256 (RFC 7518: at least 32 bytes); never for production.
DEV_JWT_SECRET = "dev-only-secret-change-me-in-production"


@dataclass(frozen=True)
class Settings:
    amqp_uri: str
    host: str
    port: int
    rpc_timeout: float
    max_depth: int
    jwt_secret: str
    jwks_url: str | None
    issuer: str | None
    audience: str | None
    log_level: str
    # The web app's production build, served at / (`make run` builds it).
    web_dist: Path
    # The web app's OpenID Connect client (production sign-in).
    auth_client_id: str | None
    auth_scope: str
    # The development sign-in page's token endpoint: never with an issuer's keys.
    dev_login: bool

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            amqp_uri=config.amqp_uri(),
            host=env("GATEWAY_HOST", "127.0.0.1"),
            port=int(env("GATEWAY_PORT", "8000")),
            rpc_timeout=float(env("RPC_TIMEOUT_SECONDS", "10")),
            max_depth=int(env("GRAPHQL_MAX_DEPTH", "10")),
            jwt_secret=env("AUTH_JWT_SECRET", DEV_JWT_SECRET),
            jwks_url=env("AUTH_JWKS_URL", "") or None,
            issuer=env("AUTH_ISSUER", "") or None,
            audience=env("AUTH_AUDIENCE", "") or None,
            log_level=env("LOG_LEVEL", "INFO"),
            web_dist=Path(env("WEB_DIST", str(REPO_ROOT / "frontend" / "dist"))),
            auth_client_id=env("AUTH_CLIENT_ID", "") or None,
            auth_scope=env("AUTH_SCOPE", "openid profile email"),
            dev_login=not env("AUTH_JWKS_URL", "")
            and env("AUTH_DEV_LOGIN", "on").lower() not in ("off", "0", "false", "no"),
        )
