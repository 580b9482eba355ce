"""Bank account numbers: digit runs next to 'STK', 'số tài khoản' or a bank's name."""

from __future__ import annotations

import re

from ._base import Detector, DetectorInput, Spans, any_word, digits_of

_DIGITS = re.compile(r"(?<![\w.,+-])\d(?:[ .-]?\d){5,18}(?![\w]|[.,-]\d)")
# Multi-word names stay whole: split into words, "nam a bank" made "nam" and "a" bank names, so
# any number near "Việt Nam" looked like an account.
BANKS = (
    "vietcombank vcb techcombank tcb bidv agribank vietinbank vtb mbbank acb tpbank tpb "
    "vpbank sacombank stb shb hdbank ocb vib msb seabank eximbank lienvietpostbank lpbank "
    "abbank namabank pvcombank scb baovietbank kienlongbank vietbank cake timo momo zalopay"
).split() + ["mb bank", "nam a bank", "bac a bank"]
_BANK_CONTEXT = any_word(
    "stk|so tk|so tai khoan|tai khoan ngan hang|tk ngan hang|account number|acc no|"
    "ngan hang|chuyen khoan|ck vao|" + "|".join(sorted(set(BANKS), key=len, reverse=True))
)

_AMOUNT = re.compile(r"^\d{1,3}(?:[.,]\d{3})+$")
_CURRENCY_AFTER = re.compile(r"\s?(?:d\b|dong\b|vnd\b|k\b|tr\b|trieu\b|ty\b|usd\b|\$)")


_CARD_GROUPS = re.compile(r"\d{4}(?: \d{4}){3}")  # "4111 1111 1111 1111" needs no card word
_CARD_CONTEXT = any_word("the|visa|mastercard|master card|jcb|amex|card|atm|credit|debit")


def luhn_ok(digits: str) -> bool:
    """The Luhn checksum every payment card number carries."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _bank_account(inp: DetectorInput, options: dict) -> Spans:
    for m in inp.finditer(_DIGITS, inp.digit_windows(6)):  # runs of 6+ digits (see digit_windows)
        digits = digits_of(m.group())
        # Payment card numbers: 13–19 digits with a valid Luhn checksum next to card words.
        if (
            13 <= len(digits) <= 19
            and luhn_ok(digits)
            and (
                inp.near(_CARD_CONTEXT, *m.span(), before=50, after=30)
                or _CARD_GROUPS.fullmatch(m.group())
            )
        ):
            yield m.span()
            continue
        # Round numbers (1000000) are counts or amounts, not accounts.
        if not 6 <= len(digits) <= 19 or len(set(digits)) == 1 or digits.endswith("0000"):
            continue
        # "500.000 đ" is an amount, not an account: thousands groups or a currency right after.
        if _AMOUNT.match(m.group()) or _CURRENCY_AFTER.match(inp.folded, m.end()):
            continue
        if inp.near(_BANK_CONTEXT, *m.span(), before=50, after=30):
            yield m.span()


BANK_ACCOUNT = Detector(
    "bank-account",
    _bank_account,
    frozenset(),
    "6–19 digit numbers next to STK / số tài khoản / a bank's name; payment "
    "card numbers (Luhn) next to card words",
)
