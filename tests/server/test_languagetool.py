"""The LanguageTool-compatible endpoint: LanguageTool's JSON, UTF-16 offsets, its parameters."""

from __future__ import annotations

import json
import urllib.parse

import pytest

from server.languagetool import category_id
from tests.server.helpers import assert_error, make_app, utf16_len


def lt_check(client, **form):
    form.setdefault("language", "vi-VN")
    return client.post("/v2/check", data=form)


def test_response_has_languagetools_shape(client, bad):
    body = lt_check(client, text=bad.text).get_json()
    assert set(body) == {"software", "warnings", "language", "matches", "sentenceRanges"}
    assert body["software"]["apiVersion"] == 1
    assert body["language"]["code"] == "vi-VN"
    # An explicit language is what was checked: echoed, as LanguageTool's detection would when
    # it agrees, with no detector named.
    assert body["language"]["detectedLanguage"] == {
        "name": "Vietnamese",
        "code": "vi-VN",
        "confidence": 1.0,
        "source": None,
    }
    assert body["warnings"] == {"incompleteResults": False}
    match = next(m for m in body["matches"] if m["rule"]["id"] == bad.code)
    assert set(match) >= {
        "message",
        "shortMessage",
        "offset",
        "length",
        "replacements",
        "context",
        "sentence",
        "rule",
    }
    assert set(match["rule"]) == {"id", "description", "issueType", "category"}
    assert match["rule"]["category"]["id"] == category_id(bad.category)
    assert match["offset"] == utf16_len(bad.text[: bad.start])
    ctx = match["context"]
    assert (
        ctx["text"][ctx["offset"] : ctx["offset"] + ctx["length"]] == bad.text[bad.start : bad.end]
    )
    assert bad.text[bad.start : bad.end] in match["sentence"]
    assert all(set(r) == {"value"} for r in match["replacements"])


def test_offsets_and_context_are_utf16(client, bad):
    prefix = "Hôm nay 😀😀 vui quá. " * 3
    text = prefix + bad.text
    match = next(
        m for m in lt_check(client, text=text).get_json()["matches"] if m["rule"]["id"] == bad.code
    )
    start = len(prefix) + bad.start
    assert match["offset"] == utf16_len(text[:start])
    assert match["length"] == utf16_len(bad.text[bad.start : bad.end])
    # Read back the span the way a Java or JavaScript client does: by UTF-16 units.
    units = text.encode("utf-16-le")
    span = units[2 * match["offset"] : 2 * (match["offset"] + match["length"])].decode("utf-16-le")
    assert span == bad.text[bad.start : bad.end]
    ctx_units = match["context"]["text"].encode("utf-16-le")
    ctx = match["context"]
    assert (
        ctx_units[2 * ctx["offset"] : 2 * (ctx["offset"] + ctx["length"])].decode("utf-16-le")
        == span
    )


def test_english_language_gives_english_messages(client, bad):
    vi = lt_check(client, text=bad.text, language="vi").get_json()
    en = lt_check(client, text=bad.text, language="en-US").get_json()
    assert en["language"]["code"] == "en-US"
    pick = lambda body: next(m for m in body["matches"] if m["rule"]["id"] == bad.code)  # noqa: E731
    assert pick(vi)["message"] != pick(en)["message"]


def test_auto_language_detects_vietnamese(client, bad):
    body = lt_check(client, text=bad.text, language="auto").get_json()
    assert body["language"]["code"] == "vi-VN" and body["matches"]
    detected = body["language"]["detectedLanguage"]
    assert (detected["code"], detected["source"]) == ("vi-VN", "marks+commonwords")
    assert 0.5 < detected["confidence"] <= 1


@pytest.mark.parametrize(
    ("text", "name", "code"),
    [
        ("khong duoc chia se mat khau cho nguoi khac nhe", "Vietnamese", "vi-VN"),
        ("Cần bán nick fb giá rẻ, liên hệ mình", "Vietnamese", "vi-VN"),
        ("Please do not share your password with anyone at all.", "English (US)", "en-US"),
    ],
)
def test_auto_language_detects_vietnamese_without_marks_and_english(client, text, name, code):
    body = lt_check(client, text=text, language="auto").get_json()
    assert (body["language"]["name"], body["language"]["code"]) == (name, code)
    detected = body["language"]["detectedLanguage"]
    assert (detected["name"], detected["code"]) == (name, code)
    assert detected["confidence"] >= 0.8


