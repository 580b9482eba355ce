"""What LanguageTool clients actually send to `/v2/check`, byte for byte, through real HTTP.

Each request below is the one a client builds, read from its source (cited per test); the
service runs as a real gunicorn process. `test_lt_client.py` runs `language_tool_python` itself.
"""

from __future__ import annotations

import json
import re
import time
import urllib.parse

import pytest

from server.languagetool import category_id
from tests.server.helpers import SPEC, ServerProcess, make_app, utf16_len

FORM = "application/x-www-form-urlencoded"
MARKER = "ZQXJ-lt-query-draft-9c41"  # unique; in the log only if a draft leaked there


@pytest.fixture(scope="module")
def server():
    # The access log on, at debug: what every request below leaves in the log is checked too.
    with ServerProcess(
        "--workers", "1", "--access-log", "-", "--log-level", "debug",
        *(["--pack", SPEC] if SPEC else []),
    ) as running:  # fmt: skip
        yield running


def post(
    server, body: bytes, content_type: str | None, path: str = "/v2/check"
) -> tuple[int, dict]:
    headers = {"Accept": "application/json"}
    if content_type is not None:
        headers["Content-Type"] = content_type
    status, _, raw = server.request("POST", path, body, headers)
    return status, json.loads(raw)


def markup_around(example) -> tuple[list[dict], str, str]:
    """An annotation with markup before, inside and after the flagged span, as editors send it;
    returns it with the text and markup joined, and the flagged span."""
    before = example.text[: example.start]
    span = example.text[example.start : example.end]
    after = example.text[example.end :]
    annotation = [
        {"markup": "\\section{", "interpretAs": ""},
        {"text": "Tin 😀"},
        {"markup": "}\n\n", "interpretAs": "\n\n"},
        {"text": before},
        {"markup": "\\textbf{"},
        {"text": span},
        {"markup": "}"},
        {"text": after},
    ]
    original = "".join(item.get("text", item.get("markup")) for item in annotation)
    return annotation, original, span


def span_of(original: str, match: dict) -> str:
    """The span a match names, read by UTF-16 units as Java and JavaScript clients read it."""
    units = original.encode("utf-16-le")
    return units[2 * match["offset"] : 2 * (match["offset"] + match["length"])].decode("utf-16-le")


def test_ltex_ls_form_body_labelled_json(server, bad):
    """ltex-ls 16 (valentjn/ltex-ls, src/main/kotlin/org/bsplines/ltexls/languagetool/
    LanguageToolHttpInterface.kt) posts a form-encoded body (`language`, `data`, `level=picky`,
    `motherTongue`) under `Content-Type: application/json`. LanguageTool reads every POST body as
    a form whatever its Content-Type (LanguageToolHttpHandler.getRequestQuery), so ltex-ls works
    against it; a 415 here left every LaTeX and Markdown user of ltex-ls without a single check.
    ltex-ls reads `offset`, `length`, `message`, `replacements[].value`, `rule.id` and
    `sentence` from the answer."""
    annotation, original, span = markup_around(bad)
    entries = {
        "language": "vi-VN",
        "data": json.dumps({"annotation": annotation}, separators=(",", ":")),
        "level": "picky",
        "motherTongue": "vi",
    }
    # URLEncoder.encode: spaces as `+`, like urlencode's default.
    body = "&".join(
        f"{urllib.parse.quote_plus(k)}={urllib.parse.quote_plus(v)}" for k, v in entries.items()
    ).encode()
    status, answer = post(server, body, "application/json")
    assert status == 200, answer
    match = next(m for m in answer["matches"] if m["rule"]["id"] == bad.code)
    assert span_of(original, match) == span
    assert match["message"] and isinstance(match["replacements"], list)
    # The sentence is the checked text's, as LanguageTool's analysed sentence: no markup in it.
    assert span in match["sentence"] and "\\textbf{" not in match["sentence"]


@pytest.mark.parametrize("content_type", [None, "text/plain;charset=UTF-8"])
def test_form_body_with_another_or_no_content_type(server, bad, content_type):
    """Same reading for a body without the form label (a bare HTTP client, or `fetch` with a
    string body, which labels it text/plain)."""
    body = urllib.parse.urlencode({"text": bad.text, "language": "vi"}).encode()
    if content_type is None:
        # urllib adds the form label to any body it posts without one; send the raw request.
        import http.client

        host, port = server.url.removeprefix("http://").rsplit(":", 1)
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        try:
            connection.putrequest("POST", "/v2/check")
            connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body)
            response = connection.getresponse()
            status, answer = response.status, json.loads(response.read())
        finally:
            connection.close()
    else:
        status, answer = post(server, body, content_type)
    assert status == 200, answer
    assert bad.code in {m["rule"]["id"] for m in answer["matches"]}


