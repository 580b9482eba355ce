"""Arbitrary requests against every route that reads input: never a 500, always a JSON error with
a message for a 4xx, `Cache-Control: no-store` on every answer, and the draft in no log record,
no response header and no error body.

Bodies are arbitrary bytes, JSON of any shape, forms (url-encoded and multipart) with the
parameters these routes read and others, under any Content-Type; query strings carry the same
names, escapes that are not UTF-8 and a draft where none belongs. Each text value carries
MARKER, so a leak of any of them shows. Two apps: the shared one, and one with a token and small
limits (so `apiKey`, bearer headers, 401 and 413 are reached). Bounded (200 requests each) to
stay a few seconds of `make test`.
"""

from __future__ import annotations

import json
import urllib.parse

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.server.helpers import every_log_record, make_app

# Not code-like (a space and marks), so no error message may echo it as a rule code or id.
MARKER = "ZQXJ fuzz bí mật 7e1"

NAMES = (
    "text", "data", "language", "lang", "pack", "disabledRules", "enabledRules",
    "disabledCategories", "enabledCategories", "enabledOnly", "preferredVariants", "level",
    "motherTongue", "apiKey", "min_severity", "disabled", "categories", "autodetect", "enabled",
    "noopLanguages", "multilingual",
)  # fmt: skip
# Values that mean something to these routes, and the odd ones.
WORDS = st.sampled_from(
    [
        "vi", "vi-VN", "en-US", "en-GB", "auto", "fr", "true", "yes", "false", "SEC001", "sec001",
        "ACC001", "STATE_SECRET", "state-secret", "TYPOS", "vn-mofa", "vn-base", "info", "error",
        "", " ", ",", "\x00", "\ud800", "😀", '{"annotation": []}', '{"annotation": [{"text": 1}]}',
        "[", "9" * 5000, "%E1", "%", "&", "=",
        # Drafts the rules fire on, so the matches path runs too.
        "Mình bán nick fb 5 năm tuổi, giá rẻ ib nhé", "mật khẩu wifi là abc12345 nhé 😀",
    ]
)  # fmt: skip
LANGUAGES = ["vi", "vi-VN", "en-US", "en-GB", "en-AU", "auto", "AUTO", "vi_VN"]
TEXT = st.one_of(WORDS, st.text(max_size=40)).map(lambda value: f"{value} {MARKER}")
VALUE = st.one_of(WORDS, TEXT)
NAME = st.one_of(st.sampled_from(NAMES), st.text(max_size=12))
PAIRS = st.lists(st.tuples(NAME, VALUE), max_size=8)
ANNOTATION = st.lists(
    st.one_of(
        st.fixed_dictionaries({"text": TEXT}),
        st.fixed_dictionaries({"markup": TEXT}, optional={"interpretAs": VALUE}),
        st.dictionaries(st.sampled_from(["text", "markup", "interpretAs"]), VALUE, max_size=3),
    ),
    max_size=5,
).map(lambda items: json.dumps({"annotation": items}))
JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | VALUE,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(NAME, inner, max_size=4),
    max_leaves=12,
)
CONTENT_TYPES = st.sampled_from(
    [
        None,
        "application/json",
        "application/json; charset=latin-1",
        "application/x-www-form-urlencoded",
        "application/x-www-form-urlencoded; charset=latin-1",
        "multipart/form-data",
        "multipart/form-data; boundary=XyZ",
        "text/plain;charset=UTF-8",
        "application/octet-stream",
        "x/y; ===",
    ]
)


def _urlencoded(pairs: list[tuple[str, str]]) -> bytes:
    # Lone surrogates encoded as their (invalid) UTF-8 bytes, as a broken client would send them.
    return urllib.parse.urlencode(pairs, errors="surrogatepass").encode()


def _multipart(pairs: list[tuple[str, str]]) -> bytes:
    parts = [
        f'--XyZ\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode(
            "utf-8", "surrogatepass"
        )
        for name, value in pairs
    ]
    return b"".join(parts) + b"--XyZ--\r\n"


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")


def _mostly(valid, anything=JSON_VALUE):
    """`valid` three times in four (one_of picks its branches alike), else anything."""
    return st.one_of(valid, valid, valid, anything)


def _maybe(strategy):
    return st.one_of(st.just([]), strategy.map(lambda pair: [pair]))


