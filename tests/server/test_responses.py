"""`json_response` sends exactly the bytes `jsonify` would, on the bodies the check routes build."""

from __future__ import annotations

import dataclasses
import json
from datetime import date

import orjson
import pytest
from flask import jsonify

from server.responses import json_response


def _both(app, **body):
    with app.test_request_context():
        fast, flask = json_response(**body), jsonify(**body)
        return fast, flask


def _same(fast, flask):
    assert fast.get_data() == flask.get_data()
    assert fast.status == flask.status
    assert list(fast.headers.items()) == list(flask.headers.items())


def test_every_code_point_is_written_as_the_standard_library_writes_it():
    # The claim the fast path rests on: orjson escapes exactly what json.dumps escapes with
    # ensure_ascii=False (quote, backslash, control characters) and nothing else.
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue  # lone surrogates never reach a body (and orjson refuses them: see below)
        s = chr(cp)
        assert orjson.dumps(s) == json.dumps(s, ensure_ascii=False).encode(), hex(cp)


def test_a_two_decimal_confidence_is_written_as_the_standard_library_writes_it(shared_app):
    # LanguageTool's `detectedLanguage.confidence` is 0.0–1.0 in hundredths (policy.language).
    for hundredths in range(101):
        fast, flask = _both(shared_app, confidence=round(hundredths / 100, 2))
        _same(fast, flask)


def test_a_check_response_is_byte_for_byte_jsonify(shared_app, bad):
    linter = shared_app.extensions["rasoat"].default.linter
    findings = linter.check(f'😀\t"{bad.text}"\n\\ {bad.text}\x1f', lang="en")
    assert findings
    body = {
        "pack": shared_app.extensions["rasoat"].default.summary(),
        "incomplete": False,
        "matches": [finding.to_dict() for finding in findings],
        "confidence": 1.0,
        "nothing": None,
    }
    _same(*_both(shared_app, **body))


@pytest.mark.parametrize(
    "value",
    [
        2**64,  # beyond orjson's integers
        {1: "non-string key"},
        "\ud800",  # a lone surrogate: jsonify's own failure must stay what it was
        date(2026, 1, 2),  # Flask writes an HTTP date, orjson ISO 8601
    ],
    ids=["big-int", "int-key", "surrogate", "date"],
)
def test_what_orjson_would_write_differently_goes_to_jsonify(shared_app, value):
    with shared_app.test_request_context():
        try:
            expected = jsonify(value=value).get_data()
        except UnicodeEncodeError:
            with pytest.raises(UnicodeEncodeError):
                json_response(value=value)
            return
        assert json_response(value=value).get_data() == expected


def test_subclasses_and_dataclasses_take_flasks_path(shared_app):
    class Code(str):
        pass

    @dataclasses.dataclass
    class Point:
        x: int

    _same(*_both(shared_app, code=Code("ACC001"), point=Point(1), items=[Point(2)]))


def test_debug_mode_keeps_flasks_indented_output(app):
    app.debug = True
    _same(*_both(app, a=[1, {"b": "c"}]))
    app.debug = False
    app.json.compact = False
    _same(*_both(app, a=[1, {"b": "c"}]))
