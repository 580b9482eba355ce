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
# Digits typed one by one or in groups with wider separators than `_PHONE` allows: " - ", " . ",
# two spaces ("0 9 8 8 - 4 4 1 - 7 2 3", "0 9 1 2  3 4 5  6 7 8"). A chain of digits joined by any
# separator, matched whole; it must then be a phone number from its first digit to its last.
# Each opens with a literal, which `re` skips to in C (~1 µs per 2,000 chars each; `str.find` of
# " - " is slower, as spaces are everywhere, and one alternation of the three ~20 µs).
_WIDE_SEPARATORS = (re.compile(r" - \d"), re.compile(r" \. \d"), re.compile(r"  \d"))
# Where one may follow a digit, on the digit classes (see DetectorInput.digit_classes): a digit,
# two or three separators, a digit. One pass that skips from digit to digit, instead of three
# over every space.
_WIDE_AT = re.compile(rb"dsss?(?=d)")
# A chain starts where no digit and separator come before it (so a search from inside a chain
# finds the next one, not a tail of this one).
_CHAIN = re.compile(
    r"(?<![\d+])(?<!\d[ .\-])(?<!\d [.\-] )(?<!\d  )(?:\+ ?)?\d(?:(?:[ .\-]| [.\-] | {2})?\d)*"
)
# No phone chain is longer: "+ " and 11 digits with 10 three-char separators are 43 chars.
_LONGEST_CHAIN = 48
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

    def is_phone(raw: str) -> bool:
        nsn = national_number(raw)
        return nsn not in allow and bool(_MOBILE.match(nsn) or (landline and _LANDLINE.match(nsn)))

    # The number after any '+84' / '0' / '(0)' prefix is one run of 8–10 digits.
    for m in inp.finditer(_PHONE, inp.digit_windows(8)):
        if is_phone(m.group()):
            yield m.span()
    yield from _wide_phones(inp.norm, is_phone, inp.digit_classes())


def _wide_separators(text: str, classes: bytes | None) -> list[int]:
    """Where a wide separator (`_WIDE_SEPARATORS`) follows a digit, in order."""
    if classes is not None:
        # Every such place is one of `_WIDE_AT`'s, right after its digit: a digit or a separator
        # is one in the classes too. None of them overlap, so `finditer` misses none.
        wide = []
        for m in _WIDE_AT.finditer(classes):
            i = m.start() + 1
            if text[i - 1].isdigit() and any(sep.match(text, i) for sep in _WIDE_SEPARATORS):
                wide.append(i)
        return wide
    wide = []
    for sep in _WIDE_SEPARATORS:
        for m in sep.finditer(text):
            i = m.start()
            if i > 0 and text[i - 1].isdigit():
                wide.append(i)
    wide.sort()
    return wide


def _wide_phones(text: str, is_phone, classes: bytes | None = None) -> Spans:
    """Phone numbers whose digits are split by a wide separator (see `_CHAIN`).

    Found from each wide separator between two digits (most drafts have none). The whole chain
    of digits around it must be the number, so counting ("0 1 2 3 … 10"), scores ("3 - 0"),
    dates and prices stay apart. `classes`: the text's digit classes, when known.
    """
    n = len(text)
    wide = _wide_separators(text, classes)
    if not wide:
        return
    done = 0  # the chains found so far end here
    for i in wide:
        if i < done:
            continue  # in the chain just looked at
        # The chain holding this separator, if it starts near enough to be a phone number (one
        # starting further back is too long, and looking no further keeps this linear).
        # (Searched up to the separator, the chain holding it is the one that ends there.)
        m = _CHAIN.search(text, max(0, i - _LONGEST_CHAIN), i)
        while m is not None and m.end() < i:
            m = _CHAIN.search(text, m.end(), i)
        if m is None:
            continue
        m = _CHAIN.match(text, m.start())  # the whole chain, past the separator
        s, e = m.span()
        done = e
        before = text[s - 1] if s > 0 else " "
        after = text[e] if e < n else " "
        if (
            not (before.isalnum() or before in "_+.,-")
            and not (after.isalnum() or after == "_")
            and not (after in ".,-" and e + 1 < n and text[e + 1].isdigit())
            and is_phone(m.group())
        ):
            yield s, e


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
