"""Our API (/api/v1) through the Flask test client, on the real default pack."""

from __future__ import annotations

import dataclasses

import pytest

import policy
from server import create_app
from tests.server.helpers import SPEC, make_app, utf16_len

# The service returns every field of the engine's Finding (whose own test pins the contract).
FINDING_KEYS = {field.name for field in dataclasses.fields(policy.Finding)}


def test_check_reports_the_example_span_with_every_finding_field(client, bad, default_pack):
    response = client.post("/api/v1/check", json={"text": bad.text})
    assert response.status_code == 200
    body = response.get_json()
    assert body["pack"] == {
        "id": default_pack.id,
        "version": default_pack.version,
        "digest": default_pack.digest,
    }
    assert body["incomplete"] is False
    hit = next(m for m in body["matches"] if m["code"] == bad.code)
    assert set(hit) == FINDING_KEYS
    assert (hit["start"], hit["end"]) == (bad.start, bad.end)
    assert hit["text"] == bad.text[bad.start : bad.end]


def test_check_offsets_are_utf16_after_emoji(client, bad):
    prefix = "🇻🇳😀 𝕏 "  # astral characters: two UTF-16 units each
    response = client.post("/api/v1/check", json={"text": prefix + bad.text})
    hit = next(m for m in response.get_json()["matches"] if m["code"] == bad.code)
    assert hit["start"] == len(prefix) + bad.start
    assert hit["offset"] == utf16_len(prefix + bad.text[: bad.start])
    assert hit["length"] == utf16_len(bad.text[bad.start : bad.end])


def test_check_message_follows_lang(client, bad):
    vi = client.post("/api/v1/check", json={"text": bad.text, "lang": "vi"}).get_json()
    en = client.post("/api/v1/check", json={"text": bad.text, "lang": "en"}).get_json()
    msg = {
        lang: next(m["message"] for m in body["matches"] if m["code"] == bad.code)
        for lang, body in (("vi", vi), ("en", en))
    }
    assert msg["vi"] != msg["en"]


def test_check_disabled_rule_is_not_reported(client, bad):
    body = client.post("/api/v1/check", json={"text": bad.text, "disabled": [bad.code]}).get_json()
    assert bad.code not in {m["code"] for m in body["matches"]}


@pytest.mark.parametrize("case", [str.lower, str.title])
def test_rule_codes_are_read_in_any_case_as_the_cli_reads_them(client, bad, case):
    """`rasoat check --disable sec001` and `rasoat explain sec001` work; the API said 400 / 404
    to the same codes. The answers name the code as the pack writes it."""
    typed = case(bad.code)
    assert typed != bad.code
    body = client.post("/api/v1/check", json={"text": bad.text, "disabled": [typed]}).get_json()
    assert body["matches"] is not None and bad.code not in {m["code"] for m in body["matches"]}
    response = client.get(f"/api/v1/rules/{typed}")
    assert response.status_code == 200
    assert response.get_json()["rule"]["code"] == bad.code
    unknown = client.post("/api/v1/check", json={"text": "ok", "disabled": [typed, "zzz999"]})
    assert unknown.status_code == 400
    error = unknown.get_json()["error"]
    assert error["field"] == "disabled" and "'zzz999'" in error["message"]
    assert typed not in error["message"]


def test_check_categories_keep_only_those(client, two_categories):
    first, other = two_categories
    text = first.text + "\n" + other.text
    body = client.post(
        "/api/v1/check", json={"text": text, "categories": [other.category]}
    ).get_json()
    assert body["matches"]
    assert {m["category"] for m in body["matches"]} == {other.category}


def test_check_min_severity_filters(client, bad_examples):
    text = "\n".join(e.text for e in bad_examples[:20])
    everything = client.post("/api/v1/check", json={"text": text}).get_json()["matches"]
    errors = client.post("/api/v1/check", json={"text": text, "min_severity": "error"}).get_json()[
        "matches"
    ]
    assert {m["severity"] for m in errors} <= {"error"}
    assert [m for m in everything if m["severity"] == "error"] == errors


def test_check_clean_text_has_no_matches(client):
    body = client.post("/api/v1/check", json={"text": "Chúc cả nhà cuối tuần vui vẻ 🌻"}).get_json()
    assert body["matches"] == []


def test_check_names_a_served_pack(client, default_pack):
    body = client.post(
        "/api/v1/check", json={"text": "xin chào", "pack": default_pack.id}
    ).get_json()
    assert body["pack"]["id"] == default_pack.id


def test_check_accepts_json_with_charset(client):
    response = client.post(
        "/api/v1/check",
        data='{"text": "xin chào"}'.encode(),
        content_type="application/json; charset=utf-8",
    )
    assert response.status_code == 200


