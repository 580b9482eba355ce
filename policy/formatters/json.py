"""Machine output: a JSON list of findings (`Finding.to_dict()` plus `path`)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from ..model import Finding


def format_json(results: Iterable[tuple[str, Sequence[Finding]]]) -> str:
    """A JSON array, one object per finding, in input order then (start, end, code)."""
    out = [{"path": path, **f.to_dict()} for path, findings in results for f in findings]
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"