def test_auto_language_on_a_mixed_draft_is_less_sure(client):
    text = "Mình cần bán tài khoản game, giá rẻ; please contact me if you are interested"
    detected = lt_check(client, text=text, language="auto").get_json()["language"][
        "detectedLanguage"
    ]
    assert 0.5 <= detected["confidence"] < 0.8


def test_auto_language_messages_follow_the_detected_language(client, bad):
    english = (
        "Please read this before you post it, and tell us if there is anything in it that "
        "you would like us to look at with you: " + bad.text
    )
    auto = lt_check(client, text=english, language="auto").get_json()
    en = lt_check(client, text=english, language="en-US").get_json()
    assert auto["language"]["code"] == "en-US"
    assert [m["message"] for m in auto["matches"]] == [m["message"] for m in en["matches"]]


def test_auto_language_with_nothing_to_go_on_is_vietnamese_at_confidence_zero(client):
    body = lt_check(client, text="😀 12345 😀", language="auto").get_json()
    assert body["language"]["code"] == "vi-VN"
    assert body["language"]["detectedLanguage"] == {
        "name": "Vietnamese",
        "code": "vi-VN",
        "confidence": 0.0,
        "source": "fallback",
    }


def test_preferred_variants_pick_the_variant_of_the_detected_language(client):
    text = "Please do not share your password with anyone at all."
    body = lt_check(client, text=text, language="auto", preferredVariants="de-DE,en-GB").get_json()
    assert body["language"]["code"] == "en-GB"
    assert body["language"]["detectedLanguage"]["code"] == "en-GB"
    # Vietnamese has one variant: an English preference changes nothing for a Vietnamese draft.
    body = lt_check(
        client, text="khong duoc chia se mat khau", language="auto", preferredVariants="en-GB"
    ).get_json()
    assert body["language"]["code"] == "vi-VN"


@pytest.mark.parametrize("language", ["vi-VN", "en-US"])
@pytest.mark.parametrize("field", ["preferredVariants", "noopLanguages"])
def test_detection_choices_without_auto_are_refused_as_languagetool_does(
    client, bad, language, field
):
    """LanguageTool: "You specified 'preferredVariants' but you didn't specify 'language=auto'",
    "You can specify 'noopLanguages' only when also using 'language=auto'" (400): both choose
    among detected languages, and here the language was named."""
    error = assert_error(
        lt_check(client, text=bad.text, language=language, **{field: "en-GB"}),
        400,
        "invalid-field",
        field,
    )
    assert "language=auto" in error["message"]


def test_detection_choices_with_auto_check_as_usual(client, bad):
    plain = lt_check(client, text=bad.text, language="auto").get_json()
    body = lt_check(
        client, text=bad.text, language="auto", noopLanguages="vi,de", preferredVariants=""
    ).get_json()
    assert body == plain  # every draft is checked, whatever noopLanguages says


def test_preferred_variants_in_multilingual_mode_need_no_auto(client, bad):
    """LanguageTool also takes preferredVariants with `multilingual=true` (getPreferredVariants);
    the language named is then the one checked."""
    body = lt_check(
        client, text=bad.text, language="vi", preferredVariants="en-GB", multilingual="true"
    ).get_json()
    assert body["language"]["code"] == "vi-VN" and body["matches"]
    assert_error(
        lt_check(
            client, text=bad.text, language="vi", preferredVariants="en-GB", multilingual="false"
        ),
        400,
        "invalid-field",
        "preferredVariants",
    )


def _units(text: str, start: int, end: int) -> str:
    return text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le")


def test_sentence_ranges_are_utf16_spans_of_each_sentence(client, bad):
    text = "Tin vui 😀 hôm nay.  " + bad.text + "\n\nCảm ơn TS. Nguyễn 🎉! "
    body = lt_check(client, text=text).get_json()
    sentences = [_units(text, a, b) for a, b in body["sentenceRanges"]]
    assert sentences[0] == "Tin vui 😀 hôm nay."
    assert sentences[-1] == "Cảm ơn TS. Nguyễn 🎉!"  # not cut at the title's "."
    assert all(s == s.strip() and s for s in sentences)
    starts = [a for a, _ in body["sentenceRanges"]]
    assert starts == sorted(starts)
    # Each match's `sentence` is one of them (or runs across several).
    for match in body["matches"]:
        assert any(match["sentence"].startswith(s) for s in sentences), match["sentence"]


