"""Stripe-shaped API errors.

Subclassing localstripe's UserError lets its error middleware render ours too,
while we pick the error ``type`` (the SDK maps it to exception classes).
"""

from __future__ import annotations

from typing import Any

from localstripe.errors import UserError


class ApiError(UserError):
    def __init__(
        self,
        status: int,
        message: str,
        *,
        type_: str = "invalid_request_error",
        code: str | None = None,
        param: str | None = None,
    ) -> None:
        contents: dict[str, Any] = {}
        if code:
            contents["code"] = code
        if param:
            contents["param"] = param
        super().__init__(status, message, contents)
        self.body["error"]["type"] = type_


def bad_request(
    message: str, *, param: str | None = None, code: str | None = None
) -> ApiError:
    return ApiError(400, message, param=param, code=code)


def not_found(kind: str, object_id: str, param: str = "id") -> ApiError:
    return ApiError(
        404,
        f"No such {kind}: '{object_id}'",
        code="resource_missing",
        param=param,
    )
