"""The gateway's settings, read from the environment once per process."""

from __future__ import annotations

from dataclasses import dataclass

from common import config
from common.config import env

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
        )
