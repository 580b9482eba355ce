"""The curl examples of README.md and docs/server.md, run through the app: each answers as the
page beside it shows (fields, status, values), so the docs cannot drift from the service."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from urllib.parse import quote_plus, urlsplit

import pytest

from tests.server.helpers import SPEC

ROOT = Path(__file__).resolve().parents[2]

# The examples show the shipped default pack's answers.
pytestmark = pytest.mark.skipif(SPEC is not None, reason="the docs show the default pack")

FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.M | re.S)


def _blocks(page: str) -> list[tuple[str, str]]:
    """The fenced code blocks of a Markdown page, in order: (language, text)."""
    return FENCE.findall((ROOT / page).read_text(encoding="utf-8"))


def _curls(block: str) -> list[tuple[list[str], str | None]]:
    """Each curl command of a shell block (continuation lines joined), with the `# {…}` answer
    written on the line after it, if any."""
    lines = block.replace("\\\n", " ").splitlines()
    found = []
    for i, line in enumerate(lines):
        if line.lstrip().startswith("curl "):
            after = lines[i + 1].strip() if i + 1 < len(lines) else ""
            shown = after[1:].strip() if after.startswith("# {") else None
            found.append((shlex.split(line, comments=True), shown))
    return found


def _request(client, argv: list[str]):
    """What curl sends for `argv`, sent to the test client."""
    url, headers, data = None, {}, []
    args = iter(argv[1:])
    for arg in args:
        if arg == "-s":
            continue
        if arg == "-H":
            name, value = next(args).split(":", 1)
            headers[name.strip()] = value.strip()
        elif arg == "-d":
            data.append(next(args))
        elif arg == "--data-urlencode":
            name, value = next(args).split("=", 1)
            data.append(f"{name}={quote_plus(value)}")
        elif arg.startswith("http"):
            url = urlsplit(arg)
        else:
            raise AssertionError(f"the test does not know curl's {arg!r}: teach _request")
    assert url is not None and url.netloc == "127.0.0.1:8765", argv
    path = url.path + (f"?{url.query}" if url.query else "")
    if not data:
        return client.get(path, headers=headers)
    headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    return client.post(path, data="&".join(data).encode(), headers=headers)


def _like(shown, real, where: str = "") -> None:
    """`real` is what the docs show: the same keys and values, where a string or list the docs
    cut short with "…" only has to begin as shown."""
    if isinstance(shown, dict):
        assert isinstance(real, dict) and set(real) == set(shown), (where, set(real) ^ set(shown))
        for key, value in shown.items():
            if key == "digest":  # changes with every pack file; its shape is what is shown
                assert re.fullmatch(r"[0-9a-f]{64}", real[key]), where
            elif key == "uptime_seconds":
                assert isinstance(real[key], float), where
            else:
                _like(value, real[key], f"{where}.{key}")
    elif isinstance(shown, list):
        assert isinstance(real, list), where
        if shown and shown[-1] == "…":
            shown = shown[:-1]
            assert len(real) > len(shown), where
            real = real[: len(shown)]
        assert len(real) == len(shown), (where, real)
        for i, (s, r) in enumerate(zip(shown, real, strict=True)):
            _like(s, r, f"{where}[{i}]")
    elif isinstance(shown, str) and "…" in shown and shown != real:
        assert isinstance(real, str) and real.startswith(shown.split("…")[0].rstrip()), (
            where,
            real,
        )
    else:
        assert shown == real, (where, real)


def _examples(page: str):
    """(curl argv, the answer the page shows for it or None) for every curl of `page`."""
    blocks = _blocks(page)
    for i, (lang, text) in enumerate(blocks):
        if lang != "sh":
            continue
        curls = _curls(text)
        follows = blocks[i + 1] if i + 1 < len(blocks) else ("", "")
        for n, (argv, shown) in enumerate(curls):
            if shown is None and n == 0 and follows[0] == "json":
                shown = follows[1]
            yield argv, shown


EXAMPLES = [
    pytest.param(page, argv, shown, id=f"{page}:{' '.join(argv[2:])[:60]}")
    for page in ("README.md", "docs/server.md")
    for argv, shown in _examples(page)
]


def test_the_pages_have_curl_examples():
    pages = {p.values[0] for p in EXAMPLES}
    assert pages == {"README.md", "docs/server.md"} and len(EXAMPLES) >= 10


@pytest.mark.parametrize(("page", "argv", "shown"), EXAMPLES)
def test_curl_example_answers_as_the_docs_show(client, page, argv, shown):
    response = _request(client, argv)
    body = response.get_json()
    if shown is None:
        assert response.status_code == 200, response.get_data(as_text=True)
        assert body is not None
        return
    expected = json.loads(shown)
    assert response.status_code == (400 if "error" in expected else 200)
    _like(expected, body)


def test_readme_names_every_field_of_a_check_answer(client):
    """README's one-paragraph description of /api/v1/check's answer names each field."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    paragraph = readme[readme.index("`/api/v1/check` answers") :].split("\n\n")[0]
    top = re.search(r"answers `\{(.*?)\}`", paragraph).group(1)
    fields = paragraph.split("each match has", 1)[1].split(". ", 1)[0]
    named = set(re.findall(r"`(\w+)`", re.sub(r"\([^)]*\)", "", fields)))
    body = client.post(
        "/api/v1/check", json={"text": "Cần bán nick fb giá rẻ, liên hệ chị Lan 0912 345 678"}
    ).get_json()
    assert [k.strip() for k in top.split(",")] == ["pack", "incomplete", "matches: [...]"]
    assert set(body) == {"pack", "incomplete", "matches"}
    assert named == set(body["matches"][0]), named ^ set(body["matches"][0])


def test_health_example_shows_the_served_pack_version_and_rule_count(client):
    """server.md's health example and README's pack version are the pack's own."""
    health = client.get("/api/v1/health").get_json()
    server_md = (ROOT / "docs" / "server.md").read_text(encoding="utf-8")
    shown = json.loads(next(t for lang, t in _blocks("docs/server.md") if '"uptime_seconds"' in t))
    assert (shown["pack"]["version"], shown["rules"]) == (
        health["pack"]["version"],
        health["rules"],
    )
    assert f'"version": "{health["pack"]["version"]}"' in server_md
