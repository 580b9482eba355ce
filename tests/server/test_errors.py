"""Bad input of every kind gets a clear 4xx JSON error naming the field — never a 500."""

from __future__ import annotations

import json
from io import BytesIO

import pytest

from tests.server.helpers import assert_error, make_app

CHECK = "/api/v1/check"


def _post_raw(client, body: bytes | str, content_type: str = "application/json"):
    return client.post(CHECK, data=body, content_type=content_type)


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({}, 400, "missing-field", "text"),
        ({"text": None}, 400, "missing-field", "text"),
        ({"text": 42}, 400, "invalid-field", "text"),
        ({"text": ["a"]}, 400, "invalid-field", "text"),
        ({"text": {"nested": "x"}}, 400, "invalid-field", "text"),
        ({"text": "a\x00b"}, 400, "invalid-field", "text"),
        ({"text": "ok", "lang": "fr"}, 400, "invalid-field", "lang"),
        ({"text": "ok", "lang": 1}, 400, "invalid-field", "lang"),
        ({"text": "ok", "min_severity": "fatal"}, 400, "invalid-field", "min_severity"),
        ({"text": "ok", "pack": "no-such-pack"}, 400, "unknown-pack", "pack"),
        ({"text": "ok", "pack": 7}, 400, "invalid-field", "pack"),
        ({"text": "ok", "disabled": ["ZZZ999"]}, 400, "unknown-rule", "disabled"),
        ({"text": "ok", "disabled": "ZZZ999"}, 400, "invalid-field", "disabled"),
        ({"text": "ok", "disabled": [["x"]]}, 400, "invalid-field", "disabled"),
        ({"text": "ok", "categories": ["gossip"]}, 400, "unknown-category", "categories"),
        ({"text": "ok", "categories": "state-secret"}, 400, "invalid-field", "categories"),
        ({"text": "ok", "minSeverity": "error"}, 400, "unknown-field", "minSeverity"),
    ],
)
def test_check_rejects_bad_fields(client, body, status, code, field):
    assert_error(client.post(CHECK, json=body), status, code, field)


def test_lone_surrogate_is_rejected(client):
    # JSON can carry a lone surrogate as an escape; Python's JSON turns it into one code point.
    error = assert_error(
        _post_raw(client, '{"text": "ab\\ud83d cd"}'), 400, "invalid-field", "text"
    )
    assert "surrogate" in error["message"]


def test_surrogate_pair_escapes_are_fine(client):
    assert _post_raw(client, '{"text": "ab \\ud83d\\ude00 cd"}').status_code == 200


@pytest.mark.parametrize("body", [b"{", b'{"text": "a",}', b"nope", b"", b'{"text": "\xff\xfe"}'])
def test_malformed_json_is_rejected(client, body):
    assert_error(_post_raw(client, body), 400, "invalid-json")


@pytest.mark.parametrize("body", [b'"just a string"', b"[1, 2]", b"null", b"3"])
def test_json_must_be_an_object(client, body):
    assert_error(_post_raw(client, body), 400, "invalid-json")


def test_deeply_nested_json_is_rejected(client):
    deep = "[" * 100_000 + "]" * 100_000
    assert_error(_post_raw(client, '{"text": "a", "disabled": ' + deep + "}"), 400, "invalid-json")
    nested = '{"text": ' + "[" * 50 + "]" * 50 + "}"
    assert_error(_post_raw(client, nested), 400, "invalid-field", "text")


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""],
)
def test_wrong_content_type_is_415(client, content_type):
    assert_error(
        _post_raw(client, json.dumps({"text": "a"}), content_type), 415, "unsupported-media-type"
    )


def test_text_over_the_limit_is_413(client):
    limit = client.application.config["MAX_TEXT_CHARS"]
    assert client.post(CHECK, json={"text": "a" * limit}).status_code == 200
    error = assert_error(
        client.post(CHECK, json={"text": "a" * (limit + 1)}), 413, "too-large", "text"
    )
    # The limit as a number, so a client can say how far over a draft is.
    assert (error["limit"], error["unit"]) == (limit, "characters")


def test_a_configured_text_limit_is_the_one_the_413_names():
    client = make_app(MAX_TEXT_CHARS=500).test_client()
    assert client.post(CHECK, json={"text": "ạ" * 500}).status_code == 200
    error = assert_error(client.post(CHECK, json={"text": "ạ" * 501}), 413, "too-large", "text")
    assert (error["limit"], error["unit"]) == (500, "characters")
    assert "500-character" in error["message"]


