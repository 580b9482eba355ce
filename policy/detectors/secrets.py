"""Secrets in a draft: OTP codes, passwords after 'pass/mật khẩu/mk:', API keys of known shapes."""

from __future__ import annotations

import re

from ._base import Detector, DetectorInput, Spans, any_word

_OTP_WORDS = (
    "otp|ma xac thuc|ma xac nhan|ma kich hoat|ma bao mat|verification code|security code|"
    "one-time code|ma dang nhap|login code|2fa|ma du phong|backup code"
)
_OTP_CONTEXT = any_word(_OTP_WORDS)
# 4–8 digits, possibly spaced out ("703 918", "8 3 1 4 0 2").
_OTP = re.compile(r"(?<![\w.,-])\d(?:[ .-]?\d){3,7}(?![\w]|[.,-]\d)")
# Two years joined by a dash read as eight digits; near "2FA" they are still years.
_YEAR_RANGE = re.compile(r"(?:19|20)\d\d ?- ?(?:19|20)\d\d")

# Keywords that introduce a password. "mk" is also teencode for "mình" (I/me), and "pass lại"
# means "resell", so those need an explicit ':' / '=' / 'là' and a value that looks like a secret.
_STRONG_KW = (
    r"mat khau|password|passwd|pass word|passcode|pwd|pass wifi|pass wi-fi|mat ma|"
    r"ma pin|pin code|cvv|cvc|user/pass|user/pw|tk/mk|id/pass|access code"
)
_WEAK_KW = r"pass|pw|mk"
_WEAK = frozenset({"pass", "pw", "mk"})
_SHORT_OK = frozenset({"cvv", "cvc", "ma pin", "pin code"})  # 3–4 digit values are the secret
_KEYWORD = re.compile(rf"\b(?:{_STRONG_KW}|{_WEAK_KW})\b")
# After the keyword: up to nine words ("mật khẩu wifi mới của phòng họp tầng 3 nhà B: …"), then
# ':' / '=' / 'là' / 'is', then the value (and two more tokens, for "admin / Abc@12345") — or,
# without a separator, the value right away.
_EXPLICIT = re.compile(
    r"(?P<mid>(?:\s+[^\s:=]+){0,9}?)(?P<sep>\s*[:=]\s*|\s+(?:la|is)\s+)"
    r"(?P<val>\S+)(?P<more>(?:\s+\S+){0,2})"
)
_BARE = re.compile(r"(?P<sep>\s+)(?P<val>\S+)")
# A notice that puts the value on a line of its own under the keyword's line, with no ':' / '='
# ("Pass wifi phòng họp tầng 3\nPhonghop@2026\nCác anh chị dùng tạm"): strong keywords only.
_OWN_LINE = re.compile(r"[^\n:=]{0,40}\n[ \t]*(?P<val>\S+)[ \t]*(?:\n|$)")
_TOKEN = re.compile(r"\S+")
_MASKED = re.compile(r"[*•●]{3,}|^[x.]+$", re.I)
_TRAIL = ".,;!?)\"'”"


def _looks_secret(value: str) -> bool:
    if len(value) < 4 or _MASKED.search(value):
        return False
    if value.isascii():
        # (Most values.) The tests below in C: an ASCII char that is no letter is a digit or a
        # symbol, and `lower` changes exactly the upper-case letters, `upper` the lower-case.
        return not value.isalpha() or (value.lower() != value and value.upper() != value)
    has_digit = any(c.isdigit() for c in value)
    has_symbol = any(not c.isalnum() for c in value)
    mixed = any(c.isupper() for c in value) and any(c.islower() for c in value)
    return has_digit or has_symbol or mixed


def _otp(inp: DetectorInput, options: dict) -> Spans:
    for m in inp.finditer(_OTP, inp.digit_windows(4)):  # runs of 4+ digits (see digit_windows)
        if _YEAR_RANGE.fullmatch(m.group()):
            continue  # "aged accounts (2014-2016), 2FA included": years, not a code
        if inp.near(_OTP_CONTEXT, *m.span(), before=70, after=25):
            yield m.span()


def _value_at(inp: DetectorInput, s: int, e: int) -> tuple[int, int, str]:
    value = inp.norm[s:e].rstrip(_TRAIL)
    return s, s + len(value), value


# Every keyword holds one of these, rare in Vietnamese prose. Per hint, where the keywords holding
# it start, relative to it.
_HINTS = ("pass", "pin", "pw", "mat ", "mk", "cess", "cv")
_KEYWORDS = tuple(f"{_STRONG_KW}|{_WEAK_KW}".split("|"))
_HINT_OFFSETS = {h: tuple(sorted({kw.find(h) for kw in _KEYWORDS if h in kw})) for h in _HINTS}
# The hints by first letter, one pass over the draft per letter: `re` skips to the letter in C,
# ~2× faster than `str.find` per hint. No hint holds its letter past its first char, so two
# places of one letter's hints never overlap and `finditer` finds every one.
_HINT_AT = tuple(
    re.compile(
        re.escape(first) + "(?:" + "|".join(re.escape(h[1:]) for h in _HINTS if h[0] == first) + ")"
    )
    for first in dict.fromkeys(h[0] for h in _HINTS)
)


def _keywords(text: str):
    """Keyword matches, found from their hints first (a regex opening with \\b would be tried at
    every position)."""
    starts = set()
    for hint_at in _HINT_AT:
        for m in hint_at.finditer(text):
            pos = m.start()
            for off in _HINT_OFFSETS[m.group()]:
                if pos >= off:
                    starts.add(pos - off)
    last = -1
    for pos in sorted(starts):
        if pos < last:
            continue
        k = _KEYWORD.match(text, pos)
        if k is not None:
            last = k.end()
            yield k


