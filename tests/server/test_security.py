"""CORS, the bearer token and cache headers."""

from __future__ import annotations

import pytest

from tests.server.helpers import make_app

CHROME = "chrome-extension://" + "abcdefghijklmnopabcdefghijklmnop"
FIREFOX = "moz-extension://1b2c3d4e-5f60-4a1b-9c2d-3e4f5a6b7c8d"


@pytest.mark.parametrize("origin", [CHROME, FIREFOX])
def test_extension_origins_may_read_results(client, origin):
    response = client.post("/api/v1/check", json={"text": "xin chào"}, headers={"Origin": origin})
    assert response.headers["Access-Control-Allow-Origin"] == origin
    assert "Access-Control-Allow-Credentials" not in response.headers


@pytest.mark.parametrize(
    "origin",
    [
        "https://evil.example",
        "http://127.0.0.1:8765",
        "null",
        "chrome-extension://short",
        "moz-extension://not-a-uuid",
        CHROME + ".evil.example",
        "https://x.example/" + CHROME,
    ],
)
def test_other_origins_may_not(client, origin):
    response = client.post("/api/v1/check", json={"text": "xin chào"}, headers={"Origin": origin})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_preflight_allows_json_and_authorization(client):
    response = client.options(
        "/api/v1/check",
        headers={
            "Origin": CHROME,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, authorization",
        },
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == CHROME
    allowed = response.headers["Access-Control-Allow-Headers"].lower()
    assert "content-type" in allowed and "authorization" in allowed


def test_operator_listed_origin_is_allowed():
    app = make_app(ALLOWED_ORIGINS=["https://intranet.example.gov.vn"])
    client = app.test_client()
    response = client.get("/api/v1/health", headers={"Origin": "https://intranet.example.gov.vn"})
    assert response.headers["Access-Control-Allow-Origin"] == "https://intranet.example.gov.vn"
    for other in (
        "https://example.gov.vn",
        "https://intranet.example.gov.vn.evil.example",
        "https://intranetxexample.gov.vn",
        "http://intranet.example.gov.vn",
    ):
        response = client.get("/api/v1/health", headers={"Origin": other})
        assert "Access-Control-Allow-Origin" not in response.headers, other


@pytest.mark.parametrize(
    "origin",
    [
        "*",
        "https://*.example.gov.vn",
        "intranet.example",
        "https://a.example/path",
        "https://[a-z]+.example",
    ],
)
def test_bad_allowed_origin_fails_at_start(origin):
    with pytest.raises(ValueError, match="ALLOWED_ORIGINS"):
        make_app(ALLOWED_ORIGINS=[origin])


def test_origins_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("RASOAT_ALLOWED_ORIGINS", "https://a.example,https://b.example")
    app = make_app()
    assert app.config["ALLOWED_ORIGINS"] == ["https://a.example", "https://b.example"]


@pytest.fixture()
def locked(monkeypatch):
    # From the environment, as an operator sets it; a numeric-looking token must stay a string.
    monkeypatch.setenv("RASOAT_TOKEN", "1e3")
    return make_app().test_client()


@pytest.mark.parametrize(
    "header", [None, "Bearer wrong", "Bearer 1000.0", "Basic 1e3", "Bearer", "1e3"]
)
def test_token_required_when_set(locked, header):
    headers = {"Authorization": header} if header else {}
    response = locked.post("/api/v1/check", json={"text": "xin chào"}, headers=headers)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_token_accepted(locked):
    response = locked.post(
        "/api/v1/check", json={"text": "xin chào"}, headers={"Authorization": "Bearer 1e3"}
    )
    assert response.status_code == 200
    assert locked.get("/api/v1/rules", headers={"Authorization": "bearer 1e3"}).status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/api/v1/health", "/api/v1/openapi.json", "/", "/static/playground.js", "/v2/languages"],
)
def test_public_routes_need_no_token(locked, path):
    with locked.get(path) as response:
        assert response.status_code == 200


def test_languagetool_clients_may_send_api_key(locked):
    form = {"text": "xin chào", "language": "vi"}
    assert locked.post("/v2/check", data=form).status_code == 401
    assert locked.post("/v2/check", data={**form, "apiKey": "1e3"}).status_code == 200
    # Public, as in LanguageTool's API: its clients list the languages before they check.
    assert locked.get("/v2/languages").status_code == 200


def test_preflight_needs_no_token(locked):
    response = locked.options(
        "/api/v1/check", headers={"Origin": CHROME, "Access-Control-Request-Method": "POST"}
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("post", "/api/v1/check", {"json": {"text": "xin chào"}}),
        ("post", "/api/v1/check", {"json": {}}),
        ("post", "/api/v1/check", {"data": "x", "content_type": "text/plain"}),
        ("get", "/api/v1/rules", {}),
        ("get", "/api/v1/health", {}),
        ("get", "/api/v1/openapi.json", {}),
        ("get", "/", {}),
        ("get", "/static/playground.css", {}),
        ("get", "/nope", {}),
        ("post", "/v2/check", {"data": {"text": "xin chào", "language": "vi"}}),
        ("get", "/v2/languages", {}),
    ],
)
def test_every_response_is_no_store(client, method, path, kwargs):
    with getattr(client, method)(path, **kwargs) as response:
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "Set-Cookie" not in response.headers
