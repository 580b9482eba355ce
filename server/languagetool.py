"""LanguageTool-compatible endpoint: `/v2/check` and `/v2/languages` in LanguageTool's JSON shape.

Any LanguageTool client (editor plugins, `language_tool_python`, …) can point at this service.
Offsets are UTF-16 code units, as LanguageTool (Java) reports them.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from typing import Any

from flask import Blueprint, Response, jsonify, request
from werkzeug.exceptions import MethodNotAllowed

import policy
from policy.model import canonical_code
from policy.spans import SpanMap  # the one home of offset conversions (docs/architecture.md §1)
from server import forms, inputs
from server.errors import APIError
from server.responses import json_response

bp = Blueprint("languagetool", __name__, url_prefix="/v2")

# (name, code, longCode) as LanguageTool lists them; every English variant gets English messages.
LANGUAGES = (
    ("Vietnamese", "vi", "vi-VN"),
    ("English", "en", "en"),
    ("English (US)", "en", "en-US"),
    ("English (GB)", "en", "en-GB"),
)

CATEGORY_NAMES = {
    "state-secret": ("Bí mật nhà nước", "State secrets"),
    "internal-work": ("Thông tin nội bộ", "Internal work information"),
    "personal-data": ("Dữ liệu cá nhân", "Personal data"),
    "credentials": ("Mật khẩu và mã xác thực", "Credentials"),
    "account-trading": ("Mua bán tài khoản", "Account trading"),
    "misinformation": ("Thông tin sai sự thật", "Misinformation"),
    "offensive-language": ("Ngôn từ xúc phạm", "Offensive language"),
    "incitement": ("Kích động", "Incitement"),
    "illegal-services": ("Dịch vụ bất hợp pháp", "Illegal services"),
    "unsafe-link": ("Liên kết không an toàn", "Unsafe links"),
}

# LanguageTool's API v1 names: it answers them with 400 and the v2 name rather than ignore them
# (V2TextChecker.checkParams), since `disabled=…` ignored would check with that rule on.
V1_NAMES = {
    "enabled": "enabledRules",
    "disabled": "disabledRules",
    "preferredvariants": "preferredVariants",
    "autodetect": "language=auto",
}

# Why `warnings.incompleteResults` is true, in the language of the messages.
INCOMPLETE_REASON = {
    "vi": "Một mẫu quy tắc chạy quá thời gian cho phép nên đã dừng; có thể còn vi phạm chưa báo.",
    "en": "A rule's pattern ran past its time budget and was stopped; findings may be missing.",
}

CONTEXT_CHARS = 40  # characters of context on each side, like LanguageTool's default


def category_id(category: str) -> str:
    """LanguageTool style category id: `STATE_SECRET` for `state-secret`."""
    return category.upper().replace("-", "_")


def _language(value: str | None) -> tuple[str, str, str] | None:
    """(our lang, LanguageTool name, long code) for a `language` parameter; None for `auto`."""
    if not value:
        raise APIError(
            "missing-field", "`language` is required (e.g. vi-VN, en-US or auto).", field="language"
        )
    tag = value.strip()
    if tag.lower() == "auto":
        return None
    found = _known_language(tag)
    if found is None:
        raise APIError(
            "unknown-language",
            "`language` must be one of: auto, "
            f"{', '.join(long for _, _, long in LANGUAGES)} (see GET /v2/languages).",
            field="language",
        )
    return found


def _known_language(tag: str) -> tuple[str, str, str] | None:
    for name, code, long_code in LANGUAGES:
        if (
            tag.lower() in (long_code.lower(), code)
            or tag.lower().replace("_", "-") == long_code.lower()
        ):
            return code, name, long_code
    if tag.lower().split("-")[0].split("_")[0] == "en":
        return "en", "English", tag
    return None


def _detected(text: str, preferred: list[str]) -> tuple[tuple[str, str, str], dict[str, Any]]:
    """The language `language=auto` checks in, and LanguageTool's `detectedLanguage` for it.

    As LanguageTool does (V2TextChecker), a `preferredVariants` entry of the detected language
    names the variant checked ("en-GB"); without one, a language's default variant (en-US).
    """
    detection = policy.detect_language(text)
    found = next(
        (
            known
            for known in map(_known_language, reversed(preferred))  # LanguageTool: the last wins
            if known is not None and known[0] == detection.lang
        ),
        None,
    )
    if found is None:
        found = next(
            (code, name, long_code)
            for name, code, long_code in LANGUAGES
            if code == detection.lang and "-" in long_code  # the default variant: vi-VN, en-US
        )
    detected = {
        "name": found[1],
        "code": found[2],
        "confidence": detection.confidence,
        "source": detection.source,
    }
    return found, detected


def _csv(field: str) -> list[str]:
    value = request.lt_form.get(field, "")
    return [item.strip() for item in value.split(",") if item.strip()]


def _category(value: str) -> str:
    return value.lower().replace("_", "-")


def _annotation(raw: str) -> tuple[str, str, list[tuple[int, int, int, int]], list[bool]]:
    """Parse LanguageTool's `data` ({"annotation": [{"text"} | {"markup", "interpretAs"?}]}).

    Returns (original, plain, segments): `original` is text and markup joined, `plain` is what
    is checked (text, plus `interpretAs` for markup), and each segment is
    (plain_start, plain_end, original_start, original_end) to map offsets back, and the last
    list says which segments are text (offsets map one to one) rather than markup.
    """
    try:
        data = json.loads(raw)
    except RecursionError:
        raise APIError("invalid-json", "`data` is nested too deeply.", field="data") from None
    except json.JSONDecodeError as error:
        raise APIError(
            "invalid-json",
            f"`data` is not valid JSON (line {error.lineno}, column {error.colno}).",
            field="data",
        ) from None
    except ValueError:  # an integer over Python's 4,300-digit limit for reading one
        raise APIError(
            "invalid-json", "`data` has a number too long to read.", field="data"
        ) from None
    items = data.get("annotation") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise APIError("invalid-field", '`data` must be {"annotation": [...]}.', field="data")
    original: list[str] = []
    plain: list[str] = []
    segments: list[tuple[int, int, int, int]] = []
    is_text: list[bool] = []
    p = o = 0
    for item in items:
        if not isinstance(item, dict):
            raise APIError(
                "invalid-field", "each `data.annotation` item must be an object.", field="data"
            )
        if isinstance(item.get("text"), str) and "markup" not in item:
            if "interpretAs" in item:  # as LanguageTool refuses it: only markup is read as
                raise APIError(
                    "invalid-field",
                    "`interpretAs` goes with `markup`, not with `text`.",
                    field="data",
                )
            shown = source = item["text"]
        elif isinstance(item.get("markup"), str) and "text" not in item:
            source = item["markup"]
            shown = item.get("interpretAs", "")
            if not isinstance(shown, str):
                raise APIError("invalid-field", "`interpretAs` must be a string.", field="data")
        else:
            raise APIError(
                "invalid-field",
                "each `data.annotation` item needs exactly one of `text` or `markup` (a string).",
                field="data",
            )
        original.append(source)
        plain.append(shown)
        is_text.append("text" in item)
        segments.append((p, p + len(shown), o, o + len(source)))
        p += len(shown)
        o += len(source)
    return "".join(original), "".join(plain), segments, is_text


class _OffsetMap:
    """Map offsets in the checked plain text back to the original (text and markup joined)."""

    def __init__(self, segments: list[tuple[int, int, int, int]], is_text: list[bool]) -> None:
        # Empty segments (markup read as nothing) hold no character, so no offset lands in them.
        self._segments = [
            (seg, txt) for seg, txt in zip(segments, is_text, strict=True) if seg[1] > seg[0]
        ]
        self._starts = [seg[0] for seg, _ in self._segments]
        self._total = segments[-1][3] if segments else 0

    def start(self, index: int) -> int:
        """Where the character at `index` starts in the original (inside markup: its start)."""
        i = bisect_right(self._starts, index) - 1
        if i < 0 or index >= self._segments[i][0][1]:
            return self._total
        (p_start, _, o_start, _), is_text = self._segments[i]
        return o_start + (index - p_start) if is_text else o_start

    def end(self, index: int) -> int:
        """Where the character before `index` ends in the original (inside markup: its end)."""
        if index <= 0:
            return self.start(0)
        i = bisect_right(self._starts, index - 1) - 1
        (p_start, _, o_start, o_end), is_text = self._segments[max(i, 0)]
        return o_start + (index - p_start) if is_text else o_end


class _Sentences:
    """The sentences of the checked text, split once per text as the engine splits them.

    LanguageTool splits with its per-language SRX rules (a sentence ends at . ! ? and the like
    before a space and an upper-case letter, and at a paragraph break, with abbreviation lists);
    the engine's splitter (`policy.sentence_spans`) plays that part here, so `sentence` and
    `sentenceRanges` show the sentences the rules looked at.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self.spans = policy.sentence_spans(text)
        self._starts = [start for start, _ in self.spans]

    def around(self, start: int, end: int) -> str:
        """The sentence a span is in (from its first sentence to its last, if it spans more)."""
        if not self.spans:
            return self._text.strip()
        first = max(bisect_right(self._starts, start) - 1, 0)
        last = max(bisect_right(self._starts, max(end - 1, start)) - 1, first)
        return self._text[self.spans[first][0] : self.spans[last][1]]


