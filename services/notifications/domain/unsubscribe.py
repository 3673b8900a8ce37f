"""Signed unsubscribe links: they work without signing in, for one member
community and one optional kind, and cannot be made for another.

A token is `<member id>.<kind>.<signature>`, the signature an HMAC-SHA256 of
the first two parts under the service's key (base64url, unpadded). It does
not expire: a link in an old message still works, as mail providers expect.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

from common.errors import BadInput
from services.notifications.domain.kinds import Kind
from services.notifications.domain.preferences import check_optional

INVALID = "this unsubscribe link is not valid (it may have been cut short)"


@dataclass(frozen=True)
class Unsubscribe:
    member_id: str
    kind: Kind


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(key: bytes, body: str) -> str:
    return _b64(hmac.new(key, body.encode(), hashlib.sha256).digest())


def make_token(key: bytes, member_id: str, kind: Kind) -> str:
    body = f"{_b64(member_id.encode())}.{check_optional(kind).value}"
    return f"{body}.{_signature(key, body)}"


def read_token(key: bytes, token: object) -> Unsubscribe:
    """What a token unsubscribes from; BadInput if it was not made with `key`."""
    if not isinstance(token, str) or len(token) > 512 or token.count(".") != 2:
        raise BadInput(INVALID, "token")
    member_part, kind_part, signature = token.split(".")
    body = f"{member_part}.{kind_part}"
    if not hmac.compare_digest(signature, _signature(key, body)):
        raise BadInput(INVALID, "token")
    try:
        member_id = _unb64(member_part).decode()
        kind = Kind(kind_part)
    except ValueError:
        raise BadInput(INVALID, "token") from None
    return Unsubscribe(member_id, check_optional(kind, "token"))