def test_sentence_ranges_with_data_refer_to_text_and_markup_joined(client, bad):
    annotation = [
        {"markup": "<p>"},
        {"text": "Tin 😀 vui."},
        {"markup": "</p><p>", "interpretAs": "\n\n"},
        {"text": bad.text},
        {"markup": "</p>", "interpretAs": "\n\n"},
    ]
    original = "".join(item.get("text", item.get("markup")) for item in annotation)
    body = lt_check(client, data=json.dumps({"annotation": annotation})).get_json()
    sentences = [_units(original, a, b) for a, b in body["sentenceRanges"]]
    assert sentences[0] == "Tin 😀 vui."
    assert sentences[-1].startswith(bad.text.strip()[:5])


def test_sentence_ranges_of_an_empty_text_are_empty(client):
    assert lt_check(client, text="").get_json()["sentenceRanges"] == []


def test_disabled_rules_and_unknown_ids_like_languagetool(client, bad):
    body = lt_check(client, text=bad.text, disabledRules=f"{bad.code},WHITESPACE_RULE").get_json()
    assert bad.code not in {m["rule"]["id"] for m in body["matches"]}
    body = lt_check(
        client, text=bad.text, disabledCategories=f"{category_id(bad.category)},TYPOS"
    ).get_json()
    assert category_id(bad.category) not in {m["rule"]["category"]["id"] for m in body["matches"]}


def test_enabling_ids_this_pack_lacks_changes_nothing_without_enabled_only(client, bad):
    """Without `enabledOnly`, enabling changes nothing (every stable rule is on), and LanguageTool
    ignores ids it does not have; generic clients send its own (`enabledCategories=CASING`)."""
    body = lt_check(
        client, text=bad.text, enabledRules="UPPERCASE_SENTENCE_START", enabledCategories="TYPOS"
    ).get_json()
    assert bad.code in {m["rule"]["id"] for m in body["matches"]}


def test_rule_ids_are_read_in_any_case_as_the_cli_reads_them(client, two_categories):
    first, other = two_categories
    text = first.text + "\n" + other.text
    body = lt_check(client, text=text, disabledRules=first.code.lower()).get_json()
    assert first.code not in {m["rule"]["id"] for m in body["matches"]}
    assert other.code in {m["rule"]["id"] for m in body["matches"]}
    body = lt_check(
        client, text=text, enabledRules=other.code.lower(), enabledOnly="true"
    ).get_json()
    assert {m["rule"]["id"] for m in body["matches"]} == {other.code}


@pytest.mark.parametrize("flag", ["true", "yes"])  # LanguageTool takes either
def test_enabled_only_keeps_just_those(client, two_categories, flag):
    first, other = two_categories
    text = first.text + "\n" + other.text
    body = lt_check(client, text=text, enabledRules=other.code, enabledOnly=flag).get_json()
    assert {m["rule"]["id"] for m in body["matches"]} == {other.code}
    body = lt_check(
        client, text=text, enabledCategories=other.category, enabledOnly=flag
    ).get_json()
    assert {m["rule"]["category"]["id"] for m in body["matches"]} == {category_id(other.category)}


def test_annotated_data_maps_offsets_back_through_markup(client, bad):
    before, span, after = bad.text[: bad.start], bad.text[bad.start : bad.end], bad.text[bad.end :]
    annotation = [
        {"markup": "<p>"},
        {"text": "😀 " + before},
        {"markup": "<b>", "interpretAs": ""},
        {"text": span},
        {"markup": "</b>"},
        {"text": after},
        {"markup": "</p>", "interpretAs": "\n\n"},
    ]
    original = "".join(item.get("text", item.get("markup")) for item in annotation)
    body = lt_check(client, data=json.dumps({"annotation": annotation})).get_json()
    match = next(m for m in body["matches"] if m["rule"]["id"] == bad.code)
    units = original.encode("utf-16-le")
    got = units[2 * match["offset"] : 2 * (match["offset"] + match["length"])].decode("utf-16-le")
    assert got == span