def test_body_over_the_limit_is_413(client):
    size = client.application.config["MAX_CONTENT_LENGTH"] + 1
    error = assert_error(_post_raw(client, b'{"text": "' + b"a" * size + b'"}'), 413, "too-large")
    assert (error["limit"], error["unit"]) == (size - 1, "bytes")


def test_a_number_too_long_to_read_is_invalid_json(client):
    # Python refuses to read an integer over 4,300 digits (a ValueError, not a JSONDecodeError).
    body = '{"text": "a", "lang": ' + "9" * 5000 + "}"
    assert_error(_post_raw(client, body), 400, "invalid-json")


def _post_chunked(client, body: bytes):
    # A body without Content-Length, as a chunked one reaches the app from gunicorn (which sets
    # wsgi.input_terminated); the test client would set a Content-Length.
    return client.post(
        CHECK,
        input_stream=BytesIO(body),
        content_type="application/json",
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True, "CONTENT_LENGTH": ""},
    )


def test_chunked_body_within_the_limit_is_read_whole(client, bad):
    response = _post_chunked(client, json.dumps({"text": bad.text}).encode())
    assert response.status_code == 200
    assert bad.code in {m["code"] for m in response.get_json()["matches"]}


def test_chunked_body_over_the_limit_is_413_not_cut_short(client):
    size = client.application.config["MAX_CONTENT_LENGTH"] + 1
    response = _post_chunked(client, b'{"text": "' + b"a" * size + b'"}')
    assert_error(response, 413, "too-large")


def test_unknown_route_is_json_404(client):
    assert_error(client.get("/api/v1/nope"), 404, "not-found")


def test_wrong_method_is_json_405(client):
    response = client.get(CHECK)
    assert_error(response, 405, "method-not-allowed")
    assert "POST" in response.headers["Allow"]


def test_unknown_rule_is_404_naming_code(client):
    assert_error(client.get("/api/v1/rules/ZZZ999"), 404, "unknown-rule", "code")


@pytest.mark.parametrize("query", ["pack=nope", "lang=fr"])
def test_rules_reject_bad_query(client, query):
    field = query.split("=")[0]
    code = "unknown-pack" if field == "pack" else "invalid-field"
    assert_error(client.get(f"/api/v1/rules?{query}"), 400, code, field)


@pytest.mark.parametrize("query", ["pack=%E1", "lang=\xe1"])
def test_rules_reject_a_query_that_is_not_utf8(client, query):
    # Escaped, Werkzeug kept "%E1" as the pack's name; raw, reading it raised
    # UnicodeDecodeError (a 500). Either is the 400 a `/v2/check` form that is not UTF-8 gets.
    response = client.get("/api/v1/rules", environ_overrides={"QUERY_STRING": query})
    assert "query string" in assert_error(response, 400, "invalid-form")["message"]


def test_unexpected_failure_is_a_generic_json_500(app, caplog):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret detail that must not leak")

    response = app.test_client().get("/boom")
    error = assert_error(response, 500, "internal-error")
    assert "secret detail" not in error["message"]
    assert "secret detail" not in caplog.text
    # One line, Vietnamese first, as every line the service logs (docs/server.md).
    assert [r.getMessage() for r in caplog.records if r.levelname == "ERROR"] == [
        "lỗi nội bộ RuntimeError ở GET /boom / internal error RuntimeError in GET /boom"
    ]


def test_the_echo_route_exists_only_for_the_bench(client):
    assert client.post("/api/v1/echo", json={"text": "a"}).status_code == 404
    bench = make_app(BENCH_ECHO=True).test_client()
    body = bench.post("/api/v1/echo", json={"text": "a"}).get_json()
    assert body["matches"] == []
    # From the environment, a string, read as RASOAT_NO_CACHE is (policy.env.is_on).
    for value, status in (("0", 404), ("false", 404), ("", 404), ("yes", 200), ("1", 200)):
        echo = make_app(BENCH_ECHO=value).test_client().post("/api/v1/echo", json={"text": "a"})
        assert echo.status_code == status, value
    with pytest.raises(ValueError, match="RASOAT_BENCH_ECHO='enabled' is neither on"):
        make_app(BENCH_ECHO="enabled")  # was off, in silence
