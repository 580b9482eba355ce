"""Secrets in a draft: OTP codes, passwords after 'pass/mật khẩu/mk:', API keys of known shapes."""

from __future__ import annotations

import re

from ._base import Detector, DetectorInput, Spans

_OTP_CONTEXT = re.compile(
    r"\b(?:otp|ma xac thuc|ma xac nhan|ma kich hoat|ma bao mat|verification code|security code|"
    r"one-time code|ma dang nhap|login code|2fa)\b"
)
_OTP = re.compile(r"(?<![\w.,-])\d{4,8}(?![\w]|[.,-]\d)")

# Keywords that introduce a password. "mk" is also teencode for "mình" (I/me), and "pass lại"
# means "resell", so those need an explicit ':' / '=' / 'là' and a value that looks like a secret.
_STRONG_KW = r"mat khau|password|passwd|pass word|passcode|pwd|pass wifi|pass wi-fi|mat ma"
_WEAK_KW = r"pass|pw|mk|mk wifi"
_PASSWORD = re.compile(
    rf"\b(?P<kw>{_STRONG_KW}|{_WEAK_KW})\b(?P<sep>\s*(?:[:=]|\bla\b|\bis\b)\s*|\s+)(?P<val>\S+)"
)
# Already hidden ("********", "a******5"): a run of three or more mask characters.
_MASKED = re.compile(r"[*•●]{3,}|^[x.]+$", re.I)


def _looks_secret(value: str) -> bool:
    if len(value) < 4 or _MASKED.search(value):
        return False
    has_digit = any(c.isdigit() for c in value)
    has_symbol = any(not c.isalnum() for c in value)
    mixed = any(c.isupper() for c in value) and any(c.islower() for c in value)
    return has_digit or has_symbol or mixed


def _otp(inp: DetectorInput, options: dict) -> Spans:
    for m in _OTP.finditer(inp.norm):
        if inp.near(_OTP_CONTEXT, *m.span(), before=40, after=25):
            yield m.span()


def _password(inp: DetectorInput, options: dict) -> Spans:
    for m in _PASSWORD.finditer(inp.folded):
        s, e = m.span("val")
        value = inp.norm[s:e].rstrip(".,;!?)\"'")
        e = s + len(value)
        sep = m.group("sep").strip()
        strong = m.group("kw") not in ("pass", "pw", "mk", "mk wifi")
        if not value:
            continue
        if not sep and not strong:
            continue  # "mk đi chơi", "pass lại acc": no ':'/'=' → not a disclosure
        if _looks_secret(value) or (strong and sep and len(value) >= 6 and value.isascii()
                                    and value.isalpha() and value.lower() == value
                                    and sep in (":", "=")):
            yield s, e


# Known key shapes; each is specific enough to stand alone.
_API_KEYS = re.compile(
    r"(?<![\w-])(?:"
    r"AKIA[0-9A-Z]{16}"                                 # AWS access key id
    r"|gh[pousr]_[A-Za-z0-9]{36,}"                       # GitHub tokens
    r"|github_pat_[A-Za-z0-9_]{40,}"
    r"|AIza[0-9A-Za-z_-]{35}"                            # Google API key
    r"|xox[abprs]-[A-Za-z0-9-]{10,}"                     # Slack
    r"|sk_live_[0-9A-Za-z]{20,}|rk_live_[0-9A-Za-z]{20,}"  # Stripe
    r"|sk-(?:proj-)?[A-Za-z0-9_-]{20,}"                  # OpenAI-style
    r"|glpat-[A-Za-z0-9_-]{20}"                          # GitLab
    r"|\d{8,10}:AA[A-Za-z0-9_-]{33}"                     # Telegram bot token
    r"|eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}"  # JWT
    r"|-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP )?PRIVATE KEY-----"
    r")(?![\w-])"
)


def _api_key(inp: DetectorInput, options: dict) -> Spans:
    for m in _API_KEYS.finditer(inp.norm):
        yield m.span()


OTP_CODE = Detector("otp-code", _otp, frozenset(), "4–8 digit codes next to OTP / mã xác thực")
PASSWORD = Detector("password-disclosure", _password, frozenset(),
                    "a value after pass / mật khẩu / mk: that looks like a password")
API_KEY = Detector("api-key", _api_key, frozenset(), "API keys and tokens of known shapes")