def test_a_json_body_still_gets_a_clear_415(server):
    body = json.dumps({"text": "xin chào", "language": "vi"}).encode()
    status, answer = post(server, body, "application/json")
    assert status == 415 and answer["error"]["code"] == "unsupported-media-type"


def test_obsidian_plugin_request(server, two_categories):
    """The Obsidian LanguageTool plugin (Clemens-E/obsidian-languagetool-plugin, src/api.ts and
    src/helpers.ts) sends, on every check: `data` (Markdown as annotated text), `language=auto`,
    `enabledOnly=false`, `level=default`, LanguageTool's own category ids split into
    `enabledCategories` and `disabledCategories` by its settings, and `preferredVariants`.
    LanguageTool ignores category ids it does not have; a 400 for `CASING` here meant the plugin
    got no answer at all."""
    first, other = two_categories
    annotation = [
        {"text": "# "},
        {"markup": "**", "interpretAs": ""},
        {"text": first.text},
        {"markup": "**", "interpretAs": ""},
        {"markup": "\n\n", "interpretAs": "\n\n"},
        {"text": other.text},
    ]
    params = {
        "data": json.dumps({"annotation": annotation}),
        "language": "auto",
        "enabledOnly": "false",
        "level": "default",
        "enabledCategories": "CASING,GRAMMAR,MISC,PUNCTUATION,TYPOS",
        "disabledCategories": f"COLLOCATIONS,STYLE,{category_id(other.category)}",
        "preferredVariants": "en-US,de-DE",
    }
    # encodeURIComponent per key and value, joined with `&`.
    body = "&".join(
        f"{urllib.parse.quote(k, safe='')}={urllib.parse.quote(v, safe='')}"
        for k, v in params.items()
    ).encode()
    status, answer = post(server, body, "application/x-www-form-urlencoded")
    assert status == 200, answer
    codes = {m["rule"]["id"] for m in answer["matches"]}
    assert first.code in codes
    assert category_id(other.category) not in {
        m["rule"]["category"]["id"] for m in answer["matches"]
    }
    original = "".join(item.get("text", item.get("markup")) for item in annotation)
    match = next(m for m in answer["matches"] if m["rule"]["id"] == first.code)
    assert span_of(original, match) == first.text[first.start : first.end]
    assert match["offset"] == utf16_len("# **" + first.text[: first.start])


def test_ltex_ls_api_key_in_a_body_labelled_json(bad):
    """ltex-ls sends `apiKey` (its `languageToolOrgApiKey` setting) in that same body: with a
    token configured, it is read there too, not refused as missing."""
    app = make_app(TOKEN="t0k3n")
    body = urllib.parse.urlencode({"language": "vi", "text": bad.text, "apiKey": "t0k3n"})
    response = app.test_client().post(
        "/v2/check", data=body.encode(), content_type="application/json"
    )
    assert response.status_code == 200, response.get_json()
    wrong = body.replace("t0k3n", "wrong")
    response = app.test_client().post(
        "/v2/check", data=wrong.encode(), content_type="application/json"
    )
    assert response.status_code == 401


def test_query_parameters_merge_with_the_body_and_no_draft_reaches_the_log(server, bad):
    """LanguageTool merges the URL's query parameters into the form, the query's winning
    (LanguageToolHttpHandler.getRequestQuery): `POST /v2/check?language=…` with the draft in the
    body works there, and here. A draft put in the query is refused, and neither it nor one in
    the body reaches gunicorn's access or error log (path only, never the query string)."""
    draft = f"{bad.text} {MARKER}"
    body = urllib.parse.urlencode({"text": draft}).encode()
    status, answer = post(server, body, FORM, "/v2/check?language=en-US")
    assert status == 200, answer
    assert answer["language"]["code"] == "en-US"
    assert bad.code in {m["rule"]["id"] for m in answer["matches"]}
    body = urllib.parse.urlencode({"text": draft, "language": "vi"}).encode()
    status, answer = post(server, body, FORM, f"/v2/check?language=auto&disabledRules={bad.code}")
    assert status == 200, answer
    assert answer["language"]["detectedLanguage"]["source"] == "marks+commonwords"
    assert bad.code not in {m["rule"]["id"] for m in answer["matches"]}
    query = urllib.parse.urlencode({"language": "vi", "text": draft})
    status, answer = post(server, b"", FORM, f"/v2/check?{query}")
    assert (status, answer["error"]["code"]) == (400, "text-in-url")
    assert MARKER not in json.dumps(answer)
    # The access log line of the last request is written after its answer: wait for it.
    logged = re.compile(r'"POST /v2/check[^"]*" 400')
    deadline = time.monotonic() + 10
    while not logged.search(server.log) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert logged.search(server.log)  # the access log is on
    assert MARKER not in server.log
    assert "language=auto" not in server.log  # no query string at all
