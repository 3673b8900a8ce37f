"""Expected errors: each maps to a stable GraphQL `extensions.code`.

Raised by domain and service-layer code, they cross nameko RPC by type name
(`exc_type` in the reply), which the gateway maps to a code. Their args are
(message, field) so the field survives the trip.
"""

from __future__ import annotations

# A message says what is wrong in a sentence; one that quotes a huge input
# (a megabyte of "email") is cut here, whoever raised it.
MAX_MESSAGE = 300


def shown(value: object, limit: int = 60) -> str:
    """`repr(value)`, shortened: for quoting an input in a message."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


class DomainError(Exception):
    code = "INTERNAL"

    def __init__(self, message: str, field: str | None = None) -> None:
        if len(message) > MAX_MESSAGE:
            message = f"{message[: MAX_MESSAGE - 1]}…"
        super().__init__(message, field)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class BadInput(DomainError):
    code = "BAD_USER_INPUT"


class NotFound(DomainError):
    code = "NOT_FOUND"


class Forbidden(DomainError):
    code = "FORBIDDEN"


class Unauthenticated(DomainError):
    code = "UNAUTHENTICATED"


class Conflict(DomainError):
    code = "CONFLICT"


class Unavailable(DomainError):
    """Something this call needs (another service, Stripe) is not answering."""

    code = "UNAVAILABLE"


# exc_type name -> GraphQL code; the gateway reads this table.
CODES: dict[str, str] = {
    cls.__name__: cls.code
    for cls in (BadInput, NotFound, Forbidden, Unauthenticated, Conflict, Unavailable)
}
