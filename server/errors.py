"""JSON errors for every failure: `{"error": {"code", "message", "field"?}}`, never a traceback."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from server.problems import internal_error


class APIError(Exception):
    """A client error with a stable kebab-case code, a human message and the offending field.

    Messages must never quote the draft: they name the field and what is wrong with it.
    """

    def __init__(
        self,
        code: str,
        message: str,
        *,
        status: int = 400,
        field: str | None = None,
        headers: dict[str, str] | None = None,
        limit: tuple[int, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.field = field
        self.headers = headers or {}
        self.limit = limit

    def to_dict(self) -> dict[str, Any]:
        """Return the error body; `field` only when one field is to blame, `limit` and `unit`
        only for a limit the request went over (a 413: how many characters or bytes)."""
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field is not None:
            error["field"] = self.field
        if self.limit is not None:
            error["limit"], error["unit"] = self.limit
        return {"error": error}


def _kebab(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


# Werkzeug's descriptions are generic and never contain request data; a few read better shorter.
_HTTP_CODES = {413: "too-large", 415: "unsupported-media-type"}


def _handle_api_error(error: APIError):
    response = jsonify(error.to_dict())
    response.status_code = error.status
    response.headers.update(error.headers)
    return response


def _handle_http_exception(error: HTTPException):
    status = error.code or 500
    api_error = APIError(
        _HTTP_CODES.get(status, _kebab(error.name)), error.description or error.name, status=status
    )
    if status == 413:
        limit = current_app.config.get("MAX_CONTENT_LENGTH")
        api_error.message = f"The request body is larger than the {limit:,}-byte limit."
        api_error.limit = (limit, "bytes")
    response = jsonify(api_error.to_dict())
    response.status_code = status
    if status == 405 and error.valid_methods:  # type: ignore[attr-defined]
        response.headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
    return response


def _handle_unexpected(error: Exception):
    # Only the exception's type and the route: its message or traceback could quote the draft.
    route = request.url_rule.rule if request.url_rule else "?"
    said = internal_error(type(error).__name__, request.method, route)
    current_app.logger.error("%s", said.log_line())
    response = jsonify(
        APIError(
            "internal-error",
            "The service failed to handle this request; "
            "the failure was logged without its content.",
            status=500,
        ).to_dict()
    )
    response.status_code = 500
    return response


def register_error_handlers(app: Flask) -> None:
    """Make every error, expected or not, a JSON body with a stable code."""
    app.register_error_handler(APIError, _handle_api_error)
    app.register_error_handler(HTTPException, _handle_http_exception)
    app.register_error_handler(Exception, _handle_unexpected)