def test_languages_lists_vietnamese_and_english(client):
    languages = client.get("/v2/languages").get_json()
    assert {"name": "Vietnamese", "code": "vi", "longCode": "vi-VN"} in languages
    assert all(set(item) == {"name", "code", "longCode"} for item in languages)
    assert {item["code"] for item in languages} == {"vi", "en"}


@pytest.mark.parametrize(
    ("form", "status", "code", "field"),
    [
        ({"language": "vi"}, 400, "missing-field", "text"),
        ({"text": "xin chào"}, 400, "missing-field", "language"),
        ({"text": "xin chào", "language": "fr-FR"}, 400, "unknown-language", "language"),
        ({"text": "a\x00b", "language": "vi"}, 400, "invalid-field", "text"),
        (
            {"text": "x", "language": "vi", "enabledRules": "ZZZ999", "enabledOnly": "true"},
            400,
            "unknown-rule",
            "enabledRules",
        ),
        (
            {"text": "x", "language": "vi", "enabledCategories": "GOSSIP", "enabledOnly": "yes"},
            400,
            "unknown-category",
            "enabledCategories",
        ),
        (
            {"text": "x", "language": "vi", "enabledOnly": "true"},
            400,
            "invalid-field",
            "enabledOnly",
        ),
        ({"text": "x", "language": "vi", "pack": "nope"}, 400, "unknown-pack", "pack"),
        ({"data": "{", "language": "vi"}, 400, "invalid-json", "data"),
        (
            {"text": "x", "data": '{"annotation": [{"text": "y"}]}', "language": "vi"},
            400,
            "invalid-field",
            "data",
        ),
        ({"data": "[]", "language": "vi"}, 400, "invalid-field", "data"),
        ({"data": '{"annotation": [{"text": 1}]}', "language": "vi"}, 400, "invalid-field", "data"),
        (
            {"data": '{"annotation": [{"text": "a", "markup": "b"}]}', "language": "vi"},
            400,
            "invalid-field",
            "data",
        ),
        (  # LanguageTool: "'text' cannot be used with 'interpretAs' (only 'markup' can)"
            {"data": '{"annotation": [{"text": "a", "interpretAs": "b"}]}', "language": "vi"},
            400,
            "invalid-field",
            "data",
        ),
        (
            {"data": '{"annotation": [{"text": "\\ud800"}]}', "language": "vi"},
            400,
            "invalid-field",
            "data",
        ),
        (
            {"data": '{"annotation": ' + "[" * 5000 + "]" * 5000 + "}", "language": "vi"},
            400,
            "invalid-json",
            "data",
        ),
        (
            {"data": '{"annotation": [], "n": ' + "9" * 5000 + "}", "language": "vi"},
            400,
            "invalid-json",
            "data",
        ),
    ],
)
def test_bad_input_is_a_clear_error(client, form, status, code, field):
    assert_error(client.post("/v2/check", data=form), status, code, field)


def test_languagetools_other_parameters_are_accepted_and_ignored(client, bad):
    """Parameters of LanguageTool's /v2/check that mean nothing here (its API documentation and
    TextChecker); a client that sends them gets the same answer."""
    extra = {
        "mode": "allButTextLevelOnly",
        "allowIncompleteResults": "true",
        "textSessionId": "1234:1700000000000",
        "useragent": "webextension-chrome-ng",
        "enableHiddenRules": "true",
        "level": "picky",
        "motherTongue": "vi",
        "username": "someone@example.org",
    }
    plain = lt_check(client, text=bad.text).get_json()
    assert lt_check(client, text=bad.text, **extra).get_json() == plain


@pytest.mark.parametrize(
    ("field", "value", "new_name"),
    [
        ("disabled", "SEC001", "disabledRules"),
        ("enabled", "SEC001", "enabledRules"),
        ("preferredvariants", "en-GB", "preferredVariants"),
        ("autodetect", "1", "language=auto"),
    ],
)
def test_languagetools_v1_names_are_refused_with_the_v2_name(client, bad, field, value, new_name):
    """LanguageTool answers its API v1 names with 400 and the v2 name (V2TextChecker.checkParams):
    ignoring `disabled=…` would check with the rule on that the client meant to turn off."""
    error = assert_error(
        lt_check(client, text=bad.text, **{field: value}), 400, "unknown-field", field
    )
    assert f"`{new_name}`" in error["message"]


