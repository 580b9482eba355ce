"""The Rasoat check service: `create_app(test_config=None)` builds the Flask application."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import math
import os
import re
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, request
from flask_cors import CORS

from policy.env import is_on
from server.errors import APIError, register_error_handlers
from server.forms import Request
from server.packs import PackRegistry
from server.problems import SettingProblem

DEFAULTS: dict[str, Any] = {
    "PACK": None,  # the default pack: a shipped pack id or a folder; None → the engine's default
    "PACKS": [],  # more packs a request may name with `pack` (alone: every pack, see _pack_specs)
    "TOKEN": None,  # when set, API requests need `Authorization: Bearer <TOKEN>`
    "ALLOWED_ORIGINS": [],  # web origins allowed besides browser extensions
    "MAX_TEXT_CHARS": 100_000,
    # 100,000 characters escaped as \uXXXX in JSON (6 bytes each) plus room for the other fields.
    "MAX_CONTENT_LENGTH": 1024 * 1024,
    "RELOAD_INTERVAL": 1.0,  # seconds between pack-file checks; 0 turns watching off
    "BENCH_ECHO": False,  # bench/http.py only: adds POST /api/v1/echo, the no-engine floor
}

# Extension origins: Chrome ids are 32 letters a–p, Firefox's are per-install UUIDs.
EXTENSION_ORIGINS = [
    re.compile(r"^chrome-extension://[a-p]{32}$"),
    re.compile(r"^moz-extension://[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"),
]

# Routes a load balancer or a client needs before it has the token. `/v2/languages` is public
# in LanguageTool's own API, and its clients ask it first, before any check that sends `apiKey`.
PUBLIC_ENDPOINTS = {"api.health", "api.openapi", "playground", "static", "languagetool.languages"}


def _as_list(value: Any, key: str) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):  # from the environment: "a,b" or a JSON list
        if value.lstrip().startswith("["):
            try:
                value = json.loads(value)
            except json.JSONDecodeError as error:
                raise SettingProblem(
                    f"thiết lập {key} (RASOAT_{key}) không phải một danh sách JSON ({error}); "
                    "hãy viết một danh sách JSON hoặc các giá trị cách nhau bằng dấu phẩy",
                    f"config {key} (RASOAT_{key}) is not a JSON list ({error}); "
                    "write a JSON list or comma-separated values",
                ) from None
        else:
            return [item.strip() for item in value.split(",") if item.strip()]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise SettingProblem(
            f"thiết lập {key} phải là một danh sách các chuỗi",
            f"config {key} must be a list of strings",
        )
    return list(value)


def _as_number(
    config: Mapping[str, Any], key: str, kind: type[int] | type[float], minimum: float
) -> Any:
    # From the environment these are strings; say which setting is wrong, not just int()'s error.
    # Out of range is refused too: a limit of 0 started a service that answered every draft
    # with 413, and an interval of "nan" stat-ed the pack files at every request.
    what = "a whole number" if kind is int else "a number"
    what_vi = "một số nguyên" if kind is int else "một số"
    try:
        value = kind(config[key])
    except (TypeError, ValueError):
        value = None
    if value is None or not math.isfinite(value) or value < minimum:
        raise SettingProblem(
            f"thiết lập {key} (RASOAT_{key}) phải là {what_vi} từ {minimum:g} trở lên, "
            f"không phải {config[key]!r}",
            f"config {key} (RASOAT_{key}) must be {what} of at least {minimum:g}, "
            f"not {config[key]!r}",
        )
    return value


def _normalise_config(config: Mapping[str, Any]) -> dict[str, Any]:
    """Coerce settings that may arrive as environment strings to their types, failing loudly."""
    out: dict[str, Any] = {}
    out["PACK"] = config["PACK"] or None
    out["PACKS"] = _as_list(config["PACKS"], "PACKS")
    token = config["TOKEN"]
    out["TOKEN"] = str(token) if token not in (None, "") else None
    out["ALLOWED_ORIGINS"] = _as_list(config["ALLOWED_ORIGINS"], "ALLOWED_ORIGINS")
    for key in ("MAX_TEXT_CHARS", "MAX_CONTENT_LENGTH"):
        out[key] = _as_number(config, key, int, minimum=1)
    # Werkzeug also caps each multipart field (MAX_FORM_MEMORY_SIZE): one limit, the body's (a
    # field is never larger than the body it is in), or a raised MAX_CONTENT_LENGTH still
    # refused a long multipart draft with a 413 naming the raised limit.
    out["MAX_FORM_MEMORY_SIZE"] = out["MAX_CONTENT_LENGTH"]
    out["RELOAD_INTERVAL"] = _as_number(config, "RELOAD_INTERVAL", float, minimum=0)
    # On/off, as RASOAT_NO_CACHE reads (policy/env.py): a value neither on nor off stops start-up.
    out["BENCH_ECHO"] = is_on(config["BENCH_ECHO"], "RASOAT_BENCH_ECHO")
    # Read by policy/cache.py at each pack load; checked here, so a bad one stops start-up too.
    is_on(os.environ.get("RASOAT_NO_CACHE"), "RASOAT_NO_CACHE")
    for origin in out["ALLOWED_ORIGINS"]:
        if not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?", origin):
            raise SettingProblem(
                "một origin được phép (--allow-origin, RASOAT_ALLOWED_ORIGINS) phải có dạng "
                f"scheme://host[:port], không có đường dẫn hay dấu / ở cuối: {origin!r}",
                "an allowed origin (--allow-origin, RASOAT_ALLOWED_ORIGINS) must be "
                f"scheme://host[:port], with no path or trailing slash: {origin!r}",
            )
    return out


def _pack_specs(default: str | None, more: list[str]) -> list[str | None]:
    """The packs to serve, the default first.

    PACKS alone lists every pack, the first the default, as repeated `--pack` flags do (the
    operator who writes RASOAT_PACKS=our-pack,vn-mofa means our pack by default); with PACK set,
    PACKS adds to it, and naming the default there again is not a second pack.
    """
    if default is None and more:
        default, more = more[0], more[1:]
    return [default, *(spec for spec in more if spec != default)]


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the service: defaults, then `RASOAT_*` environment variables, then `test_config`.

    Packs load here, once; a broken pack raises `policy.PolicyError` (`path:line: message`).
    """
    app = Flask(__name__)
    app.request_class = Request  # form bodies parsed as Werkzeug does, faster (server/forms.py)
    app.config.from_mapping(DEFAULTS)
    # Values stay strings here (no JSON guessing: a token "1e3" must stay "1e3"); typed below.
    app.config.from_prefixed_env("RASOAT", loads=str)
    if test_config is not None:
        app.config.from_mapping(test_config)
    app.config.update(_normalise_config(app.config))
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]

    registry = PackRegistry(
        _pack_specs(app.config["PACK"], app.config["PACKS"]),
        app.logger,
        interval=app.config["RELOAD_INTERVAL"],
    )
    app.extensions["rasoat"] = registry
    app.config["STARTED_AT"] = time.monotonic()

    register_error_handlers(app)
    _quiet_cors_debug()
    # Operator origins as exact, anchored patterns: never a prefix or a regex by accident.
    listed = [
        re.compile(f"^{re.escape(origin)}$", re.I) for origin in app.config["ALLOWED_ORIGINS"]
    ]
    CORS(
        app,
        origins=[*EXTENSION_ORIGINS, *listed],
        supports_credentials=False,
        methods=["GET", "POST", "OPTIONS"],
        allow_headers=["Content-Type", "Authorization"],
        max_age=600,
    )

    from server import api, languagetool

    app.register_blueprint(api.bp)
    app.register_blueprint(languagetool.bp)
    if app.config["BENCH_ECHO"]:
        # The floor bench/http.py measures against; never enabled in production.
        app.add_url_rule("/api/v1/echo", "echo", api.echo, methods=["POST"])

    page = (Path(app.static_folder or "static") / "index.html").read_bytes()

    @app.get("/")
    def playground() -> Response:
        """The bilingual playground page: type a draft, see the findings."""
        return Response(page, mimetype="text/html")

    app.before_request(_before_request)
    app.after_request(_after_request)
    return app


