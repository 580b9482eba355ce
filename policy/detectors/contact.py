"""Contact details: Vietnamese phone numbers (public hotlines excluded) and e-mail addresses."""

from __future__ import annotations

import re

from ._base import Detector, DetectorInput, Spans, digits_of

_PHONE = re.compile(
    r"(?<![\w+.,-])(?:\+84|\(\+84\)|84|0)[ .-]?(?:\(0\)[ .-]?)?\d(?:[ .-]?\d){7,9}(?![\w]|[.,-]\d)"
)
# Mobile prefixes after the 0 (Viettel, Vinaphone, Mobifone, Vietnamobile, Gmobile, Itel, Reddi).
_MOBILE = re.compile(r"^(?:3[2-9]|5[2689]|7[06-9]|8[1-9]|9\d)\d{7}$")
_LANDLINE = re.compile(r"^2\d{9}$")
# Published hotlines are meant to be shared: MOFA citizen protection, Government portal.
PUBLIC_HOTLINES = frozenset({"981848484", "965411118", "2438234588", "2437992000", "2438253600"})

_EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9])?@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w@])"
)


def national_number(raw: str) -> str:
    """Digits of a phone number without the country code or trunk 0."""
    digits = digits_of(raw)
    if raw.lstrip("( ").startswith("+84") or (digits.startswith("84") and not raw.startswith("0")):
        digits = digits[2:]
    if digits.startswith("0"):
        digits = digits[1:]
    return digits


def _phone(inp: DetectorInput, options: dict) -> Spans:
    allow = PUBLIC_HOTLINES | {national_number(x) for x in options.get("allow", ())}
    landline = options.get("landline", True)
    # The number after any '+84' / '0' / '(0)' prefix is one run of 8–10 digits.
    for m in inp.finditer(_PHONE, inp.digit_windows(8)):
        nsn = national_number(m.group())
        if nsn in allow:
            continue
        if _MOBILE.match(nsn) or (landline and _LANDLINE.match(nsn)):
            yield m.span()


def _email(inp: DetectorInput, options: dict) -> Spans:
    allow = tuple(d.lower().lstrip("@.") for d in options.get("allow_domains", ("gov.vn",)))
    for m in inp.finditer(_EMAIL, inp.token_windows("@")):
        domain = m.group().rsplit("@", 1)[1].lower()
        if any(domain == d or domain.endswith("." + d) for d in allow):
            continue
        yield m.span()


PHONE = Detector(
    "vn-phone-number",
    _phone,
    frozenset({"allow", "landline"}),
    "Vietnamese mobile/landline numbers, +84, separators; public hotlines excluded",
)
EMAIL = Detector(
    "email-address",
    _email,
    frozenset({"allow_domains"}),
    "e-mail addresses (official gov.vn addresses allowed by default)",
)
