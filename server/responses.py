"""`json_response`: what `jsonify` sends, encoded by orjson, for the routes that answer a check.

A 2,000-character draft with ~24 findings answers with ~20 kB of mostly Vietnamese JSON. Flask's
encoder (the standard library's, then a UTF-8 encode of the result) spends ~150 µs on it, half of
all the time a check spends outside the engine; orjson writes the same bytes in ~6 µs.

"The same bytes" holds for what these bodies are made of: dicts (insertion order), lists, str,
int, bool and None. orjson writes every str exactly as `json.dumps(..., ensure_ascii=False)` does,
escapes included (`tests/server/test_responses.py` compares every code point). Floats are not
covered: orjson writes 1e-05 as `0.00001`, 1e16 as `1e16` and NaN as `null`, so a body with floats
other than LanguageTool's `confidence` (0.0–1.0 in hundredths, which both write alike) must stay
with `jsonify`. Values that Flask and orjson
both turn into JSON their own ways (datetimes, dataclasses, subclasses of str, int, list or dict)
are refused by orjson here, and so are values it cannot write at all (ints beyond 64 bits,
non-string keys, a lone surrogate): `jsonify` then answers, exactly as before.
"""

from __future__ import annotations

from typing import Any

import orjson
from flask import Response, current_app
from flask.json.provider import DefaultJSONProvider

_OPTIONS = (
    orjson.OPT_APPEND_NEWLINE  # jsonify ends its body with one
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_SUBCLASS
)


def json_response(**body: Any) -> Response:
    """What `jsonify(**body)` returns (compact JSON, a final newline, keys in order), faster."""
    app = current_app
    json = app.json
    if not _writes_like_orjson(json, app.debug):
        return json.response(**body)
    try:
        data = orjson.dumps(body, option=_OPTIONS)
    except TypeError:  # orjson.JSONEncodeError is one
        return json.response(**body)
    return app.response_class(data, mimetype=json.mimetype)


def _writes_like_orjson(json: Any, debug: bool) -> bool:
    # Flask's own provider as create_app sets it up: unsorted keys, raw UTF-8, and compact
    # (jsonify indents in debug mode unless told `compact`).
    return (
        type(json) is DefaultJSONProvider
        and not json.sort_keys
        and not json.ensure_ascii
        and (not debug if json.compact is None else json.compact)
    )
