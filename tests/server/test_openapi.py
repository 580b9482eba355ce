"""server/openapi.json describes exactly our routes, and real responses validate against it."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from server.api import openapi_document

DOC = openapi_document()
URI = "urn:rasoat:openapi"
REGISTRY = Registry().with_resource(
    URI, Resource.from_contents(DOC, default_specification=DRAFT202012)
)


def _pointer(*parts: str) -> str:
    return "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


def validator_for(path: str, method: str, status: int, media: str = "application/json"):
    if method not in DOC["paths"][path]:  # 405: the route exists, this method does not
        assert status == 405
        return Draft202012Validator({"$ref": f"{URI}#/components/schemas/Error"}, registry=REGISTRY)
    operation = DOC["paths"][path][method]
    responses = operation["responses"]
    assert str(status) in responses, f"{method.upper()} {path} does not document {status}"
    assert media in responses[str(status)]["content"], f"{path} {status} has no {media} schema"
    pointer = _pointer("paths", path, method, "responses", str(status), "content", media, "schema")
    ref = f"{URI}#/{pointer}"
    return Draft202012Validator({"$ref": ref}, registry=REGISTRY)


def request_validator(path: str, method: str, media: str):
    ref = f"{URI}#/{_pointer('paths', path, method, 'requestBody', 'content', media, 'schema')}"
    return Draft202012Validator({"$ref": ref}, registry=REGISTRY)


def test_the_document_is_valid_json_schema():
    for schema in DOC["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)


def test_documents_exactly_the_apps_routes(app):
    documented = {
        (re.sub(r"\{(\w+)\}", r"<\1>", path), method.upper())
        for path, ops in DOC["paths"].items()
        for method in ops
    }
    served = set()
    for rule in app.url_map.iter_rules():
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            served.add((re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", rule.rule), method))
    assert documented == served


def _exchanges(bad, default_pack):
    """(method, path template, status, request kwargs) for every route and its documented errors."""
    yield "post", "/api/v1/check", 200, {"json": {"text": "🙂 " + bad.text, "lang": "en"}}
    yield (
        "post",
        "/api/v1/check",
        200,
        {
            "json": {
                "text": bad.text,
                "pack": default_pack.id,
                "min_severity": "info",
                "disabled": [],
                "categories": [bad.category],
            }
        },
    )
    yield "post", "/api/v1/check", 400, {"json": {"text": 1}}
    yield "post", "/api/v1/check", 413, {"json": {"text": "a" * 100_001}}
    yield "post", "/api/v1/check", 415, {"data": "x", "content_type": "text/plain"}
    yield "get", "/api/v1/check", 405, {}
    yield "get", "/api/v1/rules", 200, {}
    yield "get", "/api/v1/rules?lang=vi", 200, {}
    yield "get", "/api/v1/rules?pack=nope", 400, {}
    yield "get", f"/api/v1/rules/{bad.code}", 200, {}
    yield "get", f"/api/v1/rules/{bad.code}?lang=en", 200, {}
    yield "get", f"/api/v1/rules/{bad.code.lower()}", 200, {}  # any case, as documented
    yield "post", "/api/v1/check", 200, {"json": {"text": bad.text, "disabled": [bad.code.lower()]}}
    yield "get", "/api/v1/rules/ZZZ999", 404, {}
    yield "get", "/api/v1/health", 200, {}
    yield "get", "/api/v1/openapi.json", 200, {}
    yield "post", "/v2/check", 200, {"data": {"text": "😀 " + bad.text, "language": "vi-VN"}}
    yield "post", "/v2/check", 400, {"data": {"text": "x"}}
    yield "post", "/v2/check", 415, {"json": {"text": "x"}}
    yield "get", "/v2/check?text=x&language=vi", 400, {}
    yield "get", "/v2/check?language=vi", 405, {}
    yield "get", "/v2/languages", 200, {}
    yield "get", "/static/no-such-file.js", 404, {}


def _template(path: str) -> str:
    path = path.split("?")[0]
    path = re.sub(r"^/static/[^/]+$", "/static/{filename}", path)
    return re.sub(r"^/api/v1/rules/[^/]+$", "/api/v1/rules/{code}", path)


def test_real_responses_match_the_document(client, bad, default_pack):
    seen = set()
    for method, path, status, kwargs in _exchanges(bad, default_pack):
        response = getattr(client, method)(path, **kwargs)
        assert response.status_code == status, (method, path, response.get_data(as_text=True))
        template = _template(path)
        validator_for(template, method, status).validate(response.get_json())
        if method in DOC["paths"][template]:
            seen.add((template, method))
        if "json" in kwargs and status == 200:
            request_validator(template, method, "application/json").validate(kwargs["json"])
    # Every route documents gunicorn's own 400/414/431 and the catch-all 500 (a process test
    # checks those); a route with JSON answers of its own must have one validated here.
    everywhere = {"400", "414", "431", "500"}
    json_routes = {
        (p, m)
        for p, ops in DOC["paths"].items()
        for m, op in ops.items()
        if any(
            "application/json" in r.get("content", {})
            for code, r in op["responses"].items()
            if code not in everywhere
        )
    }
    assert json_routes <= seen


def test_check_response_matches_have_findings(client, bad):
    body = client.post("/api/v1/check", json={"text": bad.text}).get_json()
    assert body["matches"], "validate a response that has findings, not just an empty list"


@pytest.mark.parametrize("status", [401])
def test_token_error_is_documented(status):
    for path, ops in DOC["paths"].items():
        for method, op in ops.items():
            if op.get("security") != [{}]:
                assert str(status) in op["responses"], (path, method)


def test_the_documents_server_is_the_one_that_serves_it(shared_app):
    """ "Try it" tools send requests to the document's `servers`: a fixed 127.0.0.1:8765 sent
    them to another service (or none) whenever this one ran on another port or host."""
    base = "http://rasoat.agency.gov.vn:9000"
    client = shared_app.test_client()
    served = client.get("/api/v1/openapi.json", base_url=base).get_json()
    (server,) = served["servers"]
    assert urljoin(f"{base}/api/v1/openapi.json", server["url"]) == f"{base}/"


def test_the_description_names_every_route_that_needs_no_token():
    """The document's description listed the routes open without a token, and kept the list
    from before /v2/languages became one of them (f7d754e): a reader of the description sent
    a token the route does not need, or built a client that thought it could not list the
    languages without one. The list must be the routes whose `security` is `[{}]`."""
    sentence = re.search(r"every route except (.+?) needs", DOC["info"]["description"])
    assert sentence, "the description no longer says which routes need no token"
    named = {
        re.sub(r"/\*$", "/{filename}", route)
        for route in re.findall(r"/[\w/.{}*-]*", sentence.group(1))
    }
    open_routes = {
        path
        for path, ops in DOC["paths"].items()
        for op in ops.values()
        if op.get("security") == [{}]
    }
    assert named == open_routes
