"""Form bodies parse exactly as Werkzeug parses them (`server/forms.py` only decodes faster)."""

from __future__ import annotations

import urllib.parse
from io import BytesIO

import pytest
from flask import request
from hypothesis import example, given, settings
from hypothesis import strategies as st
from werkzeug.formparser import FormDataParser as WerkzeugFormDataParser

from server import forms
from server.errors import APIError

# Pieces that exercise every rule: escapes valid and not (either case, cut short, doubled), `+`,
# separators, backslashes and `\x` (the fast path's own escape syntax), raw non-ASCII, and escaped
# UTF-8 that is whole, cut or invalid.
PIECES = st.sampled_from(
    [
        "%", "%%", "%4", "%41", "%e1", "%E1%BA%A7", "%C3", "%A1", "%FF", "%zz", "%0", "%00",
        "+", "&", "=", ";", "\\", "\\x", "\\x41", "x41", "\\N{DIGIT ONE}", "\\u0041",
        "a", "Z", "9", " ", "é", "ầ", "😀", "\n",
    ]
)  # fmt: skip
QUERY = st.lists(PIECES, max_size=20).map("".join)


def _stdlib(body: str) -> list[tuple[str, str]]:
    # Werkzeug's own call (werkzeug/formparser.py, FormDataParser._parse_urlencoded).
    return urllib.parse.parse_qsl(body, keep_blank_values=True, errors="werkzeug.url_quote")


@settings(max_examples=3000)
@given(QUERY)
@example("text=C%E1%BA%A7n+b%C3%A1n+nick&language=vi-VN")
@example("a=%E1%BA&&=b&c&d=%zz%41\\x41")
def test_parse_qsl_is_the_standard_librarys(body):
    assert forms.parse_qsl(body) == _stdlib(body)


@settings(max_examples=500)
@given(st.text())
def test_any_draft_urlencoded_comes_back_whole(text):
    body = urllib.parse.urlencode({"text": text, "language": "vi"}, errors="surrogatepass")
    assert forms.parse_qsl(body) == _stdlib(body)


def _parse(parser_class, body: bytes):
    parser = parser_class(cls=dict)
    try:
        _, form, _ = parser.parse(BytesIO(body), "application/x-www-form-urlencoded", len(body), {})
    except UnicodeDecodeError:
        return "UnicodeDecodeError"
    return form


@settings(max_examples=1000)
@given(st.one_of(QUERY.map(lambda s: s.encode("utf-8")), st.binary(max_size=40)))
def test_the_form_parser_gives_what_werkzeugs_gives(body):
    try:
        urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        # Bytes that are not UTF-8, raw or percent-escaped: Werkzeug reads an empty form or keeps
        # the escapes as text; ours says what is wrong instead.
        with pytest.raises(APIError) as raised:
            _parse(forms.FormDataParser, body)
        assert raised.value.code == "invalid-form"
        return
    assert _parse(forms.FormDataParser, body) == _parse(WerkzeugFormDataParser, body)


def test_the_app_reads_forms_with_it(shared_app):
    assert shared_app.request_class is forms.Request
    assert shared_app.request_class.form_data_parser_class is forms.FormDataParser
    # The hook it overrides must still exist in Werkzeug, or the override would silently do nothing.
    assert callable(getattr(WerkzeugFormDataParser, "_parse_urlencoded", None))


def test_a_form_request_reads_back_intact(shared_app):
    fields = {"text": "Cần bán nick 😀 a+b=c&d %zz 100% \\x41", "language": "vi-VN"}
    with shared_app.test_request_context("/v2/check", method="POST", data=fields):
        assert isinstance(request._get_current_object(), forms.Request)
        assert request.form.to_dict() == fields