class _DropDebug(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno > logging.DEBUG


_DROP_DEBUG = _DropDebug()


def _quiet_cors_debug() -> None:
    # flask-cors logs every request's path and its whole option set at DEBUG: noise for
    # operators, and a path is request data we would rather not copy into logs.
    for name in ("flask_cors.extension", "flask_cors.core"):
        logger = logging.getLogger(name)
        if _DROP_DEBUG not in logger.filters:
            logger.addFilter(_DROP_DEBUG)


def _before_request() -> None:
    current_app.extensions["rasoat"].poll()
    token = current_app.config["TOKEN"]
    if token is None or request.method == "OPTIONS" or request.endpoint in PUBLIC_ENDPOINTS:
        return
    given = _bearer(request.headers.get("Authorization", ""))
    if given is None and request.blueprint == "languagetool":
        # LanguageTool clients authenticate with an `apiKey` form field instead of a header.
        given = request.lt_form.get("apiKey")
    if given is None or not _same_secret(given, token):
        raise APIError(
            "unauthorized",
            "A valid bearer token is required (Authorization: Bearer <token>).",
            status=401,
            headers={"WWW-Authenticate": 'Bearer realm="rasoat"'},
        )


def _same_secret(given: str, token: str) -> bool:
    # Digests first: compare_digest on equal-length values takes the same time whatever the
    # input, so not even the token's length leaks.
    digest = hashlib.sha256
    return hmac.compare_digest(digest(given.encode()).digest(), digest(token.encode()).digest())


def _bearer(header: str) -> str | None:
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _after_request(response: Response) -> Response:
    # Results describe a private draft: no cache (browser, proxy or CDN) may keep them.
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    if response.mimetype == "text/html":
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; style-src 'self'; script-src 'self'; connect-src 'self'; "
            "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
        )
    return response


def version() -> str:
    """The installed rasoat version, for `software` and health responses."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version("rasoat")
    except PackageNotFoundError:  # running from a source tree without install
        return "0+unknown"