def test_query_parameters_merge_with_the_body_and_win(client, bad):
    """LanguageTool reads `POST /v2/check?language=…` with `text` in the body, and a name given
    in both places takes the query's value (LanguageToolHttpHandler.getRequestQuery)."""
    body = client.post("/v2/check?language=en-US", data={"text": bad.text}).get_json()
    assert body["language"]["code"] == "en-US" and body["matches"]
    body = client.post(
        "/v2/check?language=en-GB", data={"text": bad.text, "language": "vi"}
    ).get_json()
    assert body["language"]["code"] == "en-GB"
    body = client.post(
        f"/v2/check?disabledRules={bad.code}", data={"text": bad.text, "language": "vi"}
    ).get_json()
    assert bad.code not in {m["rule"]["id"] for m in body["matches"]}
    # A name twice in the query or in the body: its last value, as LanguageTool's map keeps it.
    body = client.post("/v2/check?language=vi&language=en-US", data={"text": bad.text})
    assert body.get_json()["language"]["code"] == "en-US"
    body = client.post(
        "/v2/check",
        data=f"language=vi&language=en-GB&text=x&text={urllib.parse.quote(bad.text)}",
        content_type="application/x-www-form-urlencoded",
    ).get_json()
    assert body["language"]["code"] == "en-GB"
    assert bad.code in {m["rule"]["id"] for m in body["matches"]}


def test_query_parameters_are_checked_like_the_bodys(client, bad):
    assert_error(
        client.post("/v2/check?language=fr", data={"text": bad.text}),
        400,
        "unknown-language",
        "language",
    )
    assert_error(
        client.post("/v2/check?disabled=SEC001", data={"text": bad.text, "language": "vi"}),
        400,
        "unknown-field",
        "disabled",
    )


def test_text_in_the_url_is_refused(client):
    assert_error(
        client.post("/v2/check?text=hello", data={"language": "vi"}), 400, "text-in-url", "text"
    )


@pytest.mark.parametrize("field", ["text", "data"])
def test_get_with_the_draft_in_the_url_is_refused_by_name(client, field):
    # LanguageTool clients may send GET /v2/check?text=…; they hear why, not just "405".
    response = client.get(f"/v2/check?{field}=hello&language=vi")
    assert_error(response, 400, "text-in-url", "text")


def test_get_without_a_draft_is_405_pointing_to_post(client):
    response = client.get("/v2/check?language=vi")
    assert_error(response, 405, "method-not-allowed")
    assert response.headers["Allow"] == "POST"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("text=bán nick&language=vi".encode("cp1258"), "application/x-www-form-urlencoded"),
        (
            "text=bán nick&language=vi".encode("latin-1"),
            "application/x-www-form-urlencoded; charset=latin-1",
        ),
        # Escaped, but not UTF-8: read as Werkzeug does, `text` would be "b%E1n nick".
        (b"text=b%E1n+nick&language=vi", "application/x-www-form-urlencoded"),
        (b"text=a%ED%A0%BDb&language=vi", "application/x-www-form-urlencoded"),  # a surrogate
    ],
)
def test_form_body_that_is_not_utf8_is_a_clear_error(client, body, content_type):
    # Werkzeug would read it as an empty form and answer that `language` is missing.
    response = client.post("/v2/check", data=body, content_type=content_type)
    assert_error(response, 400, "invalid-form")


@pytest.mark.parametrize(
    "query",
    [
        # Escaped, but not UTF-8: read as Werkzeug does, `language` was the text "%E1" (an
        # unknown language) and a rule code "%ED%A0%BD" (an unknown rule), not a bad request.
        b"language=%E1",
        b"disabledRules=%ED%A0%BD",  # a surrogate
        b"%E1=vi",
        # Raw bytes (a WSGI server passes them as they came): Werkzeug's reading raised
        # UnicodeDecodeError, a 500.
        b"language=\xe1",
    ],
)
def test_query_that_is_not_utf8_is_a_clear_error_as_a_bodys_is(client, bad, query):
    response = client.post(
        "/v2/check",
        data={"text": bad.text, "language": "vi"},
        environ_overrides={"QUERY_STRING": query.decode("latin-1")},  # as PEP 3333 carries it
    )
    error = assert_error(response, 400, "invalid-form")
    assert "query string" in error["message"]


