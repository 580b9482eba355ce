"""Find literals every match of a regex must start with, so the regex can be skipped when absent.

Deliberately conservative: it understands only a pattern that opens (after inline flags,
lookbehinds and `\\b`) with a plain literal or a group of plain-literal alternatives, and it gives
up (returns None) on anything else. A wrong answer would hide findings; no answer costs only time.
"""

from __future__ import annotations

_SAFE_ESCAPES = {".": ".", "-": "-", " ": " ", "'": "'", '"': '"', "/": "/", "&": "&"}
_QUANTIFIERS = "?*+{"


def _skip_group(p: str, i: int) -> int:
    """Index just after the group opening at p[i] == '(' (escapes and classes respected)."""
    depth = 0
    in_class = False
    while i < len(p):
        c = p[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1


def _atom_end(p: str, i: int) -> int:
    """End of a class / escape / single char atom at p[i], or i when it is something else."""
    if p.startswith("[", i):
        j = i + 1
        if j < len(p) and p[j] == "^":
            j += 1
        if j < len(p) and p[j] == "]":
            j += 1
        while j < len(p) and p[j] != "]":
            j += 2 if p[j] == "\\" else 1
        return j + 1 if j < len(p) else i
    if p.startswith("\\", i) and i + 1 < len(p) and p[i + 1] in "wWsSdD":
        return i + 2
    if i < len(p) and p[i] == ".":
        return i + 1
    return i


def _has_top_level_bar(p: str) -> bool:
    depth = 0
    in_class = False
    i = 0
    while i < len(p):
        c = p[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return True
        i += 1
    return False


def _literal(alt: str) -> str | None:
    """The text of a plain-literal alternative, or None."""
    out = []
    i = 0
    while i < len(alt):
        c = alt[i]
        if c == "\\":
            if i + 1 < len(alt) and alt[i + 1] in _SAFE_ESCAPES:
                out.append(_SAFE_ESCAPES[alt[i + 1]])
                i += 2
                continue
            return None
        if not (c.isalnum() or c in " _'\"&/") or c.isdigit() and False:
            return None
        out.append(c)
        i += 1
    text = "".join(out)
    return text if any(ch.isalnum() for ch in text) and "  " not in text else None


def _split_bars(body: str) -> list[str]:
    parts, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(body):
        c = body[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(body[start:i])
            start = i + 1
        i += 1
    parts.append(body[start:])
    return parts


def required_literals(pattern: str) -> tuple[str, ...] | None:
    """Literals one of which starts every match of `pattern`, or None when unsure."""
    p = pattern
    if _has_top_level_bar(p):
        return None
    i = 0
    while True:
        if p.startswith(("(?i)", "(?u)", "(?V0)", "(?V1)"), i):
            i = p.index(")", i) + 1
        elif p.startswith("\\b", i) or p.startswith("^", i):
            i += 2 if p.startswith("\\b", i) else 1
        elif p.startswith("(?=", i):
            # A lookahead that needs a literal: the literal is in the draft whenever this matches.
            j = _skip_group(p, i)
            if j < 0:
                return None
            inner = required_literals(p[i + 3 : j - 1])
            if inner is not None:
                return inner
            i = j
        elif p.startswith(("(?<!", "(?<=", "(?!"), i):
            j = _skip_group(p, i)
            if j < 0:
                return None
            i = j
        elif p.startswith("(", i):
            # An optional group ("(?:https?://)?") may be skipped; any other group is read below.
            j = _skip_group(p, i)
            if j < 0:
                return None
            if j < len(p) and p[j] in "?*":
                i = j + 1 + (j + 1 < len(p) and p[j + 1] in "?+")
                continue
            break
        else:
            # An atom repeated zero or more times ("[a-z0-9]*", "\\w*?") may be skipped too.
            j = _atom_end(p, i)
            if j > i and j < len(p) and p[j] == "*":
                i = j + 1 + (j + 1 < len(p) and p[j + 1] in "?+")
                continue
            break
    if i >= len(p):
        return None
    if p.startswith(("(?:", "(?i:"), i):
        j = _skip_group(p, i)
        if j < 0 or (j < len(p) and p[j] in _QUANTIFIERS):
            return None
        body = p[p.index(":", i) + 1 : j - 1]
        lits = [_literal(a) for a in _split_bars(body)]
        if not lits or any(lit is None for lit in lits):
            return None
        return tuple(dict.fromkeys(lit.strip() for lit in lits if lit))  # type: ignore[union-attr]
    # A plain literal run; a quantifier after it applies to its last char, which is then dropped.
    j = i
    out = []
    while j < len(p) and (p[j].isalnum() or p[j] == " "):
        out.append(p[j])
        j += 1
    if j < len(p) and p[j] in _QUANTIFIERS and out:
        out.pop()
    text = "".join(out).strip()
    if len(text) < 2 or not any(c.isalpha() for c in text):
        return None
    return (text,)
