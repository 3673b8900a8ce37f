"""Who is calling: `Authorization: Bearer <JWT>` verified into an `Identity`.

Development: HS256 signed with AUTH_JWT_SECRET. Production: set AUTH_JWKS_URL
and tokens are RS256, verified with the issuer's published keys (PyJWKClient,
cached). AUTH_ISSUER / AUTH_AUDIENCE, when set, are required in either mode.
No header means anonymous; a bad, expired or wrongly signed token is refused.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import warnings
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from typing import Any

import jwt
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from common.errors import Unauthenticated
from common.identity import ANONYMOUS, ROLES, Identity
from gateway.errors import unavailable
from gateway.settings import Settings

log = logging.getLogger(__name__)

REQUIRED_CLAIMS = ["sub", "role", "exp"]
LEEWAY_SECONDS = 30  # clock skew between the issuer and us
# Tokens verified lately, kept until they expire: the rate limit and the
# request both ask who a token is, and a client sends the same one each time.
VERIFIED_TOKENS = 10_000


@contextlib.contextmanager
def _quiet_short_hmac_key() -> Iterator[None]:
    # Reported once at startup instead of on every token (see Authenticator).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", jwt.InsecureKeyLengthWarning)
        yield


def identity_from_claims(claims: Mapping[str, Any]) -> Identity:
    role = claims.get("role")
    if role not in ROLES:
        raise Unauthenticated(f"token role must be one of {', '.join(ROLES)}")
    member_id = claims.get("member_id")
    reviewer_id = claims.get("reviewer_id")
    if role == "member" and not member_id:
        raise Unauthenticated("member token without member_id")
    if role == "reviewer" and not reviewer_id:
        raise Unauthenticated("reviewer token without reviewer_id")
    return Identity(
        sub=str(claims["sub"]),
        role=role,
        member_id=str(member_id) if member_id else None,
        reviewer_id=str(reviewer_id) if reviewer_id else None,
    )


class Authenticator:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.jwks = (
            jwt.PyJWKClient(settings.jwks_url, cache_keys=True, timeout=5)
            if settings.jwks_url
            else None
        )
        self.algorithms = ["RS256"] if self.jwks else ["HS256"]
        # token -> (its identity, when it expires, leeway included)
        self._verified: OrderedDict[str, tuple[Identity, float]] = OrderedDict()
        if not self.jwks and len(settings.jwt_secret.encode()) < 32:
            log.warning("AUTH_JWT_SECRET is a short development secret (HS256)")

    async def identity(self, authorization: str | None) -> Identity:
        """The caller of a request with this `Authorization` header value.

        Raises `Unauthenticated` for a bad token, `ServiceError(UNAVAILABLE)`
        when the issuer's keys cannot be fetched.
        """
        if not authorization:
            return ANONYMOUS
        scheme, _, token = authorization.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise Unauthenticated("expected 'Authorization: Bearer <token>'")
        known = self._verified.get(token)
        if known is not None:
            if time.time() < known[1]:
                self._verified.move_to_end(token)
                return known[0]
            del self._verified[token]  # expired: verified again, and refused
        key = await self._key(token)
        try:
            with _quiet_short_hmac_key():
                claims = jwt.decode(
                    token,
                    key,
                    algorithms=self.algorithms,
                    audience=self.settings.audience,
                    issuer=self.settings.issuer,
                    leeway=LEEWAY_SECONDS,
                    options={"require": REQUIRED_CLAIMS},
                )
        except jwt.ExpiredSignatureError:
            raise Unauthenticated("token expired") from None
        except jwt.InvalidTokenError as exc:
            log.info("token refused: %s", exc)
            raise Unauthenticated("invalid token") from None
        self._check_lifetime(claims)
        identity = identity_from_claims(claims)
        self._verified[token] = (identity, claims["exp"] + LEEWAY_SECONDS)
        if len(self._verified) > VERIFIED_TOKENS:
            self._verified.popitem(last=False)
        return identity

    def _check_lifetime(self, claims: Mapping[str, Any]) -> None:
        """A token lives at most AUTH_MAX_TOKEN_HOURS: a stolen one that
        never expires would be a key for good. Measured from `iat` when the
        token has one, and from now in any case."""
        hours = self.settings.max_token_hours
        longest = hours * 3600 + LEEWAY_SECONDS
        now = time.time()
        issued = claims.get("iat")
        start = issued if isinstance(issued, int | float) else now
        if claims["exp"] - min(start, now) > longest:
            raise Unauthenticated(f"token lifetime is longer than {hours:g} h")

    async def _key(self, token: str) -> Any:
        if self.jwks is None:
            return self.settings.jwt_secret
        try:
            # PyJWKClient fetches with urllib: keep it off the event loop.
            signing = await asyncio.to_thread(self.jwks.get_signing_key_from_jwt, token)
        except jwt.PyJWKClientConnectionError as exc:
            raise unavailable("cannot verify tokens now", detail=str(exc)) from exc
        except (jwt.PyJWKClientError, jwt.InvalidTokenError) as exc:
            log.info("token refused: %s", exc)
            raise Unauthenticated("invalid token") from None
        return signing.key


class RefuseBadToken(SchemaExtension):
    """A request whose token was refused runs nothing: UNAUTHENTICATED.

    Raised as a GraphQLError that already has its code, since an exception
    from this hook bypasses the error-masking extension.
    """

    def on_execute(self) -> Iterator[None]:
        error = getattr(self.execution_context.context, "auth_error", None)
        if error is not None:
            raise GraphQLError(
                getattr(error, "message", "invalid token"),
                extensions={"code": getattr(error, "code", "UNAUTHENTICATED")},
            )
        yield


def issue_token(
    settings: Settings,
    role: str,
    *,
    sub: str | None = None,
    member_id: str | None = None,
    reviewer_id: str | None = None,
    hours: float = 12,
) -> str:
    """A development (HS256) token; production tokens come from the issuer."""
    if hours > settings.max_token_hours:
        raise ValueError(
            f"a token may live at most {settings.max_token_hours:g} h "
            "(AUTH_MAX_TOKEN_HOURS)"
        )
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": sub or f"dev-{role}",
        "role": role,
        "iat": now,
        "exp": now + int(hours * 3600),
    }
    if member_id:
        claims["member_id"] = member_id
    if reviewer_id:
        claims["reviewer_id"] = reviewer_id
    if settings.issuer:
        claims["iss"] = settings.issuer
    if settings.audience:
        claims["aud"] = settings.audience
    with _quiet_short_hmac_key():
        return jwt.encode(claims, settings.jwt_secret, algorithm="HS256")
