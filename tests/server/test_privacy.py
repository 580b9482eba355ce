"""Draft text never reaches a log, an error body or a response header."""

from __future__ import annotations

import json
import logging

import pytest

from tests.server.helpers import CaptureEverything, every_log_record, make_app

MARKER = "ZQXJ-draft-7f3a9c-bí-mật"  # unique; appears only because a test put it in a draft


@pytest.fixture()
def captured():
    with every_log_record() as handler:
        yield handler


def _requests(bad_text: str):
    """Successful and failing requests, each carrying the marker somewhere a draft could be."""
    draft = f"{bad_text} {MARKER}"
    yield "post", "/api/v1/check", {"json": {"text": draft}}
    yield (
        "post",
        "/api/v1/check",
        {"json": {"text": draft, "lang": "en", "min_severity": "warning"}},
    )
    yield "post", "/api/v1/check", {"json": {"text": draft, "lang": MARKER}}
    yield "post", "/api/v1/check", {"json": {"text": draft, "pack": MARKER}}
    yield "post", "/api/v1/check", {"json": {"text": draft, "disabled": [MARKER]}}
    yield "post", "/api/v1/check", {"json": {"text": draft, "categories": [MARKER]}}
    yield "post", "/api/v1/check", {"json": {MARKER: draft}}
    yield "post", "/api/v1/check", {"json": {"text": draft + "\x00"}}
    yield (
        "post",
        "/api/v1/check",
        {"data": json.dumps({"text": draft})[:-2], "content_type": "application/json"},
    )
    yield (
        "post",
        "/api/v1/check",
        {"data": '{"text": "' + MARKER + '\\udc00"}', "content_type": "application/json"},
    )
    yield (
        "post",
        "/api/v1/check",
        {"data": json.dumps({"text": draft}), "content_type": "text/plain"},
    )
    yield "post", "/api/v1/check", {"json": {"text": draft * 20_000}}
    yield (
        "post",
        "/api/v1/check",
        {
            "data": b'{"text": "' + MARKER.encode() * 100_000 + b'"}',
            "content_type": "application/json",
        },
    )
    yield "get", f"/api/v1/rules/{MARKER}", {}
    yield "get", f"/api/v1/rules?pack={MARKER}&lang={MARKER}", {}
    yield "post", "/v2/check", {"data": {"text": draft, "language": "vi-VN"}}
    yield "post", "/v2/check", {"data": {"text": draft, "language": MARKER}}
    yield "post", "/v2/check", {"data": {"text": draft, "language": "vi", "enabledRules": MARKER}}
    yield (
        "post",
        "/v2/check",
        {"data": {"data": json.dumps({"annotation": [{"text": draft}]}), "language": "vi"}},
    )
    yield (
        "post",
        "/v2/check",
        {"data": {"data": '{"annotation": [{"text": "' + MARKER, "language": "vi"}},
    )
    yield "post", f"/v2/check?text={MARKER}", {"data": {"language": "vi"}}
    # Query parameters merged with the form, as LanguageTool merges them.
    yield "post", "/v2/check?language=auto", {"data": {"text": draft}}
    yield "post", f"/v2/check?language={MARKER}", {"data": {"text": draft}}
    yield "post", f"/v2/check?language=vi&preferredVariants={MARKER}", {"data": {"text": draft}}
    yield "post", f"/v2/check?language=vi&data={MARKER}", {"data": {"text": draft}}
    yield "post", "/v2/check", {"json": {"text": draft, "language": "vi"}}


@pytest.mark.parametrize("token", [None, "s3cret"])
def test_draft_never_reaches_logs_errors_or_headers(captured, bad, token):
    app = make_app(TOKEN=token)
    client = app.test_client()
    auth = {"Authorization": f"Bearer {token}"} if token else {}
    statuses = set()
    for method, path, kwargs in _requests(bad.text):
        for headers in ({**auth}, {}):  # with and without the token
            response = getattr(client, method)(path, headers=headers, **kwargs)
            statuses.add(response.status_code)
            assert response.status_code < 500
            for name, value in response.headers.items():
                assert MARKER not in name and MARKER not in value
            if response.status_code >= 400:
                assert MARKER not in response.get_data(as_text=True), (path, response.status_code)
    assert {200, 400, 413, 415} <= statuses
    assert captured.lines is not None
    leaked = [line for line in captured.lines if MARKER in line]
    assert not leaked


def test_failing_engine_logs_only_the_exception_type(captured, bad, monkeypatch):
    app = make_app()
    linter = app.extensions["rasoat"].default.linter

    def explode(text, **_):
        raise ValueError(f"engine blew up on {text!r}")

    monkeypatch.setattr(type(linter), "check", lambda self, text, **kw: explode(text, **kw))
    response = app.test_client().post("/api/v1/check", json={"text": f"{bad.text} {MARKER}"})
    assert response.status_code == 500
    assert MARKER not in response.get_data(as_text=True)
    assert any("ValueError" in line for line in captured.lines)
    assert not [line for line in captured.lines if MARKER in line]


@pytest.mark.parametrize("ip", ["127.0.0.1", "::1", "fe80::1%eth0", ""])
@pytest.mark.parametrize(
    ("message", "args"),
    [
        (f"Invalid request from ip={{ip}}: Invalid HTTP Version: 'b {MARKER} HTTP/1.1'", ()),
        (f"Invalid request from ip={{ip}}: Invalid HTTP request line: 'GET /?t={MARKER}'", ()),
        ("Ignored premature client disconnection. %s", (f"No more data after: b'{MARKER}'",)),
        ("Error handling request %s %s", ("GET", f"/v2/check?text={MARKER}")),
    ],
)
def test_gunicorns_lines_about_a_request_keep_only_the_reason(ip, message, args):
    # gunicorn formats these from the request it could not parse (the process test sends real
    # ones over 127.0.0.1); the address must not decide whether the quote is cut.
    from server.serving import _keep_request_data_out_of_log

    _keep_request_data_out_of_log()
    handler = CaptureEverything()
    gunicorn_log = logging.getLogger("gunicorn.error")
    gunicorn_log.addHandler(handler)
    try:
        gunicorn_log.warning(message.replace("{ip}", ip), *args)
    finally:
        gunicorn_log.removeHandler(handler)
    (line,) = handler.lines
    assert MARKER not in line
    assert "request data not logged" in line