def test_rules_lists_every_rule_in_both_languages(client, default_pack):
    body = client.get("/api/v1/rules").get_json()
    assert body["pack"]["id"] == default_pack.id
    assert [r["code"] for r in body["rules"]] == [r.code for r in default_pack.rules]
    first = body["rules"][0]
    assert set(first["message"]) >= {"vi", "en"}
    assert all(set(v) >= {"vi", "en"} for v in first["doc"].values())


def test_rules_in_one_language(client, default_pack):
    body = client.get("/api/v1/rules?lang=en").get_json()
    rule = default_pack.rules[0]
    assert body["rules"][0]["message"] == rule.message["en"]


def test_rule_by_code_has_docs_in_both_languages(client, bad, default_pack):
    response = client.get(f"/api/v1/rules/{bad.code}")
    assert response.status_code == 200
    rule = response.get_json()["rule"]
    assert rule["code"] == bad.code
    assert rule["doc"] == {k: dict(v) for k, v in default_pack.rule(bad.code).doc.items()}
    assert set(rule["legal_basis"]) == {"vi", "en"}


def test_rule_by_code_in_vietnamese(client, bad, default_pack):
    rule = client.get(f"/api/v1/rules/{bad.code}?lang=vi").get_json()["rule"]
    assert rule["message"] == default_pack.rule(bad.code).message["vi"]


def test_health_reports_pack_rules_and_uptime(client, default_pack):
    body = client.get("/api/v1/health").get_json()
    assert body["status"] == "ok"
    assert body["pack"] == {
        "id": default_pack.id,
        "version": default_pack.version,
        "digest": default_pack.digest,
    }
    assert body["rules"] == len(policy.Linter(default_pack).rules) > 0
    assert body["uptime_seconds"] >= 0
    assert [p["id"] for p in body["packs"]] == [default_pack.id]
    assert body["max_text_chars"] == client.application.config["MAX_TEXT_CHARS"]


def test_health_names_a_configured_text_limit():
    body = make_app(MAX_TEXT_CHARS=500).test_client().get("/api/v1/health").get_json()
    assert body["max_text_chars"] == 500


def test_openapi_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.get_json()["openapi"].startswith("3.")


def test_playground_page_is_bilingual_and_locked_down(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "/static/playground.js" in page
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    with client.get("/static/playground.js") as script_response:
        script = script_response.get_data(as_text=True)
    assert "vi:" in script and "en:" in script and "/api/v1/check" in script


def test_extra_packs_can_be_named(default_pack):
    extra = default_pack.extends  # the parent pack is a pack of its own
    if extra is None:
        pytest.skip("the default pack has no parent to serve beside it")
    app = make_app(PACK=SPEC or default_pack.id, PACKS=[extra])
    client = app.test_client()
    body = client.post("/api/v1/check", json={"text": "xin chào", "pack": extra}).get_json()
    assert body["pack"]["id"] == extra
    health = client.get("/api/v1/health").get_json()
    assert [p["id"] for p in health["packs"]] == [default_pack.id, extra]


def test_rasoat_packs_alone_lists_every_pack_the_first_the_default(monkeypatch, default_pack):
    # As docs/server.md and --help say: RASOAT_PACKS=our-pack,vn-mofa serves our pack by default
    # (it served vn-mofa by default, and naming vn-mofa in the list stopped start-up with
    # "pack 'vn-mofa' is configured twice").
    extra = default_pack.extends
    if extra is None:
        pytest.skip("the default pack has no parent to serve beside it")
    monkeypatch.delenv("RASOAT_PACK", raising=False)
    monkeypatch.setenv("RASOAT_PACKS", f"{extra},{SPEC or default_pack.id}")
    client = create_app({"TESTING": True, "RELOAD_INTERVAL": 0}).test_client()
    health = client.get("/api/v1/health").get_json()
    assert health["pack"]["id"] == extra
    assert [p["id"] for p in health["packs"]] == [extra, default_pack.id]
    body = client.post("/api/v1/check", json={"text": "xin chào"}).get_json()
    assert body["pack"]["id"] == extra


def test_rasoat_pack_named_again_in_rasoat_packs_is_served_once(monkeypatch, default_pack):
    extra = default_pack.extends
    if extra is None:
        pytest.skip("the default pack has no parent to serve beside it")
    default = SPEC or default_pack.id
    monkeypatch.setenv("RASOAT_PACK", default)
    monkeypatch.setenv("RASOAT_PACKS", f"{default},{extra}")
    health = create_app({"TESTING": True, "RELOAD_INTERVAL": 0}).test_client()
    assert [p["id"] for p in health.get("/api/v1/health").get_json()["packs"]] == [
        default_pack.id,
        extra,
    ]
