"""Rasoat's policy engine: load rule packs and check drafts (pure Python, no web imports)."""

from .engine import Linter, check
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
    "Example",
    "Finding",
    "Linter",
    "Pack",
    "PackError",
    "PolicyError",
    "Rule",
    "check",
    "load_pack",
    "shipped_packs",
]