def _password(inp: DetectorInput, options: dict) -> Spans:
    text = inp.folded
    for k in _keywords(text):
        kw = k.group()
        weak = kw in _WEAK
        if not weak:
            own = _OWN_LINE.match(text, k.end())
            if own is not None:
                s, e, value = _value_at(inp, *own.span("val"))
                if len(value) >= 6 and any(c.isdigit() for c in value) and _looks_secret(value):
                    yield s, e
                    continue
        m = _EXPLICIT.match(text, k.end())
        # "pass lại acc fb giá: 500k": a weak keyword far from its value needs a plain secret.
        strict = m is not None and weak and len(m.group("mid").split()) > 2
        sep = bool(m)
        if m is None:
            m = _BARE.match(text, k.end())
            if m is None:
                continue
        candidates = [m.span("val")]
        # "admin / Abc@12345": the secret may be the second or third token. Not after a weak
        # keyword and "là": "mk là Lan lớp 12A1" is "mình là" (I am), its value the next word.
        if sep and not (weak and ":" not in m.group("sep") and "=" not in m.group("sep")):
            candidates.extend(t.span() for t in _TOKEN.finditer(text, *m.span("more")))
        for cs, ce in candidates:
            s, e, value = _value_at(inp, cs, ce)
            if not value:
                continue
            has_digit = any(c.isdigit() for c in value)
            has_symbol = any(not c.isalnum() for c in value)
            if strict:
                mixed = value.lower() != value and value.upper() != value
                if has_digit and (has_symbol or mixed) and len(value) >= 6:
                    yield s, e
                    break
                continue
            if kw in _SHORT_OK and value.isdigit() and 3 <= len(value) <= 6:
                yield s, e
                break
            if not sep:
                # "quên mật khẩu Zalo", "mk đi chơi", "pass lại acc" are prose; only a value that
                # is plainly a secret counts ("pass Long@2012").
                if (
                    has_digit
                    and len(value) >= 6
                    and _looks_secret(value)
                    and (has_symbol or any(c.isalpha() for c in value))
                ):
                    yield s, e
                break
            explicit = ":" in m.group("sep") or "=" in m.group("sep")
            if weak and not explicit and value.isalpha() and value.istitle():
                break  # "mk là Tuấn" / "mk la Tuan": "mình là" and a name
            if _looks_secret(value) or (
                not weak and explicit and len(value) >= 6 and value.isascii() and value.isalpha()
            ):
                yield s, e
                break


# Known key shapes; each is specific enough to stand alone.
_API_KEYS = re.compile(
    r"(?<![\w-])(?:"
    r"AKIA[0-9A-Z]{16}"  # AWS access key id
    r"|gh[pousr]_[A-Za-z0-9]{36,}"  # GitHub tokens
    r"|github_pat_[A-Za-z0-9_]{40,}"
    r"|AIza[0-9A-Za-z_-]{35}"  # Google API key
    r"|xox[abprs]-[A-Za-z0-9-]{10,}"  # Slack
    r"|sk_live_[0-9A-Za-z]{20,}|rk_live_[0-9A-Za-z]{20,}"  # Stripe
    r"|sk-(?:proj-)?[A-Za-z0-9_-]{20,}"  # OpenAI-style
    r"|glpat-[A-Za-z0-9_-]{20}"  # GitLab
    r"|\d{8,10}:AA[A-Za-z0-9_-]{30,40}"  # Telegram bot token (35 chars; some typed or cut short)
    r"|eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}"  # JWT
    r"|-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP )?PRIVATE KEY-----"
    r")(?![\w-])"
)


# Cheap literal test first: the full pattern opens with a lookbehind and is tried everywhere.
# The literals are AKIA, AIza, gh[pousr]_, github_pat_, _live_, xox[abprs]-, sk-, glpat-,
# -----BEGIN, :AA and eyJ, each written from a char rare in prose ("K", "z", "_", "-", ":", "J")
# with what comes before it in a lookbehind: `re` then skips through the draft to those chars
# alone, instead of trying the literals at every "e", "s", "g" and "A" (~2× faster).
_API_HINT = re.compile(
    r"K(?<=AK)IA|z(?<=AIz)a"
    r"|_(?<=gh[pousr]_)|_(?<=github_)pat_|_live_"
    r"|-(?<=xox[abprs]-)|-(?<=sk-)|-(?<=glpat-)|-----BEGIN"
    r"|:AA|J(?<=eyJ)"
)
# Each hint, lower-cased as the folded text has it, holds one of these (`_api_key` finds
# nothing without a hint).
_API_NEEDS = (
    "akia",
    "aiza",
    *(f"gh{c}_" for c in "pousr"),
    "github_pat_",
    "_live_",
    *(f"xox{c}-" for c in "abprs"),
    "sk-",
    "glpat-",
    "-----begin",
    ":aa",
    "eyj",
)


def _api_key(inp: DetectorInput, options: dict) -> Spans:
    if _API_HINT.search(inp.norm) is None:
        return
    for m in _API_KEYS.finditer(inp.norm):
        yield m.span()


OTP_CODE = Detector(
    "otp-code",
    _otp,
    frozenset(),
    "4–8 digit codes next to OTP / mã xác thực",
    needs=tuple(_OTP_WORDS.split("|")),  # (a code counts only near one of them)
)
PASSWORD = Detector(
    "password-disclosure",
    _password,
    frozenset(),
    "a value after pass / mật khẩu / mk: that looks like a password",
)
API_KEY = Detector(
    "api-key", _api_key, frozenset(), "API keys and tokens of known shapes", needs=_API_NEEDS
)