def _refuse_text_in_url() -> None:
    if "text" in request.args or "data" in request.args:
        # A draft in the URL ends up in proxy and server access logs; refuse it.
        raise APIError(
            "text-in-url",
            "Send `text` or `data` in the form-encoded body of a POST, not in the URL.",
            field="text",
        )


@bp.get("/check")
def check_in_url() -> Response:
    """LanguageTool's GET form of `/v2/check`, which its clients use: refused with a clear error.

    It carries the draft in the URL, which proxies log; a bare 405 would not say why.
    """
    _refuse_text_in_url()
    raise MethodNotAllowed(
        valid_methods=["POST"], description="POST the parameters form-encoded in the body."
    )


@bp.post("/check")
def check() -> Response:
    """Check `text` (or annotated `data`) and answer exactly as LanguageTool does."""
    _refuse_text_in_url()
    if request.mimetype not in forms.FORM_TYPES and forms.looks_like_json(request.get_data()):
        # Any other body is read as a form, as LanguageTool reads it (see `Request.lt_form`).
        raise APIError(
            "unsupported-media-type",
            "Send the parameters form-encoded "
            "(application/x-www-form-urlencoded), as LanguageTool expects.",
            status=415,
        )
    form = request.lt_form
    for old_name, new_name in V1_NAMES.items():
        if old_name in form:
            raise APIError(
                "unknown-field",
                f"`{old_name}` is LanguageTool's API v1 name; v2 calls it `{new_name}`.",
                field=old_name,
            )
    given = _language(form.get("language"))
    preferred = _csv("preferredVariants")
    # As LanguageTool answers them (getPreferredVariants, TextChecker.checkText): both are
    # choices among detected languages, so they need `language=auto` (preferredVariants, or its
    # multilingual mode). noopLanguages then changes nothing: every draft is checked.
    multilingual = form.get("multilingual", "false") != "false"
    if "preferredVariants" in form and given is not None and not multilingual:
        raise APIError(
            "invalid-field",
            "`preferredVariants` works only with `language=auto`.",
            field="preferredVariants",
        )
    if "noopLanguages" in form and given is not None:
        raise APIError(
            "invalid-field",
            "`noopLanguages` works only with `language=auto`.",
            field="noopLanguages",
        )
    loaded = inputs.pack(form.get("pack") or None)

    segments: list[tuple[int, int, int, int]] = []
    is_text: list[bool] = []
    if form.get("text") is not None and form.get("data") is not None:
        # As LanguageTool does: checking one and ignoring the other would pass a draft unseen.
        raise APIError("invalid-field", "Send `text` or `data`, not both.", field="data")
    if form.get("text") is not None:
        original = plain = inputs.draft_text(form.get("text"))
    elif form.get("data") is not None:
        original, plain, segments, is_text = _annotation(form["data"])
        inputs.draft_text(plain, "data")  # the length limit counts what is checked
        inputs.draft_text(original, "data", limit=None)
    else:
        raise APIError(
            "missing-field", "Send `text` (plain) or `data` (annotated) to check.", field="text"
        )

    if given is None:
        (lang, lang_name, long_code), detected = _detected(plain, preferred)
    else:
        lang, lang_name, long_code = given
        # An explicit language is not second-guessed (no detection runs): it is what was checked.
        detected = {"name": lang_name, "code": long_code, "confidence": 1.0, "source": None}

    # LanguageTool ignores rule and category ids it does not know, and generic clients send its
    # own ids (disabledCategories=TYPOS; the Obsidian plugin sends enabledCategories=CASING,…
    # on every check); so do we, except to narrow a check with enabledOnly, where a code we do
    # not have is an error rather than a check of less than was asked.
    known_codes = {rule.code for rule in loaded.pack.rules}
    # Our codes in any case ("sec001"), as the CLI and /api/v1 read them.
    disabled = [code for code in map(canonical_code, _csv("disabledRules")) if code in known_codes]
    disabled_categories = {_category(c) for c in _csv("disabledCategories")}
    # LanguageTool reads "true" or "yes" (older clients send "yes"); anything else is false.
    enabled_only = form.get("enabledOnly", "false").lower() in ("true", "yes")
    enabled_rules: list[str] = []
    enabled_categories: set[str] = set()
    if enabled_only:  # without it, enabling changes nothing: every stable rule is on
        enabled_rules = inputs.rule_codes(loaded, _csv("enabledRules"), "enabledRules")
        enabled_categories = set(
            inputs.categories(
                [_category(c) for c in _csv("enabledCategories")], "enabledCategories"
            )
        )
    if enabled_only and not (enabled_rules or enabled_categories):
        raise APIError(
            "invalid-field",
            "`enabledOnly=true` needs `enabledRules` or `enabledCategories`.",
            field="enabledOnly",
        )
    only_categories = None
    if disabled_categories:
        only_categories = [c for c in policy.CATEGORIES if c not in disabled_categories]

    result = loaded.linter.check(
        plain, lang=lang, disabled=disabled, only_categories=only_categories
    )
    findings = [
        f
        for f in result
        if not enabled_only or f.code in enabled_rules or f.category in enabled_categories
    ]

    spans = SpanMap(original)
    # LanguageTool's `sentence` is the analysed sentence: of the checked text, without markup.
    sentences = _Sentences(plain)
    offsets = _OffsetMap(segments, is_text)
    matches = []
    for finding in findings:
        if segments:
            start, end = offsets.start(finding.start), offsets.end(finding.end)
        else:
            start, end = finding.start, finding.end
        offset = spans.utf16(start)
        length = spans.utf16(end) - offset
        ctx_start = max(0, start - CONTEXT_CHARS)
        ctx_end = min(len(original), end + CONTEXT_CHARS)
        rule = loaded.linter.rule(finding.code)
        vi_name, en_name = CATEGORY_NAMES.get(finding.category, (finding.category,) * 2)
        matches.append(
            {
                "message": finding.message,
                "shortMessage": vi_name if lang == "vi" else en_name,
                "replacements": [{"value": value} for value in finding.suggestions],
                "offset": offset,
                "length": length,
                "context": {
                    "text": original[ctx_start:ctx_end],
                    # The astral characters between the context's start and the match are the
                    # same in the context as in the draft: no second SpanMap needed.
                    "offset": offset - spans.utf16(ctx_start),
                    "length": length,
                },
                "sentence": sentences.around(finding.start, finding.end),
                "type": {"typeName": "Other"},
                "rule": {
                    "id": finding.code,
                    "description": _description(rule, lang),
                    "issueType": "non-conformance" if finding.severity != "info" else "style",
                    "category": {
                        "id": category_id(finding.category),
                        "name": vi_name if lang == "vi" else en_name,
                    },
                },
                "ignoreForIncompleteSentence": False,
                "contextForSureMatch": 0,
            }
        )
    return json_response(
        software={
            "name": "Rasoat",
            "version": _version(),
            "buildDate": None,
            "apiVersion": 1,
            "premium": False,
            "status": "",
        },
        # As LanguageTool writes it (writeWarningsSection): the reason only when incomplete.
        warnings=(
            {"incompleteResults": True, "incompleteResultsReason": INCOMPLETE_REASON[lang]}
            if result.incomplete
            else {"incompleteResults": False}
        ),
        language={"name": lang_name, "code": long_code, "detectedLanguage": detected},
        matches=matches,
        # LanguageTool's [from, to] of each sentence, UTF-16, in the text as sent (with `data`:
        # text and markup joined, as `offset` is).
        sentenceRanges=[
            [spans.utf16(offsets.start(a)), spans.utf16(offsets.end(b))]
            if segments
            else [spans.utf16(a), spans.utf16(b)]
            for a, b in sentences.spans
        ],
    )


def _description(rule: Any, lang: str) -> str:
    what = rule.doc.get("what", {}) if isinstance(rule.doc, dict) else {}
    return what.get(lang) or what.get("vi") or rule.name


def _version() -> str:
    from server.api import _version as api_version

    return api_version()


@bp.get("/languages")
def languages() -> Response:
    """The languages this service answers in, as LanguageTool lists its languages."""
    return jsonify(
        [{"name": name, "code": code, "longCode": long_code} for name, code, long_code in LANGUAGES]
    )
