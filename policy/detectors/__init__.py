"""Detectors: named Python checks for what patterns cannot judge (IDs, phones, secrets, links)."""

from __future__ import annotations

from ._base import Detector, DetectorInput
from .contact import EMAIL, PHONE
from .finance import BANK_ACCOUNT
from .identity import NATIONAL_ID, PASSPORT
from .links import RISKY_LINK
from .secrets import API_KEY, OTP_CODE, PASSWORD

DETECTORS: dict[str, Detector] = {
    d.name: d
    for d in (
        NATIONAL_ID,
        PASSPORT,
        PHONE,
        BANK_ACCOUNT,
        EMAIL,
        OTP_CODE,
        PASSWORD,
        API_KEY,
        RISKY_LINK,
    )
}

__all__ = ["DETECTORS", "Detector", "DetectorInput"]
