"""Parse and validate request input; every rejection is an `APIError` naming the field."""

from __future__ import annotations

import json
import re
from typing import Any

from flask import current_app, request

import policy
from policy.model import canonical_code
from server.errors import APIError
from server.packs import LoadedPack

LANGS = ("vi", "en")

# Codes and ids are echoed in errors only when they look like codes, never free text.
_CODE_LIKE = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,31}")


def quote_if_code(value: Any) -> str:
    """A value safe to echo in an error message: a short code-like token, else a placeholder."""
    return (
        repr(value)
        if isinstance(value, str) and _CODE_LIKE.fullmatch(value)
        else "(value not shown)"
    )


def json_body() -> dict[str, Any]:
    """The request's JSON object; 415 for another content type, 400 for anything malformed."""
    if request.mimetype != "application/json":
        raise APIError(
            "unsupported-media-type",
            "Send the request body as JSON with Content-Type: application/json.",
            status=415,
        )
    raw = request.get_data(cache=False)
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise APIError("invalid-json", "The request body is not valid UTF-8.") from None
    try:
        body = json.loads(decoded)
    except RecursionError:
        raise APIError("invalid-json", "The JSON is nested too deeply.") from None
    except json.JSONDecodeError as error:
        # Position only; the message must not quote the body.
        raise APIError(
            "invalid-json",
            f"The request body is not valid JSON (line {error.lineno}, column {error.colno}).",
        ) from None
    except ValueError:
        # An integer over Python's 4,300-digit limit for reading one.
        raise APIError("invalid-json", "The JSON has a number too long to read.") from None
    if not isinstance(body, dict):
        raise APIError("invalid-json", 'The JSON body must be an object like {"text": "…"}.')
    return body


_LIMIT = object()


def draft_text(value: Any, field: str = "text", limit: Any = _LIMIT) -> str:
    """Validate the draft: a string, within the length limit, well-formed Unicode without NUL.

    `limit` defaults to MAX_TEXT_CHARS; None skips the length check.
    """
    if value is None:
        raise APIError("missing-field", f"`{field}` is required: the draft to check.", field=field)
    if not isinstance(value, str):
        raise APIError("invalid-field", f"`{field}` must be a string.", field=field)
    if limit is _LIMIT:
        limit = current_app.config["MAX_TEXT_CHARS"]
    if limit is not None and len(value) > limit:
        raise APIError(
            "too-large",
            f"`{field}` is longer than the {limit:,}-character limit.",
            status=413,
            field=field,
            limit=(limit, "characters"),
        )
    if "\x00" in value:
        raise APIError("invalid-field", f"`{field}` contains a NUL character.", field=field)
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            # A lone UTF-16 surrogate: the client cut a character in half. JavaScript clients can
            # send `text.toWellFormed()`, which keeps every UTF-16 offset unchanged.
            raise APIError(
                "invalid-field",
                f"`{field}` contains a lone surrogate "
                "(half of a UTF-16 pair); send well-formed text.",
                field=field,
            ) from None
    return value


def choice(value: Any, field: str, choices: tuple[str, ...], default: str) -> str:
    if value is None:
        return default
    if not isinstance(value, str) or value not in choices:
        raise APIError(
            "invalid-field", f"`{field}` must be one of: {', '.join(choices)}.", field=field
        )
    return value


def string_list(value: Any, field: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise APIError("invalid-field", f"`{field}` must be a list of strings.", field=field)
    return value


def pack(value: Any, field: str = "pack") -> LoadedPack:
    """The served pack a request names (or the default)."""
    registry = current_app.extensions["rasoat"]
    if value is not None and not isinstance(value, str):
        raise APIError("invalid-field", f"`{field}` must be a string.", field=field)
    try:
        return registry.get(value)
    except KeyError:
        raise APIError(
            "unknown-pack",
            f"This service does not serve that pack; it serves: {', '.join(registry.ids)}.",
            field=field,
        ) from None


def rule_codes(loaded: LoadedPack, codes: list[str], field: str) -> list[str]:
    """The codes as the pack writes them (typed in any case, as the CLI takes them: "sec001"
    is SEC001); unknown codes are an error naming them as sent."""
    unknown = []
    canonical = []
    for code in codes:
        try:
            canonical.append(loaded.linter.rule(canonical_code(code)).code)
        except KeyError:
            unknown.append(quote_if_code(code))
    if unknown:
        raise APIError(
            "unknown-rule",
            f"`{field}` names rules the pack {loaded.id!r} does not "
            f"have: {', '.join(unknown)}. See GET /api/v1/rules.",
            field=field,
        )
    return canonical


def categories(values: list[str], field: str) -> list[str]:
    unknown = [quote_if_code(v) for v in values if v not in policy.CATEGORIES]
    if unknown:
        raise APIError(
            "unknown-category",
            f"`{field}` has unknown categories: "
            f"{', '.join(unknown)}; choose from {', '.join(policy.CATEGORIES)}.",
            field=field,
        )
    return values