def test_a_utf8_query_is_read_as_before(client, bad):
    body = client.post(
        f"/v2/check?language=vi&disabledRules={urllib.parse.quote(bad.code)}&x=%C3%A1",
        data={"text": bad.text},
    ).get_json()
    assert body["language"]["code"] == "vi-VN"
    assert bad.code not in {m["rule"]["id"] for m in body["matches"]}


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"text=x&language=vi", "multipart/form-data"),  # no boundary
        (
            b'--XX\r\nContent-Disposition: form-data; name="language"\r\n\r\nvi\r\n--XX\r\n'
            b'Content-Disposition: form-data; name="text"\r\n\r\nC\xe1\xba\xa7n b\xc3\xa1n',
            "multipart/form-data; boundary=XX",
        ),  # cut short
    ],
)
def test_multipart_body_that_cannot_be_read_is_a_clear_error(client, body, content_type):
    response = client.post("/v2/check", data=body, content_type=content_type)
    assert_error(response, 400, "invalid-form")


def test_json_body_is_415(client):
    assert_error(
        client.post("/v2/check", json={"text": "x", "language": "vi"}),
        415,
        "unsupported-media-type",
    )


def test_text_over_the_limit_is_413(client):
    limit = client.application.config["MAX_TEXT_CHARS"]
    assert_error(lt_check(client, text="a" * (limit + 1)), 413, "too-large", "text")


@pytest.mark.parametrize(
    "content_type", ["multipart/form-data", "application/x-www-form-urlencoded"]
)
def test_a_raised_body_limit_holds_for_every_form_encoding(content_type):
    """An operator who raised RASOAT_MAX_CONTENT_LENGTH (and RASOAT_MAX_TEXT_CHARS) for long
    drafts got them through /api/v1/check and a url-encoded /v2/check, but a multipart /v2/check
    with a 1.2 MB text was refused with 413 "larger than the 4,194,304-byte limit": Werkzeug
    caps each multipart field at MAX_FORM_MEMORY_SIZE, a setting of its own left at 1 MiB and
    named nowhere. A field is never larger than the body it is in: the one limit is the body's."""
    app = make_app(MAX_CONTENT_LENGTH=4 * 1024 * 1024, MAX_TEXT_CHARS=400_000)
    text = "😀" * 300_000  # under the 400,000 characters; 1.2 MB in UTF-8
    client = app.test_client()
    if content_type.startswith("multipart"):
        # Written out here: the test client spools a body this large to a file it leaves open.
        parts = [("text", text), ("language", "vi")]
        body = (
            b"".join(
                f'--b\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                for name, value in parts
            )
            + b"--b--\r\n"
        )
        response = client.post("/v2/check", data=body, content_type=content_type + "; boundary=b")
    else:
        response = client.post("/v2/check", data={"text": text, "language": "vi"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["matches"] == []


def test_incomplete_results_say_why_as_languagetool_does(tmp_path, monkeypatch):
    """LanguageTool adds `incompleteResultsReason` to `warnings` when a check stopped short."""
    from policy import engine
    from tests.policy.policy_helpers import write_pack
    from tests.server.test_openapi import validator_for

    pack = write_pack(tmp_path, type_="regex", matcher="patterns = ['(a|aa)+$']")
    client = make_app(PACK=str(pack)).test_client()
    monkeypatch.setattr(engine, "REGEX_BUDGET_S", 0.05)
    body = lt_check(client, text="a" * 40 + "b").get_json()
    validator_for("/v2/check", "post", 200).validate(body)  # the OpenAPI document has it
    warnings = body["warnings"]
    assert warnings["incompleteResults"] is True
    assert "thời gian" in warnings["incompleteResultsReason"]
    warnings = lt_check(client, text="a" * 40 + "b", language="en").get_json()["warnings"]
    assert "time budget" in warnings["incompleteResultsReason"]
    assert lt_check(client, text="aaa").get_json()["warnings"] == {"incompleteResults": False}