# /v2/check: mostly a form with a language and a draft, as clients send it, then anything.
LT_PAIRS = st.builds(
    lambda *groups: [pair for group in groups for pair in group],
    _maybe(st.tuples(st.just("language"), _mostly(st.sampled_from(LANGUAGES), VALUE))),
    _maybe(st.one_of(st.tuples(st.just("text"), TEXT), st.tuples(st.just("data"), ANNOTATION))),
    st.lists(st.tuples(NAME, VALUE), max_size=4),
)
LT_BODIES = st.one_of(
    LT_PAIRS.map(_urlencoded),
    LT_PAIRS.map(_urlencoded),
    LT_PAIRS.map(_urlencoded),
    LT_PAIRS.map(_multipart),
    st.binary(max_size=200),
    JSON_VALUE.map(_json),
)
LT_TYPES = st.one_of(st.just("application/x-www-form-urlencoded"), CONTENT_TYPES)
# /api/v1/check: mostly a JSON object with a draft, then anything.
API_OBJECTS = st.fixed_dictionaries(
    {"text": TEXT},
    optional={
        "lang": _mostly(st.sampled_from(["vi", "en"])),
        "pack": _mostly(st.sampled_from(["vn-mofa", "vn-base"])),
        "min_severity": _mostly(st.sampled_from(["info", "warning", "error"])),
        "disabled": _mostly(st.lists(st.sampled_from(["ACC001", "sec001", "ZZZ999"]))),
        "categories": _mostly(st.lists(st.sampled_from(["account-trading", "gossip"]))),
    },
).map(_json)
API_BODIES = st.one_of(
    API_OBJECTS,
    API_OBJECTS,
    API_OBJECTS,
    JSON_VALUE.map(_json),
    st.binary(max_size=200),
    LT_PAIRS.map(_urlencoded),
)
API_TYPES = st.one_of(st.just("application/json"), CONTENT_TYPES)
METHODS = st.sampled_from(["POST"] * 8 + ["GET", "PUT", "HEAD", "OPTIONS", "DELETE"])
QUERIES = st.one_of(
    st.just(""),
    st.sampled_from(
        [
            "language=vi",
            "language=auto",
            "language=en-US&disabledRules=ACC001",
            "language=auto&preferredVariants=en-GB",
            "pack=vn-base&lang=en",
            "lang=vi",
        ]
    ),
    st.builds(
        lambda pairs, raw: urllib.parse.urlencode(pairs, errors="surrogatepass") + raw,
        st.lists(st.tuples(NAME, VALUE), max_size=4),
        st.sampled_from(["", "&text=%E1", "&language=%ZZ", "&=", "&&", "&data", "&language=vi%00"]),
    ),
)
CODES = st.one_of(st.sampled_from(["SEC001", "acc001", "ACC001", "ZZZ999", ""]), TEXT)
REQUESTS = st.one_of(
    st.tuples(METHODS, st.just("/v2/check"), LT_TYPES, LT_BODIES),
    st.tuples(METHODS, st.just("/api/v1/check"), API_TYPES, API_BODIES),
    st.tuples(
        st.just("GET"),
        CODES.map(
            lambda code: (
                "/api/v1/rules/" + urllib.parse.quote(code, safe="", errors="surrogatepass")
            )
        ),
        st.just(None),
        st.just(b""),
    ),
)


def _check_answer(response, method: str = "POST") -> None:
    assert response.status_code < 500, response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    for name, value in response.headers.items():
        assert MARKER not in name and MARKER not in value
    if response.status_code >= 400:
        assert response.mimetype == "application/json"
        if method == "HEAD":
            return  # the same headers as GET, and no body
        error = response.get_json()["error"]
        assert error["code"] and error["message"]
        assert MARKER not in response.get_data(as_text=True)


TOKEN = "t0k3n"
HEADERS = st.sampled_from(
    [
        {},
        {"Authorization": f"Bearer {TOKEN}"},
        {"Authorization": f"Bearer {MARKER}"},
        {"Authorization": "Basic dTpw"},
        {"Authorization": "Bearer"},
        {"Origin": "chrome-extension://abcdefghijklmnopabcdefghijklmnop"},
        {"Origin": "https://evil.example"},
    ]
)


@pytest.mark.parametrize("token", [None, TOKEN])
def test_any_request_gets_a_clear_answer_and_leaks_no_draft(shared_app, token):
    # The shared app has no token; with one, `apiKey` and the header are read on every route,
    # and limits small enough for generated bodies and drafts to cross them.
    app = (
        shared_app
        if token is None
        else make_app(TOKEN=token, MAX_CONTENT_LENGTH=600, MAX_TEXT_CHARS=60)
    )
    client = app.test_client()

    @settings(
        max_examples=200,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(REQUESTS, QUERIES, HEADERS)
    @example(("POST", "/v2/check", None, _urlencoded([("text", MARKER)])), "language=vi", {})
    @example(("POST", "/api/v1/check", "application/json", _json({"text": MARKER})), "", {})
    def request(req, query, headers):
        method, path, content_type, body = req
        response = client.open(
            path,
            method=method,
            data=body,
            content_type=content_type,
            query_string=query,
            headers=headers,
        )
        _check_answer(response, method)

    with every_log_record() as records:
        request()
    assert not [line for line in records.lines if MARKER in line]
