"""The gateway's settings, read from the environment once per process."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from common import config, production
from common.config import REPO_ROOT, env

# Long enough for HS256 (RFC 7518: at least 32 bytes); never for production.
DEV_JWT_SECRET = "dev-only-secret-change-me-in-production"


def _switch(name: str, default: bool) -> bool:
    value = env(name, "").strip().lower()
    if not value:
        return default
    return value not in ("off", "0", "false", "no")


def _origins(raw: str) -> tuple[str, ...]:
    return tuple(o.strip().rstrip("/") for o in raw.split(",") if o.strip())


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
    # PLATFORM_ENV=production (common.production).
    production: bool = False
    # A token may be valid for at most this long (exp - iat, or exp - now).
    max_token_hours: float = 24.0
    # What one GraphQL document may ask for (gateway/limits.py).
    max_aliases: int = 15
    max_tokens: int = 2000
    max_cost: int = 1000
    max_cost_anonymous: int = 300
    # Request bodies (HTTP 413 past these).
    max_graphql_bytes: int = 64 * 1024
    max_webhook_bytes: int = 256 * 1024
    # Parsed documents kept, by the size of their texts.
    document_cache_bytes: int = 4 * 1024 * 1024
    # Per caller (token subject, else client address): requests, and the cost
    # of their queries; 0 turns either off.
    rate_limit_per_minute: int = 1200
    rate_limit_burst: int = 200
    cost_limit_per_minute: int = 20_000
    cost_limit_burst: int = 2_000
    # Refused tokens and webhook signatures, per client address.
    failure_limit_per_minute: int = 60
    failure_limit_burst: int = 30
    # Browser origins other than the gateway's own that may call the API.
    cors_origins: tuple[str, ...] = ()
    introspection: bool = True
    graphiql: bool = True

    @classmethod
    def from_env(cls) -> Settings:
        prod = production.is_production()
        jwks_url = env("AUTH_JWKS_URL", "") or None
        return cls(
            amqp_uri=config.amqp_uri(),
            host=env("GATEWAY_HOST", "127.0.0.1"),
            port=int(env("GATEWAY_PORT", "8000")),
            rpc_timeout=float(env("RPC_TIMEOUT_SECONDS", "10")),
            max_depth=int(env("GRAPHQL_MAX_DEPTH", "10")),
            # Production has no default: production_problems() names it.
            jwt_secret=env("AUTH_JWT_SECRET", "" if prod else DEV_JWT_SECRET),
            jwks_url=jwks_url,
            issuer=env("AUTH_ISSUER", "") or None,
            audience=env("AUTH_AUDIENCE", "") or None,
            log_level=env("LOG_LEVEL", "INFO"),
            web_dist=Path(env("WEB_DIST", str(REPO_ROOT / "frontend" / "dist"))),
            auth_client_id=env("AUTH_CLIENT_ID", "") or None,
            auth_scope=env("AUTH_SCOPE", "openid profile email"),
            dev_login=not jwks_url and _switch("AUTH_DEV_LOGIN", not prod),
            production=prod,
            max_token_hours=float(env("AUTH_MAX_TOKEN_HOURS", "24")),
            max_aliases=int(env("GRAPHQL_MAX_ALIASES", "15")),
            max_tokens=int(env("GRAPHQL_MAX_TOKENS", "2000")),
            max_cost=int(env("GRAPHQL_MAX_COST", "1000")),
            max_cost_anonymous=int(env("GRAPHQL_MAX_COST_ANONYMOUS", "300")),
            max_graphql_bytes=int(env("GRAPHQL_MAX_BODY_BYTES", str(64 * 1024))),
            max_webhook_bytes=int(env("WEBHOOK_MAX_BODY_BYTES", str(256 * 1024))),
            document_cache_bytes=int(
                env("GRAPHQL_DOCUMENT_CACHE_BYTES", str(4 * 1024 * 1024))
            ),
            rate_limit_per_minute=int(env("RATE_LIMIT_PER_MINUTE", "1200")),
            rate_limit_burst=int(env("RATE_LIMIT_BURST", "200")),
            cost_limit_per_minute=int(env("RATE_LIMIT_COST_PER_MINUTE", "20000")),
            cost_limit_burst=int(env("RATE_LIMIT_COST_BURST", "2000")),
            failure_limit_per_minute=int(env("FAILURE_LIMIT_PER_MINUTE", "60")),
            failure_limit_burst=int(env("FAILURE_LIMIT_BURST", "30")),
            cors_origins=_origins(env("CORS_ORIGINS", "")),
            introspection=_switch("GRAPHQL_INTROSPECTION", not prod),
            graphiql=_switch("GRAPHIQL", not prod),
        )

    def production_problems(self) -> list[str | None]:
        """What keeps the gateway from running in production (common.production)."""
        problems: list[str | None] = [*production.broker_problems()]
        if not self.jwks_url:
            problems.append(
                production.secret_problem(
                    "AUTH_JWT_SECRET",
                    [DEV_JWT_SECRET],
                    production.MIN_SECRET_LENGTH,
                )
            )
        if self.dev_login:
            problems.append(
                "AUTH_DEV_LOGIN is on: /auth/dev/token hands out tokens "
                "(development only)"
            )
        return problems
