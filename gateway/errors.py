"""What clients see when something fails: a stable `extensions.code`, no internals.

Expected failures (a `ServiceError` from RPC or a `common.errors.DomainError`
raised in the gateway) keep their message and get their code, plus `field`
when known. Anything else is masked as "internal error" with code
`INTERNAL_SERVER_ERROR` and the request's correlation id; the original is
logged server side only.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import MaskErrors

from common import correlation
from common.errors import MAX_MESSAGE, DomainError

log = logging.getLogger("gateway.errors")

PUBLIC_CODES = frozenset(
    {
        "NOT_FOUND",
        "BAD_USER_INPUT",
        "FORBIDDEN",
        "UNAUTHENTICATED",
        "CONFLICT",
        "UNAVAILABLE",
    }
)
INTERNAL = "INTERNAL"
TOKEN_LIMIT_MESSAGE = "Document contains more than"
MASKED_MESSAGE = "internal error"


class ServiceError(Exception):
    """A call that failed in a way the gateway understands.

    `code` is one of PUBLIC_CODES, or INTERNAL / METHOD_NOT_FOUND (masked for
    clients). `detail` is for logs only: it is never shown to a client.
    """

    def __init__(
        self,
        code: str,
        message: str,
        field: str | None = None,
        *,
        detail: str | None = None,
    ) -> None:
        super().__init__(code, message, field)
        self.code = code
        self.message = message
        self.field = field
        self.detail = detail

    @property
    def public(self) -> bool:
        return self.code in PUBLIC_CODES

    def __str__(self) -> str:
        text = f"{self.code}: {self.message}"
        return f"{text} ({self.detail})" if self.detail else text


def unavailable(message: str, detail: str | None = None) -> ServiceError:
    return ServiceError("UNAVAILABLE", message, detail=detail)


def public_error(exc: BaseException | None) -> tuple[str, str, str | None] | None:
    """(code, message, field) if `exc` may be shown to a client, else None."""
    if isinstance(exc, ServiceError) and exc.public:
        return exc.code, exc.message, exc.field
    if isinstance(exc, DomainError) and exc.code in PUBLIC_CODES:
        return exc.code, exc.message, exc.field
    return None


def _client_error_code(error: GraphQLError) -> str | None:
    """The code of an error in the request itself (parse, validation, variables)."""
    original = error.original_error
    if original is not None and not isinstance(original, GraphQLError):
        return None
    if error.extensions and "code" in error.extensions:
        return str(error.extensions["code"])  # raised on purpose, with its code
    if error.path is not None:
        return None  # raised while executing without a cause: a server bug
    if isinstance(error, GraphQLSyntaxError):
        # graphql-core's parser stops at MaxTokensLimiter's count with a
        # syntax error; a client should tell "too big" from "malformed".
        if TOKEN_LIMIT_MESSAGE in error.message:
            return "TOO_MANY_TOKENS"
        return "GRAPHQL_PARSE_FAILED"
    return "GRAPHQL_VALIDATION_FAILED"


def _short(message: str) -> str:
    """A message never quotes a whole input (graphql-core quotes a field
    name of any length, a service an input it refused)."""
    if len(message) <= MAX_MESSAGE:
        return message
    return f"{message[: MAX_MESSAGE - 1]}…"


def present(error: GraphQLError) -> GraphQLError:
    """The error as a client may see it."""
    message = MASKED_MESSAGE
    extensions: dict[str, Any]
    if known := public_error(error.original_error):
        code, message, field = known
        extensions = {"code": code} | ({"field": field} if field else {})
    elif client_code := _client_error_code(error):
        message = error.message
        extensions = {**(error.extensions or {}), "code": client_code}
    else:
        extensions = {
            "code": "INTERNAL_SERVER_ERROR",
            "correlationId": correlation.current(),
        }
    return GraphQLError(
        _short(message),
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=extensions,
    )


class ErrorCodes(MaskErrors):
    """strawberry's MaskErrors, deciding per error what the client may see."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=lambda _: True)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        return present(error)


def log_errors(errors: Iterable[GraphQLError]) -> None:
    """Expected errors in one line; unexpected ones with their traceback."""
    for error in errors:
        original = error.original_error
        if public_error(original) or _client_error_code(error):
            # An UNAVAILABLE's detail (the broker's error) is for the log only.
            detail = getattr(original, "detail", None)
            log.info(
                "graphql error at %s: %s%s",
                error.path or "-",
                _short(error.message),
                f" ({detail})" if detail else "",
            )
            continue
        # ServiceError.__str__ carries the remote exc_type and value.
        log.error(
            "unexpected error at %s: %s",
            error.path or "-",
            original or error.message,
            exc_info=(type(original), original, original.__traceback__)
            if original is not None
            else None,
        )
