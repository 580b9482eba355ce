"""Rasoat's policy engine: load rule packs and check drafts (pure Python, no web imports)."""

from .engine import Linter, check, sentence_spans
from .language import Detection
from .language import detect as detect_language
from .loader import load_pack, shipped_packs
from .model import (
    CATEGORIES,
    DEFAULT_PACK,
    SEVERITIES,
    CheckResult,
    Example,
    Finding,
    Pack,
    PackError,
    PolicyError,
    Rule,
)

__all__ = [
    "CATEGORIES",
    "DEFAULT_PACK",
    "SEVERITIES",
    "CheckResult",
    "Detection",
    "Example",
    "Finding",
    "Linter",
    "Pack",
    "PackError",
    "PolicyError",
    "Rule",
    "check",
    "detect_language",
    "load_pack",
    "sentence_spans",
    "shipped_packs",
]
