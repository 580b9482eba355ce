"""Our own API, `/api/v1`: check a draft, list and explain rules, health, the OpenAPI document."""

from __future__ import annotations

import json
import time
from functools import cache
from importlib.resources import files
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

import policy
from policy.model import canonical_code
from server import inputs
from server.errors import APIError
from server.responses import json_response

bp = Blueprint("api", __name__, url_prefix="/api/v1")

CHECK_FIELDS = {"text", "lang", "pack", "min_severity", "disabled", "categories"}


@bp.post("/check")
def check() -> Response:
    """Check a draft: parse → `linter.check` → serialise; nothing is stored or logged."""
    body = inputs.json_body()
    unknown = sorted(set(body) - CHECK_FIELDS)
    if unknown:
        field = unknown[0] if inputs.quote_if_code(unknown[0]) != "(value not shown)" else None
        raise APIError(
            "unknown-field",
            f"Unknown field {inputs.quote_if_code(unknown[0])}; "
            f"send only: {', '.join(sorted(CHECK_FIELDS))}.",
            field=field,
        )
    text = inputs.draft_text(body.get("text"))
    lang = inputs.choice(body.get("lang"), "lang", inputs.LANGS, "vi")
    min_severity = inputs.choice(
        body.get("min_severity"), "min_severity", tuple(policy.SEVERITIES), "info"
    )
    loaded = inputs.pack(body.get("pack"))
    disabled = inputs.rule_codes(
        loaded, inputs.string_list(body.get("disabled"), "disabled"), "disabled"
    )
    only = body.get("categories")
    only_categories = (
        None
        if only is None
        else inputs.categories(inputs.string_list(only, "categories"), "categories")
    )
    result = loaded.linter.check(
        text,
        lang=lang,
        min_severity=min_severity,
        disabled=disabled,
        only_categories=only_categories,
    )
    return json_response(
        pack=loaded.summary(),
        incomplete=bool(result.incomplete),
        matches=[finding.to_dict() for finding in result],
    )


def echo() -> Response:
    """The bench floor: the same parsing and validation as `check`, without the engine."""
    body = inputs.json_body()
    inputs.draft_text(body.get("text"))
    loaded = inputs.pack(body.get("pack"))
    return json_response(pack=loaded.summary(), incomplete=False, matches=[])


@bp.get("/rules")
def rules() -> Response:
    """Every rule of a pack with its docs, in one language or (default) both."""
    loaded = inputs.pack(request.args.get("pack"))
    lang = _doc_lang()
    return jsonify(pack=loaded.summary(), rules=[rule.to_dict(lang) for rule in loaded.pack.rules])


@bp.get("/rules/<code>")
def rule(code: str) -> Response:
    """One rule's docs: what it flags, why, what to write instead, legal basis, examples."""
    loaded = inputs.pack(request.args.get("pack"))
    lang = _doc_lang()
    try:
        found = loaded.linter.rule(canonical_code(code))  # "sec001" too, as the CLI reads it
    except KeyError:
        raise APIError(
            "unknown-rule",
            f"The pack {loaded.id!r} has no rule "
            f"{inputs.quote_if_code(code)}. See GET /api/v1/rules.",
            status=404,
            field="code",
        ) from None
    return jsonify(pack=loaded.summary(), rule=found.to_dict(lang))


def _doc_lang() -> str | None:
    lang = request.args.get("lang")
    return None if lang in (None, "") else inputs.choice(lang, "lang", inputs.LANGS, "vi")


@bp.get("/health")
def health() -> Response:
    """Liveness and what is being served; public even when a token is set (for load balancers)."""
    registry = current_app.extensions["rasoat"]
    default = registry.default
    return jsonify(
        status="ok",
        version=_version(),
        pack=default.summary(),
        rules=len(default.linter.rules),
        uptime_seconds=round(time.monotonic() - current_app.config["STARTED_AT"], 3),
        max_text_chars=current_app.config["MAX_TEXT_CHARS"],
        packs=[
            {**loaded.summary(), "rules": len(loaded.linter.rules)} for loaded in registry.all()
        ],
    )


@bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 description of exactly these routes (kept true by a test)."""
    return Response(_openapi_text(), mimetype="application/json")


@cache
def _openapi_text() -> str:
    return files("server").joinpath("openapi.json").read_text(encoding="utf-8")


@cache
def _version() -> str:
    from server import version

    return version()


def openapi_document() -> dict[str, Any]:
    """The OpenAPI document as a dict (tests validate real responses against it)."""
    return json.loads(_openapi_text())
